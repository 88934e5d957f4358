"""The cockpit's incident record: journal wiring, drill tracking, the report key.

Mixed into CockpitApp. Without a journal (tests, `serve` viewers) every method is a no-op
apart from the drill's keystroke count; with one, writes go to the sink's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events

from apigw_cockpit.incident.sink import JournalSink
from apigw_cockpit.ui.drill import DrillTracker
from apigw_cockpit.ui.journal_watch import JournalWatch
from apigw_cockpit.ui.view import hms

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.incident_actions import UiHooks
    from apigw_cockpit.ui.state import CockpitState

    _Base = App[int]
else:
    _Base = object

TOAST_S = 12


class JournalActions(_Base):
    clock: Clock
    state: CockpitState
    hooks: UiHooks
    journal: JournalSink | None
    journal_watch: JournalWatch | None
    drill: DrillTracker
    exit_reason: str
    _ui_loop: asyncio.AbstractEventLoop | None
    _shots_due: set[str]

    # -- start / stop ----------------------------------------------------------------
    def start_journal(self) -> None:
        sink = self.journal
        if sink is None:
            return
        self._ui_loop = asyncio.get_running_loop()
        sink.on_error = lambda message: self._from_writer(
            lambda: self.notify(message, title="journal", severity="warning", timeout=TOAST_S)
        )
        sink.on_done = self._from_writer
        self.journal_watch = JournalWatch(sink)
        self.hooks.on_note.append(lambda at, text: sink.submit(lambda j: j.note(text, at)))
        self.hooks.on_fix.append(lambda at: sink.submit(lambda j: j.mark_fix("fix time marked (F)", at)))
        sink.start()
        # Runs once the writer opened (and primed) the journal; a failed open never gets here.
        sink.submit(lambda j: self._from_writer(lambda: self._resumed(sink)))

    def _resumed(self, sink: JournalSink) -> None:
        # The resumed journal's onset stays the incident's onset (written once per incident).
        if self.journal_watch is not None:
            self.journal_watch.resume(sink.entries_at_open)

    def _from_writer(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the UI loop without waiting (the writer thread must never block on the UI)."""
        loop = self._ui_loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(fn)

    def finish_journal(self) -> None:
        """The drill's summary if it is still open, then `session-end`; called once at unmount."""
        sink = self.journal
        if sink is None:
            return
        self._ui_loop = None  # nothing may call back into a UI that is going away
        self._write_drill()
        sink.close(self.exit_reason)

    # -- per tick --------------------------------------------------------------------
    def journal_tick(self) -> None:
        self._drill_shown()
        watch = self.journal_watch
        if watch is None:
            return
        now = self.clock.now()
        for milestone in watch.observe(self.state, now):
            if milestone in ("onset", "recovery"):
                self._shots_due.add(milestone)
            # Recovery counts from when the data recovered, not from when 3 clean periods proved it.
            at = watch.recovery if milestone == "recovery" and watch.recovery is not None else now
            if self.drill.milestone(milestone, at):
                self._write_drill(toast=True)
        for what in list(self._shots_due):
            # Onset: wait for the first findings so the picture shows the diagnosis, not empty panes.
            if what == "onset" and not self.state.findings:
                continue
            self._shots_due.discard(what)
            self.journal_screenshot(what)

    def journal_screenshot(self, what: str) -> Path | None:
        sink = self.journal
        if sink is None:
            return None
        now = self.clock.now()
        try:
            svg = self.export_screenshot(title=f"apigw-cockpit {what} {hms(now)} UTC")
        except Exception as exc:  # a screen mid-compose cannot be exported; say so once, go on
            self.notify(f"screenshot at {what} failed: {exc}", severity="warning")
            return None
        name = f"{sink.path.stem}-{what}-{hms(now).replace(':', '')}.svg"
        return sink.write_screenshot(svg, name, f"the cockpit at {what}", now)

    # -- drill -------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.drill.key()
        await super().on_event(event)

    def _drill_shown(self) -> None:
        if self.drill.spec is None or not self.state.hypotheses:
            return
        if getattr(self.screen, "kind", None) != "checks":
            return  # "shown" means on the screen a person reads the suspect from
        if self.drill.shown(self.state.hypotheses[0].root_cause):
            self.notify(
                f"drill: right root cause on screen after {self.drill.found_after:.0f} s, "
                f"{self.drill.found_keys} keys",
                title="drill",
                timeout=TOAST_S,
            )

    def drill_fixed(self, at: float) -> None:
        top = self.state.hypotheses[0].root_cause if self.state.hypotheses else None
        self.drill.fixed(at, top)
        if self.journal is not None:
            self.journal.submit(lambda j: j.mark_fix("applied the scenario's fix (drill)", at, by="drill"))

    def _write_drill(self, toast: bool = False) -> None:
        if not self.drill.pending or self.drill.spec is None:
            return
        self.drill.written = True
        entry, scenario, now = self.drill.entry(), self.drill.spec.scenario, self.clock.now()
        if self.journal is not None:
            self.journal.submit(lambda j: j.note_drill(scenario, now, **entry))
        if toast:
            self.notify(self.drill.summary(), title="drill complete", timeout=TOAST_S * 2)

    # -- the report key ----------------------------------------------------------------
    def action_report(self) -> None:
        sink = self.journal
        if sink is None:
            self.notify("no incident journal in this session (read-only view?)", severity="warning")
            return
        self._write_drill()
        self.notify("writing the postmortem…", timeout=3)
        sink.write_report(self._report_written)

    def _report_written(self, path: Path | None, error: str) -> None:
        if path is None:
            self.notify(f"postmortem not written: {error}", severity="error", timeout=TOAST_S)
        else:
            self.notify(f"postmortem written: {path}", title="report", timeout=TOAST_S)
