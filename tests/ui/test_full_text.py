"""Lines cut with an ellipsis stay readable: tab to the pane, enter, and the dialog has them whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.color import Color
from textual.widgets import Static

from apigw_cockpit.ui.panes.changes import ChangesPane
from apigw_cockpit.ui.panes.hopmap import HopMap
from apigw_cockpit.ui.panes.targets import TargetGrid
from apigw_cockpit.ui.screens.timeline import DetailScreen

from .conftest import screen_text, settle
from .fakes import midnight_pager


async def test_enter_on_a_pane_with_cut_lines_shows_them_in_full(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        hop = app.screen.query_one(HopMap)
        cut = hop.cut_lines()
        assert cut, "at 80x24 the hop map's reasons are cut"
        shown = screen_text(app)
        assert cut[0] not in shown and cut[0][: hop.content_size.width - 1] in shown  # cut with …

        # tab from the log table reaches the panes (focus order is the screen's).
        focused = []
        for _ in range(6):
            await pilot.press("tab")
            focused.append(app.focused)
        assert hop in focused and app.screen.query_one(ChangesPane) in focused

        hop.focus()
        await pilot.pause()
        # The focused pane says so: its border in the theme's accent (the others keep theirs).
        accent = Color.parse(app.current_theme.accent)

        def near_accent(c: Color) -> bool:
            return all(abs(a - b) <= 2 for a, b in zip(c.rgb, accent.rgb, strict=True))

        assert near_accent(hop.styles.border_top[1])
        assert not near_accent(app.screen.query_one(TargetGrid).styles.border_top[1])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = "\n".join(str(s.content) for s in app.screen.query(Static))
        assert all(line.strip() in text for line in cut), (cut, text)
        assert "hop map" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)


async def test_enter_on_a_pane_with_nothing_cut_opens_nothing(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        targets = app.screen.query_one(TargetGrid)
        assert targets.full_lines() and not targets.cut_lines()
        targets.focus()
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
