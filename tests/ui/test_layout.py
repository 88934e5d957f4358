"""80×24 over SSH: every pane title visible, or collapsed on purpose (the hop map)."""

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
        for title in ("metrics", "targets", "execution log", "recent changes"):
            assert f"─ {title}" in text, title
        assert not app.screen.query_one(HopMap).display  # deliberately collapsed at this width
        assert "● LIVE 00:15:30" in text  # header keeps the clock
        assert "0/4 healthy" in text and "152/min" in text and "28.9s/29s" in text
        assert "RevokeSecurityGroupIngress" in text


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
