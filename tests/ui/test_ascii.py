"""--ascii: every screen is pure ASCII, for terminals (and fonts, and serial consoles) that
draw anything else as garbage. The frame is read as the terminal receives it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from apigw_cockpit.model import SourceState, SourceStatus
from apigw_cockpit.ui import view
from apigw_cockpit.ui.ascii_filter import AsciiOnly
from apigw_cockpit.ui.view import Pane

from .conftest import settle
from .fakes import NOW, FakeFeed, FakePoller, healthy, midnight_pager
from .fixtures import logs
from .screen_tour import SCREENS, cells, frame_text, tour


def storm() -> FakeFeed:
    """More failing requests than rows (merged rows, `x37`) and a Lambda log source (`fn logs`)."""
    feed = midnight_pager()
    lambda_logs = SourceStatus("lambda_logs", SourceState.OK, NOW, last_ok=NOW - 3)
    feed.pollers += [FakePoller("logs", [logs(True, count=120)]), FakePoller("lambda_logs", [lambda_logs])]
    return feed


STORIES = {"midnight_pager": midnight_pager, "healthy": healthy, "storm": storm}


def _leaks(text: str) -> str:
    return "".join(sorted({c for c in text if ord(c) > 126 or (ord(c) < 32 and c != "\n")}))


@pytest.mark.sim  # slow lane: every screen of the tour, for each story
@pytest.mark.parametrize("story", sorted(STORIES))
async def test_every_screen_is_pure_ascii(make_app: Callable[..., Any], story: str) -> None:
    app = make_app(STORIES[story](), ascii=True)
    leaks: dict[str, str] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        seen = []
        async for screen in tour(app, pilot):
            seen.append(screen)
            text = frame_text(app)
            assert text.strip(), screen
            if bad := _leaks(text):
                leaks[screen] = bad
    assert seen == list(SCREENS)
    assert not leaks, "\n".join(f"{name}: {chars!r}" for name, chars in leaks.items())


def test_the_ascii_glyph_table_is_ascii() -> None:
    for name, value in vars(view.ASCII).items():
        assert value.isascii(), f"ASCII.{name} = {value!r}"


async def test_the_panes_choose_ascii_themselves(make_app: Callable[..., Any]) -> None:
    """The filter is a safety net: without it the cockpit's own panes still draw only ASCII
    (their marks come from view.ASCII, not from literals)."""
    app = make_app(storm(), ascii=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app._filters[:] = [f for f in app._filters if not isinstance(f, AsciiOnly)]
        for pane in app.screen.query(Pane):
            pane.refresh()
        app.screen.query_one("#log-table").refresh()
        await pilot.pause()
        regions = [p.region for p in app.screen.query(Pane)]
        drawn = "".join(s.text for x, y, s in cells(app) if any(r.contains(x, y) for r in regions))
        assert drawn.strip() and not _leaks(drawn), _leaks(drawn)
        # What the storm is for: merged rows with their count, and the Lambda log source.
        assert re.search(r" x\d+\b", drawn) and "fn logs" in drawn
