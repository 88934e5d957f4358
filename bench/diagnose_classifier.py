"""Benchmark: execution-log traces classified per second, and a full diagnosis of a busy hour.

Run: .venv/bin/python bench/diagnose_classifier.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "diagnose"))

from apigw_cockpit.diagnose import classify, group_lines, rank, run_checks

FAILURES = [
    ("Execution failed due to a timeout error", 504),
    ("Execution failed due to a network error communicating with endpoint: Connection is closed", 502),
    ("Execution failed due to configuration error: Malformed Lambda proxy response", 502),
    ("Execution failed due to configuration error: Invalid permissions on Lambda function", 500),
    (None, 200),
    (None, 200),
    (None, 200),
]


def make_trace(i: int, rng: random.Random) -> list[str]:
    rid = f"{i:08x}-1b2c-4d5e-8f90-{rng.getrandbits(48):012x}"
    failure, status = rng.choice(FAILURES)
    body = [
        f"Extended Request Id: {rid[:8]}=",
        f"Starting execution for request: {rid}",
        "HTTP Method: GET, Resource Path: /orders",
        "Method request path: {}",
        "Method request query string: {}",
        "Method request headers: {Accept=application/json, User-Agent=curl/8.0}",
        "Method request body before transformations: ",
        "Endpoint request URI: http://orders-nlb.internal/orders",
        "Endpoint request headers: {x-amzn-apigateway-api-id=a1b2c3}",
        "Endpoint request body after transformations: ",
        "Sending request to http://orders-nlb.internal/orders",
    ]
    if failure is None:
        body += [
            f"Received response. Status: 200, Integration latency: {rng.randint(20, 400)} ms",
            "Endpoint response headers: {Content-Type=application/json}",
            'Endpoint response body before transformations: {"ok": true}',
            'Method response body after transformations: {"ok": true}',
            "Method response headers: {Content-Type=application/json}",
            "Successfully completed execution",
        ]
    else:
        body.append(failure)
    body += [f"Method completed with status: {status}", "AWS Integration Endpoint RequestId : x"]
    return [f"({rid}) {line}" for line in body]


def bench_classify(n: int = 20000) -> None:
    rng = random.Random(1)
    traces = [make_trace(i, rng) for i in range(n)]
    t = time.perf_counter()
    for tr in traces:
        classify(tr)
    dt = time.perf_counter() - t
    lines = sum(len(tr) for tr in traces)
    rate = f"{n / dt:,.0f} traces/s, {lines / dt:,.0f} lines/s"
    print(f"classify: {n} traces ({lines} lines) in {dt:.3f} s = {rate}")
    flat = [line for tr in traces[:5000] for line in tr]
    rng.shuffle(flat)
    t = time.perf_counter()
    groups = group_lines(flat)
    dt = time.perf_counter() - t
    rate = f"{len(flat) / dt:,.0f} lines/s"
    print(f"group_lines: {len(flat)} shuffled lines → {len(groups)} traces in {dt:.3f} s = {rate}")


def bench_diagnosis() -> None:
    from dataclasses import replace

    from diagnose_world import exec_trace
    from scenarios import sg_blocks

    base = sg_blocks()
    rng = random.Random(2)
    choices = [FAILURES[0], (None, 200)]
    many = tuple(
        exec_trace(
            f"{i:08x}-aaaa-bbbb-cccc-000000000000",
            base.now - 3600 + i * 0.3,
            *rng.choice(choices),
        )
        for i in range(10000)
    )
    obs = replace(base, traces=many)
    t = time.perf_counter()
    findings = run_checks(obs)
    hypotheses = rank(findings, obs)
    dt = time.perf_counter() - t
    top = hypotheses[0].root_cause
    print(f"diagnosis: 20 checks + ranking over {len(many)} traces in {dt * 1000:.0f} ms → {top}")
    tick = replace(obs, now=obs.now + 2)  # what a UI tick does: same traces, new Observations
    t = time.perf_counter()
    rank(run_checks(tick), tick)
    dt = time.perf_counter() - t
    print(f"diagnosis: next tick, same {len(many)} traces (classifications cached) in {dt * 1000:.0f} ms")
    small = sg_blocks()
    t = time.perf_counter()
    for _ in range(200):
        o = replace(small)
        rank(run_checks(o), o)
    dt = (time.perf_counter() - t) / 200
    print(f"diagnosis: small incident (10 traces) in {dt * 1e6:.0f} µs")


if __name__ == "__main__":
    bench_classify()
    bench_diagnosis()
