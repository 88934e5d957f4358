"""Execution-log polling: no duplicate or lost events across 10,000 with late arrivals and paging."""

from __future__ import annotations

import asyncio
import random

from fake_aws import FakeFactory, FakeWorld, LogRecord

from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import LAMBDA, LogBuffer, TraceGrouper, request_id
from apigw_cockpit.model import FrozenClock, LogEvent, LogsUpdate

T0 = 1_780_000_000.0
GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"
LINES = [
    "Starting execution for request: {rid}",
    "HTTP Method: GET, Resource Path: /orders",
    "Endpoint request URI: http://orders.internal/orders",
    "Sending request to http://orders.internal/orders",
    "Execution failed due to a timeout error",
    "Method completed with status: 504",
    "X-ray Tracing ID : Root=1-abc",
    "AWS Integration Endpoint RequestId : xyz",
    "Method response headers: {{}}",
    "Method request headers: {{Authorization=Bearer abc}}",
]


def _world(
    clock: FrozenClock, n: int = 10_000, seed: int = 7
) -> tuple[FakeWorld, dict[str, list[str]], set[str]]:
    rng = random.Random(seed)
    world = FakeWorld(clock)
    by_req: dict[str, list[str]] = {}
    late_reqs: set[str] = set()
    for i in range(n):
        req = f"{i // 10:08x}-0000-4000-8000-000000000000"
        ts = T0 + i * 0.05  # 20 lines/s over 500 s
        delay = rng.uniform(0.2, 1.5)
        if rng.random() < 0.1:
            delay = rng.uniform(5, 55)  # late, but inside the 60 s overlap window
            late_reqs.add(req)
        msg = f"({req}) " + LINES[i % 10].format(rid=req)
        by_req.setdefault(req, []).append(LINES[i % 10].format(rid=req))
        world.logs.append(LogRecord(int(ts * 1000), f"ev{i:06d}", f"stream-{i % 3}", msg, ts + delay))
    return world, by_req, late_reqs


async def test_10k_events_no_duplicates_no_losses() -> None:
    clock = FrozenClock(T0)
    world, by_req, late = _world(clock)
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=60)
    seen: list[str] = []
    final: dict[str, tuple[str, ...]] = {}
    while clock.now() < T0 + 700:
        for u in await poller.poll():
            assert isinstance(u, LogsUpdate)
            assert u.dropped == 0
            seen += [e.event_id for e in u.events]
            for t in u.traces:
                final[t.request_id] = t.lines
        clock.advance(2.0)
    assert len(seen) == len(set(seen)) == 10_000
    assert set(seen) == {r.event_id for r in world.logs}
    # Paging was exercised: every poll needed several pages of 137.
    assert world.calls["FilterLogEvents"] > 700 / 2
    # Requests whose lines all arrived promptly come out whole, in order, prefix stripped.
    for req, lines in by_req.items():
        if req not in late:
            assert final[req] == tuple(lines), req


async def test_overflow_keeps_newest_and_counts_dropped() -> None:
    clock = FrozenClock(T0)
    world, _, _ = _world(clock, n=250)
    clock.advance(200)
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, max_events_per_update=100)
    [u] = await poller.poll()
    assert isinstance(u, LogsUpdate)
    assert len(u.events) == 100 and u.dropped == 150
    assert u.events[-1].event_id == "ev000249"


def test_trace_completion_and_quiet_timeout() -> None:
    g = TraceGrouper(quiet_s=30, linger_s=10)

    def ev(rid: str, ts: float, msg: str) -> LogEvent:
        return LogEvent(f"{rid}{ts}", ts, GROUP, "s", f"({rid}) {msg}", request_id=rid)

    out = g.add(
        [
            ev("req-aaaaaaaa", T0, "Starting execution"),
            ev("req-aaaaaaaa", T0 + 1, "Method completed with status: 502"),
        ],
        T0,
    )
    assert out[0].complete and out[0].lines[-1] == "Method completed with status: 502"
    out = g.add([ev("req-bbbbbbbb", T0, "Starting execution")], T0)
    assert not out[0].complete
    timed_out = g.expire(T0 + 31)
    assert [t.request_id for t in timed_out] == ["req-bbbbbbbb"] and timed_out[0].complete
    assert len(g) == 0


