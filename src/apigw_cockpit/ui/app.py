"""The cockpit app: the composition root. Built by `build_app`.

It owns the settings, the feed, the clock and the state store and builds one collaborator per
job, each given what it needs: the theme watcher, the screens and the signal handler from the
start; once the feed is attached, the engine worker, the feed workers, the journal recorder
and the incident actions. Keys and messages arrive here (Textual looks `action_*` and `on_*`
up on the app) and are handed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict, Unpack

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Input, TextArea
from textual.worker import Worker

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.diagnose.observations import Probe
from apigw_cockpit.diagnose.pipeline import EngineResult
from apigw_cockpit.incident.sink import JournalSink
from apigw_cockpit.model import Clock
from apigw_cockpit.ui.bindings import allowed, bindings
from apigw_cockpit.ui.commands import CockpitCommands, without_duplicates
from apigw_cockpit.ui.drill import DrillSpec, DrillTracker
from apigw_cockpit.ui.engine import EngineWorker
from apigw_cockpit.ui.feed import Feed, fix_of
from apigw_cockpit.ui.incident_actions import IncidentActions, UiHooks
from apigw_cockpit.ui.journaling import JournalRecorder
from apigw_cockpit.ui.messages import FeedUpdate, LogsBatch
from apigw_cockpit.ui.navigation import Screens
from apigw_cockpit.ui.pump import FeedWorkers, report_failure
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.signals import SignalExit
from apigw_cockpit.ui.startup import FeedOpener, Opened, StartupScreen, failure
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.themewatch import ThemeWatcher
from apigw_cockpit.ui.view import ASCII, UNICODE, View

__all__ = ["AppOptions", "CockpitApp", "DrillSpec", "JournalSink", "UiHooks", "build_app"]


class AppOptions(TypedDict, total=False):
    opener: FeedOpener  # with feed and clock None: opens them after the first frame (ui/startup.py)
    starting: str  # the start-up screen's first line, before the opener can say more
    theme_dirs: list[Path]
    hooks: UiHooks
    journal: JournalSink | None
    drill: DrillSpec | None


class CockpitApp(App[int]):
    CSS_PATH = "cockpit.tcss"
    TITLE = "apigw-cockpit"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {CockpitCommands}

    def __init__(
        self, settings: Settings, feed: Feed | None, clock: Clock | None, **options: Unpack[AppOptions]
    ) -> None:
        super().__init__()
        self.settings, self.opener = settings, options.get("opener")
        self.starting = options.get("starting", "starting…")
        self.attached = False  # the feed is open and the cockpit screen up
        self.startup_error: str | None = None  # one line for stderr when the opener failed
        self.can_apply_fix = False
        self.drill, self._drill_spec = DrillTracker(None), options.get("drill")
        self.journal: JournalSink | None = None
        self.hooks = options.get("hooks") or UiHooks()
        self.screenshot_dir = paths.state_dir() / "screenshots"
        dirs = options.get("theme_dirs")
        self.themes = ThemeWatcher(self, paths.theme_dirs() if dirs is None else dirs)
        self.signals = SignalExit(self, starting=lambda: self.opener is not None and not self.attached)
        self.screens = Screens(
            self, settings, record=lambda kind: self.incident.record(kind),
            before_info=lambda: self.engine.run(force=True), after_info=lambda: self.recorder.tick(),
        )  # fmt: skip
        if feed is not None and clock is not None:
            self._bind(Opened(feed, clock, options.get("journal")))
        elif self.opener is None:
            raise TypeError("build_app needs a feed and a clock, or an opener")

    def _bind(self, opened: Opened) -> None:
        """The feed is open: the store, and every collaborator that works on it."""
        feed, clock = self.feed, self.clock = opened.feed, opened.clock
        self.journal = opened.journal
        self.state = state = CockpitState(feed.topology, log_capacity=self.settings.log_buffer)
        fix = None if self.settings.read_only else fix_of(feed)
        self.can_apply_fix = fix is not None
        # The drill's clock starts when the data can be seen, not while the world starts.
        self.drill = DrillTracker(self._drill_spec if fix is not None else None)
        self.engine = EngineWorker(self, state, clock, on_result=self.screens.redraw)
        self.feed_workers = FeedWorkers(
            self, feed, state, clock, post=self.post_message, paint=lambda: self.call_next(self.tick)
        )
        # The recorder owns the journal from here: it starts it on attach and closes it at unmount.
        self.recorder = JournalRecorder(
            self.journal, state, clock, self.hooks, self.drill, notify=self.notify,
            export=self.export_screenshot, screen_kind=lambda: getattr(self.screen, "kind", None),
        )  # fmt: skip
        self.incident = IncidentActions(
            self, state, clock, self.hooks, self.recorder,
            screenshot_dir=self.screenshot_dir, apply_fix=fix, tick=self.tick,
        )  # fmt: skip

    def on_mount(self) -> None:
        self.themes.load(self.settings)
        self.set_class(self.settings.ascii, "-ascii")
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        # Signals first: once the journal's session-start is on disk a SIGHUP must end it cleanly.
        self.signals.install()
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

    def start_theme_watcher(self) -> None:  # its own method: tests and benches turn it off
        self.themes.start()

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
        self.recorder.start()
        self.feed_workers.start()
        self.set_interval(self.settings.refresh, self.tick)

    def screen_ready(self) -> None:  # the cockpit screen finished mounting (its on_mount)
        self.signals.screen_ready()

    @property
    def exit_reason(self) -> str:  # for the journal's session-end: "exit", "SIGTERM", "SIGHUP"
        return self.signals.reason

    def on_unmount(self) -> None:
        if self.attached:
            self.recorder.finish(self.exit_reason)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(
            action, attached=self.attached, demo=self.can_apply_fix, read_only=self.settings.read_only,
            typing=isinstance(self.focused, Input | TextArea),
        )  # fmt: skip

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's Quit, Keys and Screenshot do what our q, ? and s do: list ours only.
        yield from without_duplicates(super().get_system_commands(screen))

    # -- messages and events --------------------------------------------------------------
    def on_feed_update(self, message: FeedUpdate) -> None:
        self.feed_workers.apply(message)

    def on_logs_batch(self, message: LogsBatch) -> None:
        self.feed_workers.apply(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(event, self.notify, self.feed_workers if self.attached else None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.drill.key()  # the drill counts keystrokes to the root cause
        await super().on_event(event)

    # -- what screens and tests call ------------------------------------------------------
    def view(self) -> View:
        return View(self.clock.now(), ASCII if self.settings.ascii else UNICODE, self.settings.presenter)

    def tick(self) -> None:
        self.feed_workers.poll_statuses()
        self.engine.run()
        self.screens.redraw()
        self.recorder.tick()

    def toggle_pause(self) -> None:
        self.state.toggle_pause(self.clock.now())
        self.screens.redraw()

    def add_probe(self, result: Probe) -> None:
        """A probe a screen ran: into the store, and the checklist re-judged at once."""
        self.state.add_probe(result)
        self.engine.run(force=True)
        self.screens.redraw()

    def open_trace(self, request_id: str) -> None:
        self.screens.trace(self.state, request_id)

    async def diagnosis_settled(self) -> EngineResult | None:
        return await self.engine.settled()

    async def wait_for_pollers(self) -> None:
        await self.feed_workers.wait()

    # -- actions (the keys in ui/bindings.py) ---------------------------------------------
    def action_help(self) -> None:
        self.screens.help()

    def action_home(self) -> None:
        self.screens.home()

    def action_chart(self) -> None:
        self.screens.chart()

    def action_checks(self) -> None:
        self.screens.info("checks")

    def action_walkthrough(self) -> None:
        self.screens.info("walkthrough")

    def action_verify(self) -> None:
        self.screens.info("verify")

    def action_timeline(self) -> None:
        self.screens.info("timeline")

    def action_refresh_now(self) -> None:
        self.feed_workers.poll_now()
        self.engine.run(force=True)
        self.tick()

    def action_mark_fix(self) -> None:
        self.incident.mark_fix()

    def action_note(self) -> None:
        self.incident.note()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.incident.screenshot(filename, path)

    def action_apply_fix(self) -> None:
        self.incident.apply_fix()

    def action_report(self) -> None:
        self.recorder.report()


def build_app(
    settings: Settings, feed: Feed | None, clock: Clock | None, **options: Unpack[AppOptions]
) -> CockpitApp:
    """`feed` and `clock` now, or both None and `opener=` (see ui/startup.py) to open them after
    the first frame."""
    return CockpitApp(settings, feed, clock, **options)
