"""The live panes keep moving behind a modal (issue 15: help froze them while LIVE stayed lit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable

from apigw_cockpit.model import LogEvent, LogsUpdate
from apigw_cockpit.ui.messages import LogsBatch
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.trace import TraceScreen

from .conftest import screen_text, settle, wait_for
from .fakes import NOW, midnight_pager

LATE = "5eed0001-1c2d-4e5f-8a9b-0c1d2e3f0001"


def late_failure() -> LogsUpdate:
    lines = (
        f"({LATE}) HTTP Method: GET, Resource Path: /orders",
        f"({LATE}) Execution failed due to a timeout error",
        f"({LATE}) Method completed with status: 504",
    )
    events = tuple(
        LogEvent(f"late-{n}", NOW + 1, "API-Gateway-Execution-Logs_a1b2c3d4e5/prod", "s", ln, request_id=LATE)
        for n, ln in enumerate(lines)
    )
    return LogsUpdate("logs", NOW + 1, events)


async def _new_row_arrives_behind(app: Any, pilot: Any, key: str, modal: type) -> None:
    await settle(app, pilot)
    cockpit = app.screen
    assert isinstance(cockpit, CockpitScreen)
    table = cockpit.query_one("#log-table", DataTable)
    before = table.row_count
    await pilot.press(key)
    assert isinstance(app.screen, modal)
    assert "● LIVE 00:15:30" in screen_text(app)
    app.post_message(LogsBatch("logs", late_failure()))
    await wait_for(lambda: LATE in app.state.rows, pilot)
    app.clock.advance(5)
    app.tick()  # the refresh interval's tick, run now
    await pilot.pause()
    assert isinstance(app.screen, modal)  # still on top
    assert table.row_count == before + 1  # the log pane took the new request
    # What the user sees around the modal: the cockpit's clock moving, not frozen at LIVE.
    assert "● LIVE 00:15:35" in screen_text(app)


async def test_log_pane_updates_behind_help(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await _new_row_arrives_behind(app, pilot, "question_mark", HelpScreen)


async def test_log_pane_updates_behind_a_trace(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await _new_row_arrives_behind(app, pilot, "enter", TraceScreen)
