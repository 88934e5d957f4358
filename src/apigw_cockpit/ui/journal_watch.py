"""What of the cockpit's state goes into the journal, decided once per tick from state versions.

Cheap on the UI thread: it compares version counters and ids, and hands the writes to the
`JournalSink` thread. The journal dedupes re-observations too; this keeps the queue quiet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from apigw_cockpit.diagnose.recovery import RECOVERY_PERIODS
from apigw_cockpit.incident.sink import JournalSink
from apigw_cockpit.ui.state import CockpitState

IMPACT_EVERY_S = 60.0
PERIOD_S = 60.0  # one-minute metric periods


def impact(state: CockpitState, onset: float, end: float | None = None) -> dict[str, Any] | None:
    """Peak 5XX/min, failed and total requests, error rate over [onset, end) from the stage series."""
    errors = state.series("5XXError", "Sum") or state.series("5XXError")
    if errors is None:
        return None
    counts = state.series("Count", "Sum") or state.series("Count")
    in_window = [(t, v) for t, v in errors.points if t >= onset and (end is None or t < end)]
    if not in_window:
        return None
    failed = sum(v for _, v in in_window)
    requests = sum(v for t, v in counts.points if t >= onset and (end is None or t < end)) if counts else 0.0
    out: dict[str, Any] = {
        "peak_5xx_per_min": max(v for _, v in in_window),
        "requests_failed": round(failed),
        "window_start": onset,
        "window_end": end if end is not None else in_window[-1][0] + PERIOD_S,
    }
    if requests > 0:
        out["requests"] = round(requests)
        out["error_rate"] = min(1.0, failed / requests)
    return out


def steps_verified(steps: Sequence[Any]) -> bool:
    """Every step the cockpit can judge from signals alone passed (V2–V4; probes need `verify`)."""
    wanted = {"V2", "V3", "V4"}
    got = {str(getattr(s, "id", "")): str(getattr(s, "status", "")) for s in steps}
    return wanted <= got.keys() and all(got[k] == "pass" for k in wanted)


@dataclass
class JournalWatch:
    """Remembers what was handed to the journal already, so each tick writes only what is new."""

    sink: JournalSink
    onset: float | None = None
    recovery: float | None = None
    recovered_fix: float | None = None
    top: str | None = None
    verified_at: float | None = None
    opened: bool = False  # the journal's own entries are known (until then no onset is decided)
    _changes: set[str] = field(default_factory=set)
    _known: set[str] = field(default_factory=set)
    _versions: dict[str, int] = field(default_factory=dict)
    _impact: dict[str, Any] | None = None
    _impact_at: float | None = None

    def resume(self, entries: Sequence[dict[str, Any]]) -> None:
        """A resumed journal already holds an onset: it stays the incident's onset."""
        self.opened = True
        for e in entries:
            if e.get("kind") == "onset" and self.onset is None:
                self.onset = float(e["at"])

    def _moved(self, state: CockpitState, area: str) -> bool:
        v = state.version(area)
        if self._versions.get(area) == v:
            return False
        self._versions[area] = v
        return True

    def observe(self, state: CockpitState, now: float) -> list[str]:
        """Queue what is new; returns the milestones reached this tick ("onset", "recovery", "verified")."""
        reached: list[str] = []
        sink = self.sink
        new = [c for c in state.changes.values() if c.event_id not in self._changes]
        if new:
            self._changes.update(c.event_id for c in new)
            new.sort(key=lambda c: c.time)
            sink.submit(lambda j: j.note_changes(new))
        found = state.result.onset if state.result else None
        if found is not None and self.onset is None and self.opened:
            # The engine's onset (diagnose.onset), the same one `check --json` reports.
            self.onset = found.at
            sink.submit(lambda j: j.mark_onset(found.at, source=found.source, detail=found.evidence))
            reached.append("onset")
        if self._moved(state, "alarms") and state.alarms:
            alarms = state.alarms
            sink.submit(lambda j: j.note_alarms(alarms))
        if self._moved(state, "findings") and state.findings:
            # A check that has only ever said "unknown" (not run, no data yet) is not a result;
            # once it had a verdict, turning unknown (a source lost) is one and is kept.
            findings = [f for f in state.findings if str(f.verdict) != "unknown" or f.check_id in self._known]
            self._known.update(f.check_id for f in findings)
            if findings:
                sink.submit(lambda j: j.note_findings(findings, at=now))
            top = state.hypotheses[0].root_cause if state.hypotheses else None
            if top is not None and top != self.top:
                self.top = top
                ranked = tuple(state.hypotheses)
                sink.submit(lambda j: j.note_hypotheses(ranked, at=now))
        if self._moved(state, "verification") and state.verification:
            steps = list(state.verification)
            if any(str(getattr(s, "status", "")) in ("pass", "fail") for s in steps):
                sink.submit(lambda j: j.note_verification(steps, at=now))
            if self.verified_at is None and state.fix_time is not None and steps_verified(steps):
                self.verified_at = now
                reached.append("verified")
        fix = state.fix_time
        result = state.result
        if (
            fix is not None
            and self.recovered_fix != fix
            and result is not None
            and result.obs.fix_time == fix
        ):
            at = result.recovery  # the engine's recovery detector (diagnose.recovery)
            if at is not None:
                self.recovered_fix, self.recovery = fix, at
                detail = f"5XXError zero for {RECOVERY_PERIODS} periods after the fix"
                sink.submit(lambda j: j.mark_recovery(at, source="5XXError", detail=detail))
                reached.append("recovery")
        self._note_impact(state, now)
        return reached

    def _note_impact(self, state: CockpitState, now: float) -> None:
        if self.onset is None or not self._moved(state, "metrics"):
            return
        if self._impact_at is not None and now - self._impact_at < IMPACT_EVERY_S:
            self._versions.pop("metrics", None)  # look again on a later tick
            return
        summary = impact(state, self.onset, self.recovery)
        if summary is None or summary == self._impact:
            return
        self._impact, self._impact_at = summary, now
        sink_summary = dict(summary)
        self.sink.submit(lambda j: j.note_impact(now, **sink_summary))
