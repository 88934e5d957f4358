"""The serve package stays apart from the TUI, AWS and the diagnosis (it only fans out a screen)."""

from __future__ import annotations

from tests.unit.test_layers import _loaded


def test_serve_imports_no_ui_aws_diagnose_or_demo() -> None:
    _, ours = _loaded("apigw_cockpit.serve")
    assert ours.isdisjoint(
        {"apigw_cockpit.ui", "apigw_cockpit.aws", "apigw_cockpit.diagnose", "apigw_cockpit.demo"}
    ), ours
