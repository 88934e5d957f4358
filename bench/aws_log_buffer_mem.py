"""Benchmark: memory of the log buffers at their caps (tracemalloc).

The bounded LogBuffer (events for a pane), the dedupe id set, and the open-trace grouper,
each filled past its cap with realistic execution-log events.

Run: .venv/bin/python bench/aws_log_buffer_mem.py
"""

from __future__ import annotations

import tracemalloc

from apigw_cockpit.aws.sources.traces import LogBuffer, SeenIds, TraceGrouper
from apigw_cockpit.model import LogEvent

T0 = 1_780_000_000.0
MSG = (
    "({rid}) Endpoint request URI: http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders"
    " headers: {{x-amzn-apigateway-api-id=a1b2c3d4e5, Accept=application/json}}"
)


def event(i: int) -> LogEvent:
    rid = f"{i // 10:08x}-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    return LogEvent(f"{i:056d}", T0 + i / 1000, "API-Gateway-Execution-Logs_a1b2c3d4e5/prod",
                    "a87ff679a2f3e71d9181a67b7542122c", MSG.format(rid=rid), T0, rid)  # fmt: skip


def measure(name: str, build) -> None:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"{name}: {(after - before) / 1e6:.1f} MB")
    del keep


def buffer() -> LogBuffer:
    b = LogBuffer(cap=10_000)
    b.extend(event(i) for i in range(25_000))
    assert len(b) == 10_000 and b.dropped == 15_000
    return b


def seen() -> SeenIds:
    s = SeenIds(cap=300_000)
    for i in range(350_000):
        s.add(f"{i:056d}")
    return s


def grouper() -> TraceGrouper:
    g = TraceGrouper(max_open=5000, quiet_s=1e9)
    # Open traces only (no completion line): the worst case for the grouper's memory.
    g.add((event(i) for i in range(60_000)), T0)
    return g


if __name__ == "__main__":
    measure("LogBuffer at cap 10,000 events (25,000 fed, 15,000 dropped)", buffer)
    measure("SeenIds at its cap, 300,000 event ids (normally time-pruned far below)", seen)
    measure("TraceGrouper at cap 5,000 open traces x 10 lines", grouper)
