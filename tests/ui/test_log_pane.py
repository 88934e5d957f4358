"""The execution-log pane repaints only what changed (DESIGN §9: < 50 KB/min over SSH).

A host app holds one LogPane on a driver that renders like a terminal but counts the bytes.
In a storm (more failing requests than table rows) identical failures merge into one row with
a ×N count: a new failure of a known kind rewrites that row's time, id and count cells, and a
request gaining a line the table does not show writes nothing. The old pane cleared and re-added
every row for both (the whole table region, several KB each time).
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import DataTable

from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.model import LogEvent, LogsUpdate, RequestTrace
from apigw_cockpit.ui.panes.log_rows import IN_FLIGHT_KEY, QuietTable, grouped
from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.state import IN_FLIGHT, PENDING, CockpitState, LogRow, route_of
from apigw_cockpit.ui.view import View

from .fakes import NOW
from .fixtures import topology

SIZE = (100, 20)  # a table of 16 rows: 40 failing requests do not fit, so they merge


class CountingDriver(HeadlessDriver):
    """Renders like a real terminal (not headless) and counts the bytes instead of writing them."""

    written = 0
    frames: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        CountingDriver.written += len(data.encode("utf-8"))
        CountingDriver.frames = [*CountingDriver.frames[-9:], data]


class Host(App[None]):
    CSS = """
    #logs { height: 1fr; border: round $primary; }
    #log-table { height: 1fr; }
    #log-filter { display: none; }
    """

    def __init__(self, state: CockpitState) -> None:
        super().__init__()
        self.state = state
        self.opened: list[str] = []
        self.driver_class = CountingDriver

    def compose(self) -> ComposeResult:
        yield LogPane()

    def on_log_pane_open_trace(self, event: LogPane.OpenTrace) -> None:
        self.opened.append(event.request_id)


def rid(n: int) -> str:
    return f"{n:08x}-1c2d-4e5f-8a9b-0c1d2e3f4a5b"


def request(n: int, path: str = "/orders", *, failed: bool = True, extra: str = "") -> list[str]:
    lines = [
        f"Starting execution for request: {rid(n)}",
        f"HTTP Method: GET, Resource Path: {path}",
        "Method request path: {id=" + path.rsplit("/", 1)[-1] + "}" if path.count("/") > 1 else "",
    ]
    if failed:
        lines += ["Execution failed due to a timeout error", "Method completed with status: 504"]
    else:
        lines += ["Successfully completed execution", "Method completed with status: 200"]
    return [ln for ln in [*lines, extra] if ln]


def feed(state: CockpitState, n: int, lines: list[str], ts: float) -> None:
    events = tuple(
        LogEvent(f"e{n}-{i}", ts, "g", "s", f"({rid(n)}) {ln}", request_id=rid(n))
        for i, ln in enumerate(lines)
    )
    # As the logs poller does: the events and the trace they completed; then the engine answers.
    prev = state.rows.get(rid(n))
    whole = (prev.lines if prev else ()) + tuple(e.message for e in events)
    trace = RequestTrace(rid(n), prev.ts if prev else ts, whole, "", True)
    state.apply(LogsUpdate("logs", ts, events, (trace,)))
    state.set_result(pipeline.run(state.snapshot(NOW)))


def storm(count: int = 40) -> CockpitState:
    state = CockpitState(topology())
    for n in range(count):
        feed(state, n, request(n, "/orders" if n % 3 else f"/orders/o-{n}"), NOW - 60 + n)
    return state


async def run(state: CockpitState, steps: Any) -> None:
    app = Host(state)

    async def drive(pilot: Any) -> None:
        pane = app.query_one(LogPane)
        pane.sync(state, View(NOW))
        await pilot.pause()
        await pilot.pause()
        try:
            await steps(app, pane, pilot)
        finally:
            app.exit()

    await app.run_async(size=SIZE, auto_pilot=drive)


async def bytes_after(pane: LogPane, pilot: Any, change: Any) -> int:
    """Terminal bytes written for one change pushed to the pane (and its repaint)."""
    await pilot.pause()
    before = CountingDriver.written
    change()
    assert pane.state is not None
    pane.sync(pane.state, View(NOW))
    await pilot.pause()
    await pilot.pause()
    return CountingDriver.written - before


def texts(table: DataTable[Any]) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_a_storm_merges_and_a_new_failure_rewrites_three_cells() -> None:
    state = storm()

    async def steps(app: Host, pane: LogPane, pilot: Any) -> None:
        table = pane.query_one(QuietTable)
        rows = texts(table)
        # Two kinds of failure: GET /orders and GET /orders/{id} (o-0, o-3, … are one route).
        assert len(rows) == 2, rows
        # The newest request (39) is an /orders/{id} one: that group came first, on top.
        assert "GET /orders/{id}" in rows[0] and "×14" in rows[0] and rid(39)[:8] in rows[0]
        assert "GET /orders " in rows[1] and "×26" in rows[1] and rid(38)[:8] in rows[1]
        painted, cells = pane.rows_painted, pane.cells_painted

        # A new failure of a known kind: time, id and count of that one row; nothing shifts.
        new_failure = await bytes_after(pane, pilot, lambda: feed(state, 40, request(40), NOW))
        assert pane.rows_painted == painted and pane.cells_painted == cells + 3
        assert rid(40)[:8] in texts(table)[1] and "×27" in texts(table)[1]
        assert texts(table)[0] == rows[0]

        # A shown request gains a line the table does not show: nothing to write.
        quiet = await bytes_after(
            pane, pilot, lambda: feed(state, 40, ["X-ray Tracing ID : Root=1-6789-abc"], NOW)
        )
        assert pane.rows_painted == painted and pane.cells_painted == cells + 3
        assert quiet == 0

        # What the old pane did for each of those: clear and re-add every row.
        def rebuild() -> None:
            pane._order = []
            pane.on_state()

        full = await bytes_after(pane, pilot, rebuild)
        assert pane.rows_painted == painted + 2
        assert 0 < new_failure * 3 < full, (new_failure, full)

        # `enter` on a group opens its newest request.
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [rid(40)]

    await run(state, steps)


async def test_a_new_kind_of_failure_goes_on_top() -> None:
    state = storm()

    async def steps(app: Host, pane: LogPane, pilot: Any) -> None:
        table = pane.query_one(QuietTable)
        feed(state, 41, request(41, "/payments"), NOW)
        pane.sync(state, View(NOW))
        rows = texts(table)
        assert len(rows) == 3 and "GET /payments" in rows[0] and "×" not in rows[0]
        # The known groups keep their order below it.
        assert "GET /orders/{id}" in rows[1] and "GET /orders " in rows[2]

    await run(state, steps)


async def test_few_requests_keep_one_row_each_and_ignore_unshown_lines() -> None:
    state = storm(count=6)

    async def steps(app: Host, pane: LogPane, pilot: Any) -> None:
        table = pane.query_one(QuietTable)
        assert table.row_count == 6 and all("×" not in r for r in texts(table))
        painted, cells = pane.rows_painted, pane.cells_painted
        quiet = await bytes_after(pane, pilot, lambda: feed(state, 3, ["X-ray Tracing ID : Root=1-1"], NOW))
        assert (pane.rows_painted, pane.cells_painted, quiet) == (painted, cells, 0)
        # `a` shows successes too; still one row per request while they fit.
        feed(state, 7, request(7, failed=False), NOW)
        pane.toggle_failed()
        assert table.row_count == 7

    await run(state, steps)


def test_route_puts_path_parameters_back() -> None:
    assert route_of("/orders/o-24", ["Method request path: {id=o-24}"]) == "/orders/{id}"
    assert route_of("/a/1/b/2", ["Method request path: {x=1, y=2}"]) == "/a/{x}/b/{y}"
    assert route_of("/orders", ["Method request path: {}"]) == "/orders"
    assert route_of("/orders", []) == "/orders"


async def test_a_moving_dropped_count_repaints_the_border_line_only() -> None:
    state = storm()

    async def steps(app: Host, pane: LogPane, pilot: Any) -> None:
        def drop(n: int) -> Any:
            def change() -> None:
                state.dropped += n
                state.bump("logs")

            return change

        first = await bytes_after(pane, pilot, drop(5))  # appears: the whole pane
        assert pane.border_subtitle == "dropped 5 (over the buffer)"
        moved = await bytes_after(pane, pilot, drop(1_000))
        assert pane.border_subtitle == "dropped 1,005 (over the buffer)"
        assert "dropped 1,005" in "".join(CountingDriver.frames)  # it did reach the terminal
        assert 0 < moved * 4 < first, (moved, first)

    await run(state, steps)


# -- requests without a verdict yet: one "in flight" group, never "unknown ×N" ----------------


def lines_only(state: CockpitState, n: int, lines: list[str], ts: float, *, complete: bool = True) -> None:
    """The poller's update for request n, without the engine answering (it runs once a second)."""
    events = tuple(
        LogEvent(f"e{n}-{ts}-{i}", ts, "g", "s", f"({rid(n)}) {ln}", request_id=rid(n))
        for i, ln in enumerate(lines)
    )
    prev = state.rows.get(rid(n))
    whole = (prev.lines if prev else ()) + tuple(e.message for e in events)
    state.apply(LogsUpdate("logs", ts, events, (RequestTrace(rid(n), ts, whole, "", complete),)))


