"""Sparklines: 5XXError/min and IntegrationLatency p99 (against the integration timeout).

One row when space is short (label, line, current value, peak). Given more rows (the screen's
layout decides), a header line with the current value, a chart several rows tall with its scale
on the left (0 and the top of the scale), and a time axis with the onset marked. Only minutes
that have settled are drawn (ended, and every request started in them finished): a partial
minute would read as a sudden drop, i.e. as a recovery that did not happen.
"""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.model import MetricSeries, Verdict
from apigw_cockpit.ui.view import Pane, hm, sparkline

ZOOM_MIN = 20  # minutes shown at least when zoomed around an onset
AXIS = 5  # columns of the scale labels left of a tall chart ("29s┤", "152┤")


def compact(value: float) -> str:
    """Axis numbers people read at a glance: 152, 1.2k, 29k (never 2.9e4)."""
    if abs(value) < 1000:
        return f"{value:.0f}"
    if abs(value) < 10_000:
        return f"{value / 1000:.1f}k"
    if abs(value) < 1_000_000:
        return f"{value / 1000:.0f}k"
    return f"{value / 1_000_000:.1f}M"


def columns(values: list[float], width: int, rows: int, chars: str, ceiling: float = 0.0) -> list[str]:
    """A chart `rows` tall as text lines, top first: each column filled to its value's height.

    The scale runs from 0 (or the lowest value if negative) to max(values, ceiling); a value
    above 0 always shows at least the lowest glyph, so a small count is not drawn as nothing.
    """
    if width <= 0 or rows <= 0 or not values:
        return [""] * max(rows, 0)
    values = values[-width:]
    levels = len(chars)
    top = max(max(values), ceiling)
    low = min(0.0, min(values))
    span = (top - low) or 1.0
    heights = [round((v - low) / span * rows * levels) if top > 0 else 0 for v in values]
    lines = []
    for r in range(rows - 1, -1, -1):  # top row first
        line = []
        for h in heights:
            filled = h - r * levels
            if r == 0 and filled <= 0:
                line.append(chars[0])  # the baseline: a flat zero is still a visible line
            elif filled <= 0:
                line.append(" ")
            else:
                line.append(chars[min(filled, levels) - 1])
        lines.append("".join(line))
    return lines


