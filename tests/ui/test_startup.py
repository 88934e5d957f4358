"""Start-up before the feed exists: the first frame says what it waits for, then the cockpit.

The opener is gated on an asyncio.Event the test releases; every wait is on a condition.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.incident import read_journal
from apigw_cockpit.incident.sink import sink_for
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui.app import CockpitApp, build_app
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.startup import FeedOpener, Opened, StartupScreen, failure, finish

from .conftest import screen_text, settle, wait_for
from .fixtures import NOW, midnight_pager


def make(opener: FeedOpener) -> CockpitApp:
    builtin = paths.builtin_themes_dir()
    assert builtin is not None
    app = build_app(Settings(), None, None, opener=opener, theme_dirs=[builtin])
    app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
    return app


def gated(journal: Path | None = None) -> tuple[asyncio.Event, list[str], FeedOpener]:
    gate, said = asyncio.Event(), []

    async def opener(say: Callable[[str], None]) -> Opened:
        say("starting the simulated AWS world (test)…")
        said.append("world")
        await gate.wait()
        say("discovering API abc123 stage prod…")
        feed, clock = midnight_pager(), FrozenClock(NOW)
        sink = None if journal is None else sink_for(journal, feed.topology, clock, scenario="test")
        return Opened(feed, clock, sink)

    return gate, said, opener


async def test_starting_state_then_data(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    gate, said, opener = gated(journal)
    app = make(opener)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(lambda: bool(said), pilot)
        await pilot.pause()
        assert isinstance(app.screen, StartupScreen)
        assert "starting the simulated AWS world" in screen_text(app)
        assert not app.attached and app.journal is None
        await pilot.press("c")  # keys that read the feed wait for it; nothing raises
        assert isinstance(app.screen, StartupScreen)
        gate.set()
        await wait_for(lambda: isinstance(app.screen, CockpitScreen), pilot)
        await settle(app, pilot)
        assert app.attached and app.state.rows
        assert "healthy" in screen_text(app)
        assert app.recorder.watch is not None  # the journal started once the feed was attached
        await pilot.press("q")
    assert app.return_code == 0
    kinds = [e["kind"] for e in read_journal(journal).entries]
    assert kinds[0] == "session-start" and kinds[-1] == "session-end"


async def test_quit_while_starting() -> None:
    _gate, said, opener = gated()
    app = make(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(lambda: bool(said), pilot)
        await pilot.press("q")
    assert not app.attached and app.startup.error is None
    assert (app.return_code or 0) == 0


class Denied(Exception):
    exit_code = 3


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        (Denied("AccessDenied: not allowed\nmore detail"), 3, "AccessDenied: not allowed"),
        (type("NotFound", (Exception,), {"exit_code": 2})("unknown API x"), 2, "unknown API x"),
        (OSError("address already in use"), 3, "OSError: address already in use"),
    ],
)
async def test_failing_opener_is_one_line_and_an_exit_code(exc: Exception, code: int, line: str) -> None:
    async def opener(say: Callable[[str], None]) -> Any:
        say("starting…")
        raise exc

    app = make(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(lambda: app.startup.error is not None, pilot)
    assert app.startup.error == line
    err = io.StringIO()
    assert finish(app, err) == code
    assert err.getvalue() == f"apigw-cockpit: error: {line}\n"
    assert failure(exc) == (line, code)


def test_build_app_needs_a_feed_or_an_opener() -> None:
    with pytest.raises(TypeError):
        build_app(Settings(), None, None)
