"""Typed updates a poller yields; the UI and headless commands consume them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from apigw_cockpit.model.signals import (
    Alarm,
    Change,
    LogEvent,
    MetricSeries,
    RequestTrace,
    TargetHealth,
    TrailWindow,
)
from apigw_cockpit.model.topology import Topology


class SourceState(StrEnum):
    STARTING = "starting"
    CONNECTING = "connecting"  # a stream (Live Tail) is being opened or retried: no data yet
    OK = "ok"
    STALE = "stale"
    THROTTLED = "throttled"
    DENIED = "denied"
    ERROR = "error"


@dataclass(frozen=True)
class SourceStatus:
    """Freshness of one source: when it last succeeded, and its last error."""

    source: str
    state: SourceState
    at: float
    last_ok: float | None = None
    last_error: str = ""
    throttles: int = 0
    next_poll: float | None = None
    # A condition worth showing that is not an error, e.g. Live Tail sampling
    # ("sampled: lines beyond 500/s are dropped"); "" when there is none.
    note: str = ""


@dataclass(frozen=True)
class MetricsUpdate:
    source: str
    at: float
    series: tuple[MetricSeries, ...]
    backfill: bool = False


@dataclass(frozen=True)
class LogsUpdate:
    """New log events (deduplicated) and the traces they completed or extended."""

    source: str
    at: float
    events: tuple[LogEvent, ...]
    traces: tuple[RequestTrace, ...] = ()
    dropped: int = 0


@dataclass(frozen=True)
class TargetHealthUpdate:
    source: str
    at: float
    targets: tuple[TargetHealth, ...]


@dataclass(frozen=True)
class ChangesUpdate:
    source: str
    at: float
    changes: tuple[Change, ...]
    window: TrailWindow | None = None  # what this poll covered (delivery delay, page cap)


@dataclass(frozen=True)
class AlarmsUpdate:
    source: str
    at: float
    alarms: tuple[Alarm, ...]


@dataclass(frozen=True)
class TopologyUpdate:
    """Configuration read again and found different: `reason` is what made us look
    ("change: RevokeSecurityGroupIngress sg-…", "periodic"), `parts` what differs."""

    source: str
    at: float
    topology: Topology
    reason: str = "periodic"
    parts: tuple[str, ...] = ()


Update = (
    MetricsUpdate
    | LogsUpdate
    | TargetHealthUpdate
    | ChangesUpdate
    | AlarmsUpdate
    | TopologyUpdate
    | SourceStatus
)
