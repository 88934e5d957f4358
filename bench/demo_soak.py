"""Demo memory over simulated time (DESIGN section 9: RSS < 120 MB and flat over a simulated 24 h).

Runs `apigw-cockpit demo --speed S` (midnight-pager, 120x36) in a pseudo-terminal and samples
the process's VmRSS from /proc/<pid>/status every --every seconds, with the simulated time the
cockpit's clock shows and the CPU used since the previous sample. The RSS is the whole demo
process: the cockpit and the simulated AWS account (moto, the world's stores) it hosts.

Quick run (default, 90 s at 240x = 6 simulated hours):
    .venv/bin/python bench/demo_soak.py
One simulated day (6 minutes at 240x):
    .venv/bin/python bench/demo_soak.py --minutes 6 --speed 240

Then, unless --no-breakdown, where the start-up RSS goes: the same steps as `demo` in a fresh
interpreter, VmRSS after each (imports, SimServer start, discovery, 10 s of the running app).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

from demo_idle import TICK, cpu_ticks
from demo_startup import COLS, ROWS, SCENARIO, PtyApp, demo_argv, load_line, panes_ready

CLOCK = re.compile(r"(?:LIVE|PAUSED|STALE)\s+(\d\d:\d\d:\d\d)")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def shown_clock(lines: list[str]) -> str:
    m = CLOCK.search(lines[0] if lines else "")
    return m.group(1) if m else "--:--:--"


BREAKDOWN = r"""
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
from demo_soak import rss_mb
import os
pid = os.getpid()
print(f"  python                         {rss_mb(pid):6.1f} MB")
from apigw_cockpit.demo.server import SimServer
print(f"  + import demo.server (moto)    {rss_mb(pid):6.1f} MB")
from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.commands.demo import sim_environment, sim_settings
from apigw_cockpit.config import Settings
from apigw_cockpit.ui.app import build_app
from demo_burst import CountingDriver
print(f"  + import aws/, ui/ (Textual)   {rss_mb(pid):6.1f} MB")

async def app(sim):
    feed = await open_feed(sim_settings(sim, live_tail=False), sim.clock)
    print(f"  + discovery, feed clients      {rss_mb(pid):6.1f} MB")
    a = build_app(Settings(), feed, sim.clock)
    a.driver_class = CountingDriver
    async def drive(pilot):
        await asyncio.sleep(10)
        a.exit(0)
    await a.run_async(size=(120, 36), auto_pilot=drive)
    print(f"  + app, 10 s of polling/drawing {rss_mb(pid):6.1f} MB")
    await feed.aclose()

with sim_environment(), SimServer("midnight-pager", speed=1.0) as sim:
    print(f"  + SimServer start (moto seeded, 60 min backfill) {rss_mb(pid):6.1f} MB")
    asyncio.run(app(sim))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=1.5, help="real minutes to run (default 1.5)")
    ap.add_argument("--speed", type=float, default=240.0, help="simulated seconds per second (default 240)")
    ap.add_argument("--no-breakdown", action="store_true", help="skip the start-up RSS breakdown")
    ap.add_argument("--every", type=float, default=30.0, help="seconds between samples (default 30)")
    args = ap.parse_args()
    sim_h = args.minutes * 60 * args.speed / 3600
    print(f"apigw-cockpit demo --speed {args.speed:g} for {args.minutes:g} min (~{sim_h:.1f} simulated h), "
          f"{SCENARIO}, {COLS}x{ROWS}; {load_line()}")  # fmt: skip
    app = PtyApp(demo_argv("--speed", f"{args.speed:g}"))
    samples: list[float] = []
    try:
        if app.wait_until(lambda lines: panes_ready(lines)["targets"], 60.0) is None:
            print("  the cockpit never showed targets within 60 s; no measurement")
            return 1
        pid = app.pid
        start = time.perf_counter()
        end = start + args.minutes * 60
        ticks = cpu_ticks(f"/proc/{pid}/stat")
        last = start
        print(f"  {'real':>6s}  {'cockpit clock':>13s}  {'VmRSS':>8s}  {'CPU since last':>14s}  bytes out")
        while True:
            now = time.perf_counter()
            t2 = cpu_ticks(f"/proc/{pid}/stat")
            cpu = (t2 - ticks) / TICK / max(now - last, 1e-9) * 100 if now > last else 0.0
            ticks, last = t2, now
            rss = rss_mb(pid)
            samples.append(rss)
            print(f"  {now - start:5.0f}s  {shown_clock(app.screen.display):>13s}  {rss:6.1f}MB  "
                  f"{cpu:12.0f} %  {app.bytes:,}", flush=True)  # fmt: skip
            if now >= end or app.proc.poll() is not None:
                break
            app.pump(min(args.every, end - now))
        threads = len(os.listdir(f"/proc/{pid}/task"))
    finally:
        rc = app.stop()
    if samples:
        print(f"  VmRSS first {samples[0]:.1f} MB, last {samples[-1]:.1f} MB, max {max(samples):.1f} MB "
              f"(budget 120 MB, flat); {threads} threads at the end; exit code {rc}")  # fmt: skip
    if not args.no_breakdown:
        print("start-up RSS breakdown (fresh interpreter, speed 1):", flush=True)
        here = os.path.dirname(os.path.abspath(__file__))
        subprocess.run([sys.executable, "-c", BREAKDOWN, here], timeout=120, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
