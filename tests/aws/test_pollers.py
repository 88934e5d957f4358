"""Pollers: each delivers within one interval; the fault matrix; metrics/changes/alarms shapes."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from collector import Collector, is_data, is_status
from fake_aws import FakeFactory, FakeWorld, LogRecord, trail_event
from topo_fixture import NLB_ARN, SG, TARGETS, TG_ARN, topology

from apigw_cockpit.aws.feed import build_pollers
from apigw_cockpit.aws.settings import AwsSettings, Intervals
from apigw_cockpit.aws.sources.changes import ChangesPoller
from apigw_cockpit.aws.sources.metrics import MetricsPoller, series_for
from apigw_cockpit.model import (
    AlarmsUpdate,
    ChangesUpdate,
    FrozenClock,
    MetricsUpdate,
    ScaledClock,
    SourceState,
    SourceStatus,
    TargetHealthUpdate,
)

T0 = 1_780_000_000.0
SPEED = 200.0
INTERVALS = Intervals(metrics=20, logs=2, lambda_logs=2, target_health=5, changes=20, alarms=20)
SOURCES = {
    "GetMetricData": ("metrics", INTERVALS.metrics),
    "FilterLogEvents": ("logs", INTERVALS.logs),
    "DescribeTargetHealth": ("target_health", INTERVALS.target_health),
    "LookupEvents": ("changes", INTERVALS.changes),
    "DescribeAlarms": ("alarms", INTERVALS.alarms),
}
EXPECTED = {
    "throttle": SourceState.THROTTLED,
    "5xx": SourceState.STALE,
    "latency": SourceState.STALE,
    "reset": SourceState.STALE,
    "denied": SourceState.DENIED,
}


def _world(clock: object) -> FakeWorld:
    w = FakeWorld(clock)  # type: ignore[arg-type]
    for i in range(5):
        msg = f"(req-0000000{i}) Method completed with status: 502"
        w.logs.append(LogRecord(int((T0 - 30 + i) * 1000), f"e{i}", "s", msg, T0 - 20))
    w.target_health = [
        {
            "_tg": TG_ARN,
            "Target": {"Id": ip, "Port": 8080},
            "TargetHealth": {
                "State": "unhealthy",
                "Reason": "Target.FailedHealthChecks",
                "Description": "Health checks failed",
            },
        }
        for ip, _ in TARGETS
    ]
    when = dt.datetime.fromtimestamp(T0 - 600, dt.UTC)
    w.trail = [
        trail_event("ev-1", when, "RevokeSecurityGroupIngress", {"groupId": SG, "ipPermissions": {}}),
        trail_event("ev-2", when, "RevokeSecurityGroupIngress", {"groupId": "sg-unrelated0000"}),
    ]
    w.alarms = [
        {
            "AlarmName": "orders-5xx",
            "StateValue": "ALARM",
            "StateReason": "Threshold crossed",
            "MetricName": "5XXError",
            "Namespace": "AWS/ApiGateway",
            "Dimensions": [{"Name": "ApiName", "Value": "orders-prod"}],
        },
        {
            "AlarmName": "other",
            "StateValue": "OK",
            "MetricName": "5XXError",
            "Namespace": "AWS/ApiGateway",
            "Dimensions": [{"Name": "ApiName", "Value": "someone-else"}],
        },
    ]
    return w


def _pollers(world: FakeWorld, clock: object, **kw: object) -> list:
    settings = AwsSettings("a1b2c3d4e5", "prod", intervals=INTERVALS)
    pollers = build_pollers(FakeFactory(world), clock, topology(), settings, **kw)  # type: ignore[arg-type]
    return [p for p in pollers if p.name in {s for s, _ in SOURCES.values()}]


async def test_each_poller_delivers_within_one_interval() -> None:
    # 20×, not 200×: the 2 s of slack below are then 100 ms of real scheduling time, not 10 ms.
    speed = 20.0
    clock = ScaledClock(T0, speed)
    world = _world(clock)
    async with Collector(_pollers(world, clock), clock) as col:
        start = clock.now()
        for source, interval in SOURCES.values():
            hit = await col.wait(is_data(source), timeout=interval / speed * 3 + 2)
            assert hit.sim - start <= interval * 1.1 + 2, (source, hit.sim - start)
        # …and again on their next round (the second delivery of logs, health).
        first = len(col.seen)
        await col.wait(is_data("target_health"), after=first, timeout=2)
    by_type = {type(s.update) for s in col.seen}
    assert {MetricsUpdate, TargetHealthUpdate, ChangesUpdate, AlarmsUpdate, SourceStatus} <= by_type
    th = next(s.update for s in col.seen if isinstance(s.update, TargetHealthUpdate))
    assert {t.az for t in th.targets} == {"us-east-1a", "us-east-1b"}
    assert {t.reason for t in th.targets} == {"Target.FailedHealthChecks"}
    ch = next(s.update for s in col.seen if isinstance(s.update, ChangesUpdate))
    assert [c.event_id for c in ch.changes] == ["ev-1"]
    assert ch.changes[0].resources == (SG,) and ch.changes[0].user == "alex"
    al = next(s.update for s in col.seen if isinstance(s.update, AlarmsUpdate))
    assert [a.name for a in al.alarms] == ["orders-5xx"]


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("operation", list(SOURCES))
async def test_fault_matrix(operation: str, kind: str) -> None:
    """Default backoff (no max_backoff override): right state, others live, ok one poll after."""
    source, interval = SOURCES[operation]
    clock = ScaledClock(T0, SPEED)
    world = _world(clock)
    pollers = _pollers(world, clock)
    async with Collector(pollers, clock) as col:
        for s, _ in SOURCES.values():
            await col.wait(is_status(s, SourceState.OK), timeout=3)
        mark = len(col.seen)
        world.faults[operation] = kind
        bad = await col.wait(is_status(source, EXPECTED[kind]), after=mark, timeout=3)
        assert isinstance(bad.update, SourceStatus) and bad.update.last_error
        assert bad.update.last_ok is not None
        # Another source keeps delivering while this one is broken.
        other = "target_health" if source != "target_health" else "alarms"
        await col.wait(is_data(other), after=len(col.seen), timeout=3)
        poller = next(p for p in pollers if p.name == source)
        cleared_at = clock.now()
        polls_at_clear, due_at_clear = poller.polls, poller.status().next_poll
        mark = len(col.seen)
        world.faults.clear()
        ok = await col.wait(is_status(source, SourceState.OK), after=mark, timeout=3)
        # The retry was booked at most one (jittered) interval out — throttling alone backs off, to
        # at most two intervals — and it is the one that succeeds.
        # (+ 5 s: metrics retry at the next minute boundary plus CloudWatch's settle delay)
        bound = 2 * interval if kind == "throttle" else interval * (1 + poller.jitter) + 5.0
        assert due_at_clear is not None and due_at_clear - cleared_at <= bound + 1e-6
        assert poller.polls - polls_at_clear <= 2
        assert isinstance(ok.update, SourceStatus) and ok.update.last_error == ""  # no stale error text


async def test_denied_is_retried_every_interval_and_recovers_in_one_poll() -> None:
    """Denied for several polls: each retry one interval apart (not 4), ok on the first poll after."""
    clock = FrozenClock(T0)
    world = _world(clock)
    [p] = [p for p in _pollers(world, clock) if p.name == "alarms"]
    world.faults["DescribeAlarms"] = "denied"
    for _ in range(4):
        clock.set(p._due if p._due is not None else clock.now())
        await p._run_once()
        assert p.state == SourceState.DENIED
        assert p._due is not None and p._due - clock.now() <= p.interval * (1 + p.jitter) + 1e-6
    world.faults.clear()
    clock.set(p._due)
    await p._run_once()
    assert p.state == SourceState.OK and p.last_error == "" and p.failures == 0


async def test_throttle_backs_off_capped_and_resets_on_first_success() -> None:
    clock = FrozenClock(T0)
    world = _world(clock)
    [p] = [p for p in _pollers(world, clock) if p.name == "changes"]
    world.faults["LookupEvents"] = "throttle"
    delays = []
    for _ in range(6):
        await p._run_once()
        assert p._due is not None
        delays.append(p._due - clock.now())
        clock.set(p._due)
    assert p.state == SourceState.THROTTLED and p.throttles == 6
    assert max(delays) <= 2 * p.interval + 1e-6  # capped: recovers soon after throttling stops
    assert max(delays[3:]) > p.interval  # but it does back off while AWS says slow down
    world.faults.clear()
    await p._run_once()
    assert p.state == SourceState.OK and p.failures == 0 and p.last_error == ""
    assert p._due - clock.now() <= p.interval * (1 + p.jitter)  # back to the normal period at once


async def test_a_hung_call_shows_stale_within_one_interval() -> None:
    """An endpoint that never answers: stale after one poll deadline (≤ the interval), not 4 × 15 s."""
    speed = 10.0
    clock = ScaledClock(T0, speed)
    world = _world(clock)
    defaults = AwsSettings("a1b2c3d4e5", "prod")  # default intervals: target health every 10 s
    pollers = build_pollers(FakeFactory(world), clock, topology(), defaults)  # type: ignore[arg-type]
    [p] = [p for p in pollers if p.name == "target_health"]
    async with Collector([p], clock) as col:
        await col.wait(is_status("target_health", SourceState.OK), timeout=3)
        mark = len(col.seen)
        world.faults["DescribeTargetHealth"] = "hang"
        hung_at = clock.now()
        stale = await col.wait(is_status("target_health", SourceState.STALE), after=mark, timeout=10)
    assert isinstance(stale.update, SourceStatus) and "no answer within" in stale.update.last_error
    # At most one interval until the poll starts, then the deadline (≤ interval for a 10 s source).
    assert p.deadline <= p.interval
    assert stale.sim - hung_at <= p.interval * (1 + p.jitter) + p.effective_deadline + 1.0


def test_poll_deadline_is_sized_to_the_interval() -> None:
    from apigw_cockpit.aws.sources.base import poll_deadline

    for interval in (10.0, 60.0, 300.0):
        assert poll_deadline(interval) <= interval
    assert poll_deadline(60.0) <= 30.0  # a 20 s latency fault cannot hide for 82-105 s
    assert poll_deadline(2.0) >= 2.0  # a fast source still gets time for a slow page


def test_metrics_series_cover_topology() -> None:
    keys = series_for(topology())
    labels = {k.label for k in keys}
    assert "AWS/ApiGateway/5XXError[ApiName=orders-prod,Stage=prod]:Sum" in labels
    assert "AWS/ApiGateway/IntegrationLatency[ApiName=orders-prod,Stage=prod]:p99" in labels
    assert any(k.metric == "5XXError" and ("Resource", "/orders") in k.dimensions for k in keys)
    nlb = [k for k in keys if k.namespace == "AWS/NetworkELB"]
    assert {dict(k.dimensions).get("AvailabilityZone") for k in nlb} == {None, "us-east-1a", "us-east-1b"}
    assert all(dict(k.dimensions)["LoadBalancer"] == "net/orders-nlb/50dc6c495c0c9188" for k in nlb)
    assert all(dict(k.dimensions)["TargetGroup"].startswith("targetgroup/orders-tg/") for k in nlb)
    assert any(k.namespace == "AWS/Lambda" and k.metric == "Duration" for k in keys)
    assert len(keys) <= 500
    assert NLB_ARN.endswith(dict(nlb[0].dimensions)["LoadBalancer"])


async def test_metrics_one_call_per_poll_backfill_then_incremental() -> None:
    clock = FrozenClock(T0)
    world = _world(clock)
    f = FakeFactory(world)
    p = MetricsPoller(f, clock, topology(), 60.0, backfill_s=3600, history_s=7200)
    [u1] = await p.poll()
    assert isinstance(u1, MetricsUpdate) and u1.backfill
    assert world.calls["GetMetricData"] == 1
    assert 60 <= len(u1.series[0].points) <= 61
    clock.advance(60)
    [u2] = await p.poll()
    assert isinstance(u2, MetricsUpdate) and not u2.backfill
    assert world.calls["GetMetricData"] == 2
    pts = [t for t, _ in u2.series[0].points]
    assert pts == sorted(set(pts)) and len(pts) == len(u1.series[0].points) + 1
    # Meter: one GetMetricData per minute, billed per metric requested.
    snap = f.meter.snapshot()
    assert snap.calls_per_min["GetMetricData"] == 2  # both inside the sliding minute
    assert snap.cost_per_hour_usd > 0
    clock.advance(3 * 3600)
    [u3] = await p.poll()
    assert isinstance(u3, MetricsUpdate)
    assert min(t for t, _ in u3.series[0].points) >= clock.now() - 7200


async def test_changes_respects_token_bucket() -> None:
    clock = ScaledClock(T0, 1.0)
    world = _world(clock)
    world.trail = [
        trail_event(f"ev-{i}", dt.datetime.fromtimestamp(T0 - 60, dt.UTC), "X", {"groupId": SG})
        for i in range(3)
    ]
    p = ChangesPoller(FakeFactory(world), clock, topology(), 60.0, tps=50.0)
    t = time.monotonic()
    for _ in range(5):
        await p.bucket.take()
    # 50 TPS with a burst of 50: five takes are immediate; the bucket only waits when empty.
    assert time.monotonic() - t < 0.5
    slow = ChangesPoller(FakeFactory(world), clock, topology(), 60.0, tps=20.0)
    slow.bucket._tokens = 0
    t = time.monotonic()
    await slow.bucket.take()
    assert time.monotonic() - t >= 0.04


async def test_metrics_split_only_above_500_queries() -> None:
    import dataclasses

    from apigw_cockpit.model import Method, Resource

    base = topology()
    many = tuple(Resource(f"r{i}", f"/p{i}", (Method("GET"),)) for i in range(120))  # 5 series each
    topo = dataclasses.replace(base, resources=base.resources + many)
    clock = FrozenClock(T0)
    world = _world(clock)
    p = MetricsPoller(FakeFactory(world), clock, topo, 60.0, backfill_s=600)
    assert 500 < len(p.keys) <= 1000
    [u] = await p.poll()
    assert world.calls["GetMetricData"] == 2
    assert isinstance(u, MetricsUpdate) and len(u.series) == len(p.keys) and all(s.points for s in u.series)
