"""Faults through the real client stack and the sim's fault injection.

Every polled operation and every fault kind appears (a Latin-square diagonal, not all 25
pairs: the full operation × kind matrix runs against the in-process fake in
test_pollers.py, where it costs a second instead of a minute). The faulted source reports
throttled/stale/denied with the reason, the others keep delivering, and it recovers within
one interval once the fault clears.
"""

from __future__ import annotations

import pytest
from collector import Collector, is_data, is_status

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.feed import build_pollers
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings, Intervals
from apigw_cockpit.model import SourceState, SourceStatus

pytestmark = pytest.mark.sim

IV = 1.0  # every source polls every simulated second here (0.1 s real at speed 10)
SPEED = 10.0
CASES = [
    ("GetMetricData", "throttle"),
    ("FilterLogEvents", "5xx"),
    ("DescribeTargetHealth", "reset"),
    ("LookupEvents", "latency"),
    ("DescribeAlarms", "denied"),
    ("DescribeTargetHealth", "throttle"),  # ec2-style query protocol codes too
    ("GetMetricData", "denied"),  # CloudWatch speaks CBOR: its errors parse too
]
OPS = {
    "GetMetricData": "metrics",
    "FilterLogEvents": "logs",
    "DescribeTargetHealth": "target_health",
    "LookupEvents": "changes",
    "DescribeAlarms": "alarms",
}
EXPECTED = {
    "throttle": SourceState.THROTTLED,
    "5xx": SourceState.STALE,
    "latency": SourceState.STALE,
    "reset": SourceState.STALE,
    "denied": SourceState.DENIED,
}


async def test_fault_matrix_through_sim(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("midnight-pager", speed=SPEED, backfill=600) as sim:
        settings = AwsSettings(
            sim.api_id, sim.stage, endpoint_url=sim.endpoint_url, max_attempts=1, read_timeout=2.0,
            connect_timeout=0.5, backfill_s=600, intervals=Intervals(IV, IV, IV, IV, IV, IV),
        )  # fmt: skip
        factory = ClientFactory(settings, sim.clock)
        topo = await discover(factory, sim.api_id, sim.stage)
        pollers = [p for p in build_pollers(factory, sim.clock, topo, settings) if p.name in OPS.values()]
        for p in pollers:
            p.max_backoff = p.interval
        try:
            async with Collector(pollers, sim.clock) as col:
                for source in OPS.values():
                    await col.wait(is_status(source, SourceState.OK), timeout=30)
                for op, kind in CASES:
                    source, expected = OPS[op], EXPECTED[kind]
                    mark = len(col.seen)
                    sim.faults.set(op, kind, seconds=4.0 if kind == "latency" else None)
                    bad = await col.wait(is_status(source, expected), after=mark, timeout=20)
                    assert isinstance(bad.update, SourceStatus) and bad.update.last_error, (op, kind)
                    other = "target_health" if source != "target_health" else "alarms"
                    await col.wait(is_data(other), after=len(col.seen), timeout=20)
                    poller = next(p for p in pollers if p.name == source)
                    cleared_at = sim.clock.now()
                    due = poller.status().next_poll
                    mark = len(col.seen)
                    sim.faults.clear()
                    await col.wait(is_status(source, SourceState.OK), after=mark, timeout=20)
                    assert due is not None and due - cleared_at <= IV + 1e-6, (op, kind)
        finally:
            await factory.aclose()
    reasons = {
        s.update.last_error.split(":")[0]
        for s in col.seen
        if isinstance(s.update, SourceStatus) and s.update.state != SourceState.OK and s.update.last_error
    }
    # Real AWS error codes came through the real parsers: throttling per protocol, denied, 5xx.
    assert {"TooManyRequestsException", "ThrottlingException"} & reasons or "Throttling" in reasons
    assert any("AccessDenied" in r or "UnauthorizedOperation" in r for r in reasons)
