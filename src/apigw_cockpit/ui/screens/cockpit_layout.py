"""How many rows each cockpit pane gets at a terminal size: priority-based collapsing.

Every pane first asks for what its content wants (taller sparklines with a scale, the whole hop
map with its legend, one line per target, the route summary, two lines per change). When the
terminal is too short, the asks shrink in a fixed order, least important first, until they fit:

    1. the log pane's route summary      (flexible: what the table leaves, up to half the pane)
    2. the verdict/next-step box         (the verdict bar above says the verdict)
    3. tall sparklines -> one row each   (the value and the peak stay on the line)
    4. the whole hop map -> the failing chain and its reason
    5. one line per target -> one line per AZ (marks, healthy count, reasons)
    6. two lines per change -> one line each, the engine's suspect (◆) first (the pane's rule)
    7. the hop map's reason line, then every change line but the ◆ one

Never shrunk: the header, the verdict bar, the ◆ change line, the failing hop. Pure data in and
out (no Textual), so every size can be tested in microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

FIXED = 5  # header row, two verdict lines, status bar, footer
NARROW = 100  # below this many columns the log and the changes stack instead of sitting side by side
BORDER = 2
MIN_TABLE = 4  # the log table's header row and three requests
MIN_NEXT = 3  # a boxed line of "next step" or nothing


@dataclass(frozen=True)
class Needs:
    """Lines each pane's content wants (the screen measures them from the current state)."""

    hop_lines: int = 3  # the whole hop map: chains, legend, key
    hop_compact: int = 2  # the failing chain and its reason
    target_lines: int = 1
    target_compact: int = 1  # one line per target group and AZ
    changes: int = 0
    routes: int = 0


@dataclass(frozen=True)
class Plan:
    narrow: bool
    spark_rows: int  # rows per sparkline
    hop_rows: int  # the hop map's box, borders included
    hop_compact: bool
    targets_rows: int
    next_rows: int  # 0: hidden
    top_rows: int
    changes_rows: int  # narrow only (side by side the changes take the bottom row's height)
    summary_rows: int  # 0: hidden
    log_rows: int

    @property
    def metrics_rows(self) -> int:
        return BORDER + 2 * self.spark_rows


def _want(width: int, height: int, need: Needs) -> Plan:
    avail = height - FIXED
    narrow = width < NARROW
    spark = 1 if avail < 24 else max(1, min(5, (avail - 19) // 4))
    hop_compact = narrow  # at half of 80-99 columns the whole map does not fit its width
    hop = BORDER + (need.hop_compact if hop_compact else need.hop_lines)
    changes = BORDER + (2 * need.changes if need.changes else 1)
    return Plan(
        narrow=narrow,
        spark_rows=spark,
        hop_rows=hop,
        hop_compact=hop_compact,
        targets_rows=BORDER + need.target_lines,
        next_rows=MIN_NEXT + 3,
        top_rows=0,
        changes_rows=min(changes, BORDER + 6) if narrow else 0,
        summary_rows=need.routes + 1 if need.routes else 0,
        log_rows=BORDER + MIN_TABLE + 8,
    )


def _top(p: Plan) -> int:
    left = BORDER + 2 * p.spark_rows + p.hop_rows
    # The right column fills to the left one's height (the next-step box takes the rest); only
    # targets alone may make the row taller than the left column.
    return max(left, p.targets_rows)


def _bottom_min(p: Plan) -> int:
    log = BORDER + MIN_TABLE  # the route summary takes only what is left (see plan)
    return log + (p.changes_rows if p.narrow else 0)


def _fits(p: Plan, avail: int) -> bool:
    return _top(p) + _bottom_min(p) <= avail


def plan(width: int, height: int, need: Needs) -> Plan:
    avail = height - FIXED
    p = _want(width, height, need)
    one_line_changes = BORDER + max(1, min(need.changes, 2))
    shrink: list[Callable[[Plan], Plan]] = [
        lambda p: replace(p, next_rows=0),
        lambda p: replace(p, spark_rows=max(1, p.spark_rows - 1)),
        lambda p: replace(p, spark_rows=1),
        lambda p: replace(p, hop_compact=True, hop_rows=BORDER + need.hop_compact),
        lambda p: replace(p, targets_rows=min(p.targets_rows, BORDER + need.target_compact)),
        lambda p: replace(p, changes_rows=min(p.changes_rows, one_line_changes)),
        lambda p: replace(p, hop_rows=BORDER + 1),  # the chain with the ✗, without the reason
        lambda p: replace(p, changes_rows=min(p.changes_rows, BORDER + 1)),  # the ◆ line only
    ]
    for step in shrink:
        if _fits(p, avail):
            break
        p = step(p)
    top = _top(p)
    bottom = max(BORDER + MIN_TABLE, avail - top)
    log = bottom - (p.changes_rows if p.narrow else 0)
    # The route summary: up to its lines, half the pane at most (the newest failures below it
    # keep the rest), and not at all if only its header would fit.
    room = min(log - BORDER - MIN_TABLE, max(3, (log - BORDER) // 2))
    summary = min(p.summary_rows, room)
    summary = summary if summary >= 2 else 0
    targets = p.targets_rows if not p.next_rows else min(p.targets_rows, top)
    next_rows = top - targets if p.next_rows and top - targets >= MIN_NEXT else 0
    return replace(
        p, top_rows=top, targets_rows=top - next_rows, next_rows=next_rows, log_rows=log, summary_rows=summary
    )
