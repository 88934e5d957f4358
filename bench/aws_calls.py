"""Benchmark: AWS API calls per minute at default poll settings, against the simulated world.

Runs the real feed (discovery + every poller, default intervals) on midnight-pager with a
fast clock for SIM_MINUTES simulated minutes and prints calls per simulated minute per
operation, the GetMetricData series count, and the meter's estimated cost per hour.

Run: .venv/bin/python bench/aws_calls.py
"""

from __future__ import annotations

import asyncio
import os
import time

SPEED = 10.0
SIM_MINUTES = 3.0


async def run(sim: object) -> None:
    from apigw_cockpit.aws import AwsSettings, open_feed

    settings = AwsSettings(sim.api_id, sim.stage, endpoint_url=sim.endpoint_url)  # type: ignore[attr-defined]
    clock = sim.clock  # type: ignore[attr-defined]
    feed = await open_feed(settings, clock)
    discovery_calls = dict(feed.meter.totals)
    start_sim, start_real = clock.now(), time.monotonic()
    updates = 0

    async def consume() -> None:
        nonlocal updates
        async for _ in feed.updates():
            updates += 1

    task = asyncio.create_task(consume())
    await asyncio.sleep(SIM_MINUTES * 60 / SPEED)
    task.cancel()
    sim_min = (clock.now() - start_sim) / 60
    polled = {op: n - discovery_calls.get(op, 0) for op, n in feed.meter.totals.items()}
    snap = feed.meter.snapshot()
    metrics_poller = next(p for p in feed.pollers if p.name == "metrics")
    await feed.aclose()
    print(f"simulated minutes: {sim_min:.2f} (real {time.monotonic() - start_real:.1f} s, speed {SPEED:g}x)")
    print(f"discovery calls: {sum(discovery_calls.values())}")
    print(f"series in the one GetMetricData call: {len(metrics_poller.keys)}")  # type: ignore[attr-defined]
    print(f"  {'operation':28s} {'avg/min':>8s} {'last minute':>12s}   (avg includes the startup round)")
    for op, n in sorted(polled.items()):
        if n:
            print(f"  {op:28s} {n / sim_min:8.2f} {snap.calls_per_min.get(op, 0):12.0f}")
    print(f"GetMetricData in the last minute: {snap.calls_per_min.get('GetMetricData', 0):.0f} (budget <= 1)")
    gmd = snap.metrics_per_min
    print(f"estimated cost: ${snap.cost_per_hour_usd:.4f}/hour (GetMetricData {gmd:g} metrics/min)")
    print(f"updates delivered: {updates}")


def main() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from apigw_cockpit.demo.server import SimServer

    with SimServer("midnight-pager", speed=SPEED, backfill=900) as sim:
        asyncio.run(run(sim))


if __name__ == "__main__":
    main()
