"""Presentation helpers shared by panes: glyph sets (unicode/ascii), time formats, view context."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget

if TYPE_CHECKING:
    from apigw_cockpit.ui.app import CockpitApp
    from apigw_cockpit.ui.state import CockpitState  # the start-up screen needs no store (issue 17)

SPARK_UNICODE = "▁▂▃▄▅▆▇█"
SPARK_ASCII = "_.-~=+*#"


@dataclass(frozen=True)
class Glyphs:
    """Every non-ASCII mark the cockpit draws, and its --ascii stand-in (the ASCII table)."""

    spark: str
    ok: str
    warn: str
    bad: str
    unknown: str
    arrow: str
    mark: str
    live: str
    sep: str
    dash: str  # between a name and its description; "no value"
    ellipsis: str  # waiting for / still loading
    times: str  # a merged row's count: x37
    bullet: str  # an evidence line under a step
    lambda_: str  # Lambda, in the status bar's source names
    newline: str  # a line break inside one-line text (an event's or a note's)


UNICODE = Glyphs(
    SPARK_UNICODE, "✓", "!", "✗", "?", "→", "◆", "●", "·",
    dash="—", ellipsis="…", times="×", bullet="·", lambda_="λ", newline="⏎",
)  # fmt: skip
ASCII = Glyphs(
    SPARK_ASCII, "+", "!", "X", "?", "->", "*", "*", "|",
    dash="-", ellipsis="...", times="x", bullet="-", lambda_="fn", newline=" ",
)  # fmt: skip

# --ascii, the last line of defence: a character no pane chose (Textual's own widgets, help
# text, a log line from the backend) is drawn as this, in the same number of cells, so the
# layout does not move. Box drawing and blocks by shape; anything else unknown becomes "?".
ASCII_FALLBACK: dict[str, str] = {
    **dict.fromkeys("─━┄┅┈┉╌╍═╴╶╸╺▔▁", "-"),
    **dict.fromkeys("│┃┆┇┊┋╎╏║╵╷╹╻▏▎▍▌▋▊▉▐", "|"),
    **dict.fromkeys("┌┍┎┏┐┑┒┓└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼╋╭╮╯╰╔╗╚╝╠╣╦╩╬", "+"),
    **dict.fromkeys("▂▃▄▅▆▇", " "),  # a scrollbar thumb's partial cell: its colour does the work
    **dict.fromkeys("█▀▖▗▘▙▚▛▜▝▞▟", "#"),
    "→": ">", "←": "<", "↑": "^", "↓": "v", "↳": ">", "⏎": " ",
    "✓": "+", "✔": "+", "✗": "X", "✘": "X", "×": "x", "◆": "*", "●": "*", "•": "*", "·": "-",
    "—": "-", "–": "-", "…": ".", "λ": "L", "“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ",
}  # fmt: skip


def ascii_only(text: str) -> str:
    """`text` with every character outside printable ASCII replaced, cell for cell."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if " " <= ch <= "~" or ch == "\n":
            out.append(ch)
            continue
        width = cell_len(ch)
        if width == 0:  # combining marks, zero-width joiners: nothing to draw
            continue
        out.append((ASCII_FALLBACK.get(ch, "?") * width)[:width])
    return "".join(out)


def cockpit_of(node: DOMNode) -> CockpitApp:
    """`node.app`, typed as the cockpit: our screens only ever run inside one. A cast, not a
    check (this module cannot import the app at run time; the app imports the screens)."""
    return cast("CockpitApp", node.app)


def glyphs_of(app: object) -> Glyphs:
    """The glyph table for an app's settings (screens without a View use this)."""
    return ASCII if getattr(getattr(app, "settings", None), "ascii", False) else UNICODE


@dataclass(frozen=True)
class View:
    """What every pane needs besides state: the time and how to draw."""

    now: float
    glyphs: Glyphs = UNICODE
    presenter: bool = False


def hms(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(ts))


def hm(ts: float) -> str:
    return time.strftime("%H:%M", time.gmtime(ts))


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        m, s = divmod(seconds, 60)
        return f"{m}m{s:02d}s" if m < 10 and s else f"{m}m"
    return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"


def relative(ts: float, ref: float) -> str:
    """`ts` relative to `ref`: "-2m before" / "+30s after"."""
    delta = ts - ref
    return f"{ago(abs(delta))} {'before' if delta <= 0 else 'after'}"


def sparkline(values: list[float], width: int, chars: str, ceiling: float = 0.0) -> str:
    """`ceiling` fixes the top of the scale (e.g. the integration timeout) so a flat line
    of low latency stays low instead of being stretched to full height."""
    if width <= 0 or not values:
        return ""
    values = values[-width:]
    top = max(max(values), ceiling)
    low = min(0.0, min(values))
    span = (top - low) or 1.0
    last = len(chars) - 1
    return "".join(chars[round((v - low) / span * last)] if top > 0 else chars[0] for v in values)


class Pane(Widget):
    """A widget that renders part of the state; redraws only when its areas' versions move."""

    AREAS: tuple[str, ...] = ()
    ALWAYS = False  # panes that show the clock redraw on every sync

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state: CockpitState | None = None
        self.view: View = View(0.0)
        self._seen: tuple[int, ...] = ()

    def sync(self, state: CockpitState, view: View) -> bool:
        seen = tuple(state.version(a) for a in self.AREAS)
        changed = seen != self._seen or self.state is not state or view.glyphs is not self.view.glyphs
        self.state, self.view = state, view
        if changed or self.ALWAYS:
            self._seen = seen
            self.on_state()
            return True
        return False

    LAYOUT = True  # False for fixed-height panes: a redraw then skips the layout pass
    _lines = -1
    _drawn: tuple[object, ...] | None = None

    def on_state(self) -> None:
        # An area moving does not mean the drawing did: the engine re-runs on every batch of
        # log lines and most answers are the same, and a repaint costs compositor time and
        # terminal bytes (issue 17). So compare what would be drawn with what was.
        drawn = self.render()
        key = (self.size, drawing_key(drawn))
        if key == self._drawn:
            return
        self._drawn = key
        # A layout pass repaints every widget it moves; only pay for it when our height changes.
        layout = False
        if self.LAYOUT:
            lines = str(drawn).count("\n")
            layout, self._lines = lines != self._lines, lines
        self.refresh(layout=layout)


def drawing_key(drawn: object) -> tuple[object, ...]:
    """What makes two renders draw the same cells: the text and its styles. (Content's own
    `==` compares the text only, so a change of colour alone would not count.)"""
    if isinstance(drawn, Content):
        return (drawn.plain, tuple(drawn.spans))
    return (type(drawn), str(drawn))


def same_drawing(a: object, b: object) -> bool:
    return a is not None and b is not None and drawing_key(a) == drawing_key(b)