def diagnosed(state: CockpitState) -> None:
    state.set_result(pipeline.run(state.snapshot(NOW)))


def test_a_row_that_grew_since_the_engine_ran_is_pending_not_its_old_verdict() -> None:
    state = CockpitState(topology())
    start = request(1)[:2]  # "Starting execution", "HTTP Method": no status, no failure yet
    lines_only(state, 1, start, NOW - 5, complete=False)
    row = state.rows[rid(1)]
    assert state.verdict_of(row) == IN_FLIGHT  # nothing to classify yet
    diagnosed(state)
    assert state.verdict_of(row) == IN_FLIGHT

    # The failure lines arrive; the engine has not run since: its answer was for two lines.
    lines_only(state, 1, request(1)[2:], NOW - 4)
    row = state.rows[rid(1)]
    assert row.status == 504 and state.verdict_of(row) == PENDING
    diagnosed(state)
    verdict = state.verdict_of(state.rows[rid(1)])
    assert verdict not in (PENDING, IN_FLIGHT, "unknown"), verdict

    # A request the engine never saw (its trace left the collector, or no run yet).
    lines_only(state, 2, request(2), NOW - 3)
    assert state.verdict_of(state.rows[rid(2)]) == PENDING


def test_an_incomplete_failing_trace_the_classifier_cannot_name_is_in_flight() -> None:
    state = CockpitState(topology())
    # Failing (the filter's "Execution failed" marker) but no status and no pattern yet.
    lines_only(state, 1, [*request(1)[:2], "Execution failed: still waiting"], NOW - 5, complete=False)
    diagnosed(state)
    row = state.rows[rid(1)]
    assert row.failed and row.status is None
    assert state.result is not None and state.result.verdicts[rid(1)] == "unknown"
    assert state.verdict_of(row) == IN_FLIGHT
    # The same trace once complete (timed out with no status): "unknown" is then the answer.
    lines_only(state, 1, [], NOW - 5, complete=True)
    diagnosed(state)
    assert state.verdict_of(state.rows[rid(1)]) == "unknown"


