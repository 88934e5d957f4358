"""Which screen is on top: the app's screen keys (help, home, charts, checks…), the trace, and
the redraw that keeps the live cockpit moving under whatever is stacked on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.screen import Screen

from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.timeline import TimelineScreen
from apigw_cockpit.ui.screens.trace import TraceScreen
from apigw_cockpit.ui.screens.verification import VerificationScreen

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.config import Settings
    from apigw_cockpit.ui.state import CockpitState

INFO_SCREENS = {
    "checks": "checks",
    "walkthrough": "walkthrough",
    "verify": "verification",
    "timeline": "timeline",
}


class Screens:
    """Pushes and pops `app`'s screens. `record` journals the key that opened one; `diagnose`
    runs the engine now; `journal_tick` lets the journal see what the user now sees."""

    def __init__(
        self,
        app: App[int],
        settings: Settings,
        *,
        record: Callable[[str], None],
        diagnose: Callable[[], None],
        journal_tick: Callable[[], None],
    ) -> None:
        self._app, self._settings, self._record = app, settings, record
        self._diagnose, self._journal_tick = diagnose, journal_tick

    def redraw(self) -> None:
        """Redraw the screen on top and the live cockpit under it: behind a modal (help, a
        trace, a question) the panes stay visible and must keep moving while LIVE is lit."""
        top = self._app.screen
        for screen in self._app.screen_stack:
            # A screen pushed this instant is composed only once mounted; one being torn down (the
            # app exiting) has lost its children: both are drawn on their next tick, not now.
            if (screen is top or isinstance(screen, CockpitScreen)) and screen.is_mounted:
                sync = getattr(screen, "sync", None)
                if callable(sync):
                    with contextlib.suppress(NoMatches):
                        sync()

    def _show(self, screen: Screen[None]) -> None:
        """A screen's own key closes it: `c` on the checks list goes back."""
        current = self._app.screen
        if type(current) is type(screen) and current.id == screen.id:
            self._app.pop_screen()
            return
        self._app.push_screen(screen)

    def help(self) -> None:
        self._show(HelpScreen())

    def home(self) -> None:
        """Back to the live cockpit, however many screens are stacked on it (esc pops one)."""
        app = self._app
        while len(app.screen_stack) > 1 and not isinstance(app.screen, CockpitScreen):
            app.pop_screen()

    def chart(self) -> None:
        from apigw_cockpit.ui.screens.chart import ChartScreen  # plotext: not on the first-frame path

        self._record("chart")
        self._show(ChartScreen())

    def info(self, kind: str) -> None:
        self._record(kind)
        # The user asked: answer from everything received, not the last debounced run.
        self._diagnose()
        if kind == "timeline":
            self._show(TimelineScreen())
        elif kind == "verify":
            self._show(VerificationScreen())
        else:
            self._show(InfoScreen(kind, INFO_SCREENS[kind]))
        self._journal_tick()  # the drill: the checks list on screen may be "root cause shown"

    def trace(self, state: CockpitState, request_id: str) -> None:
        row = state.rows.get(request_id)
        if row is not None:
            verdict = state.verdict_of(row)
            self._app.push_screen(TraceScreen(row, verdict, presenter=self._settings.presenter))
