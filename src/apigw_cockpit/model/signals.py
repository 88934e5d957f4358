"""Signals the pollers deliver: metrics, log events, target health, changes, alarms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricKey:
    """Identifies one CloudWatch series: namespace, metric, dimensions, statistic.

    `dimensions` is a sorted tuple of (name, value) pairs; `stat` is a CloudWatch
    statistic ("Sum", "Average", "Maximum", "Minimum", "SampleCount", "p99", ...).
    """

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int = 60

    @property
    def label(self) -> str:
        dims = ",".join(f"{k}={v}" for k, v in self.dimensions)
        return f"{self.namespace}/{self.metric}[{dims}]:{self.stat}"


@dataclass(frozen=True)
class MetricSeries:
    """Points of one series, oldest first: (timestamp of period start, value)."""

    key: MetricKey
    points: tuple[tuple[float, float], ...]
    unit: str = ""

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None


@dataclass(frozen=True)
class LogEvent:
    """One CloudWatch Logs event as delivered, with the request id parsed if present."""

    event_id: str
    timestamp: float
    log_group: str
    stream: str
    message: str
    ingestion_time: float = 0.0
    request_id: str = ""


@dataclass(frozen=True)
class RequestTrace:
    """All execution-log lines of one request, in order (grouped by request id)."""

    request_id: str
    first_ts: float
    lines: tuple[str, ...]
    log_group: str = ""
    complete: bool = False
    # Each line's event timestamp, same order as `lines` (empty when not known): the trace view
    # shows the gaps (29 s between "Sending request" and "Execution failed" is the timeout).
    line_times: tuple[float, ...] = ()


@dataclass(frozen=True)
class TargetHealth:
    """One target's health as DescribeTargetHealth reports it."""

    target_group_arn: str
    target_id: str
    port: int
    az: str
    state: str
    reason: str = ""
    description: str = ""


@dataclass(frozen=True)
class Change:
    """A mutating CloudTrail event on (or near) the topology."""

    event_id: str
    time: float
    event_name: str
    event_source: str
    user: str
    resources: tuple[str, ...] = ()
    request_parameters: str = ""
    read_only: bool = False
    # What kind of change on the path (aws/sources/cloudtrail.toml [[kind]] ids, e.g.
    # "security-group-rule", "network-acl", "route-table", "lambda-alias", "lambda-concurrency",
    # "ecs-deployment", "codedeploy-deployment", "iam-policy"); "" when no kind matched.
    kind: str = ""
    # The region whose trail recorded it (IAM/STS events live in us-east-1).
    region: str = ""
    # The API version CloudTrail appends to some names ("20150331v2" for Lambda's
    # "UpdateFunctionConfiguration20150331v2"); `event_name` is the operation without it.
    # The exact EventName for a LookupEvents query is event_name + api_version.
    api_version: str = ""


@dataclass(frozen=True)
class TrailWindow:
    """What one CloudTrail poll can vouch for.

    Events in [start, now] were asked for. `settled_until` = now - delivery delay: CloudTrail
    delivers within ~5 minutes (typical, not guaranteed), so "no change after settled_until"
    means "none seen yet", not "none happened". `truncated_before` is set when a lookup hit
    its page cap: events older than it (in that lookup) were not read. `regions` were read.
    """

    start: float
    now: float
    settled_until: float
    delivery_delay_s: float
    truncated_before: float | None = None
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch alarm on one of the API's metrics."""

    name: str
    state: str
    reason: str = ""
    metric: str = ""
    namespace: str = ""
    updated: float = 0.0
