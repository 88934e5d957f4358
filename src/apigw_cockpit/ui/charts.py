"""plotext charts built on a private figure per call (never plotext's global figure).

Returns ANSI text; the widget turns it into a renderable. X is minutes relative to
now, so the ticks read "-15 … 0" instead of epoch seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from plotext._kernel.terminal import terminal as _plotext_terminal  # type: ignore[import-untyped]
from plotext._primitives.marker import marker as _plotext_marker  # type: ignore[import-untyped]
from plotext._primitives.pixel import pixel as _plotext_pixel  # type: ignore[import-untyped]

_ASCII_FRAME = str.maketrans("─│┌┐└┘├┤┬┴┼", "-|+++++++++")
# plotext paints its marker lines on a white cell (its default line pixel is orange on white):
# on a dark pane that is an unreadable bright block. The chart sits on the pane's background.
_BACKGROUND_SGR = re.compile(r"\x1b\[48;[0-9;]*m")
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[tuple[float, float]]
    rgb: RGB


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
        pts = [((ts - now) / 60.0, v) for ts, v in line.points if ts >= start]
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        symbol = "*" if ascii else None
        # No .label(): plotext's legend box covers the data; the title names the series.
        sig = fig.signal(xs, ys, marker=_plotext_marker(symbol, pixel=line.rgb)).lines(True)
        fig.draw(sig)
        drawn = True
        top = max(top, *ys)
    if drawn:
        ticks = nice_ticks(top)  # plotext's own labels read "2.9e4"
        fig.ruler(1).ticks(ticks, [compact(t) for t in ticks]).lim(0, ticks[-1])
        for ts in markers:
            if start <= ts <= now:
                fig.line((ts - now) / 60.0, orientation=1, pixel=_plotext_pixel(marker_rgb))
    fig.title(title if drawn else f"{title} (no data)")
    out: str = _BACKGROUND_SGR.sub("", fig.build().string(colorless=False))
    return out.translate(_ASCII_FRAME) if ascii else out
