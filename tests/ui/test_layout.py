"""80×24 over SSH: every pane title visible; what matters (the ◆ change, the verdict, the failing
hop) is never cut, because lower-priority panes collapse first (screens/cockpit_layout.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apigw_cockpit.ui.panes.hopmap import HopMap

from .conftest import screen_text, settle
from .fakes import midnight_pager


async def test_80x24_keeps_what_matters(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) <= 24 and max(len(ln) for ln in lines) <= 80
        for title in ("metrics", "targets", "hop map", "execution log", "recent changes"):
            assert f"─ {title}" in text, title
        hop = app.screen.query_one(HopMap)
        assert hop.display and hop.compact  # only the failing chain and why, at this width
        assert "VPC link ✓ → NLB ✓ → TG ✗" in text and "✗ TG: target-health" in text
        assert "● LIVE 00:15:30" in text  # header keeps the clock
        assert "0/4 healthy" in text and "152/min" in text and "28.9s/29s" in text
        assert "◆ 00:10 RevokeSecurityGroupIngress" in text  # the culprit line, whole
        assert "suspect sg-blocks-nlb-targets" in text  # the verdict
        assert text.count("unhealthy") == 4  # every target, not 1 of 4
        assert "w Walkthrough v Verify" in text.splitlines()[-1]  # the footer packs its keys at 80 columns


async def test_200x50_shows_everything(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "─ hop map" in text and "acct 123456789012" in text
        # four targets, and the hop map quoting the target-health finding
        assert text.count("Target.FailedHealthChecks") == 5


async def test_presenter_mode_redacts(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), presenter=True)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "123456789012" not in text and "10.0.1.10" not in text
        assert app.theme == "high-contrast"


async def test_ascii_mode_draws_only_ascii(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "152/min" in text and "0/4 healthy" in text
        assert [c for c in text if ord(c) > 127] == []
