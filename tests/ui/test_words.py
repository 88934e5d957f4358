"""Words that read right: chart axes in 29k / 1.2M (never 2.9e4); line breaks in event text shown
as ⏎ or as lines (never U+FFFD)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest

from apigw_cockpit.ui.charts import Line, build_chart, compact, nice_ticks
from apigw_cockpit.ui.screens.timeline import DetailScreen

from .conftest import settle
from .fakes import midnight_pager
from .screen_tour import frame_text

SCIENTIFIC = re.compile(r"\d\.?\d*e[+-]?\d")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize(
    ("value", "label"),
    [(0, "0"), (0.5, "0.5"), (2.5, "2.5"), (12.5, "12.5"), (150, "150"), (950, "950"), (1000, "1k"),
     (1500, "1.5k"), (29000, "29k"), (29400, "29k"), (1.2e6, "1.2M"), (12e6, "12M")],
)  # fmt: skip
def test_compact_axis_labels(value: float, label: str) -> None:
    assert compact(value) == label


@pytest.mark.parametrize("top", [0.3, 4, 152, 950, 29000, 1.2e6])
def test_nice_ticks_cover_the_data_from_zero(top: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top and 3 <= len(ticks) - 1 <= 5
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


@pytest.mark.parametrize("peak", [152.0, 29000.0, 1.2e6])
def test_chart_y_axis_is_never_scientific(peak: float) -> None:
    points = [(i * 60.0, peak * i / 10) for i in range(11)]
    # now = 660: the minute at 600 has ended (a current, partial minute is not on the line).
    out = ANSI.sub("", build_chart("x", [Line("x", points, (255, 0, 0))], [300.0], now=660.0,
                                   window_s=900.0, width=60, height=12))  # fmt: skip
    axis = [ln.split("┤")[0].strip() for ln in out.splitlines() if "┤" in ln]
    assert axis and not any(SCIENTIFIC.search(a) for a in axis), axis
    assert compact(nice_ticks(peak)[-1]) in axis  # the top of the scale is labelled


@pytest.mark.parametrize("ascii", [False, True])
async def test_detail_dialog_shows_line_breaks_not_replacement_characters(
    make_app: Callable[..., Any], ascii: bool
) -> None:
    app = make_app(midnight_pager(), ascii=ascii)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        title = "note by alex\nsecond line of the note"
        app.push_screen(DetailScreen(title, "time      00:10:00 UTC\nuser      alex\n\nsg-0ab12 revoked"))
        await pilot.pause()
        text = frame_text(app)
        assert "\ufffd" not in text
        (user,) = [ln for ln in text.splitlines() if "user      alex" in ln]
        assert "00:10:00" not in user and "revoked" not in user  # each detail line on its own row
        joined = "note by alex second line" if ascii else "note by alex ⏎ second line"
        assert joined in text
