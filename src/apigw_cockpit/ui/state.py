"""The cockpit's state store: plain Python, bounded, updated by message handlers.

Panes read it and re-render only the areas whose version moved, so a tick that
changes nothing repaints nothing.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from apigw_cockpit.diagnose.correlate import REMOVALS
from apigw_cockpit.model import (
    Alarm,
    AlarmsUpdate,
    Change,
    ChangesUpdate,
    Finding,
    Hypothesis,
    LogEvent,
    LogsUpdate,
    MetricKey,
    MetricSeries,
    MetricsUpdate,
    RequestTrace,
    SourceState,
    SourceStatus,
    TargetHealth,
    TargetHealthUpdate,
    Topology,
    TopologyUpdate,
    TrailWindow,
    Update,
)
from apigw_cockpit.ui.analysis import Diagnoser, RequestVerdict

MAX_POINTS = 6 * 60  # six hours of one-minute points: the longest chart window
MAX_CHANGES = 200
ONSET_PERIOD_S = 60.0
EXECUTION_LOG_SOURCES = frozenset({"logs", "execution_logs"})
OTHER_LOG_CAPACITY = 500
DIAGNOSE_TRACES = 100  # the checks want recent failures, not the whole buffer
_REQ_PREFIX = re.compile(r"^\(([0-9a-fA-F-]{8,})\)\s?")
_METHOD = re.compile(r"HTTP Method: (\w+), Resource Path: (\S+)")
_STATUS = re.compile(r"Method completed with status: (\d{3})")
_PATH_PARAMS = re.compile(r"Method request path: \{([^}]*)\}")
FAILURE_MARKERS = ("Execution failed", "execution failed", "Method completed with status: 5")


@dataclass
class LogRow:
    request_id: str
    ts: float
    lines: tuple[str, ...]
    method: str = ""
    path: str = ""
    status: int | None = None
    verdict: str | None = None  # None until verdict_of() classified it
    failed: bool = False
    route: str = ""  # the path with its path parameters put back: /orders/{id}, for grouping


def route_of(path: str, lines: Iterable[str]) -> str:
    """`/orders/o-24` + "Method request path: {id=o-24}" -> `/orders/{id}` (the resource template)."""
    for ln in lines:
        m = _PATH_PARAMS.search(ln)
        if m is None:
            continue
        params = dict(kv.split("=", 1) for kv in m.group(1).split(", ") if "=" in kv)
        values = {v: k for k, v in params.items() if v}
        return "/".join("{" + values[seg] + "}" if seg in values else seg for seg in path.split("/"))
    return path


@dataclass
class Note:
    at: float
    text: str


@dataclass
class CockpitState:
    topology: Topology
    log_capacity: int = 2000
    metrics: dict[MetricKey, MetricSeries] = field(default_factory=dict)
    rows: OrderedDict[str, LogRow] = field(default_factory=OrderedDict)
    other_logs: dict[str, deque[LogEvent]] = field(default_factory=dict)
    last_data: dict[str, float] = field(default_factory=dict)
    dropped: int = 0
    targets: tuple[TargetHealth, ...] = ()
    changes: dict[str, Change] = field(default_factory=dict)
    trail_window: TrailWindow | None = None
    alarms: tuple[Alarm, ...] = ()
    sources: dict[str, SourceStatus] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    hypotheses: list[Hypothesis] = field(default_factory=list)
    verification: list[Any] = field(default_factory=list)  # diagnose.VerifyStep-like, once a fix is marked
    notes: list[Note] = field(default_factory=list)
    fix_time: float | None = None
    # On-demand probe results (V1 invoke URL, V5 TestInvokeMethod, V6 load test), newest last.
    probe_results: list[Any] = field(default_factory=list)
    onset: float | None = None
    paused: bool = False
    versions: dict[str, int] = field(default_factory=dict)
    diagnoser: Diagnoser = field(default_factory=Diagnoser)
    diagnose_every: float = 2.0  # real seconds between diagnose runs, however busy the feed
    _dirty_for_diagnose: bool = False
    _last_diagnose: float = 0.0

    # -- versions -----------------------------------------------------------------
    def bump(self, area: str) -> None:
        self.versions[area] = self.versions.get(area, 0) + 1
        if area in {"metrics", "logs", "targets", "changes", "alarms", "fix"}:
            self._dirty_for_diagnose = True

    def version(self, area: str) -> int:
        return self.versions.get(area, 0)

    # -- updates --------------------------------------------------------------------
    def apply(self, update: Update) -> None:
        if not isinstance(update, SourceStatus):
            # Data is proof of freshness too: pollers may report status only when it changes.
            self.last_data[update.source] = max(update.at, self.last_data.get(update.source, 0.0))
        if isinstance(update, MetricsUpdate):
            self._metrics(update.series)
        elif isinstance(update, LogsUpdate) and update.source in EXECUTION_LOG_SOURCES:
            self._logs(update.events, update.traces, update.dropped)
        elif isinstance(update, LogsUpdate):
            # Lambda / flow logs are evidence for the checks, not rows of the execution-log pane.
            kept = self.other_logs.setdefault(update.source, deque(maxlen=OTHER_LOG_CAPACITY))
            kept.extend(update.events)
            self.bump("other_logs")
        elif isinstance(update, TargetHealthUpdate):
            self.targets = update.targets
            self.bump("targets")
        elif isinstance(update, ChangesUpdate):
            self.trail_window = update.window or self.trail_window
            for ch in update.changes:
                if not ch.read_only:
                    self.changes[ch.event_id] = ch
            if len(self.changes) > MAX_CHANGES:
                keep = sorted(self.changes.values(), key=lambda c: c.time)[-MAX_CHANGES:]
                self.changes = {c.event_id: c for c in keep}
            self.bump("changes")
        elif isinstance(update, AlarmsUpdate):
            self.alarms = update.alarms
            self.bump("alarms")
        elif isinstance(update, TopologyUpdate):
            self.topology = update.topology
            self.bump("topology")
        elif isinstance(update, SourceStatus):
            self.set_source(update)

    def set_source(self, status: SourceStatus) -> None:
        self.sources[status.source] = status
        self.bump("sources")

    def last_fresh(self, source: str) -> float | None:
        status = self.sources.get(source)
        times = [t for t in (status.last_ok if status else None, self.last_data.get(source)) if t is not None]
        return max(times) if times else None

    def source_failed(self, name: str, error: str, at: float) -> None:
        prev = self.sources.get(name)
        state = SourceState.DENIED if "denied" in error.lower() else SourceState.ERROR
        self.set_source(
            SourceStatus(name, state, at, last_ok=prev.last_ok if prev else None, last_error=error)
        )

    def _metrics(self, series: Iterable[MetricSeries]) -> None:
        for s in series:
            old = self.metrics.get(s.key)
            if old is None:
                merged = s.points
            else:
                points = dict(old.points)
                points.update(s.points)
                merged = tuple(sorted(points.items()))
            self.metrics[s.key] = MetricSeries(
                s.key, merged[-MAX_POINTS:], s.unit or (old.unit if old else "")
            )
        self.onset = detect_onset(self.series("5XXError"))
        self.bump("metrics")

    def _logs(self, events: Iterable[LogEvent], traces: Iterable[RequestTrace], dropped: int) -> None:
        grouped: dict[str, list[str]] = {}
        first: dict[str, float] = {}
        for ev in events:
            rid = ev.request_id
            msg = ev.message
            m = _REQ_PREFIX.match(msg)
            if m:
                rid = rid or m.group(1)
                msg = msg[m.end() :]
            if not rid:
                continue
            grouped.setdefault(rid, []).append(msg)
            first.setdefault(rid, ev.timestamp)
        whole: set[str] = set()
        for tr in traces:
            lines = [(_REQ_PREFIX.sub("", ln, count=1)) for ln in tr.lines]
            grouped[tr.request_id] = lines  # a trace is the authoritative full picture
            first[tr.request_id] = tr.first_ts
            whole.add(tr.request_id)
        for rid, lines in grouped.items():
            row = self.rows.get(rid)
            if row is not None and rid not in whole:
                lines = list(row.lines) + lines
            self.rows[rid] = self._row(rid, first[rid] if row is None else row.ts, tuple(lines))
            self.rows.move_to_end(rid)
        self.dropped += dropped
        while len(self.rows) > self.log_capacity:
            self.rows.popitem(last=False)
            self.dropped += 1
        self.bump("logs")

    def _row(self, rid: str, ts: float, lines: tuple[str, ...]) -> LogRow:
        # Cheap fields now; the classifier runs lazily (verdict_of) for rows someone looks at,
        # so a burst of thousands of requests does not classify rows that are evicted unseen.
        method, path, status = "", "", None
        for ln in lines:
            if not method and (m := _METHOD.search(ln)):
                method, path = m.group(1), m.group(2)
            if status is None and (s := _STATUS.search(ln)):
                status = int(s.group(1))
        failed = any(marker in ln for ln in lines for marker in FAILURE_MARKERS)
        failed = failed or (status or 0) >= 500
        return LogRow(rid, ts, lines, method, path, status, None, failed, route_of(path, lines))

    def verdict_of(self, row: LogRow) -> str:
        """The classifier's verdict, computed once per row version and cached on it."""
        if row.verdict is None:
            v: RequestVerdict = self.diagnoser.classify(row.lines)
            row.verdict = v.verdict
            row.method, row.path = row.method or v.method, row.path or v.path
            row.status = row.status if row.status is not None else v.status
        return row.verdict

    # -- user actions ---------------------------------------------------------------
    def add_note(self, at: float, text: str) -> Note:
        note = Note(at, text)
        self.notes.append(note)
        self.bump("notes")
        return note

    def mark_fix(self, at: float) -> None:
        self.fix_time = at
        self.bump("fix")

    def add_probe(self, result: Any) -> None:
        """A probe the user ran: the verification checklist judges it (bounded: last 20)."""
        self.probe_results = [*self.probe_results[-19:], result]
        self._dirty_for_diagnose = True
        self.bump("verification")

    # -- queries --------------------------------------------------------------------
    def series(
        self, metric: str, stat: str | None = None, namespace: str = "AWS/ApiGateway"
    ) -> MetricSeries | None:
        best: MetricSeries | None = None
        for key, s in self.metrics.items():
            wanted = (
                key.namespace == namespace and key.metric == metric and (stat is None or key.stat == stat)
            )
            # The least-dimensioned series is the stage-wide one.
            if wanted and (best is None or len(key.dimensions) < len(best.key.dimensions)):
                best = s
        return best

    def sorted_changes(self) -> list[Change]:
        return sorted(self.changes.values(), key=lambda c: c.time, reverse=True)

    def suspect_change(self) -> Change | None:
        """The change nearest before onset: the first thing an SRE asks about."""
        if self.onset is None:
            return None
        # Onset is the start of a one-minute bucket: a change inside that minute can still be the cause.
        cutoff = self.onset + ONSET_PERIOD_S
        before = [c for c in self.changes.values() if c.time < cutoff]
        # Same second (a rule swapped for another): the removal is the likelier cause, as in the
        # diagnosis' correlation, so the ◆ and the checks screen name the same change.
        return max(before, key=lambda c: (c.time, c.event_name.startswith(REMOVALS)), default=None)

    def integration_timeout_ms(self) -> int:
        timeouts = [i.timeout_ms for i in self.topology.integrations()]
        return max(timeouts) if timeouts else 29000

    # -- diagnose -------------------------------------------------------------------
    def diagnose_due(self, mono: float | None = None) -> bool:
        """True (and the debounce restarts) if anything changed since the last run and enough time passed."""
        mono = time.monotonic() if mono is None else mono
        if not self._dirty_for_diagnose or mono - self._last_diagnose < self.diagnose_every:
            return False
        self._dirty_for_diagnose = False
        # mono=inf forces a run (a key asked); remembering inf would stop every later debounced run.
        self._last_diagnose = mono if mono != float("inf") else time.monotonic()
        return self.diagnoser.can_check

    def observations(self, now: float) -> dict[str, Any]:
        """A snapshot for `diagnose.Observations`: immutable, so it may be checked off the UI thread."""
        recent = list(self.rows.values())[-DIAGNOSE_TRACES:]
        group = self.topology.log_groups.execution
        return {
            "now": now,
            "topology": self.topology,
            "metrics": tuple(self.metrics.values()),
            "traces": tuple(RequestTrace(r.request_id, r.ts, r.lines, group, True) for r in recent),
            "target_health": self.targets,
            "changes": tuple(self.sorted_changes()),
            "alarms": self.alarms,
            "sources": tuple(self.sources.values()),
            "probes": tuple(self.probe_results),
            "fix_time": self.fix_time,
            "trail": self.trail_window,
        }

    def set_findings(self, findings: list[Finding], hypotheses: list[Hypothesis]) -> None:
        self.findings, self.hypotheses = findings, hypotheses
        self.bump("findings")

    def set_verification(self, steps: list[Any]) -> None:
        """Steps from the checklist; the journal watches this area, so only real changes bump it."""
        if [_step_key(s) for s in steps] != [_step_key(s) for s in self.verification]:
            self.verification = list(steps)
            self.bump("verification")

    def maybe_diagnose(self, now: float, mono: float | None = None) -> bool:
        """Synchronous variant (explicit user requests, tests): True if findings were refreshed."""
        if not self.diagnose_due(mono):
            return False
        self.set_findings(*self.diagnoser.diagnose(**self.observations(now)))
        return True


def _step_key(step: Any) -> tuple[str, str, tuple[str, ...]]:
    return (
        str(getattr(step, "id", "")),
        str(getattr(step, "status", "")),
        tuple(str(e) for e in getattr(step, "evidence", ())),
    )


def detect_onset(series: MetricSeries | None) -> float | None:
    """Start of the current run of non-zero 5XX minutes (None when the last point is zero)."""
    if series is None or not series.points or series.points[-1][1] <= 0:
        return None
    onset = None
    for ts, value in reversed(series.points):
        if value <= 0:
            break
        onset = ts
    return onset
