"""The cockpit's incident record: journal wiring, drill tracking, the report key.

Owned by CockpitApp once the feed is attached. Without a journal (tests, `serve` viewers) every
method is a no-op apart from the drill; with one, writes go to the sink's thread and what the
writer says back comes to the UI loop through `call_soon_threadsafe`, never by blocking.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from apigw_cockpit.incident.sink import JournalSink
from apigw_cockpit.ui.drill import DrillTracker
from apigw_cockpit.ui.journal_watch import JournalWatch
from apigw_cockpit.ui.messages import Notify
from apigw_cockpit.ui.view import hms

if TYPE_CHECKING:
    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.incident_actions import UiHooks
    from apigw_cockpit.ui.state import CockpitState

TOAST_S = 12


class Exporter(Protocol):
    """`App.export_screenshot`: the SVG of what is on the screen now."""

    def __call__(self, *, title: str | None = None) -> str: ...


class JournalRecorder:
    """Writes the session's record to `sink` (milestones, screenshots, fix, drill, report)."""

    def __init__(
        self,
        sink: JournalSink | None,
        state: CockpitState,
        clock: Clock,
        hooks: UiHooks,
        drill: DrillTracker,
        *,
        notify: Notify,
        export: Exporter,
        screen_kind: Callable[[], str | None],
    ) -> None:
        self.sink, self._state, self._clock, self._hooks, self._drill = sink, state, clock, hooks, drill
        self._notify, self._export, self._screen_kind = notify, export, screen_kind
        self.watch: JournalWatch | None = None
        self._ui_loop: asyncio.AbstractEventLoop | None = None
        self._shots_due: set[str] = set()

    # -- start / stop ----------------------------------------------------------------
    def start(self) -> None:
        sink = self.sink
        if sink is None:
            return
        self._ui_loop = asyncio.get_running_loop()
        sink.on_error = lambda message: self._from_writer(
            lambda: self._notify(message, title="journal", severity="warning", timeout=TOAST_S)
        )
        sink.on_done = self._from_writer
        self.watch = JournalWatch(sink)
        self._hooks.on_note.append(lambda at, text: sink.submit(lambda j: j.note(text, at)))
        self._hooks.on_fix.append(lambda at: sink.submit(lambda j: j.mark_fix("fix time marked (F)", at)))
        sink.start()
        # Runs once the writer opened (and primed) the journal; a failed open never gets here.
        sink.submit(lambda j: self._from_writer(lambda: self._resumed(sink)))

    def _resumed(self, sink: JournalSink) -> None:
        # The resumed journal's onset stays the incident's onset (written once per incident).
        if self.watch is not None:
            self.watch.resume(sink.entries_at_open)

    def _from_writer(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the UI loop without waiting (the writer thread must never block on the UI)."""
        loop = self._ui_loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(fn)

    def finish(self, reason: str) -> None:
        """The drill's summary if it is still open, then `session-end`; called once at unmount."""
        sink = self.sink
        if sink is None:
            return
        self._ui_loop = None  # nothing may call back into a UI that is going away
        self._write_drill()
        sink.close(reason)

    # -- per tick --------------------------------------------------------------------
    def tick(self) -> None:
        self._drill_shown()
        watch = self.watch
        if watch is None:
            return
        now = self._clock.now()
        for milestone in watch.observe(self._state, now):
            if milestone in ("onset", "recovery"):
                self._shots_due.add(milestone)
            # Recovery counts from when the data recovered, not from when 3 clean periods proved it.
            at = watch.recovery if milestone == "recovery" and watch.recovery is not None else now
            if self._drill.milestone(milestone, at):
                self._write_drill(toast=True)
        for what in list(self._shots_due):
            # Onset: wait for the first findings so the picture shows the diagnosis, not empty panes.
            if what == "onset" and not self._state.findings:
                continue
            self._shots_due.discard(what)
            self.screenshot(what)

    def screenshot(self, what: str) -> Path | None:
        sink = self.sink
        if sink is None:
            return None
        now = self._clock.now()
        try:
            svg = self._export(title=f"apigw-cockpit {what} {hms(now)} UTC")
        except Exception as exc:  # a screen mid-compose cannot be exported; say so once, go on
            self._notify(f"screenshot at {what} failed: {exc}", severity="warning")
            return None
        name = f"{sink.path.stem}-{what}-{hms(now).replace(':', '')}.svg"
        return sink.write_screenshot(svg, name, f"the cockpit at {what}", now)

    def user_note(self, path: str, what: str) -> None:
        """A screenshot the user took (`s`): into the journal as a note pointing at the file."""
        if self.sink is not None:
            at = self._clock.now()
            self.sink.submit(lambda j: j.note_screenshot(path, what, at))

    # -- drill -------------------------------------------------------------------------
    def _drill_shown(self) -> None:
        drill = self._drill
        if drill.spec is None or not self._state.hypotheses:
            return
        if self._screen_kind() != "checks":
            return  # "shown" means on the screen a person reads the suspect from
        if drill.shown(self._state.hypotheses[0].root_cause):
            self._notify(
                f"drill: right root cause on screen after {drill.found_after:.0f} s, {drill.found_keys} keys",
                title="drill",
                timeout=TOAST_S,
            )

    def drill_fixed(self, at: float) -> None:
        top = self._state.hypotheses[0].root_cause if self._state.hypotheses else None
        self._drill.fixed(at, top)
        if self.sink is not None:
            self.sink.submit(lambda j: j.mark_fix("applied the scenario's fix (drill)", at, by="drill"))

    def _write_drill(self, toast: bool = False) -> None:
        drill = self._drill
        if not drill.pending or drill.spec is None:
            return
        drill.written = True
        entry, scenario, now = drill.entry(), drill.spec.scenario, self._clock.now()
        if self.sink is not None:
            self.sink.submit(lambda j: j.note_drill(scenario, now, **entry))
        if toast:
            self._notify(drill.summary(), title="drill complete", timeout=TOAST_S * 2)

    # -- the report key ----------------------------------------------------------------
    def report(self) -> None:
        sink = self.sink
        if sink is None:
            self._notify("no incident journal in this session (read-only view?)", severity="warning")
            return
        self._write_drill()
        self._notify("writing the postmortem…", timeout=3)
        sink.write_report(self._report_written)

    def _report_written(self, path: Path | None, error: str) -> None:
        if path is None:
            self._notify(f"postmortem not written: {error}", severity="error", timeout=TOAST_S)
        else:
            self._notify(f"postmortem written: {path}", title="report", timeout=TOAST_S)
