"""The verification checklist V1–V6 (DESIGN section 7): is the fix proven, from signals after it.

It must not say "fixed" during an outage. A request sent after the fix that is going to fail
takes the integration timeout (29 s) to fail, then the log/metric delivery delay to show,
while one that succeeds (or hits a MOCK) shows at once. So V3/V4 judge only the *evidence
window* — requests started between the fix and `now − (timeout + delivery delay)`, all of
which have had time to be seen — and stay `pending` until that window holds enough requests
on the routes that were failing. A failure seen at any time after the fix fails the step.
V2 passes on complete metric periods only (period end + delay in the past). Every pending
step says what it waits for and for how long.
"""

from __future__ import annotations

from dataclasses import dataclass

from apigw_cockpit.diagnose.checks.base import fmt_ms
from apigw_cockpit.diagnose.deployment import undeployed_changes
from apigw_cockpit.diagnose.observations import ClassifiedTrace, Observations, errors_5xx, path_matches
from apigw_cockpit.diagnose.probe_choice import default_target
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
    # Execution-log lines reach FilterLogEvents seconds to tens of seconds after the request.
    log_delay_s: float = 30.0
    # CloudWatch publishes a one-minute API Gateway datapoint about a minute after it ends.
    metric_delay_s: float = 60.0
    min_requests: int = 3  # V3/V4: requests on the failing routes inside the evidence window
    period_s: float = 60.0


@dataclass(frozen=True)
class Window:
    """V3/V4's evidence window: requests started in [start, end] have all had time to show."""

    start: float
    end: float
    wait_s: float  # integration timeout + log delay
    routes: tuple[tuple[str, str], ...]  # (method, resource path) failing before the fix; () = any

    def covers(self, c: ClassifiedTrace) -> bool:
        return self.start <= c.trace.first_ts <= self.end

    def on_route(self, c: ClassifiedTrace) -> bool:
        if not self.routes:
            return True
        return any(m == c.result.method and path_matches(p, c.result.path) for m, p in self.routes)


def evidence_window(obs: Observations, since: float, b: VerifyBounds) -> Window:
    before = [c for c in obs.classified if c.trace.first_ts < since and c.result.failed]
    templates = [(m.http_method, r.path) for r, m in obs.topology.methods()]
    logged = {(c.result.method, c.result.path) for c in before}  # thousands of traces, few paths
    routes = sorted(
        {(m, p) for method, path in logged for m, p in templates if m == method and path_matches(p, path)}
    )
    timeouts = [
        m.integration.timeout_ms / 1000
        for r, m in obs.topology.methods()
        if m.integration is not None and (not routes or (m.http_method, r.path) in routes)
    ]
    wait = max(timeouts, default=29.0) + b.log_delay_s
    return Window(since, obs.now - wait, wait, tuple(routes))


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
    note = (p.note,) if p.note else ()
    ev = (f"{p.method} {p.url} → {p.status or p.error} in {fmt_ms(p.latency_ms)}", *note, *p.transcript[:8])
    ok, why = _answered(p.status, b)
    return VerifyStep("V1", title, PASS if ok else FAIL, (*ev, *why))


def _answered(status: int | None, b: VerifyBounds) -> tuple[bool, tuple[str, ...]]:
    """Did the request prove the path works? The expected status does; so does a 4XX: the
    request went through API Gateway to the backend and came back (an order that does not
    exist, a backend's 3 % of 404s). Only a 5XX or no answer is the incident."""
    if _expected(status, b):
        return True, ()
    if b.expected_status == 200 and status is not None and 400 <= status < 500:
        return True, (f"{status} is the backend's answer, not a 5XX: the path works",)
    return False, ()


def _expected(status: int | None, b: VerifyBounds) -> bool:
    # 200 by default; a write the user confirmed may answer 201/204: any 2xx is the fix working.
    if status is None:
        return False
    return status == b.expected_status or (b.expected_status == 200 and 200 <= status < 300)


