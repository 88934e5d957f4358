"""plotext charts built on a private figure per call (never plotext's global figure).

Returns ANSI text; the widget turns it into a renderable. X is minutes relative to now,
labelled with the wall-clock time (HH:MM, UTC like every time on screen) at round minutes.

The current minute is still filling up: CloudWatch's per-minute sum of a minute 15 s old is a
quarter of the rate, and joined to the line it reads as a sudden drop, i.e. as a recovery that
did not happen. It is left out of the line and drawn as one open mark (○, --ascii "o"): for a
sum scaled to a full minute by the elapsed fraction, for a statistic (p99, an average) as is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from plotext._kernel.terminal import terminal as _plotext_terminal  # type: ignore[import-untyped]
from plotext._primitives.marker import marker as _plotext_marker  # type: ignore[import-untyped]
from plotext._primitives.pixel import pixel as _plotext_pixel  # type: ignore[import-untyped]

from apigw_cockpit.ui.view import hm

_ASCII_FRAME = str.maketrans("─│┌┐└┘├┤┬┴┼", "-|+++++++++")
# plotext paints its marker lines on a white cell (its default line pixel is orange on white):
# on a dark pane that is an unreadable bright block. The chart sits on the pane's background.
_BACKGROUND_SGR = re.compile(r"\x1b\[48;[0-9;]*m")
RGB = tuple[int, int, int]
Point = tuple[float, float]
PARTIAL_MARK = ("○", "o")  # (unicode, --ascii): the current minute, so far
# Before this much of the minute has passed, scaling a handful of requests up is noise: the
# partial minute is not drawn at all.
PARTIAL_MIN_S = 10.0
TIME_STEPS_MIN = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360)
TIME_LABEL_CELLS = 8  # "HH:MM" and room between two of them


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[Point]
    rgb: RGB
    additive: bool = True  # a per-period sum (5XX, Count): a partial period scales up to a full one
    period: float = 60.0


def split_partial(line: Line, now: float) -> tuple[list[Point], Point | None]:
    """(the points of periods that have ended, the current period as drawn or None).

    The current period's point is scaled by the elapsed fraction when the line is a sum, and
    left out while less than PARTIAL_MIN_S of it has passed."""
    done = [(ts, v) for ts, v in line.points if ts + line.period <= now]
    current = [(ts, v) for ts, v in line.points if ts <= now < ts + line.period]
    if not current:
        return done, None
    ts, v = current[-1]
    elapsed = now - ts
    if elapsed < PARTIAL_MIN_S:
        return done, None
    return done, (ts, v * line.period / elapsed if line.additive else v)


def time_ticks(start: float, now: float, width: int) -> list[tuple[float, str]]:
    """(x in minutes from now, "HH:MM") at round minutes: as many as fit the chart's width."""
    room = max(2, (width - 6) // TIME_LABEL_CELLS)
    span_min = max(1.0, (now - start) / 60)
    step = next((s for s in TIME_STEPS_MIN if span_min / s <= room), TIME_STEPS_MIN[-1]) * 60
    first = math.ceil(start / step) * step
    return [((t - now) / 60.0, hm(t)) for t in range(int(first), int(now) + 1, int(step))]


def compact(value: float) -> str:
    """An axis label a person reads at a glance: 0, 0.5, 950, 1.5k, 29k, 1.2M (never 2.9e4)."""
    for scale, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            n = value / scale
            return (f"{n:.1f}".rstrip("0").rstrip(".") if abs(n) < 10 else f"{n:.0f}") + unit
    if value == int(value) or abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 x 10^k) up to at least `top`: about `count` intervals."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def build_chart(
    title: str,
    lines: Sequence[Line],
    markers: Sequence[float],
    *,
    now: float,
    window_s: float,
    width: int,
    height: int,
    ascii: bool = False,
    marker_rgb: RGB = (224, 168, 79),
) -> str:
    """One chart as ANSI text; markers are timestamps drawn as vertical lines."""
    fig = _plotext_terminal()._master  # a fresh figure: no state shared between widgets
    fig.theme("colorless")
    fig.plot_size(max(20, width), max(5, height))
    start = now - window_s
    drawn = False
    top = 0.0
    for line in lines:
        done, partial = split_partial(line, now)
        pts = [((ts - now) / 60.0, v) for ts, v in done if ts >= start]
        symbol = "*" if ascii else None
        if pts:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            # No .label(): plotext's legend box covers the data; the title names the series.
            sig = fig.signal(xs, ys, marker=_plotext_marker(symbol, pixel=line.rgb)).lines(True)
            fig.draw(sig)
            top = max(top, *ys)
        if partial is not None and partial[0] >= start:
            mark = _plotext_marker(PARTIAL_MARK[ascii], pixel=line.rgb)
            fig.draw(fig.signal([(partial[0] - now) / 60.0], [partial[1]], marker=mark))
            top = max(top, partial[1])
        drawn = drawn or bool(pts) or partial is not None
    if drawn:
        ticks = nice_ticks(top)  # plotext's own labels read "2.9e4"
        fig.ruler(1).ticks(ticks, [compact(t) for t in ticks]).lim(0, ticks[-1])
        times = time_ticks(start, now, width)  # plotext's own read "-14.8"
        fig.ruler(0).ticks([x for x, _ in times], [label for _, label in times]).lim(-window_s / 60.0, 0)
        for ts in markers:
            if start <= ts <= now:
                fig.line((ts - now) / 60.0, orientation=1, pixel=_plotext_pixel(marker_rgb))
    fig.title(title if drawn else f"{title} (no data)")
    out: str = _BACKGROUND_SGR.sub("", fig.build().string(colorless=False))
    return out.translate(_ASCII_FRAME) if ascii else out
