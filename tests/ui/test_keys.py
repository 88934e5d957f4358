"""Every key does what the help says, keyboard only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.screens.chart import ChartScreen
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.note import NoteScreen
from apigw_cockpit.ui.screens.trace import TraceScreen

from .conftest import screen_text, settle
from .fakes import NOW, midnight_pager


@pytest.mark.parametrize(
    ("key", "screen_type", "close"),
    [
        ("question_mark", HelpScreen, "escape"),
        ("f1", HelpScreen, "escape"),
        ("g", ChartScreen, "escape"),
        ("enter", TraceScreen, "escape"),
    ],
)
async def test_screen_keys_open_and_close(
    make_app: Callable[..., Any], key: str, screen_type: type, close: str
) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        assert isinstance(app.screen, screen_type)
        await pilot.press(close)
        assert isinstance(app.screen, CockpitScreen)


@pytest.mark.parametrize(
    ("key", "kind"), [("c", "checks"), ("w", "walkthrough"), ("v", "verify"), ("t", "timeline")]
)
async def test_info_screens(make_app: Callable[..., Any], key: str, kind: str) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        assert isinstance(app.screen, InfoScreen) and app.screen.kind == kind
        body = screen_text(app)
        if kind == "timeline":
            assert "RevokeSecurityGroupIngress by alex" in body and "onset: 5XX starts" in body
        elif kind == "checks":
            # The engine's answer: the suspect and the security-groups finding at error.
            assert "suspect sg-blocks-nlb-targets" in body and "security-groups" in body
        await pilot.press(key)  # the same key closes it again
        assert isinstance(app.screen, CockpitScreen)


async def test_pause_freezes_the_log_and_says_so(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        assert app.state.paused
        text = screen_text(app)
        assert "● PAUSED" in text and "LIVE" not in text
        await pilot.press("p")
        assert not app.state.paused and "● LIVE" in screen_text(app)


async def test_filter_and_toggle(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#log-table", DataTable)
        assert table.row_count == 8
        await pilot.press("slash")
        box = app.screen.query_one("#log-filter", Input)
        assert box.has_focus
        await pilot.press(*"0003")
        assert table.row_count == 1
        assert "/0003" in str(app.screen.query_one(LogPane).border_title)
        await pilot.press("escape")
        assert table.row_count == 8 and table.has_focus
        await pilot.press("a")
        assert not app.screen.query_one(LogPane).failed_only
        assert "all requests" in str(app.screen.query_one(LogPane).border_title)


async def test_mark_fix_and_note_reach_state_and_hooks(make_app: Callable[..., Any]) -> None:
    notes: list[tuple[float, str]] = []
    fixes: list[float] = []
    app = make_app(midnight_pager())
    app.hooks.on_note.append(lambda at, text: notes.append((at, text)))
    app.hooks.on_fix.append(fixes.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        assert app.state.fix_time == NOW and fixes == [NOW]
        assert "fix @ 00:15:30" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"sg ok", "enter")
        assert isinstance(app.screen, CockpitScreen)
        assert [n.text for n in app.state.notes] == ["sg ok"] and notes == [(NOW, "sg ok")]
        await pilot.press("n", "escape")  # cancelling stores nothing
        assert len(app.state.notes) == 1


async def test_screenshot_refresh_and_palette(make_app: Callable[..., Any], tmp_path: Path) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        shots = list((tmp_path / "state" / "apigw-cockpit" / "screenshots").glob("*.svg"))
        assert len(shots) == 1 and "RevokeSecurityGroupIngress" in shots[0].read_text()
        await pilot.press("r")  # refresh: redraw without error, state intact
        assert len(app.state.rows) == 8
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"mark f", "enter")
        await pilot.pause()
        assert app.state.fix_time == NOW  # the palette ran the same action as `F`


async def test_quit_key(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_keys_are_remappable_from_config(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), keys={"pause": "space", "chart": "x"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        assert app.state.paused
        await pilot.press("x")
        assert isinstance(app.screen, ChartScreen)
        await pilot.press("1")
        assert app.screen.window == "15m"


async def test_ctrl_c_quits(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert not app.is_running


async def test_no_color_is_honoured(make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.no_color
