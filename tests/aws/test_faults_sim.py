"""The fault matrix through the REAL client stack and the sim's fault injection, at DEFAULT settings.

Every polled operation × every fault kind (throttle, 5xx, latency, reset, denied), with the
default intervals, retries, timeouts and backoff (`AwsSettings` as a user gets it: no
`max_backoff`, interval or attempt overrides). Only the simulated clock runs faster. For each
pair: the faulted source shows the right state with a reason, the sources on other operations
keep delivering and stay ok, and once the fault is lifted the source is ok again on its first
poll, which was booked at most one interval out (throttling alone backs off, ≤ 2 intervals).

The 25 pairs run as 7 rounds: a Latin square (each round faults four operations with four
different kinds, one operation clean) plus two rounds for the pairs it leaves out.
"""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from collector import Collector, Seen, is_status

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.feed import build_pollers
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.demo.world import load_scenario
from apigw_cockpit.model import SourceState, SourceStatus

pytestmark = pytest.mark.sim

SPEED = 20.0  # simulated seconds per real second: a 60 s interval is 3 s here
LATENCY_S = 20.0  # real seconds: "a 20 s latency fault"
SLACK = 6 * SPEED  # six real seconds for a loaded machine (the sim shares this process's GIL)
KINDS = ("throttle", "5xx", "latency", "reset", "denied")
OPS = ("GetMetricData", "FilterLogEvents", "DescribeTargetHealth", "LookupEvents", "DescribeAlarms")
SOURCE_OP = {
    "metrics": "GetMetricData",
    "logs": "FilterLogEvents",
    "lambda_logs": "FilterLogEvents",
    "flow_logs": "FilterLogEvents",
    "target_health": "DescribeTargetHealth",
    "changes": "LookupEvents",
    "alarms": "DescribeAlarms",
}
EXPECTED = {
    "throttle": SourceState.THROTTLED,
    "5xx": SourceState.STALE,
    "latency": SourceState.STALE,
    "reset": SourceState.STALE,
    "denied": SourceState.DENIED,
}


def rounds() -> list[dict[str, str]]:
    """op → kind per round, covering all 25 pairs, each round leaving at least one op clean."""
    out: list[dict[str, str]] = []
    left: dict[str, str] = {}
    for r in range(len(OPS)):
        square = {op: KINDS[(i + r) % len(KINDS)] for i, op in enumerate(OPS)}
        clean = OPS[r]
        left[clean] = square.pop(clean)
        out.append(square)
    out.append({op: left[op] for op in OPS[:3]})
    out.append({op: left[op] for op in OPS[3:]})
    return out


def test_rounds_cover_every_pair_once() -> None:
    pairs = [(op, kind) for rnd in rounds() for op, kind in rnd.items()]
    assert sorted(pairs) == sorted((op, k) for op in OPS for k in KINDS)
    assert all(len(rnd) < len(OPS) for rnd in rounds())


async def test_fault_matrix_at_default_settings(sim_factory) -> None:  # type: ignore[no-untyped-def]
    # The world's own traffic thinned to a tenth: at 20× a full midnight-pager would spend the CPU
    # (and the GIL this process shares with it) generating requests, starving the client under test.
    scn = load_scenario("midnight-pager")
    scn = dataclasses.replace(scn, traffic={**scn.traffic, "rate_per_min": 19})
    with sim_factory(scn, speed=SPEED, backfill=600) as sim:
        # Defaults as a user gets them: intervals, attempts, timeouts, backoff all untouched.
        settings = AwsSettings(sim.api_id, sim.stage, endpoint_url=sim.endpoint_url)
        factory = ClientFactory(settings, sim.clock)
        topo = await discover(factory, sim.api_id, sim.stage)
        for service in ("cloudwatch", "logs", "elbv2", "cloudtrail"):
            await factory.client(service)  # load botocore's models now, not inside the first polls
        # The topology source re-runs discovery, which calls the faulted operations too: it is not
        # one of the "other sources" a fault must leave alone (tests/aws/test_topology_poller.py).
        pollers = [p for p in build_pollers(factory, sim.clock, topo, settings) if p.name != "topology"]
        by_name = {p.name: p for p in pollers}
        assert set(SOURCE_OP.values()) == set(OPS) and {"metrics", "logs", "alarms"} <= set(by_name)
        try:
            async with Collector(pollers, sim.clock) as col:
                await _all(col, {n: is_status(n, SourceState.OK) for n in by_name}, 0, {})
                for rnd in rounds():
                    await _round(sim, col, by_name, rnd)
        finally:
            await factory.aclose()
    reasons = " ".join(
        s.update.last_error for s in col.seen if isinstance(s.update, SourceStatus) and s.update.last_error
    )
    # Real AWS error codes came through the real parsers: throttling per protocol, denied, 5xx.
    for code in ("ThrottlingException", "Throttling:", "AccessDeniedException", "AccessDenied:"):
        assert code in reasons, code
    assert "InternalFailure" in reasons and "timed out" in reasons


