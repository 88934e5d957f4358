"""World engine benchmarks: 60-minute backfill time, and memory flatness over a simulated 24 h.

    .venv/bin/python bench/world_backfill.py [--hours 24]
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import resource
import time

from apigw_cockpit.demo.world import World, load_scenario
from apigw_cockpit.model import FrozenClock


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_backfill(name: str, seconds: int = 3600) -> None:
    s = load_scenario(name)
    best = cpu_best = float("inf")
    for seed in range(3):
        w = World(s, FrozenClock(s.start), seed=seed)
        t0, c0 = time.perf_counter(), time.process_time()
        w.backfill(seconds)
        best = min(best, time.perf_counter() - t0)
        cpu_best = min(cpu_best, time.process_time() - c0)
    group = w.state.execution_log_group()
    print(
        f"backfill {seconds // 60} min  {name:32} best of 3: {best * 1000:6.0f} ms wall "
        f"{cpu_best * 1000:6.0f} ms cpu  "
        f"exec-log events {w.logs.count(group):7d}"
    )


def bench_day(hours: float) -> None:
    s = load_scenario("midnight-pager")
    clock = FrozenClock(s.start)
    w = World(s, clock)
    w.backfill(3600)
    gc.collect()
    base = rss_mb()

    t0 = time.perf_counter()
    step = 3600.0
    for h in range(int(hours)):
        clock.advance(step)
        w.advance()
        if h % 4 == 3:
            gc.collect()
            print(f"  sim hour {h + 1:3d}: rss {rss_mb():6.1f} MB  wall {time.perf_counter() - t0:6.1f} s")
    print(f"{hours:g} h simulated: rss start {base:.1f} MB -> end {rss_mb():.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=float, default=24)
    args = ap.parse_args()
    for name in ("midnight-pager", "healthy", "lambda-function-error", "backend-crash-under-load"):
        bench_backfill(name)
    bench_day(args.hours)


if __name__ == "__main__":
    main()
