"""Time from `demo` start to the right root cause, per scenario (goal <= 60 s at 1x).

For each built-in scenario, as `apigw-cockpit demo --scenario X` does it but in this process:
SimServer start (moto, seeding, 60 min backfill) at speed 1, discovery (open_feed), then the
real app (build_app, run_test at 120x36) until the state store's top hypothesis equals the
scenario's `root_cause` ("none" scenarios: a diagnosis ran and ranked nothing, or "none",
first). The clock starts before the SimServer; Python start-up and imports are printed once.

Run: .venv/bin/python bench/demo_time_to_root_cause.py [--timeout 75] [--scenario ID ...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from demo_startup import COLS, ROWS, load_line


@dataclass
class Result:
    scenario: str
    expected: str
    sim_s: float = 0.0
    discovery_s: float = 0.0
    first_diag_s: float | None = None  # from t0 to the first diagnosis in the store
    right_s: float | None = None  # from t0 to the right root cause on top
    first_top: str = ""
    last_top: str = ""


def top(app: Any) -> str | None:
    """The store's top hypothesis; "" for a diagnosis that ranked nothing; None before any diagnosis."""
    s = app.state
    if not s.version("findings"):
        return None
    return s.hypotheses[0].root_cause if s.hypotheses else ""


async def in_app(sim: Any, r: Result, t0: float, timeout: float) -> None:
    from apigw_cockpit.aws.feed import open_feed
    from apigw_cockpit.commands.demo import sim_settings
    from apigw_cockpit.config import Settings
    from apigw_cockpit.ui.app import build_app

    t = time.perf_counter()
    feed = await open_feed(sim_settings(sim, live_tail=False), sim.clock)
    r.discovery_s = time.perf_counter() - t
    feed.apply_fix = sim.apply_fix
    app = build_app(Settings(), feed, sim.clock)
    try:
        async with app.run_test(size=(COLS, ROWS)):
            end = t0 + timeout
            while time.perf_counter() < end:
                now_top = top(app)
                if now_top is not None:
                    if r.first_diag_s is None:
                        r.first_diag_s, r.first_top = time.perf_counter() - t0, now_top
                    r.last_top = now_top
                    if now_top == r.expected or (r.expected == "none" and now_top in ("", "none")):
                        r.right_s = time.perf_counter() - t0
                        break
                await asyncio.sleep(0.05)
    finally:
        await feed.aclose()


def one(scenario: Any, timeout: float) -> Result:
    from apigw_cockpit.commands.demo import sim_environment
    from apigw_cockpit.demo.server import SimServer

    r = Result(scenario.id, scenario.root_cause)
    with sim_environment():
        t0 = time.perf_counter()
        with SimServer(scenario, speed=1.0) as sim:
            r.sim_s = time.perf_counter() - t0
            asyncio.run(in_app(sim, r, t0, timeout))
    return r


def _s(v: float | None) -> str:
    return "never" if v is None else f"{v:.1f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=75.0, help="give up per scenario after this (s)")
    ap.add_argument("--scenario", nargs="*", help="scenario ids (default: every built-in one)")
    args = ap.parse_args()
    t = time.perf_counter()
    from apigw_cockpit.demo.server import SimServer  # noqa: F401  (import cost, paid once per process)
    from apigw_cockpit.demo.world import list_scenarios, load_scenario
    from apigw_cockpit.ui.app import build_app  # noqa: F401

    print(
        f"imports {time.perf_counter() - t:.2f} s (once per process, not in the times below); {load_line()}"
    )
    scenarios = [load_scenario(s) for s in args.scenario] if args.scenario else list(list_scenarios())
    cols = f"{'sim':>6s} {'disc.':>6s} {'1st diag':>8s} {'right':>7s}"
    head = f"{'scenario':32s} {'root cause':30s} {cols}  first top if wrong"
    print(head)
    results = []
    for sc in scenarios:
        r = one(sc, args.timeout)
        results.append(r)
        note = "" if r.first_top == r.expected else (r.first_top or "(nothing ranked)")
        if r.right_s is None:
            note = f"MISSED, last top {r.last_top or '(nothing ranked)'}"
        print(f"{r.scenario:32s} {r.expected:30s} {r.sim_s:5.1f}s {r.discovery_s:5.1f}s "
              f"{_s(r.first_diag_s):>8s} {_s(r.right_s):>7s}  {note}", flush=True)  # fmt: skip
    got = [r.right_s for r in results if r.right_s is not None]
    if got:
        med = statistics.median(got)
        print(f"right root cause: {len(got)}/{len(results)} scenarios; median {med:.1f} s, "
              f"worst {max(got):.1f} s (goal <= 60 s, SimServer start included)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
