"""The verification checklist V1–V6 (DESIGN section 7): is the fix proven, from signals after it."""

from __future__ import annotations

from dataclasses import dataclass

from apigw_cockpit.diagnose.checks.base import fmt_ms
from apigw_cockpit.diagnose.deployment import undeployed_changes
from apigw_cockpit.diagnose.observations import Observations, errors_5xx
from apigw_cockpit.model import LoadTestResult, ProbeResult, TestInvokeResult, Topology

PASS, FAIL, PENDING = "pass", "fail", "pending"


@dataclass(frozen=True)
class VerifyStep:
    id: str
    title: str
    status: str  # pass | fail | pending
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyBounds:
    expected_status: int = 200
    zero_periods: int = 3  # V2: consecutive 5XX-free periods needed
    max_error_rate: float = 0.01  # V6
    max_p99_ms: float = 5000.0  # V6


def _v1(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = "A request through the invoke URL returns the expected status"
    probes = [
        p for p in obs.probes if isinstance(p, ProbeResult) and p.kind == "invoke-url" and p.at >= since
    ]
    if not probes:
        return VerifyStep(
            "V1",
            title,
            PENDING,
            ("not run: one request through the invoke URL (curl -v equivalent; `verify` sends it)",),
        )
    p = probes[-1]
    ev = (f"{p.method} {p.url} → {p.status or p.error} in {fmt_ms(p.latency_ms)}", *p.transcript[:8])
    return VerifyStep("V1", title, PASS if p.status == b.expected_status else FAIL, ev)


def _v2(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = f"5XXError is zero for {b.zero_periods} consecutive periods after the fix"
    series = errors_5xx(obs)
    if series is None:
        return VerifyStep("V2", title, PENDING, ("no data: no 5XXError series yet",))
    after = [(t, v) for t, v in series.points if t >= since]
    ev = tuple(f"5XXError {v:.0f} at +{(t - since) / 60:.0f} min" for t, v in after[-b.zero_periods :])
    tail = after[-b.zero_periods :]
    if any(v > 0 for _, v in tail):
        return VerifyStep("V2", title, FAIL, ev)
    if len(tail) < b.zero_periods:
        return VerifyStep("V2", title, PENDING, (*ev, f"{len(tail)}/{b.zero_periods} periods so far"))
    return VerifyStep("V2", title, PASS, ev)


def _v3(obs: Observations, since: float) -> VerifyStep:
    title = "Execution logs show 'Successfully completed execution' and no 'Execution failed'"
    after = [c for c in obs.classified if c.trace.first_ts >= since]
    failed = [c for c in after if c.result.failed]
    ok = [c for c in after if c.result.verdict == "success"]
    if failed:
        ev = tuple(
            f"req {c.trace.request_id[:12]}: {(c.result.evidence or (c.result.verdict,))[0]}"
            for c in failed[:3]
        )
        return VerifyStep("V3", title, FAIL, (f"{len(failed)} failing traces since the fix", *ev))
    if not ok:
        return VerifyStep("V3", title, PENDING, ("no traces since the fix yet",))
    return VerifyStep(
        "V3", title, PASS, (f"{len(ok)} traces 'Successfully completed execution', none failed",)
    )


def _v4(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = f"The method completes with status {b.expected_status}"
    statuses = [
        c.result.status for c in obs.classified if c.trace.first_ts >= since and c.result.status is not None
    ]
    if not statuses:
        return VerifyStep("V4", title, PENDING, ("no 'Method completed with status' since the fix yet",))
    bad = [s for s in statuses if s is not None and s >= 500]
    good = sum(1 for s in statuses if s == b.expected_status)
    ev = (f"{good}/{len(statuses)} requests completed with {b.expected_status}",)
    return VerifyStep("V4", title, FAIL if bad else PASS if good else FAIL, ev)


def _v5(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = "TestInvokeMethod returns the expected status"
    results = [p for p in obs.probes if isinstance(p, TestInvokeResult) and p.at >= since]
    if not results:
        return VerifyStep("V5", title, PENDING, ("not run: needs confirmation (--confirm-test-invoke)",))
    r = results[-1]
    ev: tuple[str, ...] = (
        f"TestInvokeMethod → {r.status} in {fmt_ms(r.latency_ms)}" + (f" ({r.error})" if r.error else ""),
    )
    status = PASS if r.status == b.expected_status and not r.error else FAIL
    pending = [c for c in undeployed_changes(obs) if c.time <= r.at]
    if pending:
        last = pending[-1]
        ev += (
            f"ran against an undeployed definition: {len(pending)} change(s) ({last.event_name} by "
            f"{last.user or '?'}) after stage {obs.topology.stage.name}'s deployment "
            f"{obs.topology.stage.deployment_id}; deploy, then test again",
        )
        # A pass here proves the new definition, not what the stage serves.
        status = PENDING if status == PASS else status
    return VerifyStep("V5", title, status, ev)


def _v6(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = "A bounded load test holds (error rate, p99)"
    results = [p for p in obs.probes if isinstance(p, LoadTestResult) and p.started >= since]
    if not results:
        return VerifyStep("V6", title, PENDING, ("not run: --load N",))
    r = results[-1]
    ev = (
        f"{r.requests} requests, concurrency {r.concurrency}, {r.rate_per_s:.0f}/s for {r.duration_s:.0f} s",
        f"errors {r.errors} ({r.error_rate:.1%}), p50 {fmt_ms(r.p50_ms)}, p99 {fmt_ms(r.p99_ms)}",
        "statuses " + ", ".join(f"{s}×{n}" for s, n in r.status_counts),
    )
    if r.aborted:
        return VerifyStep("V6", title, FAIL, (*ev, f"aborted: {r.aborted}"))
    ok = r.requests > 0 and r.error_rate <= b.max_error_rate and r.p99_ms <= b.max_p99_ms
    return VerifyStep("V6", title, PASS if ok else FAIL, ev)


def verify(obs: Observations, bounds: VerifyBounds | None = None) -> list[VerifyStep]:
    """V1–V6 from observations since `obs.fix_time`; all pending without a fix time."""
    b = bounds or VerifyBounds()
    if obs.fix_time is None:
        steps = _all(obs, float("inf"), b)
        return [VerifyStep(s.id, s.title, PENDING, ("no fix time set (--since)",)) for s in steps]
    return _all(obs, obs.fix_time, b)


def _all(obs: Observations, since: float, b: VerifyBounds) -> list[VerifyStep]:
    return [
        _v1(obs, since, b),
        _v2(obs, since, b),
        _v3(obs, since),
        _v4(obs, since, b),
        _v5(obs, since, b),
        _v6(obs, since, b),
    ]


def all_passed(steps: list[VerifyStep]) -> bool:
    return bool(steps) and all(s.status == PASS for s in steps)


def probe_target(topo: Topology) -> tuple[str, str, str]:
    """(resource id, method, path) V1/V5/V6 probe: the first GET without path parameters, else the
    first method. OPTIONS is skipped: a preflight proves nothing about the fix."""
    methods = [(r, m) for r, m in topo.methods() if m.http_method != "OPTIONS"]
    for r, m in methods:
        if m.http_method == "GET" and "{" not in r.path:
            return r.id, m.http_method, r.path
    if methods:
        r, m = methods[0]
        return r.id, m.http_method, r.path
    return "", "GET", "/"
