"""What the cockpit panes draw at each size (issue 15): the hop map's chains and legend, the ◆
change first when space is short, logging off said loudly, the partial minute left out, the
per-route summary, and no event name with an API-version suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from apigw_cockpit.model import (
    Change,
    ChangesUpdate,
    Integration,
    LambdaFunction,
    Method,
    MetricKey,
    MetricSeries,
    MetricsUpdate,
    Resource,
)
from apigw_cockpit.ui.panes.bars import StatusBar
from apigw_cockpit.ui.panes.changes import ChangesPane, event_name
from apigw_cockpit.ui.panes.hopmap import routes_named
from apigw_cockpit.ui.panes.route_summary import summarize
from apigw_cockpit.ui.panes.sparks import columns, compact
from apigw_cockpit.ui.state import CockpitState

from .conftest import screen_text, settle
from .fixtures import (
    NOW,
    REVOKE_AT,
    FakeFeed,
    FakePoller,
    changes,
    logs,
    metrics,
    statuses,
    targets,
    topology,
)
from .pictures import logging_off

FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:invoices-fn"


def _with_lambda() -> FakeFeed:
    """Midnight-pager plus a healthy Lambda route (GET /invoices) beside the NLB path."""
    topo = topology(True)
    lam = Integration(
        type="AWS_PROXY",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FN_ARN}/invocations",
        lambda_arn=FN_ARN,
    )
    topo = replace(
        topo,
        resources=(*topo.resources, Resource("r00t02", "/invoices", (Method("GET", integration=lam),))),
        lambdas=(LambdaFunction("invoices-fn", FN_ARN, timeout_s=10),),
    )
    status = statuses()
    return FakeFeed(
        topo,
        [
            FakePoller("metrics", [metrics(True), status[0]]),
            FakePoller("logs", [logs(True), status[1]]),
            FakePoller("target_health", [targets(True), status[2]]),
            FakePoller("changes", [changes(True), status[3]]),
        ],
    )


async def test_hop_map_draws_one_chain_per_integration_kind(make_app: Callable[..., Any]) -> None:
    app = make_app(_with_lambda())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
    lam = next(ln for ln in lines if "├ Lambda" in ln)
    nlb = next(ln for ln in lines if "└ VPC link" in ln)
    assert "GET /invoices" in lam and "VPC link" not in lam  # Lambda is not on the NLB path
    assert "TG ✗" in nlb and "GET /orders" in nlb
    assert any("client ✓ → APIGW" in ln and "integration" in ln and "Lambda" not in ln for ln in lines)
    assert any("✗ TG: target-health:" in ln for ln in lines)
    assert any("✓ ok" in ln and "✗ failing" in ln for ln in lines)  # the key of the marks


def test_legend_names_the_routes_a_finding_is_about() -> None:
    topo = replace(topology(True), resources=(*topology(True).resources, Resource("r3", "/orders/{id}", ())))
    assert routes_named("GET /orders/{id}: no default integration response", topo) == ["/orders/{id}"]
    assert routes_named("all good", topo) == []


def _many_changes() -> FakeFeed:
    """Five innocent changes after the revoke: newest first, the ◆ would be last."""
    base = changes(True).changes
    later = tuple(
        Change(f"ev-n{i}", REVOKE_AT + 5 + i, "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", "sam")
        for i in range(5)
    )
    status = statuses()
    return FakeFeed(
        topology(True),
        [
            FakePoller("metrics", [metrics(True), status[0]]),
            FakePoller("logs", [logs(True), status[1]]),
            FakePoller("target_health", [targets(True), status[2]]),
            FakePoller("changes", [ChangesUpdate("changes", NOW, base + later), status[3]]),
        ],
    )


async def test_the_suspect_change_comes_first_when_space_is_short(make_app: Callable[..., Any]) -> None:
    app = make_app(_many_changes())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        pane = app.screen.query_one(ChangesPane)
        assert pane.border_subtitle.startswith("+")  # says that more are hidden
    rows = [ln for ln in text.splitlines() if ln.startswith("│") and "00:1" in ln and "by " in ln]
    assert rows and "◆ 00:10 RevokeSecurityGroupIngress" in rows[0]


async def test_logging_off_is_said_in_the_log_pane_and_the_status_bar(make_app: Callable[..., Any]) -> None:
    app = make_app(logging_off())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        status = str(app.screen.query_one(StatusBar).render())
    assert "execution log: OFF, no log evidence" in text
    assert "execution logging is off on stage prod — no log evidence; turn it on:" in text
    assert "path=/*/*/logging/loglevel,value=INFO" in text
    assert "logs OFF" in status and "logs ✓" not in status


async def test_logging_on_keeps_the_tick(make_app: Callable[..., Any]) -> None:
    from .fakes import midnight_pager

    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        status = str(app.screen.query_one(StatusBar).render())
        text = screen_text(app)
    assert "logs ✓" in status and "OFF" not in text


def _partial_minute() -> FakeFeed:
    """5XX at 150/min; the minute in progress (00:15, 30 s in) has only 2 so far."""
    key = MetricKey("AWS/ApiGateway", "5XXError", (("ApiName", "orders-prod"), ("Stage", "prod")), "Sum")
    start = NOW - NOW % 60 - 20 * 60
    points = (*((start + i * 60, 150.0) for i in range(20)), (NOW - NOW % 60, 2.0))
    update = MetricsUpdate("metrics", NOW, (MetricSeries(key, points, "Count"),))
    return FakeFeed(topology(True), [FakePoller("metrics", [update])])


async def test_the_minute_in_progress_is_not_drawn_as_a_recovery(make_app: Callable[..., Any]) -> None:
    app = make_app(_partial_minute())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
    assert "now 150/min" in text and "now 2/min" not in text


def _unsettled_minute() -> FakeFeed:
    """A 45 s integration timeout: 00:14 ended 30 s ago but its slowest requests may still land."""
    feed = _partial_minute()
    update = feed.pollers[0].updates[0]
    assert isinstance(update, MetricsUpdate)
    series = update.series[0]
    minute = NOW - NOW % 60
    points = tuple((ts, 40.0 if ts == minute - 60 else v) for ts, v in series.points)
    topo = feed.topology
    res = topo.resources[0]
    method = res.methods[0]
    assert method.integration is not None
    slow = replace(method, integration=replace(method.integration, timeout_ms=45000))
    topo = replace(topo, resources=(replace(res, methods=(slow,)),))
    metrics_update = MetricsUpdate("metrics", NOW, (replace(series, points=points),))
    return FakeFeed(topo, [FakePoller("metrics", [metrics_update])])


async def test_a_minute_is_drawn_once_its_requests_have_finished(make_app: Callable[..., Any]) -> None:
    app = make_app(_unsettled_minute())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
    assert "now 150/min" in text and "now 40/min" not in text


def test_tall_chart_columns_fill_to_their_value() -> None:
    chars = "▁▂▃▄▅▆▇█"
    rows = columns([0.0, 50.0, 100.0], 3, 2, chars)
    assert rows == [" ▁█", "▁██"] or rows == ["  █", "▁██"]
    assert rows[1][0] == "▁"  # zero is a visible baseline, not a gap
    assert columns([1.0], 1, 2, chars, ceiling=100.0)[1] == "▁"  # a ceiling keeps small values low


def test_axis_numbers_are_short() -> None:
    assert [compact(v) for v in (152, 1234, 29000, 2_500_000)] == ["152", "1.2k", "29k", "2.5M"]


def test_route_summary_prefers_per_method_metrics() -> None:
    state = CockpitState(topology(True))
    state.apply(logs(True))
    lines = summarize(state, NOW)
    orders = next(ln for ln in lines if ln.route == "GET /orders")
    assert orders.source == "logs" and orders.mix == "504×8" and orders.share == 1.0
    dims = (("ApiName", "orders-prod"), ("Method", "GET"), ("Resource", "/orders"), ("Stage", "prod"))
    minute = NOW - NOW % 60
    series = tuple(
        MetricSeries(MetricKey("AWS/ApiGateway", m, dims, stat), ((minute - 60, v), (minute, 1.0)))
        for m, stat, v in (
            ("Count", "Sum", 190.0),
            ("5XXError", "Sum", 150.0),
            ("IntegrationLatency", "p99", 28900.0),
        )
    )
    state.apply(MetricsUpdate("metrics", NOW, series))
    orders = next(ln for ln in summarize(state, NOW) if ln.route == "GET /orders")
    # The last ended minute, not the one in progress (1.0).
    assert (orders.source, orders.per_min, orders.errors_per_min, orders.p99_ms) == (
        "metrics",
        190.0,
        150.0,
        28900.0,
    )
    assert orders.mix == "504×8"  # the status mix still comes from the logs


def test_event_names_lose_their_api_version() -> None:
    assert event_name("UpdateFunctionConfiguration20150331v2") == "UpdateFunctionConfiguration"
    assert event_name("AddPermission20150331v2") == "AddPermission"
    assert event_name("CreateFunction20150331") == "CreateFunction"
    assert event_name("RevokeSecurityGroupIngress") == "RevokeSecurityGroupIngress"
