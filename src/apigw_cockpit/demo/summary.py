"""Run the world for N simulated seconds and say what it wrote (for `demo --headless N`).

Reads the world's own stores (what the AWS APIs would return), so the summary is what an
observer of the account would have seen: metrics, execution-log failures, CloudTrail, target health.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from typing import Any

from apigw_cockpit.model import FrozenClock

_PREFIX = re.compile(r"^\(([0-9a-f-]{8,})\) ")
_STATUS = re.compile(r"Method completed with status: (\d{3})")
_FAILURE = re.compile(
    r"Execution failed|execution failed|failed with status|Invalid permissions|Endpoint request timed out"
)
# Ids and numbers that differ per request, masked so identical failures group together.
_VARIABLE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d+(\.\d+)?\b")


def _run(sim: Any, seconds: float) -> None:
    if isinstance(sim.clock, FrozenClock):
        sim.advance(seconds)
        return
    # A running clock cannot be stepped: wait it out in real time, scaled by the clock's speed.
    deadline = time.monotonic() + seconds / sim.clock.speed
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.25))
    with sim.lock:
        sim.world.advance()


def _api_dims(st: Any) -> dict[str, str]:
    return {"ApiName": st.api.name, "Stage": st.stage.name}


def _metric_total(world: Any, metric: str, dims: dict[str, str], start: float, end: float) -> float:
    return float(
        sum(v for _, v in world.metrics.query("AWS/ApiGateway", metric, dims, "Sum", start, end, 60))
    )


def _execution_log(world: Any, start: float, end: float) -> tuple[Counter[str], Counter[str], int]:
    """(requests by status, requests by first failure line, lines read) from the execution logs.

    A request counts when it started in the window; one still running at its end (a 29 s
    timeout) has no status line yet and is left out, so by_status may trail the metrics slightly."""
    group = world.state.execution_log_group()
    by_request: dict[str, list[str]] = defaultdict(list)
    token: str | None = None
    lines = 0
    while True:
        events, token = world.logs.filter(
            group, int(start * 1000), int(end * 1000) - 1, "", token, 10_000, None
        )
        for ev in events:
            m = _PREFIX.match(ev.message)
            if m:
                by_request[m.group(1)].append(ev.message[m.end() :])
        lines += len(events)
        if not token:
            break
    statuses: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for msgs in by_request.values():
        if not any(m.startswith("Starting execution") for m in msgs):
            continue  # began before the window: counted in the window it started in
        for msg in msgs:
            if sm := _STATUS.search(msg):
                statuses[sm.group(1)] += 1
                break
        first = next((m for m in msgs if _FAILURE.search(m)), None)
        if first is not None:
            failures[_VARIABLE.sub("N", first)[:200]] += 1
    return statuses, failures, lines


def summarize(sim: Any, seconds: float) -> dict[str, Any]:
    """Run `sim` for `seconds` simulated seconds; a JSON-able account of what the world wrote."""
    start = sim.clock.now()
    _run(sim, seconds)
    with sim.lock:
        world = sim.world
        end = world.clock.now()
        st = world.state
        dims = _api_dims(st)
        per_minute = world.metrics.query("AWS/ApiGateway", "5XXError", dims, "Sum", start, end, 60)
        statuses, failures, lines = _execution_log(world, start, end)
        trail, token = [], None
        while True:
            events, token = world.trail.lookup(None, end, None, None, 50, token)
            trail.extend(events)
            if not token:
                break
        health = {tg.id: world.target_health(tg.id) for tg in st.target_groups.values()}
    return {
        "scenario": sim.scenario.id,
        "root_cause": sim.scenario.root_cause,
        "api_id": st.api.id,
        "stage": st.stage.name,
        "start": start,
        "end": end,
        "seconds": end - start,
        "requests": {
            "count": _metric_total(world, "Count", dims, start, end),
            "4xx": _metric_total(world, "4XXError", dims, start, end),
            "5xx": _metric_total(world, "5XXError", dims, start, end),
            "by_status": dict(sorted(statuses.items())),
        },
        "5xx_per_minute": [{"t": t, "sum": v} for t, v in per_minute],
        "log_lines": lines,
        "failures_by_first_line": dict(failures.most_common()),
        "trail_events": [
            {
                "time": ev["EventTime"],
                "event": ev["EventName"],
                "source": ev["EventSource"],
                "user": ev["Username"],
                "resources": [r["ResourceName"] for r in ev.get("Resources", [])],
            }
            for ev in reversed(trail)
        ],
        "target_health": {
            arn: [
                {
                    "id": d["Target"]["Id"],
                    "port": d["Target"].get("Port"),
                    "state": d["TargetHealth"]["State"],
                    "reason": d["TargetHealth"].get("Reason", ""),
                }
                for d in descs
            ]
            for arn, descs in health.items()
        },
    }


def run_headless(scenario: Any, seconds: float, backfill: float = 3600, seed: int = 0) -> dict[str, Any]:
    """`demo --headless N` in one call: a frozen-clock SimServer, N simulated seconds, its summary.

    `scenario` is an id, a path or a loaded Scenario (use `commands.scenarios.load_or_exit` first
    for the one-line error and exit 2 on a bad file)."""
    from apigw_cockpit.demo.server import SimServer

    with SimServer(scenario, backfill=backfill, seed=seed, frozen=True) as sim:
        return summarize(sim, seconds)
