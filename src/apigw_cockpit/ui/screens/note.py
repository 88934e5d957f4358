"""A one-line input modal for incident notes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input


class NoteScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="drop the note (enter saves it)", id="cancel_note")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="pane") as box:
            box.border_title = "note (enter to save, esc to cancel)"
            yield Input(placeholder="what did you just see or do?", id="note-input")

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
