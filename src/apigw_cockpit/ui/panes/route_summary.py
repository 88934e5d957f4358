"""The log pane's per-route summary: requests/min, 5XX/min and share, status mix, p99, verdict.

Numbers only from what the cockpit already holds (no AWS call of its own): CloudWatch's
per-method series when the stage has detailed metrics (complete counts, last ended minute),
else the execution-log requests of the last few minutes in the store. The verdict is the
engine's per-request verdict (the most common one among the route's failures), never ours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from apigw_cockpit.diagnose.logging_setup import effective_level, role_problem
from apigw_cockpit.model import MetricSeries, Topology
from apigw_cockpit.ui.state import IN_FLIGHT, PENDING, CockpitState, LogRow

WINDOW_S = 300.0  # the log window the rates are computed over (or less, if the store holds less)


@dataclass(frozen=True)
class RouteLine:
    route: str  # "GET /orders/{id}"
    per_min: float | None
    errors_per_min: float | None
    share: float | None  # 5XX / requests, 0..1
    mix: str  # "504×140 200×3" (from the logs; "" without them)
    p99_ms: float | None
    verdict: str  # the engine's verdict of most of the route's failures; "" = none failing
    source: str  # "metrics" | "logs" | ""


def _last_complete(series: MetricSeries | None, now: float) -> float | None:
    if series is None:
        return None
    period = series.key.period or 60
    done = [v for ts, v in series.points if ts + period <= now]
    return done[-1] if done else None


def _per_method(state: CockpitState) -> dict[tuple[str, str, str, str], MetricSeries]:
    """The stage's per-method series by (metric, stat, method, resource): one pass over the
    metrics instead of one per route and figure (the summary is drawn on every batch)."""
    out: dict[tuple[str, str, str, str], MetricSeries] = {}
    for key, series in state.metrics.items():
        if key.namespace != "AWS/ApiGateway":
            continue
        dims = dict(key.dimensions)
        method, resource = dims.get("Method"), dims.get("Resource")
        if method is not None and resource is not None:
            out.setdefault((key.metric, key.stat, method, resource), series)
    return out


def _p99(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def summarize(state: CockpitState, now: float) -> list[RouteLine]:
    """One line per route of the stage (OPTIONS left out), busiest first."""
    routes = [(m.http_method, r.path) for r, m in state.topology.methods() if m.http_method != "OPTIONS"]
    recent = [r for r in state.rows.values() if r.method and now - WINDOW_S <= r.ts <= now]
    span_s = max(60.0, now - min((r.ts for r in recent), default=now))
    latency: dict[str, float] = {}
    if state.result is not None:
        for c in state.result.obs.classified:
            if c.result.integration_latency_ms is not None and c.trace.request_id:
                latency[c.trace.request_id] = c.result.integration_latency_ms
    by_route: dict[tuple[str, str], list[LogRow]] = {}
    for r in recent:
        by_route.setdefault((r.method, r.route or r.path), []).append(r)
    series = _per_method(state)
    out = []
    for method, path in routes:
        rows = by_route.get((method, path), [])
        statuses = Counter(r.status for r in rows if r.status)
        failing = Counter(state.verdict_of(r) for r in rows if r.failed)
        failing.pop(PENDING, None)
        failing.pop(IN_FLIGHT, None)
        mix = " ".join(f"{s}×{n}" for s, n in sorted(statuses.items(), key=lambda kv: -kv[1]))
        count = _last_complete(series.get(("Count", "Sum", method, path)), now)
        errors = _last_complete(series.get(("5XXError", "Sum", method, path)), now)
        p99 = _last_complete(series.get(("IntegrationLatency", "p99", method, path)), now)
        if count is not None:
            source = "metrics"
        elif rows:
            source = "logs"
            count = len(rows) * 60 / span_s
            errors = sum(1 for r in rows if (r.status or 0) >= 500) * 60 / span_s
            p99 = _p99([latency[r.request_id] for r in rows if r.request_id in latency])
        else:
            source = ""
        share = (errors or 0.0) / count if count else None
        verdict = failing.most_common(1)[0][0] if failing else ""
        out.append(RouteLine(f"{method} {path}", count, errors, share, mix, p99, verdict, source))
    return sorted(out, key=lambda r: (-(r.errors_per_min or 0), -(r.per_min or 0), r.route))


def logging_off(topology: Topology) -> str:
    """Why the stage writes no per-request log (execution logging OFF, no account role; an HTTP
    API: no access log), or ''."""
    if topology.access_is_request_log:
        return ""  # the access log is the per-request log (HTTP API, or REST with execution logging off)
    if topology.is_http:
        return f"access logging is off on stage {topology.stage.name}"
    role = role_problem(topology)
    if role:
        return role
    methods = [(r.path, m.http_method) for r, m in topology.methods() if m.http_method != "OPTIONS"]
    levels = [effective_level(topology.stage, p, v) for p, v in methods] or [
        topology.stage.logging_level.upper()
    ]
    if all(level == "OFF" for level in levels):
        return f"execution logging is off on stage {topology.stage.name}"
    return ""


def turn_on_hint(topology: Topology) -> str:
    """The one command that turns execution logging on: the account's CloudWatch role when that
    is what is missing, else the stage's INFO level."""
    if topology.is_http:
        return (
            f"aws apigatewayv2 update-stage --api-id {topology.api_id} --stage-name {topology.stage.name}"
            " --access-log-settings DestinationArn=<log group ARN>,Format='<JSON with"
            " $context.requestId, $context.status, $context.integrationErrorMessage>'"
        )
    if role_problem(topology):
        return (
            "aws apigateway update-account --patch-operations"
            " op=replace,path=/cloudwatchRoleArn,value=<role ARN API Gateway may assume>"
        )
    return (
        f"aws apigateway update-stage --rest-api-id {topology.api_id} --stage-name {topology.stage.name}"
        " --patch-operations op=replace,path=/*/*/logging/loglevel,value=INFO"
    )
