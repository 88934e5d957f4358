"""Checks that read on-demand probe results: direct backend request and TestInvokeMethod."""

from __future__ import annotations

from apigw_cockpit.diagnose.checks.base import CheckSpec, fmt_ms
from apigw_cockpit.diagnose.classifier import classify
from apigw_cockpit.diagnose.deployment import undeployed_changes
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.vocabulary import VERDICT_CAUSES
from apigw_cockpit.model import Finding, ProbeResult, Severity, TestInvokeResult, Verdict

TRAP = (
    "a direct request bypasses the VPC link, the NLB, its health checks and security groups, "
    "and API Gateway's timeout — it proves the process is up, not that the path works"
)


def check_backend_direct(spec: CheckSpec, obs: Observations) -> Finding:
    probes = [p for p in obs.probes if isinstance(p, ProbeResult) and p.kind == "backend-direct"]
    if not probes:
        return spec.finding(
            obs,
            Verdict.UNKNOWN,
            "not run: probe the backend directly from the checks screen",
            why="not run: backend probe",
            severity=Severity.INFO,
        )
    p = probes[-1]
    evidence = [
        f"{p.method} {p.url} → {p.status if p.status is not None else p.error} in {fmt_ms(p.latency_ms)}"
    ]
    evidence += list(p.transcript[:6])
    if p.status is None or p.status >= 500:
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"backend fails even directly ({p.status or p.error}): the fault is in the backend itself",
            evidence=evidence,
            root_causes=("backend-crash-under-load", "invalid-backend-response"),
        )
    return spec.finding(
        obs,
        Verdict.OK,
        f"backend answers {p.status} directly — but {TRAP}",
        evidence=evidence,
        severity=Severity.INFO,
    )


def check_test_invoke(spec: CheckSpec, obs: Observations) -> Finding:
    results = [p for p in obs.probes if isinstance(p, TestInvokeResult)]
    if not results:
        return spec.finding(
            obs,
            Verdict.UNKNOWN,
            "not run: TestInvokeMethod asks first (checks screen, or verify --confirm-test-invoke)",
            why="not run: needs confirmation",
            severity=Severity.INFO,
        )
    r = results[-1]
    if r.error:
        return spec.unknown(obs, f"TestInvokeMethod failed: {r.error}")
    verdict = classify(r.log.splitlines())
    evidence = [f"TestInvokeMethod status {r.status} in {fmt_ms(r.latency_ms)}", *verdict.evidence[:4]]
    note = " (runs on test-invoke-stage, not through the VPC link)"
    undeployed = [c for c in undeployed_changes(obs) if c.time <= r.at]
    if undeployed:
        # TestInvokeMethod runs the API's current definition, not the stage's deployment.
        note += f"; ran against an undeployed definition ({len(undeployed)} change(s) since the deployment)"
        evidence += [f"{c.event_name} by {c.user or '?'} after the deployment" for c in undeployed[-2:]]
    if r.status >= 500 or verdict.failed:
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"test invoke returns {r.status}: {verdict.verdict}",
            evidence=evidence,
            root_causes=VERDICT_CAUSES.get(verdict.verdict, ()),
        )
    return spec.finding(obs, Verdict.OK, f"test invoke returns {r.status}{note}", evidence=evidence)
