"""The status bar says `connecting` for a source that is dialling (Live Tail), never a fresh tick."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conftest import screen_text, settle
from .fakes import NOW, midnight_pager


async def test_connecting_logs_show_connecting(make_app: Callable[..., Any]) -> None:
    from tests.ui.fixtures import FakePoller

    from apigw_cockpit.model import SourceState, SourceStatus

    class Dialling(FakePoller):
        def status(self) -> SourceStatus:
            return SourceStatus("logs", SourceState.CONNECTING, NOW)

    feed = midnight_pager()
    i = next(i for i, p in enumerate(feed.pollers) if p.name == "logs")
    feed.pollers[i] = Dialling("logs", [])
    app = make_app(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        assert app.state.sources["logs"].state == SourceState.CONNECTING
        assert "logs connecting" in screen_text(app)
