"""UI budgets (DESIGN section 9) on the fake feed, headless with a byte-counting driver.

Prints: time to first frame, time until every pane has data, terminal bytes per minute
at steady state, and the worst event-loop stall during a 10,000 lines/s log burst.
Run: .venv/bin/python bench/ui_cockpit.py
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from tests.ui import fixtures  # the test doubles (not shipped in the wheel)
from textual.drivers.headless_driver import HeadlessDriver

from apigw_cockpit.config import Settings
from apigw_cockpit.model import LogEvent, LogsUpdate, SystemClock, TargetHealthUpdate, Update
from apigw_cockpit.ui.app import CockpitApp, build_app

SIZE = (160, 48)
STEADY_S = 15.0
BURST_S = 3.0
BURST_RATE = 10_000


class CaptureDriver(HeadlessDriver):
    """Renders like a real terminal (not headless) but counts bytes instead of writing them."""

    written = 0
    first_write: float | None = None

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        if CaptureDriver.first_write is None:
            CaptureDriver.first_write = time.perf_counter()
        CaptureDriver.written += len(data.encode("utf-8"))


@dataclass
class LivePoller:
    """Yields the fixture's first update at once, then a small live trickle every `every` seconds."""

    name: str
    first: list[Update]
    every: float
    burst: bool = False
    go: asyncio.Event | None = None  # bursts start when set, after start-up has settled

    async def __aiter__(self) -> AsyncIterator[Update]:  # type: ignore[override]
        for u in self.first:
            yield u
        if self.go is not None:
            await self.go.wait()
        n = 0
        while True:
            await asyncio.sleep(self.every)
            n += 1
            if self.name == "logs":
                yield _log_batch(n, 10 if not self.burst else int(BURST_RATE * self.every))
            elif self.name == "target_health":
                yield TargetHealthUpdate("target_health", time.time(), fixtures.targets(True).targets)


TRACE = (
    "Starting execution for request: {rid}",
    "HTTP Method: GET, Resource Path: /orders",
    "Method request path: {{}}",
    "Method request query string: {{}}",
    "Method request headers: {{Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com}}",
    "Endpoint request URI: http://orders-nlb.elb.amazonaws.com/orders",
    "Sending request to http://orders-nlb.elb.amazonaws.com/orders",
    "Execution failed due to a timeout error",
    "Method completed with status: 504",
    "X-ray Tracing ID : Root=1-67891233-abcdef012345678912345678",
)


def _log_batch(seq: int, lines: int) -> LogsUpdate:
    """`lines` execution-log lines: 10-line traces, as a real 502 storm writes them."""
    now = time.time()
    events = []
    for i in range(lines):
        rid = f"{seq:08x}-{i // len(TRACE):04x}-4000-8000-000000000000"
        text = TRACE[i % len(TRACE)].format(rid=rid)
        events.append(LogEvent(f"b{seq}-{i}", now, "g", "s", f"({rid}) {text}", request_id=rid))
    return LogsUpdate("logs", now, tuple(events))


def _feed(burst: bool = False) -> fixtures.FakeFeed:
    base = fixtures.midnight_pager()
    pollers = [
        LivePoller(
            p.name,
            list(p.updates),
            0.1 if (burst and p.name == "logs") else {"logs": 2.0}.get(p.name, 10.0),
            burst,
        )
        for p in base.pollers
    ]
    return fixtures.FakeFeed(base.topology, pollers)  # type: ignore[arg-type]


def _app(burst: bool = False) -> CockpitApp:
    app = build_app(Settings(), _feed(burst), SystemClock())
    app.driver_class = CaptureDriver
    app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
    return app


def _populated(app: CockpitApp) -> bool:
    s = app.state
    return all((s.metrics, s.rows, s.targets, s.changes, s.sources)) and all(
        pane._seen
        for pane in app.screen.query("Pane")  # type: ignore[attr-defined]
    )


async def startup_and_steady(quiet: bool, size: tuple[int, int] = SIZE) -> None:
    """Start-up times, then terminal bytes/min: `quiet` = sources polled but no new data."""
    CaptureDriver.written, CaptureDriver.first_write = 0, None
    app = _app()
    if quiet:
        for poller in app.feed.pollers:
            poller.every = 1e9  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    populated_at: float | None = None
    steady_bytes = 0.0

    async def drive(pilot: object) -> None:
        nonlocal populated_at, steady_bytes
        while populated_at is None:
            if _populated(app):
                populated_at = time.perf_counter()
            await asyncio.sleep(0.005)
        await asyncio.sleep(2.0)  # let start-up redraws settle
        before = CaptureDriver.written
        await asyncio.sleep(STEADY_S)
        steady_bytes = (CaptureDriver.written - before) * 60.0 / STEADY_S
        app.exit(0)

    await app.run_async(size=size, auto_pilot=drive)  # type: ignore[arg-type]
    if quiet:
        first = (CaptureDriver.first_write or t0) - t0
        print(f"first frame:            {first * 1000:7.0f} ms   (budget 500 ms)")
        print(f"all panes populated:    {((populated_at or t0) - t0) * 1000:7.0f} ms   (budget 2000 ms)")
        what = "quiet: clock + freshness only"
    else:
        what = "a new failed request every 2 s"
    print(
        f"steady output:          {steady_bytes / 1024:7.1f} KB/min (budget 50; {what}; {size[0]}x{size[1]})"
    )


async def burst() -> None:
    app = _app(burst=True)
    worst = 0.0
    lines_seen = 0

    go = asyncio.Event()
    for poller in app.feed.pollers:
        poller.go = go  # type: ignore[attr-defined]

    async def drive(pilot: object) -> None:
        nonlocal worst, lines_seen
        loop = asyncio.get_running_loop()
        await asyncio.sleep(1.5)  # start-up (CSS, first compose) is not part of the burst
        go.set()
        end = loop.time() + BURST_S
        while loop.time() < end:
            t = loop.time()
            await asyncio.sleep(0.005)
            worst = max(worst, loop.time() - t - 0.005)
        lines_seen = sum(len(r.lines) for r in app.state.rows.values())
        app.exit(0)

    await app.run_async(size=SIZE, auto_pilot=drive)  # type: ignore[arg-type]
    print(
        f"10k lines/s burst:      worst stall {worst * 1000:5.0f} ms over {BURST_S:.0f} s "
        f"(budget 100 ms); {lines_seen:,} lines in a buffer of {len(app.state.rows)} requests, "
        f"dropped {app.state.dropped:,}"
    )


if __name__ == "__main__":
    asyncio.run(startup_and_steady(quiet=True))
    asyncio.run(startup_and_steady(quiet=False))
    asyncio.run(startup_and_steady(quiet=False, size=(80, 24)))
    asyncio.run(burst())
