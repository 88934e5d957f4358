"""Benchmark: execution-log lines parsed, deduplicated and grouped into traces per second.

Drives the real LogsPoller over an in-memory FilterLogEvents fake (no HTTP: this measures
our code, not the network) with realistic execution-log traces, 10,000-event pages.

Run: .venv/bin/python bench/aws_log_ingest.py
"""

from __future__ import annotations

import asyncio
import bisect
import time
from typing import Any

from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.model import FrozenClock

T0 = 1_780_000_000.0
N = 200_000
LINES = [
    "Extended Request Id: Abc123=",
    "Starting execution for request: {rid}",
    "HTTP Method: GET, Resource Path: /orders",
    "Method request path: {{}}",
    "Method request headers: {{Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com, User-Agent=curl/8.4.0}}",
    "Endpoint request URI: http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders",
    "Sending request to http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders",
    "Execution failed due to a timeout error",
    "Method completed with status: 504",
    "X-ray Tracing ID : Root=1-6567a1b2-0123456789abcdef01234567",
]


class _Logs:
    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        self.stamps = [e["timestamp"] for e in events]

    async def filter_log_events(self, **kw: Any) -> dict[str, Any]:
        first = bisect.bisect_left(self.stamps, kw.get("startTime", 0))
        off = int(kw.get("nextToken") or first)
        page = self.events[off : off + 10_000]
        out: dict[str, Any] = {"events": page}
        if off + len(page) < len(self.events):
            out["nextToken"] = str(off + len(page))
        return out


class _Factory:
    def __init__(self, logs: _Logs) -> None:
        self.logs = logs

    async def client(self, service: str) -> _Logs:
        return self.logs


def events() -> list[dict[str, Any]]:
    out = []
    for i in range(N):
        rid = f"{i // 10:08x}-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
        out.append(
            {
                "eventId": f"{i:056d}",
                "timestamp": int((T0 + i / 1000) * 1000),
                "logStreamName": "a87ff679a2f3e71d9181a67b7542122c",
                "message": f"({rid}) " + LINES[i % 10].format(rid=rid),
                "ingestionTime": int((T0 + i / 1000 + 1) * 1000),
            }
        )
    return out


async def run() -> None:
    evs = events()
    clock = FrozenClock(T0 + N / 1000 + 1)
    poller = LogsPoller(_Factory(_Logs(evs)), clock, "grp", 2.0, lookback_s=10**6, max_events_per_update=N)
    import apigw_cockpit.aws.sources.logs as logs_mod

    logs_mod.MAX_PAGES = N // 10_000 + 1  # one poll reads everything
    t = time.perf_counter()
    [update] = await poller.poll()
    dt = time.perf_counter() - t
    traces = update.traces  # type: ignore[attr-defined]
    print(f"lines: {N}, traces: {len(traces)} (complete: {sum(t.complete for t in traces)})")
    print(f"parse + dedupe + group: {N / dt:,.0f} lines/s ({dt * 1000:.0f} ms) (budget >= 10,000 lines/s)")
    t = time.perf_counter()
    again = await poller.poll()  # the next poll re-reads the overlap window: all duplicates
    dt2 = time.perf_counter() - t
    reread = int(poller.overlap_s * 1000)  # 1,000 lines per simulated second in this data
    print(
        f"next poll re-reads the {poller.overlap_s:g} s overlap (~{reread:,} lines), delivers "
        f"{sum(len(u.events) for u in again)} duplicates: {dt2 * 1000:.0f} ms"
    )  # type: ignore[attr-defined]


if __name__ == "__main__":
    asyncio.run(run())
