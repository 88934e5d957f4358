"""Worst UI stall during a 10,000 lines/s execution-log burst, in the demo (DESIGN section 9: < 100 ms).

The real app (build_app, the real state store, the real feed polling a SimServer on
midnight-pager at speed 1, rendering for a 120x36 terminal into a byte counter) gets extra
execution-log lines through the path the log poller uses: a LogsPoller's `emit()` (sorting,
the trace grouper) runs on the app's event loop, and its LogsUpdate is posted as a LogsBatch
message, exactly as `FeedWorkers._consume` does. Meanwhile a task sleeps 10 ms at a time on the
same loop and records how late it wakes: that lateness is the UI stall.

Two shapes of the same 10,000 lines/s for --seconds (default 5):
  smooth: 1,000 lines every 100 ms (Live Tail-like arrival)
  polled: 20,000 lines every 2 s (what FilterLogEvents polling at the default 2 s interval
          delivers; 20,000 is the poller's cap per update)
and a baseline window with no injection. `ui_cockpit.py` measures the same on the fake feed.

The longest single steps are printed per window, garbage collections included: in the demo
process a full (gen 2) collection walks moto's and the world's objects too. `--gc-freeze`
calls gc.freeze() once start-up has settled, to show what that costs the UI.

Run: .venv/bin/python bench/demo_burst.py [--seconds 5] [--gc-freeze]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from typing import Any

from textual.drivers.headless_driver import HeadlessDriver

from demo_startup import COLS, ROWS, SCENARIO, load_line

RATE = 10_000
TICK_S = 0.010
TRACE = (
    "Extended Request Id: Zx{n}=",
    "Starting execution for request: {rid}",
    "HTTP Method: GET, Resource Path: /orders",
    "Method request path: {{}}",
    "Method request headers: {{Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com, User-Agent=curl/8.4.0}}",
    "Endpoint request URI: http://orders-nlb.elb.us-east-1.amazonaws.com/orders",
    "Sending request to http://orders-nlb.elb.us-east-1.amazonaws.com/orders",
    "Execution failed due to a timeout error",
    "Method completed with status: 504",
    "X-ray Tracing ID : Root=1-6567a1b2-0123456789abcdef01234567",
)


class CountingDriver(HeadlessDriver):
    """Renders as for a terminal (not headless) and counts the bytes instead of writing them."""

    written = 0

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        CountingDriver.written += len(data)


class LagMonitor:
    """Sleeps TICK_S at a time on the app's loop; how late each wake-up is = the loop's stall."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.running = True

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.running:
            t = loop.time()
            await asyncio.sleep(TICK_S)
            self.samples.append(loop.time() - t - TICK_S)

    def window(self) -> list[float]:
        out, self.samples = self.samples, []
        return out


def make_events(seq: int, count: int, now: float, group: str) -> list[Any]:
    from apigw_cockpit.model import LogEvent

    events = []
    for i in range(count):
        n = i // len(TRACE)
        rid = f"{seq:08x}-{n:04x}-4000-8000-00000000b00b"
        text = TRACE[i % len(TRACE)].format(rid=rid, n=n)
        # Ids are unique per line, as CloudWatch's are; timestamps within the last batch period.
        events.append(LogEvent(f"burst-{seq}-{i}", now - 0.001 * (count - i) / count, group,
                               "a87ff679a2f3e71d9181a67b7542122c", f"({rid}) {text}", now, rid))  # fmt: skip
    return events


class Costs:
    """Longest single step on the loop, per kind: where a stall comes from."""

    def __init__(self) -> None:
        self.worst: dict[str, float] = {}

    def add(self, kind: str, seconds: float) -> None:
        self.worst[kind] = max(self.worst.get(kind, 0.0), seconds)

    def take(self) -> str:
        out = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.worst.items())
        self.worst = {}
        return out


COSTS = Costs()


def time_gc() -> None:
    """Record the longest garbage collection per generation: with moto and the world in the
    process the heap holds millions of objects, and a full collection stops every thread."""
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            COSTS.add(f"gc gen{info['generation']}", time.perf_counter() - started[0])

    gc.callbacks.append(callback)


def time_state_apply(state: Any) -> None:
    """Wrap the store's apply() (called by the LogsBatch handler) to record its longest call."""
    apply = state.apply

    def timed(update: Any) -> None:
        t = time.perf_counter()
        apply(update)
        COSTS.add("state.apply", time.perf_counter() - t)

    state.apply = timed


