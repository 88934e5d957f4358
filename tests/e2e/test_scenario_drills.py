"""Every root cause has a built-in scenario. Each scenario's drill (diagnosis named first, fix,
verification V1–V6 passes) runs with its parity check in tests/ui/test_parity.py, on one world."""

from __future__ import annotations

from apigw_cockpit.demo.world import list_scenarios


def test_every_root_cause_has_a_scenario() -> None:
    from apigw_cockpit.diagnose import ROOT_CAUSES

    covered = {s.root_cause for s in list_scenarios()}
    assert set(ROOT_CAUSES) <= covered
