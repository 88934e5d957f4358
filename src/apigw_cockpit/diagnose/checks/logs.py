"""Checks that read the stage settings, execution logs and latency metrics."""

from __future__ import annotations

from collections import Counter

from apigw_cockpit.diagnose.checks.base import CheckSpec, fmt_ms, logging_off_reason
from apigw_cockpit.diagnose.logging_setup import methods_logging_off, role_problem
from apigw_cockpit.diagnose.observations import (
    Observations,
    errors_5xx,
    failing,
    latency_p99,
)
from apigw_cockpit.diagnose.onset import NOISE_COUNT, find_onset
from apigw_cockpit.diagnose.vocabulary import VERDICT_CAUSES
from apigw_cockpit.model import Finding, Severity, Verdict

PINNED_FRACTION = 0.85  # p99 at or above this share of the timeout counts as "pinned"
FAST_MS = 1000.0
WINDOW = 5  # recent metric periods looked at


def _check_access_logging(spec: CheckSpec, obs: Observations) -> Finding:
    """An HTTP API has no execution log: its access log is the per-request evidence."""
    stage, group = obs.topology.stage, obs.topology.log_groups.access
    fmt = stage.access_log_format
    evidence = [f"stage {stage.name}: accessLogSettings.destination={group or '(none)'}"]
    if fmt:
        evidence.append(f"stage {stage.name}: accessLogSettings.format={fmt[:300]}")
    problems = []
    if not group:
        problems.append("access logging is off: an HTTP API writes no execution log, so no request says why")
    elif "integrationErrorMessage" not in fmt and "integration.error" not in fmt:
        problems.append(
            "the access-log format has no $context.integrationErrorMessage: failures show only a status"
        )
    denied = obs.source_problem("access_logs")
    if denied:
        problems.append(f"access logs unreadable ({denied})")
    if problems:
        return spec.finding(
            obs, Verdict.WARN, "; ".join(problems), evidence=evidence, severity=Severity.WARNING
        )
    return spec.finding(
        obs, Verdict.OK, f"access logging to {group}, with the integration's error", evidence=evidence
    )


def check_logging(spec: CheckSpec, obs: Observations) -> Finding:
    if obs.topology.is_http:
        return _check_access_logging(spec, obs)
    stage = obs.topology.stage
    level = stage.logging_level.upper()
    evidence = [
        f"stage {stage.name}: loggingLevel={level}",
        f"stage {stage.name}: metricsEnabled={stage.metrics_enabled}",
    ]
    evidence += [f"methodSettings {m.key}: loggingLevel={m.logging_level}" for m in stage.method_settings][:6]
    topo = obs.topology
    if topo.cloudwatch_role_arn is None:
        evidence.append("account CloudWatch Logs role: unknown (GetAccount not read)")
    elif topo.cloudwatch_role_arn:
        evidence.append(f"account CloudWatch Logs role: {topo.cloudwatch_role_arn}")
    problems = []
    role = role_problem(topo)
    off = methods_logging_off(topo)
    if level == "OFF" and topo.access_is_request_log:
        problems.append(
            f"execution logging is OFF: reading the stage's access log ({topo.log_groups.access}) instead"
        )
    elif level == "OFF":
        problems.append("execution logging is OFF: no 'Execution failed' lines to read")
    elif role:
        problems.append(role)
    elif level == "ERROR":
        problems.append("execution logging is ERROR-only: successes and latencies are not logged")
    if off and level != "OFF":
        problems.append(f"logging off for {', '.join(off[:3])} (methodSettings override)")
    if not stage.metrics_enabled:
        problems.append("detailed metrics are off: no per-method 5XX/latency")
    denied = obs.source_problem("logs")
    if denied:
        problems.append(f"execution logs unreadable ({denied})")
    if problems:
        return spec.finding(
            obs, Verdict.WARN, "; ".join(problems), evidence=evidence, severity=Severity.WARNING
        )
    return spec.finding(obs, Verdict.OK, f"execution logging {level}, detailed metrics on", evidence=evidence)


def check_exec_log_errors(spec: CheckSpec, obs: Observations) -> Finding:
    if not obs.classified:
        return spec.unknown(obs, logging_off_reason(obs) or "no data: no execution-log traces in the window")
    bad = failing(obs)
    if not bad:
        return spec.finding(obs, Verdict.OK, f"{len(obs.classified)} traces, none failed")
    counts = Counter((c.result.verdict, c.result.status) for c in bad)
    parts = [f"{n} {verdict} ({status})" for (verdict, status), n in counts.most_common()]
    evidence: list[str] = []
    causes: list[str] = []
    for (verdict, _status), _n in counts.most_common():
        example = next(c for c in bad if c.result.verdict == verdict)
        rid = example.result.request_id or example.trace.request_id
        evidence += [f"req {rid[:12]}: {line}" for line in example.result.evidence[:2]]
        causes += [c for c in VERDICT_CAUSES.get(verdict, ()) if c not in causes]
    summary = f"{len(bad)} of {len(obs.classified)} requests failed: " + ", ".join(parts)
    if find_onset(obs) is None and len(bad) < NOISE_COUNT:
        # Below the noise floor (a stray 502 among hundreds): worth a look, not an incident.
        return spec.finding(
            obs, Verdict.WARN, summary + " — below the noise floor", evidence=evidence, root_causes=causes
        )
    # Most requests failing is an outage, not a blip: page-worthy.
    severity = Severity.CRITICAL if len(bad) * 2 >= len(obs.classified) else Severity.ERROR
    return spec.finding(obs, Verdict.ERROR, summary, evidence=evidence, root_causes=causes, severity=severity)


