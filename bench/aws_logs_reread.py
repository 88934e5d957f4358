"""Events read per event written by the execution-log poller (goal <= 1.2), real client stack.

The simulated world (midnight-pager, frozen clock advanced 2 s per poll, i.e. the default
interval) writes its execution logs with its own ingestion delays; the poller reads them through
aiobotocore exactly as against AWS. Every event FilterLogEvents returns counts as read, re-reads
of the overlap included; written is what the world stored for the group in the same window.

Run: .venv/bin/python bench/aws_logs_reread.py [--minutes 10] [--scenario midnight-pager]
     [--read-once-above 0]   (the read-once mode busy traffic gets, at the demo's 190 req/min)
"""

from __future__ import annotations

import argparse
import asyncio
import os

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.logs import READ_ONCE_RATE, LogsPoller
from apigw_cockpit.demo.server import SimServer
from apigw_cockpit.demo.world import load_scenario
from apigw_cockpit.model import FrozenClock


async def _run(minutes: float, scenario: str, read_once_above: float) -> None:
    sc = load_scenario(scenario)
    with SimServer(sc, clock=FrozenClock(sc.start), backfill=300) as sim:
        os.environ.update(sim.env())
        settings = AwsSettings(sim.api_id, sim.stage, endpoint_url=sim.endpoint_url)
        factory = ClientFactory(settings, sim.clock)
        group = sim.world.state.execution_log_group()
        poller = LogsPoller(factory, sim.clock, group, 2.0, read_once_above=read_once_above)
        start_ms = int((sim.clock.now() - poller.lookback_s) * 1000)
        try:
            polls = int(minutes * 30)
            waits: list[float] = []  # from visible to FilterLogEvents to delivered by a poll
            for i in range(polls):
                now = sim.clock.now()
                for u in await poller.poll():
                    if i == 0:
                        continue  # the first poll's backfill is minutes old by design
                    waits += [now - e.ingestion_time for e in getattr(u, "events", ()) if e.ingestion_time]
                sim.advance(2.0)
            # What the poller could have delivered: everything up to its cursor (the newest `hold`
            # seconds are read on the next polls, once they have landed).
            end_ms = min(poller._cursor.values()) - 1
            written, token = 0, None
            while True:
                page, token = sim.world.logs.filter(group, start_ms, end_ms, "", token)
                written += len(page)
                if not token:
                    break
        finally:
            await factory.aclose()
    print(f"scenario {scenario}, {minutes:g} simulated min, {polls} polls at 2 s")
    print(f"written  {written:>9,d} events")
    print(f"read     {poller.read:>9,d} events  ({poller.read / max(written, 1):.2f} per event written)")
    print(f"delivered {poller.delivered:>8,d} events (each once)")
    waits.sort()
    if waits:
        q = lambda f: waits[min(len(waits) - 1, int(f * len(waits)))]  # noqa: E731
        print(f"visible -> delivered: median {q(0.5):.1f} s, p95 {q(0.95):.1f} s, worst {waits[-1]:.1f} s")
    print(
        f"hold {poller.hold():.1f} s (read once after it); "
        f"{poller.late_found} late events found by sampled sweeps"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--scenario", default="midnight-pager")
    ap.add_argument(
        "--read-once-above",
        type=float,
        default=READ_ONCE_RATE,
        help="lines/s from which events are read once (0: the busy mode at any traffic)",
    )
    args = ap.parse_args()
    asyncio.run(_run(args.minutes, args.scenario, args.read_once_above))


if __name__ == "__main__":
    main()
