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
from apigw_cockpit.ui.panes.log_rows import QuietTable
from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.state import CockpitState, route_of
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
