"""--ascii: nothing but printable ASCII reaches the terminal.

The panes draw from view.ASCII already; this line filter catches what they do not choose:
Textual's own widgets (scrollbars, the palette's search icon, input borders), help text, and
log lines or event text from the backend. Each character is replaced cell for cell
(view.ascii_only), so the layout does not move.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter

from apigw_cockpit.ui.view import ascii_only


class AsciiOnly(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg if seg.control or seg.text.isascii() else Segment(ascii_only(seg.text), seg.style)
            for seg in segments
        ]


def install(app: App[int]) -> bool:
    """Add the filter once, when the app's settings ask for --ascii."""
    if not getattr(getattr(app, "settings", None), "ascii", False):
        return False
    if not any(isinstance(f, AsciiOnly) for f in app._filters):
        app._filters.append(AsciiOnly())
    return True
