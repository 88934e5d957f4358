"""The cockpit's state store: plain Python, bounded, updated by the app's message handlers.

Signals go into the ONE collector (`diagnose.collect.ObservationBuilder`, the same one `check`
uses); the diagnosis comes back as one `EngineResult` from the engine worker. This store adds
only what is the screen's own: log rows as the log pane groups them, notes, pause, fix time,
probe results. Panes read it and re-render only the areas whose version moved.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.flips import VerdictFlip, verdict_flips
from apigw_cockpit.diagnose.hops import Hop
from apigw_cockpit.diagnose.observations import Observations, Probe
from apigw_cockpit.diagnose.pipeline import EngineResult
from apigw_cockpit.diagnose.verification import VerifyStep
from apigw_cockpit.model import (
    Alarm,
    Change,
    Finding,
    Hypothesis,
    LogEvent,
    LogsUpdate,
    MetricKey,
    MetricSeries,
    RequestTrace,
    SourceState,
    SourceStatus,
    TargetHealth,
    Topology,
    TopologyUpdate,
    Update,
)

HTTP_METRIC_NAMES = {"5XXError": "5xx", "4XXError": "4xx"}
# The per-request log the log pane lists: the execution log, or an HTTP API's access log.
EXECUTION_LOG_SOURCES = frozenset({"logs", "execution_logs", "access_logs"})
PENDING = "..."  # a row the engine has not classified yet (or not all of its lines)
IN_FLIGHT = "in flight"  # no status line yet: the request has not finished
UNKNOWN = "unknown"  # the classifier's "no pattern matched" (diagnose.classifier)
DATA_AREAS = frozenset(
    {"metrics", "logs", "other_logs", "targets", "changes", "alarms", "sources", "fix", "topology"}
)
_REQ_PREFIX = re.compile(r"^\(([0-9a-fA-F-]{8,})\)\s?")
_METHOD = re.compile(r"HTTP Method: (\w+), Resource Path: (\S+)")
_STATUS = re.compile(r"Method completed with status: (\d{3})")
# An access-log line (JSON, HTTP API console format): the route key and the status it answered.
_ROUTE_KEY = re.compile(r'"(?:routeKey|resourcePath)"\s*:\s*"([A-Z]+) (/[^"]*)"')
_ACCESS_STATUS = re.compile(r'"status"\s*:\s*"?(\d{3})')
_PATH_PARAMS = re.compile(r"Method request path: \{([^}]*)\}")
# The log pane's "failures only" text filter (DESIGN section 3), not a verdict.
FAILURE_MARKERS = ("Execution failed", "execution failed", "Method completed with status: 5")


@dataclass
class LogRow:
    request_id: str
    ts: float
    lines: tuple[str, ...]
    method: str = ""
    path: str = ""
    status: int | None = None
    failed: bool = False
    route: str = ""  # the path with its path parameters put back: /orders/{id}, for grouping
    times: tuple[float, ...] = ()  # each line's timestamp when known (same length as lines)


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
    rows: OrderedDict[str, LogRow] = field(default_factory=OrderedDict)
    last_data: dict[str, float] = field(default_factory=dict)
    dropped: int = 0
    notes: list[Note] = field(default_factory=list)
    fix_time: float | None = None
    # On-demand probe results (V1 invoke URL, V5 TestInvokeMethod, V6 load test), newest last.
    probe_results: list[Probe] = field(default_factory=list)
    paused: bool = False
    paused_at: float | None = None  # when the user paused (the header says so)
    versions: dict[str, int] = field(default_factory=dict)
    result: EngineResult | None = None
    debounce_s: float = 1.0  # real seconds between engine runs while inputs keep changing (a key forces one)
    # Verdicts a rediscovery changed (live configuration), oldest first: timeline events.
    rediscoveries: list[VerdictFlip] = field(default_factory=list)
    collector: ObservationBuilder = field(init=False)
    # Per request id, what the engine's last run classified: (lines it saw, trace complete).
    # A row that has grown since is not classified yet, whatever the old verdict said.
    _seen: dict[str, tuple[int, bool]] = field(default_factory=dict)
    _rediscovered: tuple[TopologyUpdate, EngineResult | None] | None = None
    _dirty: bool = False
    _last_run: float = float("-inf")

    def __post_init__(self) -> None:
        self.collector = ObservationBuilder(self.topology)

    # -- versions -----------------------------------------------------------------
    def bump(self, area: str) -> None:
        self.versions[area] = self.versions.get(area, 0) + 1
        if area in DATA_AREAS:
            self._dirty = True

    def version(self, area: str) -> int:
        return self.versions.get(area, 0)

    # -- updates --------------------------------------------------------------------
    def apply(self, update: Update) -> None:
        if not isinstance(update, SourceStatus):
            # Data is proof of freshness too: pollers may report status only when it changes.
            self.last_data[update.source] = max(update.at, self.last_data.get(update.source, 0.0))
        self.collector.add(update)
        if isinstance(update, LogsUpdate) and update.source in EXECUTION_LOG_SOURCES:
            self._logs(update.events, update.traces, update.dropped)
        elif isinstance(update, LogsUpdate):
            self.bump("other_logs")  # Lambda / flow logs: evidence for the checks, not log-pane rows
        elif isinstance(update, SourceStatus):
            self.bump("sources")
        else:
            if isinstance(update, TopologyUpdate):  # live configuration: the collector has it too
                self.topology = update.topology
                # The answer before this read, kept until the engine has answered over the new one.
                before = self._rediscovered[1] if self._rediscovered else self.result
                self._rediscovered = (update, before)
            self.bump(_AREA[type(update).__name__])

    def set_source(self, status: SourceStatus) -> None:
        self.collector.add(status)
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

    def _logs(self, events: Iterable[LogEvent], traces: Iterable[RequestTrace], dropped: int) -> None:
        grouped: dict[str, list[str]] = {}
        times: dict[str, list[float]] = {}
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
            times.setdefault(rid, []).append(ev.timestamp)
            first.setdefault(rid, ev.timestamp)
        whole: set[str] = set()
        for tr in traces:
            lines = [(_REQ_PREFIX.sub("", ln, count=1)) for ln in tr.lines]
            grouped[tr.request_id] = lines  # a trace is the authoritative full picture
            times[tr.request_id] = list(tr.line_times)
            first[tr.request_id] = tr.first_ts
            whole.add(tr.request_id)
        for rid, lines in grouped.items():
            row = self.rows.get(rid)
            stamps = times.get(rid, [])
            if row is not None and rid not in whole:
                lines = list(row.lines) + lines
                stamps = list(row.times) + stamps
            when = tuple(stamps) if len(stamps) == len(lines) else ()  # all known, or none shown
            # A request's time is its earliest line: batches and streams arrive out of order,
            # and the log pane's `a` view lists requests by it.
            ts = min([first[rid], *stamps] if row is None else [row.ts, first[rid], *stamps])
            self.rows[rid] = self._row(rid, ts, tuple(lines), when)
            self.rows.move_to_end(rid)
        self.dropped += dropped
        while len(self.rows) > self.log_capacity:
            self.rows.popitem(last=False)
            self.dropped += 1
        self.bump("logs")

    def _row(self, rid: str, ts: float, lines: tuple[str, ...], times: tuple[float, ...] = ()) -> LogRow:
        # Display fields only; the verdict comes from the engine (verdict_of).
        method, path, status = "", "", None
        for ln in lines:
            if not method and (m := _METHOD.search(ln) or _ROUTE_KEY.search(ln)):
                method, path = m.group(1), m.group(2)
            if status is None and (s := _STATUS.search(ln) or _ACCESS_STATUS.search(ln)):
                status = int(s.group(1))
        failed = any(marker in ln for ln in lines for marker in FAILURE_MARKERS)
        failed = failed or (status or 0) >= 500
        return LogRow(rid, ts, lines, method, path, status, failed, route_of(path, lines), times)

    # -- user actions (called by the app, never by a screen) ----------------------------
    def add_note(self, at: float, text: str) -> Note:
        note = Note(at, text)
        self.notes.append(note)
        self.bump("notes")
        return note

    def mark_fix(self, at: float) -> None:
        self.fix_time = at
        self.bump("fix")

    def add_probe(self, result: Probe) -> None:
        """A probe the user ran: the verification checklist judges it (bounded: last 20)."""
        self.probe_results = [*self.probe_results[-19:], result]
        self._dirty = True
        self.bump("verification")

    def toggle_pause(self, at: float | None = None) -> None:
        """`at`: the clock's time, shown as "paused at …" while paused (None once resumed)."""
        self.paused = not self.paused
        self.paused_at = at if self.paused else None
        self.bump("pause")

    # -- the collector's data, for panes ------------------------------------------------
    @property
    def metrics(self) -> dict[MetricKey, MetricSeries]:
        return self.collector.metrics

    @property
    def targets(self) -> tuple[TargetHealth, ...]:
        return self.collector.targets

    @property
    def changes(self) -> dict[str, Change]:
        return {k: c for k, c in self.collector.changes.items() if not c.read_only}

    @property
    def alarms(self) -> tuple[Alarm, ...]:
        return self.collector.alarms

    @property
    def sources(self) -> dict[str, SourceStatus]:
        return self.collector.sources

    def series(
        self, metric: str, stat: str | None = None, namespace: str = "AWS/ApiGateway"
    ) -> MetricSeries | None:
        if self.topology is not None and self.topology.is_http:
            metric = HTTP_METRIC_NAMES.get(metric, metric)  # apigatewayv2 spells them 5xx / 4xx
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

    def integration_timeout_ms(self) -> int:
        """The scale of the latency sparkline (drawing only: the checks judge latency)."""
        timeouts = [i.timeout_ms for i in self.topology.integrations()]
        return max(timeouts) if timeouts else 29000

    # -- the engine's result, for panes ---------------------------------------------------
    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.diagnosis.findings if self.result else ()

    @property
    def hypotheses(self) -> tuple[Hypothesis, ...]:
        return self.result.diagnosis.hypotheses if self.result else ()

    @property
    def verification(self) -> tuple[VerifyStep, ...]:
        """V1–V6 once a fix is marked (before that every step is only "pending")."""
        if self.result is None or self.result.obs.fix_time is None:
            return ()
        return self.result.diagnosis.verification

    @property
    def onset(self) -> float | None:
        onset = self.result.onset if self.result else None
        return onset.at if onset else None

    @property
    def hops(self) -> tuple[Hop, ...]:
        return self.result.hops if self.result else ()

    def suspect_change(self) -> Change | None:
        """The change the engine's correlation blames (◆ in the changes pane)."""
        suspect = self.result.suspect if self.result else None
        return suspect.change if suspect else None

    def verdict_of(self, row: LogRow) -> str:
        """The classifier's verdict for this request, from the engine's last run.

        A request with no status line and no failure yet is still in flight: there is nothing
        to classify, and "unknown" would read as a finding. PENDING when the engine never
        classified it, or classified fewer lines than the row has now (its verdict is stale:
        in a storm the engine runs once a second while lines keep coming). "unknown" for a
        trace that was not complete yet (no status line) is in flight too, not a finding."""
        if row.status is None and not row.failed:
            return IN_FLIGHT
        seen = self._seen.get(row.request_id)
        if self.result is None or seen is None or seen[0] < len(row.lines):
            return PENDING
        verdict = self.result.verdicts.get(row.request_id, PENDING)
        if verdict == UNKNOWN and not seen[1] and row.status is None:
            return IN_FLIGHT
        return verdict

    # -- the engine ----------------------------------------------------------------------
    def engine_due(self, mono: float | None = None, *, force: bool = False) -> bool:
        """True (and the debounce restarts) when inputs changed and the debounce passed, or forced."""
        mono = time.monotonic() if mono is None else mono
        if not force and (not self._dirty or mono - self._last_run < self.debounce_s):
            return False
        self._dirty, self._last_run = False, mono
        return True

    def snapshot(self, now: float) -> Observations:
        """The engine's input, frozen now (immutable: it is diagnosed off the UI thread)."""
        return self.collector.build(now, tuple(self.probe_results), self.fix_time)

    def set_result(self, result: EngineResult) -> None:
        """The engine's answer; each area bumps only when its part changed (panes redraw less)."""
        old, self.result = self.result, result
        self._seen = {
            c.trace.request_id: (len(c.trace.lines), c.trace.complete)
            for c in result.obs.classified
            if c.trace.request_id
        }
        self._note_flips(result)
        self.bump("diagnosis")
        for area, part in _RESULT_PARTS.items():
            if old is None or part(old) != part(result):
                self.bump(area)

    def _note_flips(self, result: EngineResult) -> None:
        """After a rediscovery, the first answer over the new topology: which verdicts it changed."""
        pending = self._rediscovered
        if pending is None or result.obs.topology is not pending[0].topology:
            return
        update, before = pending
        self._rediscovered = None
        if before is None:
            return
        flips = verdict_flips(before.diagnosis.findings, result.diagnosis.findings, update.at, update.reason)
        if flips:
            self.rediscoveries.extend(flips)
            self.bump("rediscovery")


# Result areas: each bumps when its part of the engine's answer changed.
_RESULT_PARTS: dict[str, Callable[[EngineResult], object]] = {
    "findings": lambda r: r.diagnosis.findings,
    "hypotheses": lambda r: r.diagnosis.hypotheses,
    "verification": lambda r: r.diagnosis.verification,
    "verdicts": lambda r: r.verdicts,
    "hops": lambda r: r.hops,
    "onset": lambda r: (r.onset, r.suspect),
    "headline": lambda r: r.headline,
}
# Every area the store bumps: a pane may only listen to these (tests/architecture checks it).
KNOWN_AREAS = (
    DATA_AREAS | frozenset(_RESULT_PARTS) | {"diagnosis", "notes", "pause", "verification", "rediscovery"}
)

_AREA = {
    "MetricsUpdate": "metrics",
    "TargetHealthUpdate": "targets",
    "ChangesUpdate": "changes",
    "AlarmsUpdate": "alarms",
    "TopologyUpdate": "topology",
}