def test_lambda_request_ids() -> None:
    rid = "8f5c1b2a-1111-4222-8333-944445555666"
    assert request_id(f"START RequestId: {rid} Version: $LATEST", LAMBDA) == rid
    assert request_id(f"2024-01-01T00:00:00.000Z\t{rid}\tERROR\tboom", LAMBDA) == rid
    assert request_id("plain line", LAMBDA) == ""


def test_log_buffer_bounded() -> None:
    buf = LogBuffer(cap=100)
    buf.extend(LogEvent(str(i), float(i), GROUP, "s", "m") for i in range(250))
    assert len(buf) == 100 and buf.dropped == 150 and buf.snapshot()[0].event_id == "150"


def test_seen_ids_prune_and_cap() -> None:
    from apigw_cockpit.aws.sources.traces import SeenIds

    s = SeenIds(cap=5000)
    for i in range(6000):
        assert s.add(f"id{i}", float(i))
    assert len(s) == 5000 and not s.add("id5999", 5999.0) and s.add("id0", 0.0)  # id0 was evicted
    s.prune_before(5900.0)
    # id0 (ts 0) arrived last: pruning stops at the first id inside the window, so it stays.
    assert len(s) == 101 and not s.add("id5950", 5950.0)
    assert s.add("id5000", 5000.0)


async def test_live_tail_falls_back_to_polling() -> None:
    from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
    from apigw_cockpit.model import ScaledClock, SourceStatus

    clock = ScaledClock(T0 + 100, speed=100.0)
    world, _, _ = _world(clock, n=200)  # type: ignore[arg-type]
    p = LiveTailPoller(FakeFactory(world), clock, [GROUP], 2.0, account="123456789012", region="us-east-1")
    got = []

    async def until_logs() -> None:
        async for u in p:
            got.append(u)
            if isinstance(u, LogsUpdate):
                return

    await asyncio.wait_for(until_logs(), 5)
    assert not p.live and "polling instead" in p.fallback_reason
    assert any(isinstance(u, SourceStatus) and "InvalidOperationException" in u.last_error for u in got)
    logs = [u for u in got if isinstance(u, LogsUpdate)]
    assert logs and len(logs[0].events) == 200
    await p.aclose()


async def test_live_tail_says_connecting_while_dialling_then_polls() -> None:
    """A StartLiveTail that hangs (botocore retrying): `connecting`, never `ok` over an empty pane;
    after the poll deadline it falls back to polling and the events arrive."""
    from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
    from apigw_cockpit.model import ScaledClock, SourceState, SourceStatus

    clock = ScaledClock(T0 + 100, speed=10.0)
    world, _, _ = _world(clock, n=50)  # type: ignore[arg-type]
    world.live_tail = "hang"
    p = LiveTailPoller(FakeFactory(world), clock, [GROUP], 2.0, account="123456789012", region="us-east-1")
    got = []

    async def until_logs() -> None:
        async for u in p:
            got.append(u)
            if isinstance(u, LogsUpdate) and u.events:
                return

    await asyncio.wait_for(until_logs(), 10)
    states = [u.state for u in got if isinstance(u, SourceStatus)]
    first_logs = next(i for i, u in enumerate(got) if isinstance(u, LogsUpdate))
    before = [u for u in got[:first_logs] if isinstance(u, SourceStatus)]
    assert SourceState.CONNECTING in states
    assert all(u.state != SourceState.OK or "polling instead" in u.last_error for u in before)
    assert not p.live and "did not connect within" in p.fallback_reason
    assert p.status().state == SourceState.OK
    await p.aclose()
