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

    from apigw_cockpit.config import Settings
    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.feed import Feed
    from apigw_cockpit.ui.state import CockpitState

    _Base = App[int]
else:
    _Base = object


@dataclass
class UiHooks:
    """Callbacks other layers attach (the incident journal): each gets the clock time."""

    on_note: list[Callable[[float, str], None]] = field(default_factory=list)
    on_fix: list[Callable[[float], None]] = field(default_factory=list)
    on_action: list[Callable[[float, str], None]] = field(default_factory=list)


class IncidentActions(_Base):
    settings: Settings
    feed: Feed
    clock: Clock
    state: CockpitState
    hooks: UiHooks
    can_apply_fix: bool
    screenshot_dir: Path

    def tick(self) -> None: ...

    if TYPE_CHECKING:
        # JournalActions provides it; a stub body here would shadow it in the app's MRO.
        def drill_fixed(self, at: float) -> None: ...

    def _record(self, action: str) -> None:
        for hook in self.hooks.on_action:
            hook(self.clock.now(), action)

    def action_mark_fix(self) -> None:
        now = self.clock.now()
        self.state.mark_fix(now)
        for hook in self.hooks.on_fix:
            hook(now)
        self.notify(f"fix time marked at {hms(now)} UTC", title="fix")
        self.tick()

    def action_note(self) -> None:
        self.push_screen(NoteScreen(), self.on_note)

    def on_note(self, text: str | None) -> None:
        if not text:
            return
        note = self.state.add_note(self.clock.now(), text)
        for hook in self.hooks.on_note:
            hook(note.at, note.text)
        self.notify("note saved", timeout=2)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        target = Path(path) if path else self.screenshot_dir
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = filename or generate_datetime_filename(self.title, ".svg")
        try:  # regular files only, 0600, atomic (safe_write): the screen holds incident data
            path = str(safe_write.write_text(target / name, self.export_screenshot()))
        except OSError as exc:
            self.notify(f"screenshot not saved: {exc}", title="screenshot", severity="error")
            return
        self._record(f"screenshot {path}")
        journal = getattr(self, "journal", None)
        if journal is not None:
            at = self.clock.now()
            journal.submit(lambda j: j.note_screenshot(path, "screenshot (s)", at))
        self.notify(f"saved {path}", title="screenshot")

    def action_apply_fix(self) -> None:
        """Demo drill: the scenario's fix into the simulated world, marked as the fix time and journaled."""
        if not self.can_apply_fix:
            return
        self.feed.apply_fix()  # type: ignore[attr-defined]
        self._record("apply_fix")
        now = self.clock.now()
        self.state.mark_fix(now)
        self.drill_fixed(now)
        self.notify(f"scenario fix applied (demo drill); fix time marked at {hms(now)} UTC", title="drill")
        self.tick()
