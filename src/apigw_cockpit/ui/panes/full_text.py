"""Panes whose lines end in an ellipsis when they do not fit: `enter` shows them whole.

No mid-phrase wraps (cockpit.tcss cuts a long line with "…"), but what was cut must still be
readable: tab to the pane (its border lights up) and press enter. The pane posts `ShowFull`
with its lines uncut, and the screen opens them in a dialog; with nothing cut, it only beeps.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.message import Message

from apigw_cockpit.ui.view import Pane


class ShowFull(Message):
    """A pane's lines, uncut, for the screen to show."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title = title
        self.text = text


class FullTextPane(Pane):
    can_focus = True
    BINDINGS = [
        Binding("enter", "full_text", "Full text", show=False, tooltip="the pane's cut lines in full")
    ]
    TITLE = ""  # the dialog's title when the pane has no border title

    def full_lines(self) -> list[str]:
        """What the pane draws, one line each, before the terminal's width cuts it."""
        return str(self.render()).splitlines()

    def cut_lines(self) -> list[str]:
        width = self.content_size.width
        return [ln for ln in self.full_lines() if width > 0 and cell_len(ln) > width]

    def action_full_text(self) -> None:
        if not self.cut_lines():
            self.app.bell()
            return
        self.post_message(ShowFull(str(self.border_title or self.TITLE), "\n".join(self.full_lines())))
