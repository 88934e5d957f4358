"""`watch` at steady state against the standalone simulated server (issue 17).

The world runs in its own process (`python -m apigw_cockpit.demo.server`, as in
watch_first_frame.py); `apigw-cockpit watch` runs as a user runs it, in a 120x36 pseudo-terminal
decoded by pyte. Prints, for the `watch` process only:

- first frame: seconds from process start to the first non-empty screen;
- every pane with data (demo_startup.PANE_PATTERNS), from process start;
- CPU over a steady window (--seconds, default 90, starting --settle s after every pane had
  data): utime+stime from /proc/<pid>/stat, whole process and main thread, % of one core;
- RSS (VmRSS) at the start and the end of the window, and its largest value on the way;
- terminal bytes per minute over the same window.

Goals (issue 17): first frame < 0.3 s, CPU < 2 % of a core, RSS < 100 MB and flat.
`--profile FILE` profiles the main thread of `watch` (cProfile) over the steady window only and
writes the stats to FILE; the CPU figures of such a run are inflated by the profiler. Prints, asserts nothing.
Run: .venv/bin/python bench/watch_idle.py [--runs N] [--seconds 90] [--settle 10]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time

from demo_idle import TICK, cpu_ticks
from demo_startup import COCKPIT, COLS, ROWS, SCENARIO, PtyApp, load_line, panes_ready
from watch_first_frame import PYTHON, SimProcess


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# Under --profile, `watch` runs with a main-thread profiler that SIGUSR1 starts and SIGUSR2 stops
# and writes: the bench brackets the steady window with them, so start-up is left out.
# (cli.main with an explicit argv returns instead of ending the process with os._exit.)
PROFILED = """
import cProfile, signal, sys
from apigw_cockpit.cli import main
prof = cProfile.Profile()
signal.signal(signal.SIGUSR1, lambda *_: prof.enable())
signal.signal(signal.SIGUSR2, lambda *_: (prof.disable(), prof.dump_stats(sys.argv[1])))
sys.exit(main(sys.argv[2:]))
"""


def watch_argv(sim: SimProcess, profile: str | None) -> list[str]:
    head = [str(PYTHON), "-c", PROFILED, profile] if profile else [str(COCKPIT)]
    region = sim.env.get("AWS_DEFAULT_REGION", "us-east-1")
    return [
        *head,
        "watch",
        "--api-id",
        sim.api_id,
        "--stage",
        sim.stage,
        "--endpoint-url",
        sim.endpoint,
        "--region",
        region,
    ]


def one_run(sim: SimProcess, seconds: float, settle: float, profile: str | None) -> dict[str, float] | None:
    app = PtyApp(watch_argv(sim, profile))
    try:
        panes = app.wait_until(lambda lines: all(panes_ready(lines).values()), 45.0)
        if panes is None:
            missing = [k for k, v in panes_ready(app.screen.display).items() if not v]
            print(f"  panes {', '.join(missing)} never showed data within 45 s; no measurement")
            return None
        app.pump(settle)
        pid = app.pid
        if profile:
            os.kill(pid, signal.SIGUSR1)
        proc0, main0 = cpu_ticks(f"/proc/{pid}/stat"), cpu_ticks(f"/proc/{pid}/task/{pid}/stat")
        rss0, peak, bytes0, t0 = rss_mb(pid), 0.0, app.bytes, time.perf_counter()
        while (left := t0 + seconds - time.perf_counter()) > 0:
            app.pump(min(5.0, left))
            peak = max(peak, rss_mb(pid))
        wall = time.perf_counter() - t0
        if profile:
            os.kill(pid, signal.SIGUSR2)
        proc1, main1 = cpu_ticks(f"/proc/{pid}/stat"), cpu_ticks(f"/proc/{pid}/task/{pid}/stat")
        rss1, out = rss_mb(pid), app.bytes - bytes0
        threads = len(os.listdir(f"/proc/{pid}/task"))
    finally:
        rc = app.stop()
    got = {
        "first_frame": app.first_frame or float("nan"),
        "all_panes": panes,
        "cpu": (proc1 - proc0) / TICK / wall * 100,
        "cpu_main": (main1 - main0) / TICK / wall * 100,
        "rss_start": rss0,
        "rss_end": rss1,
        "rss_peak": peak,
        "kb_min": out / wall * 60 / 1024,
    }
    print(
        f"  first frame {got['first_frame']:.2f} s  every pane {panes:.2f} s  | window {wall:.0f} s: "
        f"CPU {got['cpu']:.2f} % (main thread {got['cpu_main']:.2f} %, {threads} threads)  "
        f"RSS {rss0:.1f} -> {rss1:.1f} MB (peak {peak:.1f})  output {got['kb_min']:.1f} KB/min  exit {rc}",
        flush=True,
    )
    return got


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--seconds", type=float, default=90.0, help="steady window, seconds (default 90)")
    p.add_argument("--settle", type=float, default=10.0, help="wait after every pane had data (default 10)")
    p.add_argument("--scenario", default=SCENARIO)
    p.add_argument("--profile", metavar="FILE", help="run watch under cProfile, stats to FILE")
    args = p.parse_args()
    print(f"apigw-cockpit watch, {COLS}x{ROWS}, scenario {args.scenario}; {load_line()}")
    # Fake credentials and no user config: nothing here may reach a real account.
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    )
    sim = SimProcess(args.scenario)
    os.environ.update(sim.env)  # its fake credentials and region, for the cockpit it spawns
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    results = []
    try:
        for i in range(args.runs):
            print(f"run {i + 1}/{args.runs}", flush=True)
            if (got := one_run(sim, args.seconds, args.settle, args.profile)) is not None:
                results.append(got)
    finally:
        sim.stop()
    if len(results) > 1:
        print("ranges over runs:")
        for key in results[0]:
            vals = [r[key] for r in results]
            print(f"  {key:12s} median {statistics.median(vals):.2f} (range {min(vals):.2f}–{max(vals):.2f})")
    print(load_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
