"""The chart screen's (g) charts as data: a wall-clock time axis, and the current minute, which
is still filling up, drawn apart from the line (ui/charts.py) instead of as a dip to ~0."""

from __future__ import annotations

import re

import pytest

from apigw_cockpit.ui.charts import PARTIAL_MARK, Line, build_chart, split_partial, time_ticks

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MINUTE = 1795652100.0  # 00:15:00 UTC
LINE_CELLS = re.compile(r"[\u2580-\u259f\u2800-\u28ff*]")  # plotext's line: blocks, braille, ascii *


def chart(
    points: list[tuple[float, float]], now: float, *, additive: bool = True, ascii: bool = False
) -> str:
    line = Line("5XX", points, (255, 0, 0), additive)
    return ANSI.sub(
        "", build_chart("5XX", [line], [], now=now, window_s=900.0, width=70, height=14, ascii=ascii)
    )


def steady(value: float, last: float) -> list[tuple[float, float]]:
    """20 full minutes at `value` per minute, then the current minute (00:15) holding `last`."""
    return [(MINUTE - 60 * i, value) for i in range(20, 0, -1)] + [(MINUTE, last)]


def rows_with(out: str, pattern: re.Pattern[str]) -> list[int]:
    """The rows of the plot area (right of the y axis, inside the frame) where `pattern` shows."""
    found = []
    for i, ln in enumerate(out.splitlines()):
        axis = re.search(r"[┤│]", ln)
        if axis and pattern.search(ln[axis.end() :].rstrip().removesuffix("│")):
            found.append(i)
    return found


def label_row(out: str, label: str) -> int:
    return next(i for i, ln in enumerate(out.splitlines()) if ln.strip().startswith(f"{label}┤"))


def test_the_current_minute_is_a_mark_at_its_full_minute_rate_not_a_dip() -> None:
    # 15 s into 00:15: 25 failures so far is 100 a minute, like every minute before it.
    out = chart(steady(100.0, 25.0), MINUTE + 15)
    top = label_row(out, "100")
    assert rows_with(out, LINE_CELLS) == [top], out  # the line stays at 100: no drop at the end
    assert rows_with(out, re.compile(PARTIAL_MARK[0])) == [top], out
    assert out.count(PARTIAL_MARK[0]) == 1


def test_a_statistic_is_drawn_as_is_and_a_fresh_minute_not_at_all() -> None:
    # A p99 over the minute so far is a p99: not scaled.
    out = chart(steady(100.0, 50.0), MINUTE + 15, additive=False)
    assert rows_with(out, re.compile(PARTIAL_MARK[0])) == [label_row(out, "50")], out
    # 3 s in, scaling a handful of requests up is noise: no mark, and still no dip.
    out = chart(steady(100.0, 2.0), MINUTE + 3)
    assert PARTIAL_MARK[0] not in out and rows_with(out, LINE_CELLS) == [label_row(out, "100")], out


def test_split_partial_keeps_ended_minutes_only() -> None:
    line = Line("x", steady(10.0, 6.0), (0, 0, 0))
    done, partial = split_partial(line, MINUTE + 30)
    assert done[-1] == (MINUTE - 60, 10.0) and len(done) == 20
    assert partial == (MINUTE, 12.0)  # 6 in half a minute
    done, partial = split_partial(line, MINUTE + 60)  # the minute has ended: an ordinary point
    assert done[-1] == (MINUTE, 6.0) and partial is None


@pytest.mark.parametrize("ascii", [False, True])
def test_the_x_axis_reads_wall_clock_times(ascii: bool) -> None:
    out = chart(steady(100.0, 25.0), MINUTE + 15, ascii=ascii)
    axis = out.rstrip("\n").splitlines()[-1]
    labels = re.findall(r"\d\d:\d\d", axis)
    assert labels == ["00:02", "00:04", "00:06", "00:08", "00:10", "00:12", "00:14"], axis
    assert not re.search(r"-\d", axis)  # no "-14.8": minutes from now are not a time
    if ascii:
        assert out.isascii() and out.count(PARTIAL_MARK[1]) == 1


def test_time_ticks_are_round_minutes_that_fit_the_width() -> None:
    now = MINUTE + 15
    assert [label for _, label in time_ticks(now - 900, now, 70)][:2] == ["00:02", "00:04"]
    wide = time_ticks(now - 6 * 3600, now, 200)
    assert len(wide) <= (200 - 6) // 8 and all(int(label[3:]) % 15 == 0 for _, label in wide)
    assert all(-360 <= x <= 0 for x, _ in wide)