def _rows(spec: list[tuple[int, str, int | None, float]]) -> tuple[list[LogRow], dict[str, str]]:
    """(n, verdict, status, ts) -> failing rows on GET /orders and the verdict of each."""
    rows = [LogRow(rid(n), ts, (), "GET", "/orders", status, True, "/orders") for n, _, status, ts in spec]
    return rows, {rid(n): v for n, v, _, _ in spec}


def test_grouped_folds_pending_and_in_flight_into_one_group_after_the_failures() -> None:
    rows, verdicts = _rows(
        [
            (1, "integration-timeout", 504, NOW - 50),
            (2, "integration-timeout", 504, NOW - 40),
            (3, PENDING, 504, NOW - 30),
            (4, IN_FLIGHT, None, NOW - 20),
            (5, PENDING, 502, NOW - 10),  # the newest of all: still below the real failures
            (6, "lambda-permission", 500, NOW - 45),
        ]
    )
    rank: dict[str, int] = {}
    items = grouped(rows, lambda r: verdicts[r.request_id], str, rank)
    labels = [it.cells[4][0] for it in items]
    assert labels == ["integration-timeout ×2", "lambda-permission", "… in flight ×3"], labels
    last = items[-1]
    assert last.key == IN_FLIGHT_KEY and last.count == 3 and last.request_id == rid(5)
    assert last.cells[2][0] == "GET /orders" and last.cells[3][0] == "…"
    assert IN_FLIGHT_KEY not in rank  # it never takes a place among the failure groups

    # --ascii: the same row in ASCII, and nothing says "unknown".
    ascii_items = grouped(rows, lambda r: verdicts[r.request_id], str, {}, "x", "...")
    assert ascii_items[-1].cells[4][0] == "... in flight x3"
    assert all(ord(ch) < 128 for it in ascii_items for text, _ in it.cells for ch in text)

    # Once classified they join their real groups and the in-flight row goes away.
    verdicts.update({rid(3): "integration-timeout", rid(4): "integration-timeout", rid(5): "x"})
    items = grouped(rows, lambda r: verdicts[r.request_id], str, rank)
    assert all(it.key != IN_FLIGHT_KEY for it in items)


