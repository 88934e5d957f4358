"""What the execution-log table shows, as plain data, and a table that repaints only changed cells.

Every byte counts over SSH: a DataTable `clear()` + re-add repaints the whole table region
(about 13 KB of truecolor at 120x36), and `update_cell` repaints the whole table too. So the
pane computes the rows it wants (`Item`s: a key and the (text, style) of each cell), compares
them with what is on screen, rebuilds only when the order of rows changes, and otherwise
rewrites just the cells whose text or style changed (`QuietTable.set_cells`).

While the matching requests fit in the table, each request is one row. In a storm (more
failing requests than rows) identical failures merge: one row per method, route, status and
verdict, showing the newest request's time and id and a ×N count. A new kind of failure
appears on top; a group already shown keeps its place, so a new failure of a known kind
rewrites three cells instead of shifting every row below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from apigw_cockpit.ui.state import IN_FLIGHT, PENDING, LogRow
from apigw_cockpit.ui.view import hms

COLUMNS = ("time", "rid", "path", "status", "verdict")
GROUP_PREFIX = "group:"
IN_FLIGHT_KEY = GROUP_PREFIX + "in-flight"  # the one group of requests without a verdict yet
UNSETTLED = frozenset({PENDING, IN_FLIGHT})

Cell = tuple[str, str]  # (text, style); "" = the table's default style
Spec = tuple[Cell, ...]


@dataclass(frozen=True)
class Item:
    key: str  # the DataTable row key: a request id, or GROUP_PREFIX + the group's signature
    request_id: str  # the request `enter` opens: the row's own, or the newest of its group
    cells: Spec
    count: int = 1


def content(cell: Cell) -> Content:
    text, style = cell
    return Content.styled(text, style) if style else Content(text)


def status_style(status: int | None) -> str:
    s = status or 0
    return "$error bold" if s >= 500 else ("$warning" if s >= 400 else "$success")


def row_cells(
    r: LogRow,
    verdict: str,
    clean: Callable[[str], str],
    *,
    path: str,
    count: int = 1,
    times: str = "×",
    pending: str = "…",  # view.Glyphs.ellipsis: a request still in flight
) -> Spec:
    """The five cells of one row; a group's (count > 1) verdict carries its ×N."""
    shown_verdict = clean(verdict) + (f" {times}{count}" if count > 1 else "")
    return (
        (hms(r.ts), ""),
        (clean(r.request_id[:8]), "$text-muted"),
        # No method line: a trace whose start is older than the log window (a partial trace).
        (clean(f"{r.method} {path}".strip()), "") if r.method else ("(partial trace)", "$text-muted"),
        (str(r.status) if r.status else pending, status_style(r.status)),
        (shown_verdict, "$error" if r.failed else "$text-muted"),
    )


def per_request(
    rows: Iterable[LogRow],
    verdict_of: Callable[[LogRow], str],
    clean: Callable[[str], str],
    pending: str = "…",
) -> list[Item]:
    return [
        Item(r.request_id, r.request_id, row_cells(r, verdict_of(r), clean, path=r.path, pending=pending))
        for r in rows
    ]


def grouped(
    rows: Iterable[LogRow],
    verdict_of: Callable[[LogRow], str],
    clean: Callable[[str], str],
    rank: dict[str, int],
    times: str = "×",
    pending: str = "…",
) -> list[Item]:
    """One item per (method, route, status, verdict), ordered by `rank` (updated in place: a group
    seen for the first time ranks above every known one; groups no longer present are forgotten).

    Requests without a verdict yet (in flight, or lines the engine has not classified) are one
    group at the bottom, "… in flight ×N": split by status and route they read as dozens of
    "unknown" failures, and a storm's newest requests are always the unclassified ones."""
    groups: dict[str, list[LogRow]] = {}
    verdicts: dict[str, str] = {}
    waiting: list[LogRow] = []
    for r in rows:
        v = verdict_of(r)
        if v in UNSETTLED:
            waiting.append(r)
            continue
        sig = f"{GROUP_PREFIX}{r.method} {r.route or r.path}\x1f{r.status}\x1f{v}\x1f{r.failed}"
        groups.setdefault(sig, []).append(r)
        verdicts[sig] = v
    newest = {sig: _newest(members) for sig, members in groups.items()}
    for gone in [k for k in rank if k not in groups]:
        del rank[gone]
    top = max(rank.values(), default=0)
    for sig in sorted((k for k in groups if k not in rank), key=lambda k: newest[k].ts):
        top += 1
        rank[sig] = top
    items = []
    for sig in sorted(groups, key=lambda k: rank[k], reverse=True):
        r, n = newest[sig], len(groups[sig])
        cells = row_cells(r, verdicts[sig], clean, path=r.route or r.path, count=n, times=times)
        items.append(Item(sig, r.request_id, cells, n))
    if waiting:
        items.append(_in_flight(waiting, clean, times, pending))
    return items


def _newest(rows: list[LogRow]) -> LogRow:
    return max(rows, key=lambda r: (r.ts, r.request_id))


def _in_flight(rows: list[LogRow], clean: Callable[[str], str], times: str, pending: str) -> Item:
    """The one row of every request still waiting for a verdict: the newest one's time and id."""
    r, n = _newest(rows), len(rows)
    routes = {f"{w.method} {w.route or w.path}".strip() for w in rows if w.method}
    path = clean(routes.pop()) if len(routes) == 1 else f"{len(routes)} routes" if routes else ""
    label = f"{pending} {IN_FLIGHT}" + (f" {times}{n}" if n > 1 else "")
    cells = (
        (hms(r.ts), ""),
        (clean(r.request_id[:8]), "$text-muted"),
        (path, "$text-muted"),
        (pending, "$text-muted"),
        (label, "$text-muted"),
    )
    return Item(IN_FLIGHT_KEY, r.request_id, cells, n)


class QuietTable(DataTable[str | Content]):
    """A DataTable whose cells can be rewritten without repainting the rest of the table."""

    def set_cells(self, row_key: str, cells: dict[str, Content]) -> None:
        """Like `update_cell` for several cells of one row, but only those cells are repainted.

        (`update_cell` calls `refresh()` on the whole widget.) The render caches are keyed on
        `_update_count`, so bumping it is what makes the new values render.
        """
        key = RowKey(row_key)
        data = self._data[key]
        for column, value in cells.items():
            data[ColumnKey(column)] = value
        self._update_count += 1
        index = self._row_locations.get(key)
        if index is None:
            return
        for column in cells:
            self.refresh_coordinate(Coordinate(index, self.get_column_index(column)))
