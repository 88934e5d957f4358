"""The cockpit app: composes screens and wires feed, state and themes. Built by `build_app`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen

from apigw_cockpit import paths
from apigw_cockpit.config import ConfigError, Settings, load_settings
from apigw_cockpit.model import Clock
from apigw_cockpit.ui.analysis import Diagnoser
from apigw_cockpit.ui.bindings import bindings
from apigw_cockpit.ui.commands import CockpitCommands
from apigw_cockpit.ui.feed import Feed, can_apply_fix
from apigw_cockpit.ui.incident_actions import IncidentActions, UiHooks
from apigw_cockpit.ui.pump import FeedWorkers
from apigw_cockpit.ui.screens.chart import ChartScreen
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.trace import TraceScreen
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.themewatch import ThemeWatcher
from apigw_cockpit.ui.view import ASCII, UNICODE, View

__all__ = ["CockpitApp", "UiHooks", "build_app", "run_tui"]

INFO_SCREENS = {
    "checks": "checks",
    "walkthrough": "walkthrough",
    "verify": "verification",
    "timeline": "timeline",
}


class CockpitApp(FeedWorkers, ThemeWatcher, IncidentActions, App[int]):
    CSS_PATH = "cockpit.tcss"
    TITLE = "apigw-cockpit"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {CockpitCommands}

    def __init__(
        self,
        settings: Settings,
        feed: Feed,
        clock: Clock,
        *,
        theme_dirs: list[Path] | None = None,
        hooks: UiHooks | None = None,
        diagnoser: Diagnoser | None = None,
    ) -> None:
        super().__init__()
        self.settings, self.feed, self.clock = settings, feed, clock
        self.state = CockpitState(
            feed.topology, log_capacity=settings.log_buffer, diagnoser=diagnoser or Diagnoser()
        )
        self.theme_dirs = paths.theme_dirs() if theme_dirs is None else theme_dirs
        self.theme_errors: list[str] = []
        self.hooks = hooks or UiHooks()
        self.can_apply_fix = can_apply_fix(feed) and not settings.read_only
        self.screenshot_dir = paths.state_dir() / "screenshots"

    def on_mount(self) -> None:
        wanted = self.settings.theme
        if self.settings.presenter and wanted == "cockpit-dark":
            wanted = "high-contrast"
        self.load_themes(wanted)
        self.set_class(self.settings.ascii, "-ascii")
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        self.push_screen(CockpitScreen())
        self.start_pollers()
        self.start_theme_watcher()
        self.set_interval(self.settings.refresh, self.tick)
        self._install_signals()

    def _install_signals(self) -> None:
        # SIGTERM/SIGHUP (a dropped SSH session) must restore the terminal like `q` does.
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)

    # -- state → screen ---------------------------------------------------------------
    def view(self) -> View:
        return View(self.clock.now(), ASCII if self.settings.ascii else UNICODE, self.settings.presenter)

    def meter_snapshot(self) -> Any:
        try:
            return self.feed.meter.snapshot()
        except Exception:
            return None

    def tick(self) -> None:
        self.poll_statuses()
        if self.state.diagnose_due():
            obs = self.state.observations(self.clock.now())
            # Checks are pure but not free: run them off the UI thread, results come back by call_from_thread.
            self.run_worker(partial(self._diagnose, obs), thread=True, group="diagnose", exit_on_error=False)
        sync = getattr(self.screen, "sync", None)
        if callable(sync):
            sync()

    def _diagnose(self, obs: dict[str, Any]) -> None:
        findings, ranked = self.state.diagnoser.diagnose(**obs)
        self.call_from_thread(self.state.set_findings, findings, ranked)

    # -- actions ------------------------------------------------------------------------
    def _show(self, screen: Screen[Any]) -> None:
        if type(self.screen) is type(screen) and getattr(self.screen, "id", None) == screen.id:
            self.pop_screen()
            return
        self.push_screen(screen)

    def action_help(self) -> None:
        self._show(HelpScreen())

    def action_chart(self) -> None:
        self._record("chart")
        self._show(ChartScreen())

    def _info(self, kind: str) -> None:
        self._record(kind)
        # The user asked: answer from fresh findings, not the last debounced run.
        self.state.maybe_diagnose(self.clock.now(), mono=float("inf"))
        self._show(InfoScreen(kind, INFO_SCREENS[kind]))

    def action_checks(self) -> None:
        self._info("checks")

    def action_walkthrough(self) -> None:
        self._info("walkthrough")

    def action_verify(self) -> None:
        self._info("verify")

    def action_timeline(self) -> None:
        self._info("timeline")

    def action_refresh_now(self) -> None:
        for poller in self.feed.pollers:
            poke = getattr(poller, "poke", None)
            if callable(poke):
                poke()
        self.state.maybe_diagnose(self.clock.now(), mono=float("inf"))
        self.tick()

    def open_trace(self, request_id: str) -> None:
        row = self.state.rows.get(request_id)
        if row is not None:
            self.state.verdict_of(row)
            self.push_screen(TraceScreen(row, presenter=self.settings.presenter))


def build_app(settings: Settings, feed: Feed, clock: Clock, **kw: Any) -> CockpitApp:
    return CockpitApp(settings, feed, clock, **kw)


def run_tui(args: Any, feed: Feed, clock: Clock, **kw: Any) -> int:
    """Run the full-screen cockpit; a malformed config is one line and exit 2."""
    import sys

    try:
        settings = load_settings(args)
    except ConfigError as exc:
        print(f"apigw-cockpit: {exc}", file=sys.stderr)
        return 2
    app = build_app(settings, feed, clock, **kw)
    app.run()
    return app.return_code or 0
