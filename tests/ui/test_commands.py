"""`serve` binds loopback by default and warns otherwise; `screenshot` writes an SVG."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from apigw_cockpit.cli import build_parser
from apigw_cockpit.commands import screenshot, serve


def test_loopback_detection() -> None:
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1") and serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0") and not serve.is_loopback("10.1.2.3")


# serve's own tests (one shared app, token, Origin, bad arguments) are in tests/serve/.


def test_serve_default_host_is_loopback() -> None:
    args = build_parser().parse_args(["serve", "--scenario", "x"])
    assert args.host == "127.0.0.1"


def test_screenshot_size_is_validated(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(size="big", out="x.svg", scenario="midnight-pager", at=None, config=None)
    assert screenshot.run(args) == 2
    assert "120x36" in capsys.readouterr().err


def test_run_tui_malformed_config_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apigw_cockpit.model import FrozenClock
    from apigw_cockpit.ui import run_tui

    from . import fixtures

    cfg = tmp_path / "config.toml"
    cfg.write_text("refresh = 'soon'\n")
    args = argparse.Namespace(config=str(cfg), theme=None, refresh=None, ascii=False)
    assert run_tui(args, fixtures.midnight_pager(), FrozenClock(fixtures.NOW)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refresh must be a number" in err and "Traceback" not in err
