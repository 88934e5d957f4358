"""Presentation helpers shared by panes: glyph sets (unicode/ascii), time formats, view context."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.widget import Widget

from apigw_cockpit.ui.state import CockpitState

SPARK_UNICODE = "▁▂▃▄▅▆▇█"
SPARK_ASCII = "_.-~=+*#"


@dataclass(frozen=True)
class Glyphs:
    spark: str
    ok: str
    warn: str
    bad: str
    unknown: str
    arrow: str
    mark: str
    live: str
    sep: str
    times: str = "×"  # "504×8": a count
    dash: str = "—"


UNICODE = Glyphs(SPARK_UNICODE, "✓", "!", "✗", "?", "→", "◆", "●", "·")
ASCII = Glyphs(SPARK_ASCII, "+", "!", "X", "?", "->", "*", "*", "|", times="x", dash="-")


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

    def on_state(self) -> None:
        # A layout pass repaints every widget it moves; only pay for it when our height changes.
        layout = False
        if self.LAYOUT:
            lines = str(self.render()).count("\n")
            layout, self._lines = lines != self._lines, lines
        self.refresh(layout=layout)