class Spark(Pane):
    """`kind` is "5xx" or "latency"; the onset bucket and everything after it is drawn in $error."""

    AREAS = ("metrics", "onset", "findings")
    LAYOUT = False

    def __init__(self, kind: str, *, id: str) -> None:
        super().__init__(id=id, classes="spark")
        self.kind = kind

    def on_resize(self) -> None:
        self.refresh()

    def _series(self) -> tuple[str, list[tuple[float, float]], str, str, float]:
        """(label, complete points, current value, reference, scale ceiling)."""
        s = self.state
        assert s is not None
        wide = self.size.width > 50
        if self.kind == "5xx":
            points = self._complete(s.series("5XXError"))
            value = f"{points[-1][1]:.0f}/min" if points else self.view.glyphs.dash
            return ("5XXError" if wide else "5XX"), points, value, "", 0.0
        points = self._complete(s.series("IntegrationLatency", "p99"))
        timeout_ms = s.integration_timeout_ms()
        value = f"{points[-1][1] / 1000:.1f}s" if points else self.view.glyphs.dash
        ref = f" (timeout {timeout_ms / 1000:g}s)" if wide else f"/{timeout_ms / 1000:g}s"
        return ("IntLatency p99" if wide else "p99"), points, value, ref, float(timeout_ms)

    def _complete(self, series: MetricSeries | None) -> list[tuple[float, float]]:
        """Points whose minute has settled: it ended, and so did every request that started in it
        (they may run up to the integration timeout). Until then the minute is partial and would
        read as a sudden drop, i.e. as a recovery that did not happen; it is left out."""
        if series is None or self.state is None:
            return []
        period = series.key.period or 60
        settle = self.state.integration_timeout_ms() / 1000
        done = [p for p in series.points if p[0] + period + settle <= self.view.now]
        return done or list(series.points)

    def _window(self, points: list[tuple[float, float]], width: int) -> tuple[list[tuple[float, float]], int]:
        """The points to draw and the columns per point: around an onset, zoomed so the minutes
        before it (flat) and after it (the step) both get room; the chart screen (g) has it all."""
        onset = self.state.onset if self.state is not None else None
        if width <= 0 or not points:
            return [], 1
        wanted = width
        if onset is not None:
            after = sum(1 for ts, _ in points if ts >= onset)
            wanted = max(ZOOM_MIN, 4 * after)
        k = max(1, min(4, width // min(wanted, len(points), width)))
        return points[-(width // k) :], k  # as many minutes as fill the width at k columns each

    def _scale(self, value: float) -> str:
        if self.kind == "latency":
            seconds = value / 1000
            return f"{seconds:.0f}s" if seconds == round(seconds) or seconds >= 100 else f"{seconds:.1f}s"
        return compact(value)

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        label, points, value, ref, ceiling = self._series()
        onset = self.state.onset
        since = f" since {hm(onset)}" if onset and self.kind == "5xx" else ""
        hot = self._is_hot(points)
        peak = max((p[1] for p in points), default=0.0)
        top = max(peak, ceiling)
        rows = self.size.height or 1
        glyphs = self.view.glyphs.spark
        if rows < 2:
            scale = f" max {self._scale(top)}" if self.kind == "5xx" and points else ""
            tail = f" {value}{ref}{since}"
            width = self.size.width - len(label) - len(tail) - len(scale) - 2
            if width < 16 and since:  # a small terminal: the verdict bar says when it started
                tail, width = f" {value}{ref}", width + len(since)
            if width < 16 and scale:
                width, scale = width + len(scale), ""
            shown, k = self._window(points, max(0, width))
            line = "".join(c * k for c in sparkline([p[1] for p in shown], len(shown), glyphs, ceiling))
            return Content.assemble(
                (label, "bold"),
                " ",
                *self._colour(line, shown, hot, k),
                (tail, "$error bold" if hot else ""),
                (scale, "$text-muted"),
            )
        head = Content.assemble(
            (label, "bold"),
            (" now ", "$text-muted"),
            (f"{value}{ref}", "$error bold" if hot else "bold"),
            (since, "$error" if hot else "$text-muted"),
            (f"  peak {self._scale(peak)}" if points else "", "$text-muted"),
        )
        axis_row = rows >= 4
        chart_rows = rows - 1 - (1 if axis_row else 0)
        shown, k = self._window(points, max(0, self.size.width - AXIS))
        chart = columns([p[1] for p in shown], len(shown), chart_rows, glyphs, ceiling)
        out = [head]
        for i, line in enumerate(chart):
            tick = "0" if i == chart_rows - 1 else (self._scale(top) if i == 0 and top > 0 else "")
            edge = "┤" if tick and self.view.glyphs.arrow != "->" else ("|" if tick else " ")
            wide = "".join(c * k for c in line)
            out.append(
                Content.assemble(
                    (f"{tick:>{AXIS - 1}}{edge}", "$text-muted"), *self._colour(wide, shown, hot, k)
                )
            )
        if axis_row:
            out.append(self._time_axis(shown, onset, k))
        return Content("\n").join(out)

    def _colour(
        self, line: str, shown: list[tuple[float, float]], hot: bool, k: int = 1
    ) -> list[tuple[str, str]]:
        """Before the onset in $success (muted while hot), from the onset on in $error."""
        onset = self.state.onset if self.state is not None else None
        cut = len(line)
        if onset is not None and line:
            cut = k * next((i for i, (ts, _) in enumerate(shown) if ts >= onset), len(shown))
        return [(line[:cut], "$success" if not hot else "$text-muted"), (line[cut:], "$error")]

    def _time_axis(self, shown: list[tuple[float, float]], onset: float | None, k: int) -> Content:
        """`23:55 ……… ▲00:12 …… 00:14` under the chart: when it started is visible, not guessed."""
        if not shown:
            return Content("")
        width = len(shown) * k
        cells = [" "] * width
        first, last = hm(shown[0][0]), hm(shown[-1][0])
        cells[: len(first)] = first
        at = next((i * k for i, (ts, _) in enumerate(shown) if onset is not None and ts >= onset), None)
        end = len(first)  # the first free column
        if at is not None and onset is not None and at > 0:
            caret = "^" if self.view.glyphs.arrow == "->" else "▲"
            right, left = f"{caret}{hm(onset)}", f"{hm(onset)}{caret}"  # the caret sits on the onset
            if at + len(right) <= width:
                cells[at : at + len(right)] = right
                end = at + len(right)
            elif at - len(left) + 1 > len(first):
                cells[at - len(left) + 1 : at + 1] = left
                end = at + 1
        if end + 1 + len(last) <= width:
            cells[width - len(last) :] = last
        return Content.assemble((" " * AXIS, ""), ("".join(cells), "$text-muted"))

    def _is_hot(self, points: list[tuple[float, float]]) -> bool:
        if not points or self.state is None:
            return False
        if self.kind == "5xx":
            return points[-1][1] > 0
        # "Pinned at the timeout" is the latency-shape check's verdict, not a threshold of ours.
        result = self.state.result
        shape = result.finding("latency-shape") if result else None
        return shape is not None and shape.verdict == Verdict.ERROR