async def inject(app: Any, sim: Any, period: float, seconds: float) -> int:
    """RATE lines/s as one LogsUpdate every `period` s, through LogsPoller.emit and a LogsBatch."""
    from apigw_cockpit.aws.sources.logs import LogsPoller
    from apigw_cockpit.ui.messages import LogsBatch

    group = app.feed.topology.log_groups.execution
    poller = LogsPoller(None, sim.clock, [group], period)  # no client: emit() only
    per = int(RATE * period)
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = seq = 0
    while loop.time() - start < seconds:
        seq += 1
        now = sim.clock.now()
        t = time.perf_counter()
        events = make_events(seq, per, now, group)
        t1 = time.perf_counter()
        updates = poller.emit(events, now)
        COSTS.add("make events", t1 - t)
        COSTS.add("LogsPoller.emit", time.perf_counter() - t1)
        for update in updates:
            app.post_message(LogsBatch("logs", update))
        sent += per
        await asyncio.sleep(max(0.0, start + seq * period - loop.time()))
    return sent


REPORT: list[str] = []  # printed after the app exits: Textual captures print() while it runs


def describe(name: str, samples: list[float], extra: str = "") -> None:
    if not samples:
        REPORT.append(f"  {name:9s} no samples")
        return
    s = sorted(samples)
    p99 = s[min(len(s) - 1, int(len(s) * 0.99))]
    REPORT.append(
        f"  {name:9s} worst stall {max(s) * 1000:6.0f} ms  p99 {p99 * 1000:5.0f} ms  "
        f"median {statistics.median(s) * 1000:4.1f} ms  ({len(s)} wake-ups){extra}"
    )


async def run(sim: Any, seconds: float, freeze: bool = False) -> None:
    from apigw_cockpit.aws.feed import open_feed
    from apigw_cockpit.commands.demo import sim_settings
    from apigw_cockpit.config import Settings
    from apigw_cockpit.ui.app import build_app

    feed = await open_feed(sim_settings(sim, live_tail=False), sim.clock)
    app = build_app(Settings(), feed, sim.clock)
    app.driver_class = CountingDriver
    time_state_apply(app.state)
    time_gc()

    async def drive(pilot: object) -> None:
        s = app.state
        end = time.perf_counter() + 30
        while not (s.metrics and s.rows and s.targets and s.changes) and time.perf_counter() < end:
            await asyncio.sleep(0.05)
        await asyncio.sleep(3.0)  # start-up redraws and the first diagnosis are not the burst
        if freeze:
            gc.freeze()  # the experiment: start-up objects (moto, world, models) out of full collections
        COSTS.take()
        mon = LagMonitor()
        task = asyncio.create_task(mon.run())
        await asyncio.sleep(seconds)
        describe("baseline", mon.window(), "  (no injection: sim polling + redraws only)")
        REPORT.append(f"            longest single step: {COSTS.take()}")
        for name, period in (("smooth", 0.1), ("polled", 2.0)):
            rows0, dropped0, bytes0 = len(s.rows), s.dropped, CountingDriver.written
            t0 = time.perf_counter()
            sent = await inject(app, sim, period, seconds)
            await asyncio.sleep(0.5)  # the last batch is applied and drawn inside the window
            took = time.perf_counter() - t0
            kb = (CountingDriver.written - bytes0) / 1024
            describe(name, mon.window(), f"  {sent:,} lines in {took:.1f} s; rows {rows0}->{len(s.rows)}, "
                     f"dropped +{s.dropped - dropped0:,}, {kb:.0f} KB drawn")  # fmt: skip
            REPORT.append(f"            longest single step: {COSTS.take()}")
        mon.running = False
        await task
        app.exit(0)

    try:
        await app.run_async(size=(COLS, ROWS), auto_pilot=drive)
    finally:
        await feed.aclose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="length of each window (default 5)")
    ap.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after start-up (experiment)")
    args = ap.parse_args()
    from apigw_cockpit.commands.demo import sim_environment
    from apigw_cockpit.demo.server import SimServer

    what = f"{RATE:,} lines/s for {args.seconds:g} s into the demo app ({SCENARIO}, {COLS}x{ROWS})"
    print(f"{what}; {load_line()}")
    with sim_environment(), SimServer(SCENARIO, speed=1.0) as sim:
        asyncio.run(run(sim, args.seconds, args.gc_freeze))
    print("\n".join(REPORT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
