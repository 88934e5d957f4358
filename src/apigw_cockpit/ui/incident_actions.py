"""Incident actions (mark fix, note, screenshot, demo fix) and the hooks the journal attaches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual._files import generate_datetime_filename

from apigw_cockpit import safe_write
from apigw_cockpit.ui.screens.note import NoteScreen
from apigw_cockpit.ui.view import hms

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.journaling import JournalRecorder
    from apigw_cockpit.ui.state import CockpitState


@dataclass
class UiHooks:
    """Callbacks other layers attach (the incident journal): each gets the clock time."""

    on_note: list[Callable[[float, str], None]] = field(default_factory=list)
    on_fix: list[Callable[[float], None]] = field(default_factory=list)
    on_action: list[Callable[[float, str], None]] = field(default_factory=list)


class IncidentActions:
    """What the on-call does to the incident from the keyboard; each one lands in `state`,
    the hooks and the journal. `apply_fix` is the demo world's fix, None where there is none."""

    def __init__(
        self,
        app: App[int],
        state: CockpitState,
        clock: Clock,
        hooks: UiHooks,
        journal: JournalRecorder,
        *,
        screenshot_dir: Path,
        apply_fix: Callable[[], object] | None,
        tick: Callable[[], None],
    ) -> None:
        self._app, self._state, self._clock, self._hooks, self._journal = app, state, clock, hooks, journal
        self._screenshot_dir, self._apply_fix, self._tick = screenshot_dir, apply_fix, tick

    def record(self, action: str) -> None:
        for hook in self._hooks.on_action:
            hook(self._clock.now(), action)

    def mark_fix(self) -> None:
        now = self._clock.now()
        self._state.mark_fix(now)
        for hook in self._hooks.on_fix:
            hook(now)
        self._app.notify(f"fix time marked at {hms(now)} UTC", title="fix")
        self._tick()

    def note(self) -> None:
        self._app.push_screen(NoteScreen(), self.on_note)

    def on_note(self, text: str | None) -> None:
        if not text:
            return
        note = self._state.add_note(self._clock.now(), text)
        for hook in self._hooks.on_note:
            hook(note.at, note.text)
        self._app.notify("note saved", timeout=2)

    def screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        target = Path(path) if path else self._screenshot_dir
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = filename or generate_datetime_filename(self._app.title, ".svg")
        try:  # regular files only, 0600, atomic (safe_write): the screen holds incident data
            saved = str(safe_write.write_text(target / name, self._app.export_screenshot()))
        except OSError as exc:
            self._app.notify(f"screenshot not saved: {exc}", title="screenshot", severity="error")
            return
        self.record(f"screenshot {saved}")
        self._journal.user_note(saved, "screenshot (s)")
        self._app.notify(f"saved {saved}", title="screenshot")

    def apply_fix(self) -> None:
        """Demo drill: the scenario's fix into the simulated world, marked as the fix time and journaled."""
        if self._apply_fix is None:
            return
        self._apply_fix()
        self.record("apply_fix")
        now = self._clock.now()
        self._state.mark_fix(now)
        self._journal.drill_fixed(now)
        self._app.notify(
            f"scenario fix applied (demo drill); fix time marked at {hms(now)} UTC", title="drill"
        )
        self._tick()
