"""The details of issue 15: pause says when, the trace shows time gaps, the all-requests list,
the checks screen's fix direction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from apigw_cockpit.aws.sources.traces import TraceGrouper
from apigw_cockpit.model import LogEvent, LogsUpdate
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
