"""Priority-based collapsing (ui/screens/cockpit_layout.py): every size fits exactly, and the
least important asks give way first, the ◆ change line and the failing hop never."""

from __future__ import annotations

import pytest

from apigw_cockpit.ui.screens.cockpit_layout import BORDER, FIXED, Needs, Plan, plan

# What the midnight-pager screen asks for on the demo world: a hop map with two chains and three
# legend lines, one target group of four, two changes, nine routes with traffic.
DEMO = Needs(hop_lines=8, hop_compact=2, target_lines=5, target_compact=3, changes=2, routes=9)


def _rows(p: Plan) -> int:
    return p.top_rows + p.log_rows + (p.changes_rows if p.narrow else 0)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 36), (160, 48), (200, 50)])
def test_every_row_is_used_and_none_twice(size: tuple[int, int]) -> None:
    width, height = size
    p = plan(width, height, DEMO)
    assert _rows(p) == height - FIXED
    left = p.metrics_rows + p.hop_rows
    assert p.targets_rows + p.next_rows == p.top_rows >= left  # no empty rectangle under targets
    assert p.log_rows >= BORDER + 4 + p.summary_rows


def test_80x24_keeps_the_culprit_the_failing_hop_and_every_target() -> None:
    p = plan(80, 24, DEMO)
    assert p.narrow and p.hop_compact and p.hop_rows == BORDER + DEMO.hop_compact
    assert p.changes_rows >= BORDER + 1  # at least the ◆ line
    assert p.targets_rows >= BORDER + DEMO.target_lines  # 4 of 4, not 1 of 4
    assert p.spark_rows == 1 and p.next_rows == 0  # lower priorities gave way


def test_120x36_and_200x50_use_the_space() -> None:
    mid, big = plan(120, 36, DEMO), plan(200, 50, DEMO)
    assert not mid.hop_compact and mid.hop_rows == BORDER + DEMO.hop_lines
    assert mid.spark_rows >= 3 and mid.next_rows >= 3 and mid.summary_rows >= 3
    assert big.spark_rows > mid.spark_rows and big.summary_rows == DEMO.routes + 1


def test_lower_priorities_collapse_first() -> None:
    """Walking the height down: the next-step box and tall sparklines go before the hop map is
    compacted, and the failing hop's box never goes below one line."""
    for height in range(50, 17, -1):
        p = plan(120, height, DEMO)
        if p.hop_compact:
            assert p.next_rows == 0 and p.spark_rows == 1, height
        if p.spark_rows > 1:
            assert not p.hop_compact, height
        assert p.hop_rows >= BORDER + 1, height


def test_route_summary_is_hidden_rather_than_a_lone_header() -> None:
    p = plan(80, 24, DEMO)
    assert p.summary_rows == 0 or p.summary_rows >= 2


def test_smaller_than_80x24_still_fits_the_culprit_and_the_failing_hop() -> None:
    p = plan(80, 20, DEMO)
    assert _rows(p) == 20 - FIXED
    assert p.changes_rows >= BORDER + 1 and p.hop_rows >= BORDER + 1
    assert p.top_rows == p.metrics_rows + p.hop_rows  # the targets (per AZ if short) did not grow it
    assert p.log_rows >= BORDER + 3  # the table's header and two requests
