"""The cockpit app: composes screens and wires feed, state and themes. Built by `build_app`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, TextArea

from apigw_cockpit import paths
from apigw_cockpit.config import Settings, load_settings
from apigw_cockpit.diagnose.observations import Probe
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.incident.sink import JournalSink, sink_for
from apigw_cockpit.model import Clock
from apigw_cockpit.outbound import err_line
from apigw_cockpit.ui.bindings import KEYS, WRITES, bindings
from apigw_cockpit.ui.commands import CockpitCommands, without_duplicates
from apigw_cockpit.ui.drill import DrillSpec, DrillTracker
from apigw_cockpit.ui.engine import EngineWorker
from apigw_cockpit.ui.feed import Feed, can_apply_fix
from apigw_cockpit.ui.incident_actions import IncidentActions, UiHooks
from apigw_cockpit.ui.journal_watch import JournalWatch
from apigw_cockpit.ui.journaling import JournalActions
from apigw_cockpit.ui.pump import FeedWorkers
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.timeline import TimelineScreen
from apigw_cockpit.ui.screens.trace import TraceScreen
from apigw_cockpit.ui.screens.verification import VerificationScreen
from apigw_cockpit.ui.startup import FeedOpener, Opened, StartupScreen, failure
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.themewatch import ThemeWatcher
from apigw_cockpit.ui.view import ASCII, UNICODE, View

__all__ = ["CockpitApp", "DrillSpec", "JournalSink", "UiHooks", "build_app", "run_tui"]

INFO_SCREENS = {
    "checks": "checks",
    "walkthrough": "walkthrough",
    "verify": "verification",
    "timeline": "timeline",
}
# Until the feed is attached only quitting makes sense: every other app key reads the feed/state.
NEEDS_FEED = {k.action for k in KEYS} - {"quit"}
WRITE_ACTIONS = frozenset(k.action for k in KEYS if k.id in WRITES)


class CockpitApp(EngineWorker, FeedWorkers, ThemeWatcher, IncidentActions, JournalActions, App[int]):
    CSS_PATH = "cockpit.tcss"
    TITLE = "apigw-cockpit"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {CockpitCommands}

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's Quit, Keys and Screenshot do what our q, ? and s do: list ours only.
        yield from without_duplicates(super().get_system_commands(screen))

    def __init__(
        self,
        settings: Settings,
        feed: Feed | None,
        clock: Clock | None,
        *,
        opener: FeedOpener | None = None,
        starting: str = "starting…",
        theme_dirs: list[Path] | None = None,
        hooks: UiHooks | None = None,
        journal: JournalSink | None = None,
        drill: DrillSpec | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._drill_spec, self.opener = drill, opener
        self.starting = starting  # the start-up screen's first line, before the opener can say more
        self.attached = False
        self.startup_error: str | None = None  # one line for stderr when the opener failed
        self.can_apply_fix = False
        self.drill = DrillTracker(None)
        self.journal: JournalSink | None = None
        if feed is not None and clock is not None:
            self._bind(Opened(feed, clock, journal))
        elif opener is None:
            raise TypeError("build_app needs a feed and a clock, or an opener")
        self.theme_dirs = paths.theme_dirs() if theme_dirs is None else theme_dirs
        self.theme_errors: list[str] = []
        self.hooks = hooks or UiHooks()
        self.screenshot_dir = paths.state_dir() / "screenshots"
        self.journal_watch: JournalWatch | None = None
        self.exit_reason = "exit"
        self._ui_loop = None
        self._shots_due: set[str] = set()
        self._screen_ready = self._exit_when_ready = False

    def _bind(self, opened: Opened) -> None:
        feed, settings = opened.feed, self.settings
        self.feed, self.clock = feed, opened.clock
        self.state = CockpitState(feed.topology, log_capacity=settings.log_buffer)
        self.can_apply_fix = can_apply_fix(feed) and not settings.read_only
        # The app owns the journal from here: it starts the writer on attach and closes it at unmount.
        self.journal = opened.journal
        # The drill's clock starts when the data can be seen, not while the world starts.
        self.drill = DrillTracker(self._drill_spec if self.can_apply_fix else None)

    def on_mount(self) -> None:
        wanted = self.settings.theme
        if self.settings.presenter and wanted == "cockpit-dark":
            wanted = "high-contrast"
        self.load_themes(wanted)
        self.set_class(self.settings.ascii, "-ascii")
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        # Signals first: once the journal's session-start is on disk a SIGHUP must end it cleanly.
        self._install_signals()
        self.start_theme_watcher()
        if self.opener is None:
            self._start_cockpit()
            return
        self.push_screen(StartupScreen(self.starting))
        # After the first frame: the world's start-up (imports, moto) would hold the GIL while it draws.
        opener = self.opener
        self.call_after_refresh(
            lambda: self.run_worker(self._open(opener), name="startup", exit_on_error=False)
        )

    async def _open(self, opener: FeedOpener) -> None:
        def say(message: str) -> None:
            if isinstance(self.screen, StartupScreen):
                self.screen.say(message)

        try:
            opened = await opener(say)
        except Exception as exc:
            self.startup_error, code = failure(exc)
            self.exit(return_code=code)
            return
        self._bind(opened)
        self._start_cockpit()

    def _start_cockpit(self) -> None:
        """Feed and state exist: the cockpit screen, the journal, the pollers, the tick."""
        self.attached = True
        if isinstance(self.screen, StartupScreen):
            self.switch_screen(CockpitScreen())
        else:
            self.push_screen(CockpitScreen())
        self.start_journal()
        self.start_pollers()
        self.set_interval(self.settings.refresh, self.tick)

    def _install_signals(self) -> None:
        # SIGTERM/SIGHUP (a dropped SSH session) must restore the terminal like `q` does.
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._signal_exit, sig.name)

    def _signal_exit(self, reason: str) -> None:
        self.exit_reason = reason  # the journal's session-end says why the session ended
        # Exiting while the first screen still composes leaves half-mounted panes raising: wait for it.
        # While starting there is nothing to wait for: no journal yet, no panes.
        if self._screen_ready or (self.opener is not None and not self.attached):
            self.exit()
        else:
            self._exit_when_ready = True

    def screen_ready(self) -> None:
        """The cockpit screen finished mounting (called from its on_mount)."""
        self._screen_ready = True
        if self._exit_when_ready:
            self.exit()

    def on_unmount(self) -> None:
        if self.attached:
            self.finish_journal()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.attached and action in NEEDS_FEED:
            return False
        # The drill key exists only where a fix can be applied (the demo, not read-only).
        if action == "apply_fix":
            return self.can_apply_fix
        if action == "home":
            # A priority key: while a text field has focus (filter, note, palette) `h` is a letter.
            return not isinstance(self.focused, Input | TextArea)
        # A read-only view writes nothing: its write keys are gone, not faked.
        return not (self.settings.read_only and action in WRITE_ACTIONS)

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
        self.run_engine()
        self.sync_screen()
        self.journal_tick()

    def sync_screen(self) -> None:
        """Redraw the screen on top and the live cockpit under it: behind a modal (help, a
        trace, a question) the panes stay visible and must keep moving while LIVE is lit."""
        top = self.screen
        for screen in self.screen_stack:
            if screen is top or isinstance(screen, CockpitScreen):
                self._sync(screen)

    @staticmethod
    def _sync(screen: Screen[Any]) -> None:
        # A screen pushed this instant is composed only once mounted; one being torn down (the
        # app exiting) has lost its children: both are drawn on their next tick, not now.
        if not screen.is_mounted:
            return
        sync = getattr(screen, "sync", None)
        if callable(sync):
            with contextlib.suppress(NoMatches):
                sync()

    def toggle_pause(self) -> None:
        self.state.toggle_pause(self.clock.now())
        self.sync_screen()

    def add_probe(self, result: Probe) -> None:
        """A probe a screen ran: into the store, and the checklist re-judged at once."""
        self.state.add_probe(result)
        self.run_engine(force=True)
        self.sync_screen()

    # -- actions ------------------------------------------------------------------------
    def _show(self, screen: Screen[Any]) -> None:
        if type(self.screen) is type(screen) and getattr(self.screen, "id", None) == screen.id:
            self.pop_screen()
            return
        self.push_screen(screen)

    def action_help(self) -> None:
        self._show(HelpScreen())

    def action_home(self) -> None:
        """Back to the live cockpit, however many screens are stacked on it (esc pops one)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CockpitScreen):
            self.pop_screen()

    def action_chart(self) -> None:
        from apigw_cockpit.ui.screens.chart import ChartScreen  # plotext: not on the first-frame path

        self._record("chart")
        self._show(ChartScreen())

    def _info(self, kind: str) -> None:
        self._record(kind)
        # The user asked: answer from everything received, not the last debounced run.
        self.run_engine(force=True)
        if kind == "timeline":
            self._show(TimelineScreen())
        elif kind == "verify":
            self._show(VerificationScreen())
        else:
            self._show(InfoScreen(kind, INFO_SCREENS[kind]))
        self.journal_tick()

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
            poll_now = getattr(poller, "poll_now", None)  # fakes in tests may not have one
            if callable(poll_now):
                poll_now()
        self.run_engine(force=True)
        self.tick()

    def open_trace(self, request_id: str) -> None:
        row = self.state.rows.get(request_id)
        if row is not None:
            verdict = self.state.verdict_of(row)
            self.push_screen(TraceScreen(row, verdict, presenter=self.settings.presenter))


def build_app(settings: Settings, feed: Feed | None, clock: Clock | None, **kw: Any) -> CockpitApp:
    """`feed` and `clock` now, or both None and `opener=` (see ui/startup.py) to open them after
    the first frame."""
    return CockpitApp(settings, feed, clock, **kw)


def run_tui(args: Any, feed: Feed, clock: Clock, **kw: Any) -> int:
    """Run the full-screen cockpit; a malformed config is one line and exit 2."""

    try:
        settings = load_settings(args)
    except ConfigError as exc:
        err_line(f"apigw-cockpit: {exc}")
        return 2
    if "journal" not in kw and not settings.read_only:
        # Read-only views (serve's war room) watch; only the driving session keeps the record.
        kw["journal"] = sink_for(getattr(args, "journal", None), feed.topology, clock)
    app = build_app(settings, feed, clock, **kw)
    try:
        app.run()
    finally:
        if app.journal is not None:
            app.journal.close(app.exit_reason)  # no-op after unmount closed it
    return app.return_code or 0
