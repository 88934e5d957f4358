"""The details of issue 15: pause says when, the trace shows time gaps, the all-requests list,
the checks screen's fix direction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.widgets import DataTable, Static

from apigw_cockpit.aws.sources.traces import TraceGrouper
from apigw_cockpit.model import LogEvent, LogsUpdate
from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.screens.trace import TraceScreen

from .conftest import screen_text, settle, wait_for
from .fakes import NOW, feed_with, midnight_pager

GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"


async def test_pause_shows_when_it_paused(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        app.clock.advance(93)
        app.tick()
        await pilot.pause()
        text = screen_text(app)
        assert "PAUSED at 00:15:30" in text  # at 80x24 too: the time it stopped, not hidden
        await pilot.press("p")
        await pilot.pause()
        assert "LIVE 00:17:03" in screen_text(app) and not app.state.paused_at


SLOW = "51000001-1c2d-4e5f-8a9b-0c1d2e3f0001"


def slow_request() -> LogsUpdate:
    """One timed-out request as API Gateway logs it: 20-odd lines, 29 s between sending and failing."""
    t0 = NOW - 40
    lines = [
        (0.000, f"Extended Request Id: {SLOW[:8]}XyZ="),
        (0.001, f"Starting execution for request: {SLOW}"),
        (0.001, "HTTP Method: GET, Resource Path: /orders"),
        *((0.002, f"Method request header {n}: x-h{n}=v{n}") for n in range(12)),
        (0.003, "Endpoint request URI: http://orders-nlb.elb.us-east-1.amazonaws.com/orders"),
        (0.004, "Sending request to http://orders-nlb.elb.us-east-1.amazonaws.com/orders"),
        (29.004, "Execution failed due to a timeout error"),
        (29.005, "Method completed with status: 504"),
    ]
    events = [
        LogEvent(f"slow-{n}", t0 + dt, GROUP, "s", f"({SLOW}) {text}", request_id=SLOW)
        for n, (dt, text) in enumerate(lines)
    ]
    traces = TraceGrouper().add(events, NOW)  # the aws/ grouping, which keeps each line's time
    return LogsUpdate("logs", NOW, tuple(events), tuple(traces))


async def test_trace_shows_the_gap_and_the_failing_line_at_80x24(make_app: Callable[..., Any]) -> None:
    app = make_app(feed_with(slow_request()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        row = app.state.rows[SLOW]
        assert len(row.times) == len(row.lines) == 19
        app.open_trace(SLOW)
        await wait_for(lambda: isinstance(app.screen, TraceScreen), pilot)
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        failing = next(ln for ln in text.splitlines() if "Execution failed due to a timeout" in ln)
        assert "+29.0s" in failing  # the timeout is visible as the gap before the failure
        assert "took 29.0 s" in text
        sending = next(ln for ln in text.splitlines() if "Sending request" in ln)
        assert "+0.0s" in sending


async def test_trace_without_line_times_shows_no_made_up_gaps(make_app: Callable[..., Any]) -> None:
    update = slow_request()
    bare = tuple(replace(t, line_times=()) for t in update.traces)
    app = make_app(feed_with(replace(update, events=(), traces=bare)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.open_trace(SLOW)
        await wait_for(lambda: isinstance(app.screen, TraceScreen), pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "Execution failed due to a timeout" in text and "+29.0s" not in text and "took" not in text


async def test_checks_screen_shows_the_fix_direction_of_failing_checks(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        failing = [f for f in app.state.findings if str(f.verdict) in ("warn", "error") and f.fix]
        assert failing  # midnight-pager: the security-groups check fails, with a fix direction
        await pilot.press("c")
        body = str(app.screen.query_one("#info-body", Static).content)
        head, _, fixes = body.partition("fix direction (failing checks)")
        assert all(f" {f.check_id} " in head for f in app.state.findings)  # the list, one line each
        assert fixes.strip().splitlines() == [f"{f.check_id}: {clean(f.fix)}" for f in failing]


def in_flight_and_done() -> LogsUpdate:
    """Requests interleaved in time: done (200), failed (504) and still in flight (no status yet)."""
    events = []
    for i in range(30):
        rid = f"a11{i:05x}-1c2d-4e5f-8a9b-0c1d2e3f{i:04x}"
        kind = ("ok", "failed", "flight")[i % 3]
        lines = [f"({rid}) HTTP Method: GET, Resource Path: /orders", f"({rid}) Sending request to x"]
        if kind == "ok":
            lines.append(f"({rid}) Method completed with status: 200")
        elif kind == "failed":
            lines += [
                f"({rid}) Execution failed due to a timeout error",
                f"({rid}) Method completed with status: 504",
            ]
        events += [
            LogEvent(f"e{i}-{n}", NOW - 300 + i * 7, GROUP, "s", ln, request_id=rid)
            for n, ln in enumerate(lines)
        ]
    return LogsUpdate("logs", NOW, tuple(events), dropped=59)


async def test_all_requests_in_time_order_with_in_flight_said_so(make_app: Callable[..., Any]) -> None:
    app = make_app(feed_with(in_flight_and_done()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(LogPane)
        assert "dropped 59 (over the buffer)" in str(pane.border_subtitle)
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#log-table", DataTable)
        assert table.row_count == 30  # one row per request, none merged into a ×N group
        times = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert times == sorted(times, reverse=True)  # newest first, by request time
        verdicts = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert verdicts.count("in flight") == 10 and not [v for v in verdicts if "unknown" in v]
