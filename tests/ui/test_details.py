"""The details of issue 15: pause says when, the trace shows time gaps, the all-requests list,
the checks screen's fix direction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conftest import screen_text, settle
from .fakes import midnight_pager


async def test_pause_shows_when_it_paused(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        app.clock.advance(93)
        app.tick()
        await pilot.pause()
        text = screen_text(app)
        assert "PAUSED at 00:15:30" in text  # at 80x24 too: the time it stopped, not hidden
        await pilot.press("p")
        await pilot.pause()
        assert "LIVE 00:17:03" in screen_text(app) and not app.state.paused_at
