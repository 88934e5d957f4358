"""Benchmark: SimServer start-up (server ready + seeding moto through boto3 + 60 min backfill).

Budget: < 3 s. Prints, for a cold process (first SimServer: moto's service modules get
imported on the first request to each) and for warm starts in the same process (what a test
session pays per fixture), the split server / seed / backfill / total, and the stop time.

Run: .venv/bin/python bench/world_startup.py [scenario] [warm-runs]
"""

from __future__ import annotations

import statistics
import sys
import time

_T0 = time.perf_counter()
from apigw_cockpit.demo.server import SimServer  # noqa: E402  (its import time is part of the figure)

IMPORT_S = time.perf_counter() - _T0


def one(scenario: str) -> dict[str, float]:
    sim = SimServer(scenario, backfill=3600, frozen=True)
    sim.start()
    t0 = time.perf_counter()
    sim.stop()
    return {**sim.timings, "stop": time.perf_counter() - t0}


def fmt(t: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:5.2f} s" for k, v in t.items())


def main() -> int:
    scenario = sys.argv[1] if len(sys.argv) > 1 else "midnight-pager"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(f"scenario {scenario}; import apigw_cockpit.demo.server (moto server, world) {IMPORT_S:.2f} s")
    cold = one(scenario)
    print(f"cold  {fmt(cold)}   (+ import: {cold['total'] + IMPORT_S:.2f} s from a fresh process)")
    warm = [one(scenario) for _ in range(runs)]
    for key in ("server", "seed", "backfill", "total", "stop"):
        values = [w[key] for w in warm]
        print(
            f"warm  {key:<8} median {statistics.median(values):5.2f} s  max {max(values):5.2f} s  (n={runs})"
        )
    verdict = "OK" if statistics.median(w["total"] for w in warm) < 3.0 else "OVER BUDGET"
    print(f"budget 3.00 s (warm median total): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