def test_a_request_is_dated_by_its_earliest_line_so_a_lists_requests_in_time_order() -> None:
    state = CockpitState(topology())
    # Two log streams interleaved: request 2's later line comes first in the batch.
    late, early = NOW - 5, NOW - 30
    events = (
        LogEvent("b2", late, "g", "s2", f"({rid(2)}) Method completed with status: 200", request_id=rid(2)),
        LogEvent(
            "a1", NOW - 10, "g", "s1", f"({rid(1)}) HTTP Method: GET, Resource Path: /a", request_id=rid(1)
        ),
        LogEvent(
            "b1", early, "g", "s2", f"({rid(2)}) HTTP Method: GET, Resource Path: /b", request_id=rid(2)
        ),
    )
    state.apply(LogsUpdate("logs", NOW, events))
    assert state.rows[rid(2)].ts == early
    # A request first seen by a trailing line; its trace later carries the real start.
    lines_only(state, 3, ["X-ray Tracing ID : Root=1-1"], NOW - 2)
    trace = RequestTrace(rid(3), NOW - 20, (*request(3, failed=False), "X-ray"), "", True)
    state.apply(LogsUpdate("logs", NOW, (), (trace,)))
    assert state.rows[rid(3)].ts == NOW - 20
    order = [r.request_id for r in sorted(state.rows.values(), key=lambda r: r.ts, reverse=True)]
    assert order == [rid(1), rid(3), rid(2)]


async def test_a_storm_shows_unclassified_requests_as_one_in_flight_row_at_the_bottom() -> None:
    state = storm()
    # Twelve new requests the engine classified when they had only begun ("unknown": no
    # pattern yet), whose failure lines came after: the old pane showed "504 unknown ×12".
    for n in range(100, 112):
        lines_only(state, n, request(n)[:2], NOW - 2, complete=False)
    diagnosed(state)
    for n in range(100, 112):
        lines_only(state, n, request(n)[2:], NOW - 1)

    async def steps(app: Host, pane: LogPane, pilot: Any) -> None:
        rows = texts(pane.query_one(QuietTable))
        assert len(rows) == 3, rows
        assert "×14" in rows[0] and "×26" in rows[1]  # the classified groups keep their counts
        assert "in flight ×12" in rows[2] and "unknown" not in " ".join(rows)
        painted, cells = pane.rows_painted, pane.cells_painted
        diagnosed(state)
        pane.sync(state, View(NOW))
        table = pane.query_one(QuietTable)
        rows = texts(table)
        assert "×38" in rows[1], rows  # classified: they join GET /orders 504
        # The in-flight row goes blank instead of away: removing it would rebuild (repaint)
        # the whole table on every batch (issue 17).
        assert len(rows) == 3 and not rows[2].strip(), rows
        assert pane.rows_painted == painted and pane.cells_painted > cells
        # `enter` on the blank row opens nothing.
        table.focus()
        table.move_cursor(row=2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == []
        # New failures the engine has not classified yet fill the same row, still no rebuild.
        for n in range(200, 203):
            lines_only(state, n, request(n), NOW)
        pane.sync(state, View(NOW))
        assert "in flight ×3" in texts(table)[2] and pane.rows_painted == painted
        # When the rows above change (a new kind of failure on top), the blank row goes.
        diagnosed(state)
        feed(state, 300, request(300, "/payments"), NOW)
        diagnosed(state)
        pane.sync(state, View(NOW))
        rows = texts(table)
        assert "GET /payments" in rows[0] and len(rows) == 3 and all(r.strip() for r in rows), rows

    await run(state, steps)


def test_an_http_apis_access_log_lines_are_log_pane_rows() -> None:
    """An HTTP API writes no execution log: its access-log lines are the rows (route key, status)."""
    import json as _json
    from dataclasses import replace as _replace

    from apigw_cockpit.model import LogEvent, LogsUpdate, RequestTrace
    from apigw_cockpit.ui.panes.route_summary import logging_off
    from apigw_cockpit.ui.state import CockpitState
    from ui.fixtures import NOW, topology

    topo = _replace(topology(), api_type="http")
    topo = _replace(topo, log_groups=_replace(topo.log_groups, access="/aws/apigateway/x/access"))
    state = CockpitState(topo)
    line = _json.dumps({"requestId": "r-1", "routeKey": "POST /ingest", "status": "500"})
    ev = LogEvent("e1", NOW, "/aws/apigateway/x/access", "s", line)
    trace = RequestTrace("r-1", NOW, (line,), log_group="/aws/apigateway/x/access", complete=True)
    state.apply(LogsUpdate("access_logs", NOW, (ev,), (trace,)))
    row = state.rows["r-1"]
    assert (row.method, row.path, row.status, row.failed) == ("POST", "/ingest", 500, True)
    assert logging_off(topo) == ""
    no_log = _replace(topo, log_groups=_replace(topo.log_groups, access=""))
    assert "access logging is off" in logging_off(no_log)
