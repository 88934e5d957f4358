"""plotext charts built on a private figure per call (never plotext's global figure).

Returns ANSI text; the widget turns it into a renderable. X is minutes relative to
now, so the ticks read "-15 … 0" instead of epoch seconds.
"""

from __future__ import annotations

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
    if drawn:
        for ts in markers:
            if start <= ts <= now:
                fig.line((ts - now) / 60.0, orientation=1, pixel=_plotext_pixel(marker_rgb))
    fig.title(title if drawn else f"{title} (no data)")
    out: str = _BACKGROUND_SGR.sub("", fig.build().string(colorless=False))
    return out.translate(_ASCII_FRAME) if ascii else out
