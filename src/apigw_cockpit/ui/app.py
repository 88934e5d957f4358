"""The cockpit app, a composition root (built by `build_app`): it owns the settings, the feed,
the clock and the store, and builds one collaborator per job with what that job needs. Keys
and messages arrive here (Textual looks `action_*`/`on_*` up on the app) and are handed on."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from textual import events, on
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Input, TextArea
from textual.worker import Worker

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.ui.bindings import allowed, bindings
from apigw_cockpit.ui.commands import CockpitCommands, without_duplicates
from apigw_cockpit.ui.drill import DrillSpec, DrillTracker
from apigw_cockpit.ui.feed import Feed, fix_of
from apigw_cockpit.ui.incident_actions import IncidentActions, UiHooks
from apigw_cockpit.ui.messages import FeedUpdate, LogsBatch
from apigw_cockpit.ui.pump import FeedWorkers, report_failure
from apigw_cockpit.ui.signals import SignalExit
from apigw_cockpit.ui.startup import FeedOpener, Opened, Startup, StartupScreen
from apigw_cockpit.ui.themewatch import ThemeWatcher
from apigw_cockpit.ui.view import ASCII, UNICODE, View

# The start-up screen is drawn before the cockpit's own modules (diagnose/, the panes, the
# store, the journal: ~0.5 s of imports) are loaded: `_bind` imports them, behind the first
# frame (issue 17). Only what the app class and the start-up screen need is imported here.
if TYPE_CHECKING:
    from apigw_cockpit.diagnose.observations import Probe
    from apigw_cockpit.incident.sink import JournalSink
    from apigw_cockpit.model import Clock

__all__ = ["AppOptions", "CockpitApp", "DrillSpec", "build_app"]


class AppOptions(TypedDict, total=False):
    opener: FeedOpener  # with feed and clock None: opens them after the first frame (ui/startup.py)
    starting: str  # the start-up screen's first line, before the opener can say more
    theme_dirs: list[Path]  # default: paths.theme_dirs()
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
        self.settings = settings
        self.attached = False  # the feed is open and the cockpit screen up
        self.can_apply_fix = False
        self.drill, self._drill_spec = DrillTracker(None), options.get("drill")
        self.journal: JournalSink | None = None
        self.hooks = UiHooks()  # the recorder attaches the journal's; tests their own
        self.screenshot_dir = paths.state_dir() / "screenshots"
        self.themes = ThemeWatcher(self, options.get("theme_dirs", paths.theme_dirs()))  # [] is none
        opener, starting = options.get("opener"), options.get("starting", "starting…")
        self.startup = Startup(self, opener, starting, attach=self._start_cockpit) if opener else None
        self.signals = SignalExit(self, starting=lambda: self.startup is not None and not self.attached)
        if feed is not None and clock is not None:
            self._bind(Opened(feed, clock, options.get("journal")))
        elif self.startup is None:
            raise TypeError("build_app needs a feed and a clock, or an opener")

    def _bind(self, opened: Opened) -> None:
        """The feed is open: the store, and every collaborator that works on it."""
        from apigw_cockpit.ui.engine import EngineWorker
        from apigw_cockpit.ui.journaling import JournalRecorder
        from apigw_cockpit.ui.navigation import Screens
        from apigw_cockpit.ui.state import CockpitState

        feed, clock = self.feed, self.clock = opened.feed, opened.clock
        self.journal = opened.journal
        self.state = state = CockpitState(feed.topology, log_capacity=self.settings.log_buffer)
        fix = None if self.settings.read_only else fix_of(feed)
        self.can_apply_fix = fix is not None
        # The drill's clock starts when the data can be seen, not while the world starts.
        self.drill = DrillTracker(self._drill_spec if fix is not None else None)
        self.feed_workers = FeedWorkers(self, feed, state, clock, tick=self.tick)
        # The recorder owns the journal from here: it starts it on attach and closes it at unmount.
        self.recorder = recorder = JournalRecorder(
            self.journal, state, clock, self.hooks, self.drill, notify=self.notify,
            export=self.export_screenshot, screen_kind=lambda: getattr(self.screen, "kind", None),
        )  # fmt: skip
        self.incident = IncidentActions(
            self, state, clock, self.hooks, recorder,
            screenshot_dir=self.screenshot_dir, apply_fix=fix, tick=self.tick,
        )  # fmt: skip
        self.engine = engine = EngineWorker(self, state, clock, on_result=lambda: self.screens.redraw())
        self.screens = Screens(
            self, self.settings, record=self.incident.record,
            diagnose=partial(engine.run, force=True), journal_tick=recorder.tick,
        )  # fmt: skip

    def on_mount(self) -> None:
        self.themes.load(self.settings)
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        # Signals first: once the journal's session-start is on disk a SIGHUP must end it cleanly.
        self.signals.install()
        self.start_theme_watcher()
        if self.startup is not None:
            self.startup.begin()  # the start-up screen now; the cockpit once the feed is open
        else:
            self._start_cockpit()

    def start_theme_watcher(self) -> None:  # its own method: tests and benches turn it off
        self.themes.start()

    def _start_cockpit(self, opened: Opened | None = None) -> None:
        """The cockpit screen, the journal, the pollers, the tick (`opened`: the opener's feed)."""
        from apigw_cockpit.ui.screens.cockpit import CockpitScreen

        if opened is not None:
            self._bind(opened)
        self.attached = True
        (self.switch_screen if isinstance(self.screen, StartupScreen) else self.push_screen)(CockpitScreen())
        self.recorder.start()
        self.feed_workers.start()
        self.set_interval(self.settings.refresh, self.tick)

    def on_unmount(self) -> None:
        if self.attached:
            self.recorder.finish(self.signals.reason)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(
            action, attached=self.attached, demo=self.can_apply_fix, read_only=self.settings.read_only,
            typing=isinstance(self.focused, Input | TextArea),
        )  # fmt: skip

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's Quit, Keys and Screenshot do what our q, ? and s do: list ours only.
        yield from without_duplicates(super().get_system_commands(screen))

    # -- messages and events --------------------------------------------------------------
    @on(FeedUpdate)
    @on(LogsBatch)
    def _feed_message(self, message: FeedUpdate | LogsBatch) -> None:
        self.feed_workers.apply(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(event, self.notify, self.feed_workers if self.attached else None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.drill.key()  # the drill counts keystrokes to the root cause
        await super().on_event(event)

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

    def action_refresh_now(self) -> None:
        self.feed_workers.poll_now()
        self.engine.run(force=True)
        self.tick()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.incident.screenshot(filename, path)

    # The keys of ui/bindings.py: Textual looks actions up on the app, each hands its key on.
    # fmt: off
    def open_trace(self, request_id: str) -> None: self.screens.trace(self.state, request_id)
    def action_help(self) -> None: self.screens.help()
    def action_home(self) -> None: self.screens.home()
    def action_chart(self) -> None: self.screens.chart()
    def action_checks(self) -> None: self.screens.info("checks")
    def action_walkthrough(self) -> None: self.screens.info("walkthrough")
    def action_verify(self) -> None: self.screens.info("verify")
    def action_timeline(self) -> None: self.screens.info("timeline")
    def action_mark_fix(self) -> None: self.incident.mark_fix()
    def action_note(self) -> None: self.incident.note()
    def action_apply_fix(self) -> None: self.incident.apply_fix()
    def action_report(self) -> None: self.recorder.report()
    # fmt: on


build_app = CockpitApp  # `feed` and `clock` now, or both None and `opener=` to open them later
