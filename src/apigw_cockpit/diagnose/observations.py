"""`Observations`: everything a check may look at, frozen at one instant, plus lookup helpers."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from apigw_cockpit.diagnose.access_format import AccessFormat, access_format
from apigw_cockpit.diagnose.access_log import classify_access, parse_access_line
from apigw_cockpit.diagnose.classifier import Classification, classify
from apigw_cockpit.model import (
    Alarm,
    Change,
    LoadTestResult,
    LogEvent,
    MetricSeries,
    PolicyDecision,
    ProbeResult,
    RequestTrace,
    SourceState,
    SourceStatus,
    TargetHealth,
    TestInvokeResult,
    Topology,
    TrailWindow,
)

Probe = ProbeResult | TestInvokeResult | PolicyDecision | LoadTestResult

# Dimensions that make a series per-method (detailed metrics) rather than per-stage.
_DETAIL_DIMS = {"Method", "Resource", "Route"}


@lru_cache(maxsize=20000)
def _classify_cached(lines: tuple[str, ...]) -> Classification:
    # The UI rebuilds Observations every tick over mostly the same traces: classify each once.
    return classify(lines)


@lru_cache(maxsize=20000)
def _classify_access_cached(line: str, fmt: str) -> Classification:
    """One access-log line, read with the stage's own `accessLogSettings.format` first."""
    rec = parse_access_line(line, _access_format(fmt) if fmt else None)
    if rec is None:
        return Classification("unknown", None, ("not an access-log line the stage's format reads",))
    return classify_access(rec)


@lru_cache(maxsize=64)
def _access_format(fmt: str) -> AccessFormat | None:
    return access_format(fmt)


@dataclass(frozen=True)
class ClassifiedTrace:
    trace: RequestTrace
    result: Classification


@dataclass(frozen=True)
class Observations:
    """The one input of every check.

    `events` carries non-execution log events the checks read by log group: Lambda logs
    (`/aws/lambda/<fn>`) and VPC flow logs. `fix_time` is when the fix was applied
    (verification looks only after it).
    """

    now: float
    topology: Topology
    metrics: tuple[MetricSeries, ...] = ()
    traces: tuple[RequestTrace, ...] = ()
    target_health: tuple[TargetHealth, ...] = ()
    changes: tuple[Change, ...] = ()
    alarms: tuple[Alarm, ...] = ()
    sources: tuple[SourceStatus, ...] = ()
    probes: tuple[Probe, ...] = ()
    fix_time: float | None = None
    events: tuple[LogEvent, ...] = ()
    # What the last CloudTrail poll vouches for (delivery delay, page cap); None = not polled.
    trail: TrailWindow | None = None

    @cached_property
    def classified(self) -> tuple[ClassifiedTrace, ...]:
        """Every trace with its classification, computed once per Observations."""
        access = self.topology.log_groups.access if self.topology.access_is_request_log else ""
        fmt = self.topology.stage.access_log_format
        return tuple(
            ClassifiedTrace(
                t,
                _classify_access_cached(t.lines[0], fmt)
                if access and t.log_group == access and t.lines
                else _classify_cached(tuple(t.lines)),
            )
            for t in self.traces
        )

    def source_problem(self, *names: str) -> str:
        """'denied: <error>' / 'error: …' for the first named source that is not OK, else ''."""
        for status in self.sources:
            if not any(_source_matches(status.source, n) for n in names):
                continue
            if status.state in (SourceState.DENIED, SourceState.ERROR, SourceState.THROTTLED):
                detail = status.last_error or status.source
                return f"{status.state.value}: {detail}"
        return ""

    def probes_of(self, kind: type[Probe]) -> list[Probe]:
        return [p for p in self.probes if isinstance(p, kind)]

    def events_in(self, group_prefix: str) -> list[LogEvent]:
        return [e for e in self.events if e.log_group.startswith(group_prefix)]


def _source_matches(source: str, name: str) -> bool:
    return source == name or source.startswith((f"{name}:", f"{name}/", f"{name}-"))


def find_series(
    obs: Observations,
    metric: str,
    *,
    namespace: str | None = None,
    stat: str | None = None,
    dims: dict[str, str] | None = None,
) -> list[MetricSeries]:
    """Series whose metric, namespace, statistic (case-insensitive) and dimensions match."""
    out = []
    for s in obs.metrics:
        key = s.key
        if key.metric != metric or (namespace and key.namespace != namespace):
            continue
        if stat and key.stat.lower() != stat.lower():
            continue
        have = dict(key.dimensions)
        if dims and any(have.get(k) != v for k, v in dims.items()):
            continue
        out.append(s)
    return out


def stage_series(obs: Observations, metric: str, stats: Sequence[str]) -> MetricSeries | None:
    """The stage-level AWS/ApiGateway series of `metric`, trying statistics in order.

    Prefers {ApiName, Stage} (or {ApiId, Stage}) over per-method detailed series.
    """
    for stat in stats:
        found = [
            s
            for s in find_series(obs, metric, namespace="AWS/ApiGateway", stat=stat)
            if not _DETAIL_DIMS & {k for k, _ in s.key.dimensions}
        ]
        staged = [s for s in found if dict(s.key.dimensions).get("Stage") in (None, obs.topology.stage.name)]
        if staged:
            return max(staged, key=lambda s: ("Stage" in dict(s.key.dimensions), len(s.points)))
    return None


def errors_5xx(obs: Observations) -> MetricSeries | None:
    return stage_series(obs, "5XXError", ("Sum",)) or stage_series(obs, "5xx", ("Sum",))


def latency_p99(obs: Observations) -> MetricSeries | None:
    return stage_series(obs, "IntegrationLatency", ("p99", "p95", "Maximum", "Average"))


def recent(points: Sequence[tuple[float, float]], since: float) -> list[tuple[float, float]]:
    return [(t, v) for t, v in points if t >= since]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def path_matches(template: str, actual: str) -> bool:
    """Does a logged path ("/orders/o-1") belong to a resource path ("/orders/{id}")?"""
    if template == actual:
        return True
    if "{" not in template:
        return False
    return _template_pattern(template).fullmatch(actual) is not None


@lru_cache(maxsize=4096)
def _template_pattern(template: str) -> re.Pattern[str]:
    # Built once per template: one engine run asks ~12,000 times at 190 requests/min (issue 17).
    pattern = re.sub(r"\\\{[^/]*?\\\+\\\}", ".+", re.escape(template))  # greedy {proxy+}
    pattern = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", pattern)
    return re.compile(pattern)


def failing(obs: Observations) -> list[ClassifiedTrace]:
    return [c for c in obs.classified if c.result.failed]