def _v2(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = f"5XXError is zero for {b.zero_periods} consecutive periods after the fix"
    series = errors_5xx(obs)
    if series is None:
        return VerifyStep("V2", title, PENDING, ("no data: no 5XXError series yet",))
    after = [(t, v) for t, v in series.points if t >= since]
    # Periods that are over and published; a 5XX in a later, partial one still counts against.
    complete = [(t, v) for t, v in after if t + b.period_s + b.metric_delay_s <= obs.now]
    failing = [(t, v) for t, v in after if v > 0]
    tail = complete[-b.zero_periods :]
    ev = tuple(f"5XXError {v:.0f} at +{(t - since) / 60:.0f} min" for t, v in tail)
    if failing and (not tail or failing[-1][0] >= tail[0][0]):
        t, v = failing[-1]
        return VerifyStep("V2", title, FAIL, (*ev, f"5XXError {v:.0f} at +{(t - since) / 60:.0f} min"))
    if len(tail) < b.zero_periods:
        # The next period that can count starts after the last complete one (or the fix).
        need = b.zero_periods - len(tail)
        start = complete[-1][0] + b.period_s if complete else -(-since // b.period_s) * b.period_s
        ready = start + need * b.period_s + b.metric_delay_s
        wait = max(0.0, ready - obs.now)
        why = (
            f"{len(tail)}/{b.zero_periods} complete periods so far; waiting for {need} more "
            f"(~{wait:.0f} s: each minute must end and be published, {b.metric_delay_s:.0f} s)"
        )
        return VerifyStep("V2", title, PENDING, (*ev, why))
    return VerifyStep("V2", title, PASS, ev)


def _pending_why(w: Window, seen: int, b: VerifyBounds) -> str:
    where = ", ".join(f"{m} {p}" for m, p in w.routes) or "any route"
    wait = max(0.0, w.start - w.end)
    if wait > 0:
        return (
            f"waiting for evidence: a request sent after the fix can take {w.wait_s:.0f} s (integration"
            f" timeout + log delivery) to show a failure; {wait:.0f} s to go"
        )
    return f"waiting for evidence: {seen}/{b.min_requests} requests on {where} in the evidence window"


def _v3(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = "Execution logs show 'Successfully completed execution' and no 'Execution failed'"
    w = evidence_window(obs, since, b)
    after = [c for c in obs.classified if c.trace.first_ts >= since]
    failed = [c for c in after if c.result.failed]
    if failed:
        ev = tuple(
            f"req {c.trace.request_id[:12]}: {(c.result.evidence or (c.result.verdict,))[0]}"
            for c in failed[:3]
        )
        return VerifyStep("V3", title, FAIL, (f"{len(failed)} failing traces since the fix", *ev))
    judged = [c for c in after if w.covers(c) and w.on_route(c) and c.result.verdict == "success"]
    if len(judged) < b.min_requests:
        return VerifyStep("V3", title, PENDING, (_pending_why(w, len(judged), b),))
    return VerifyStep(
        "V3", title, PASS, (f"{len(judged)} traces 'Successfully completed execution', none failed",)
    )


def _v4(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = f"The method completes with status {b.expected_status}"
    w = evidence_window(obs, since, b)
    after = [c for c in obs.classified if c.trace.first_ts >= since and c.result.status is not None]
    bad = [c for c in after if (c.result.status or 0) >= 500]
    if bad:
        ev = (f"{len(bad)}/{len(after)} requests since the fix completed with 5XX",)
        return VerifyStep("V4", title, FAIL, ev)
    judged = [c for c in after if w.covers(c) and w.on_route(c)]
    if len(judged) < b.min_requests:
        return VerifyStep("V4", title, PENDING, (_pending_why(w, len(judged), b),))
    good = sum(1 for c in judged if _expected(c.result.status, b))
    ev = (f"{good}/{len(judged)} requests completed with {b.expected_status}, none with 5XX",)
    # A 4XX is the client's answer (a 404 for an unknown id), not the fix failing: only 5XX fails.
    return VerifyStep("V4", title, PASS if good else FAIL, ev)


def _v5(obs: Observations, since: float, b: VerifyBounds) -> VerifyStep:
    title = "TestInvokeMethod returns the expected status"
    results = [p for p in obs.probes if isinstance(p, TestInvokeResult) and p.at >= since]
    if not results:
        return VerifyStep("V5", title, PENDING, ("not run: needs confirmation (--confirm-test-invoke)",))
    r = results[-1]
    ev: tuple[str, ...] = (
        f"TestInvokeMethod → {r.status} in {fmt_ms(r.latency_ms)}" + (f" ({r.error})" if r.error else ""),
        *((r.note,) if r.note else ()),
    )
    ok, why = _answered(r.status, b)
    ev += why
    status = PASS if ok and not r.error else FAIL
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
        *((r.note,) if r.note else ()),
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
    steps = [
        _v1(obs, since, b),
        _v2(obs, since, b),
        _v3(obs, since, b),
        _v4(obs, since, b),
        _v5(obs, since, b),
        _v6(obs, since, b),
    ]
    # HTTP APIs have no TestInvokeMethod: V1 (a live request on the route) is their definition test.
    return [s for s in steps if s.id != "V5"] if obs.topology.is_http else steps


def all_passed(steps: list[VerifyStep]) -> bool:
    return bool(steps) and all(s.status == PASS for s in steps)


def probe_target(topo: Topology) -> tuple[str, str, str]:
    """(resource id, method, path) with no traffic known: the first safe route with a backend
    integration (never a MOCK, never a write). With observations, use probe_choice.choose_probe."""
    return default_target(topo)
