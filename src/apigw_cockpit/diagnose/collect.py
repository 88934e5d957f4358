"""Accumulate poller updates into `Observations` (pure: callers own the I/O and the loop)."""

from __future__ import annotations

from collections import OrderedDict

from apigw_cockpit.diagnose.observations import Observations, Probe
from apigw_cockpit.model import (
    Alarm,
    AlarmsUpdate,
    Change,
    ChangesUpdate,
    LogEvent,
    LogsUpdate,
    MetricKey,
    MetricSeries,
    MetricsUpdate,
    RequestTrace,
    SourceStatus,
    TargetHealth,
    TargetHealthUpdate,
    Topology,
    TopologyUpdate,
    TrailWindow,
    Update,
)

MAX_TRACES = 5000
MAX_EVENTS = 5000
MAX_CHANGES = 1000  # bounded for a 24 h session; far more than any incident's trail


class ObservationBuilder:
    """Keeps the latest of each signal; `build()` freezes them into Observations.

    Execution-log traces are those whose log group is the stage's execution group (or that
    have none); Lambda and flow-log events are kept as `events` for the checks that read them.
    """

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self._metrics: dict[MetricKey, MetricSeries] = {}
        self._traces: OrderedDict[str, RequestTrace] = OrderedDict()
        self._events: OrderedDict[str, LogEvent] = OrderedDict()
        self._targets: tuple[TargetHealth, ...] = ()
        self._changes: dict[str, Change] = {}
        self._trail: TrailWindow | None = None
        self._alarms: tuple[Alarm, ...] = ()
        self._sources: dict[str, SourceStatus] = {}

    def _is_execution(self, group: str) -> bool:
        groups = self.topology.log_groups
        # An HTTP API's access log (or a REST stage's, with execution logging off) is the
        # per-request log: its lines are traces too.
        if self.topology.access_is_request_log and group and group == groups.access:
            return True
        return not group or group == groups.execution or group.startswith("API-Gateway-Execution-Logs")

    def add(self, update: Update) -> None:
        if isinstance(update, MetricsUpdate):
            for s in update.series:
                self._metrics[s.key] = _merge(self._metrics.get(s.key), s)
        elif isinstance(update, LogsUpdate):
            for t in update.traces:
                if self._is_execution(t.log_group):
                    self._traces[t.request_id or f"{t.first_ts}"] = t
                    self._traces.move_to_end(t.request_id or f"{t.first_ts}")
            for e in update.events:
                if not self._is_execution(e.log_group):
                    self._events[e.event_id] = e
            _trim(self._traces, MAX_TRACES)
            _trim(self._events, MAX_EVENTS)
        elif isinstance(update, TargetHealthUpdate):
            self._targets = update.targets
        elif isinstance(update, ChangesUpdate):
            for c in update.changes:
                self._changes[c.event_id] = c
            self._trail = update.window or self._trail
            if len(self._changes) > MAX_CHANGES:
                keep = sorted(self._changes.values(), key=lambda c: c.time)[-MAX_CHANGES:]
                self._changes = {c.event_id: c for c in keep}
        elif isinstance(update, AlarmsUpdate):
            self._alarms = update.alarms
        elif isinstance(update, TopologyUpdate):
            self.topology = update.topology
        elif isinstance(update, SourceStatus):
            self._sources[update.source] = update

    # Read-only views for the cockpit's panes: they draw the same data the checks judge.
    @property
    def metrics(self) -> dict[MetricKey, MetricSeries]:
        return self._metrics

    @property
    def targets(self) -> tuple[TargetHealth, ...]:
        return self._targets

    @property
    def changes(self) -> dict[str, Change]:
        return self._changes

    @property
    def alarms(self) -> tuple[Alarm, ...]:
        return self._alarms

    @property
    def sources(self) -> dict[str, SourceStatus]:
        return self._sources

    def build(
        self, now: float, probes: tuple[Probe, ...] = (), fix_time: float | None = None
    ) -> Observations:
        return Observations(
            now=now,
            topology=self.topology,
            metrics=tuple(self._metrics.values()),
            traces=tuple(sorted(self._traces.values(), key=lambda t: t.first_ts)),
            target_health=self._targets,
            changes=tuple(sorted(self._changes.values(), key=lambda c: c.time)),
            alarms=self._alarms,
            sources=tuple(self._sources.values()),
            probes=probes,
            fix_time=fix_time,
            events=tuple(self._events.values()),
            trail=self._trail,
        )


def _merge(old: MetricSeries | None, new: MetricSeries) -> MetricSeries:
    if old is None:
        return new
    points = dict(old.points)
    points.update(new.points)
    return MetricSeries(new.key, tuple(sorted(points.items())[-1440:]), new.unit or old.unit)


def _trim(d: OrderedDict[str, RequestTrace] | OrderedDict[str, LogEvent], limit: int) -> None:
    while len(d) > limit:
        d.popitem(last=False)