async def _round(sim, col: Collector, by_name: dict, rnd: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    faulted = {n: rnd[op] for n, op in SOURCE_OP.items() if n in by_name and op in rnd}
    clean = [n for n in by_name if n not in faulted]
    assert clean, rnd
    mark = len(col.seen)
    set_at = sim.clock.now()
    for op, kind in rnd.items():
        sim.faults.set(op, kind, seconds=LATENCY_S if kind == "latency" else None)
    # The right state, with a reason, in the faulted source's own status; about one interval.
    bad = await _all(col, {n: is_status(n, EXPECTED[k]) for n, k in faulted.items()}, mark, rnd)
    for (name, kind), hit in zip(faulted.items(), bad, strict=True):
        p = by_name[name]
        assert isinstance(hit.update, SourceStatus) and hit.update.last_error, (name, kind)
        assert hit.sim - set_at <= p.interval * (1 + p.jitter) + p.effective_deadline + SLACK, (name, kind)
    # Sources on other operations keep polling successfully (CloudTrail sends data only when
    # something changed, so: a successful poll since the faults were set), and never leave ok.
    await _all(col, {n: _polled_ok_since(by_name[n], set_at) for n in clean}, mark, rnd)
    assert not [s for s in col.seen[mark:] if _status_of(s) in clean and s.update.state != SourceState.OK]
    # Lift the faults: each faulted source's next poll is booked ≤ one interval out, and it is ok.
    cleared_at = sim.clock.now()
    booked = {n: by_name[n].status().next_poll for n in faulted}
    mark = len(col.seen)
    sim.faults.clear()
    oks = await _all(col, {n: is_status(n, SourceState.OK) for n in faulted}, mark, rnd)
    for (name, kind), ok in zip(faulted.items(), oks, strict=True):
        p = by_name[name]
        due = booked[name]
        # (+ 5 s: metrics retry at the next minute boundary plus CloudWatch's settle delay)
        bound = p.max_backoff if kind == "throttle" else p.interval * (1 + p.jitter) + 5.0
        assert due is not None and due - cleared_at <= bound + 1e-6, (name, kind, due - cleared_at)
        # How long the poll still in flight takes to end is real time (botocore's retry sleeps, its
        # adaptive rate limiter, a 20 s server-side sleep): not a sim-time promise, so not timed.
        assert isinstance(ok.update, SourceStatus) and ok.update.last_error == "", (name, kind)


async def _all(col: Collector, preds: dict, after: int, rnd: dict[str, str]) -> list[Seen]:  # type: ignore[type-arg]
    """The first match of each predicate (60 real seconds at most: the machine may be loaded);
    on a timeout, say which source and what it last said."""

    async def one(name: str) -> Seen:
        try:
            return await col.wait(preds[name], after=after, timeout=60)
        except TimeoutError:
            last = [(s.update.state.value, s.update.last_error) for s in col.seen if _status_of(s) == name]
            raise AssertionError(f"{name} in round {rnd}: last statuses {last[-3:]}") from None

    return list(await asyncio.gather(*(one(n) for n in preds)))


def _polled_ok_since(p, t: float):  # type: ignore[no-untyped-def]
    # Re-evaluated on every delivery from any source (the collector wakes on each).
    return lambda _s: p.last_ok is not None and p.last_ok > t


def _status_of(s: Seen) -> str:
    return s.update.source if isinstance(s.update, SourceStatus) else ""
