"""Demo at steady state (DESIGN section 9): idle CPU < 2 % of one core, terminal output < 50 KB/min.

Runs `apigw-cockpit demo` (midnight-pager, speed 1, 120x36) in a pseudo-terminal, waits until
every pane shows data plus a settling period, then for --seconds (default 60) counts the bytes
the app writes to the tty and the CPU ticks of its process from /proc/<pid>/stat.

"Idle" here is the real demo: the process also hosts the simulated AWS account (moto server
threads, the world ticker, 190 requests/min of traffic) and the pollers keep polling it. The
main thread (tid == pid) runs the Textual event loop, the pollers and their HTTP clients; the
other threads are the simulated world, moto and the short-lived per-request server threads, so
the split below separates the cockpit from the world it watches.

Run: .venv/bin/python bench/demo_idle.py [--seconds 60] [--settle 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from demo_startup import COLS, ROWS, SCENARIO, PtyApp, demo_argv, load_line, panes_ready

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(path: str) -> int:
    """utime + stime (clock ticks) from a /proc/.../stat file; comm may contain spaces, so split after ')'."""
    with open(path) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="measurement window (default 60)")
    ap.add_argument("--scenario", default=SCENARIO, help=f"demo scenario (default {SCENARIO})")
    ap.add_argument("--settle", type=float, default=10.0, help="wait after all panes have data")
    args = ap.parse_args()
    print(f"apigw-cockpit demo --scenario {args.scenario}, {COLS}x{ROWS}; {load_line()}")
    app = PtyApp(demo_argv(scenario=args.scenario))
    # A healthy world has no 5xx rows or 5XX count: there, wait for the targets and changes panes.
    wanted = ("targets",) if args.scenario == "healthy" else ("5xx", "targets", "log", "changes")
    try:
        if app.wait_until(lambda lines: all(panes_ready(lines)[k] for k in wanted), 45.0) is None:
            print(f"  {', '.join(wanted)} never all showed data within 45 s; no measurement")
            return 1
        app.pump(args.settle)
        pid = app.pid
        proc0 = cpu_ticks(f"/proc/{pid}/stat")
        main0 = cpu_ticks(f"/proc/{pid}/task/{pid}/stat")
        threads0 = len(os.listdir(f"/proc/{pid}/task"))
        bytes0 = app.bytes
        t0 = time.perf_counter()
        app.pump(args.seconds)
        wall = time.perf_counter() - t0
        proc1 = cpu_ticks(f"/proc/{pid}/stat")
        main1 = cpu_ticks(f"/proc/{pid}/task/{pid}/stat")
        threads1 = len(os.listdir(f"/proc/{pid}/task"))
        out = app.bytes - bytes0
    finally:
        rc = app.stop()
    total = (proc1 - proc0) / TICK / wall * 100
    ui = (main1 - main0) / TICK / wall * 100
    print(f"  window {wall:.1f} s, from {args.settle:g} s after all panes had data")
    print(f"  threads {threads0} -> {threads1}")
    print(f"  CPU whole demo process      {total:5.2f} % of one core (budget 2 %)")
    print(f"    main thread (UI, pollers) {ui:5.2f} %")
    print(f"    other threads (sim world, moto server, request threads) {total - ui:5.2f} %")
    print(f"  terminal output             {out / wall * 60 / 1024:5.1f} KB/min (budget 50)  [{out} bytes]")
    print(f"  exit code after SIGTERM: {rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