def _timeout_ms(obs: Observations) -> float:
    timeouts = [i.timeout_ms for i in obs.topology.integrations() if i.type != "MOCK"]
    return float(max(timeouts)) if timeouts else 29000.0


def _recent_p99(obs: Observations) -> tuple[float | None, list[str]]:
    series = latency_p99(obs)
    if series is not None and series.points:
        pts = series.points[-WINDOW:]
        ev = [f"IntegrationLatency {series.key.stat} " + ", ".join(fmt_ms(v) for _, v in pts)]
        return max(v for _, v in pts), ev
    lat = [c.result.integration_latency_ms for c in obs.classified if c.result.integration_latency_ms]
    if lat:
        return max(v for v in lat if v is not None), [f"{len(lat)} traces with 'Integration latency'"]
    return None, []


def _recent_5xx(obs: Observations) -> float:
    series = errors_5xx(obs)
    if series is not None and series.points:
        return sum(v for _, v in series.points[-WINDOW:])
    return float(len(failing(obs)))


def check_latency_shape(spec: CheckSpec, obs: Observations) -> Finding:
    p99, evidence = _recent_p99(obs)
    if p99 is None:
        return spec.unknown(obs, "no data: no IntegrationLatency points yet")
    timeout = _timeout_ms(obs)
    evidence.append(f"integration timeout {fmt_ms(timeout)}")
    if p99 >= PINNED_FRACTION * timeout:
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"pinned near the timeout: p99 {fmt_ms(p99)} of {fmt_ms(timeout)}"
            " — the backend never answers in time",
            evidence=evidence,
            root_causes=("integration-timeout", "sg-blocks-nlb-targets", "nlb-subnet-mismatch"),
        )
    if _recent_5xx(obs) > 0 and p99 < FAST_MS:
        return spec.finding(
            obs,
            Verdict.WARN,
            f"5XX with fast integration (p99 {fmt_ms(p99)} < 1 s): refusal, bad response or permission",
            evidence=evidence,
        )
    return spec.finding(
        obs, Verdict.OK, f"p99 {fmt_ms(p99)}, well under the {fmt_ms(timeout)} timeout", evidence=evidence
    )


def check_timeouts(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    evidence: list[str] = []
    problems: list[str] = []
    p99, lat_ev = _recent_p99(obs)
    evidence += lat_ev
    pinned = False
    for res, method in topo.methods():
        integ = method.integration
        if integ is None or integ.type == "MOCK":
            continue
        where = f"{method.http_method} {res.path}"
        evidence.append(f"{where}: timeoutInMillis={integ.timeout_ms}")
        fn = topo.lambda_by_arn(integ.lambda_arn) if integ.lambda_arn else None
        if fn is not None:
            evidence.append(f"lambda {fn.name}: timeout {fn.timeout_s} s")
            if fn.timeout_s * 1000 > integ.timeout_ms:
                problems.append(
                    f"{fn.name} may run {fn.timeout_s} s but {where} gives up after "
                    f"{fmt_ms(integ.timeout_ms)} (504 while the function runs on)"
                )
        if p99 is not None and p99 >= PINNED_FRACTION * integ.timeout_ms:
            pinned = True
    if pinned:
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"observed p99 {fmt_ms(p99)} is at the integration timeout"
            + (f"; {problems[0]}" if problems else ""),
            evidence=evidence,
            root_causes=("integration-timeout",),
        )
    if problems:
        return spec.finding(
            obs, Verdict.WARN, problems[0], evidence=evidence, root_causes=("integration-timeout",)
        )
    if not topo.integrations():
        return spec.unknown(obs, "no integrations in the topology")
    return spec.finding(obs, Verdict.OK, "timeouts consistent with observed latency", evidence=evidence)


def check_xray(spec: CheckSpec, obs: Observations) -> Finding:
    stage = obs.topology.stage
    if not stage.tracing_enabled:
        return spec.finding(
            obs,
            Verdict.UNKNOWN,
            "X-Ray tracing is not enabled on the stage",
            why="tracing disabled",
            evidence=[f"stage {stage.name}: tracingEnabled=false"],
            severity=Severity.INFO,
        )
    return spec.unknown(obs, "not run: X-Ray traces are not collected in this build")
