"""Typed updates a poller yields; the UI and headless commands consume them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from apigw_cockpit.model.signals import Alarm, Change, LogEvent, MetricSeries, RequestTrace, TargetHealth


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


@dataclass(frozen=True)
class AlarmsUpdate:
    source: str
    at: float
    alarms: tuple[Alarm, ...]


Update = MetricsUpdate | LogsUpdate | TargetHealthUpdate | ChangesUpdate | AlarmsUpdate | SourceStatus
