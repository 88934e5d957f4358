"""What of the cockpit's state goes into the journal, decided once per tick from state versions.

Cheap on the UI thread: it compares version counters and ids, and hands the writes to the
`JournalSink` thread. The journal dedupes re-observations too; this keeps the queue quiet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from apigw_cockpit.diagnose.recovery import RECOVERY_PERIODS
from apigw_cockpit.incident import record
from apigw_cockpit.incident.entries import Entry
from apigw_cockpit.incident.sink import JournalSink
from apigw_cockpit.ui.state import CockpitState

IMPACT_EVERY_S = 60.0
# A check or a ranking whose numbers grew under the same verdict is journaled again at most this
# often: the record follows the incident ("412 of 560 failed", not the first "1 of 100").
REFRESH_S = 60.0


def steps_verified(steps: Sequence[object]) -> bool:
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
    _impact: dict[str, object] | None = None
    _impact_at: float | None = None
    _written: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # id -> verdict, summary, at
    _because: tuple[str, ...] = ()
    _flips: int = 0  # rediscovery flips already journaled
    _ranked_at: float | None = None

    def resume(self, entries: Sequence[Entry]) -> None:
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
            self._note_findings(state, now)
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
            rec = result.recovery  # the engine's one recovery detector (diagnose.recovery)
            if rec is not None:
                at = rec.at
                self.recovered_fix, self.recovery = fix, at
                detail = (
                    f"5XXError zero for {RECOVERY_PERIODS} periods after the fix"
                    if rec.by == "fix"
                    else "5XX back under the noise floor"
                )
                sink.submit(lambda j: j.mark_recovery(at, source="5XXError", detail=detail))
                reached.append("recovery")
        self._note_impact(state, now)
        if len(state.rediscoveries) > self._flips:
            flips = state.rediscoveries[self._flips :]
            self._flips = len(state.rediscoveries)
            sink.submit(lambda j: [j.note_rediscovery(f) for f in flips])
        return reached

    def _due(self, check_id: str, verdict: str, summary: str, now: float) -> bool | None:
        """True: write it; False: nothing new; None: new numbers, but refreshed too recently."""
        last = self._written.get(check_id)
        if last is None or last[0] != verdict:
            return True
        if last[1] == summary:
            return False
        return True if now - last[2] >= REFRESH_S else None

    def _note_findings(self, state: CockpitState, now: float) -> None:
        sink, later = self.sink, False
        # A check that has only ever said "unknown" (not run, no data yet) is not a result;
        # once it had a verdict, turning unknown (a source lost) is one and is kept.
        findings = []
        for f in state.findings:
            verdict = str(f.verdict)
            if verdict == "unknown" and f.check_id not in self._known:
                continue
            due = self._due(f.check_id, verdict, f.summary, now)
            later |= due is None
            if due:
                findings.append(f)
                self._written[f.check_id] = (verdict, f.summary, now)
        self._known.update(f.check_id for f in findings)
        if findings:
            sink.submit(lambda j: j.note_findings(findings, at=now))
        top = state.hypotheses[0] if state.hypotheses else None
        if top is not None:
            refresh = top.root_cause == self.top and tuple(top.because) != self._because
            paced = self._ranked_at is not None and now - self._ranked_at < REFRESH_S
            later |= refresh and paced
            if top.root_cause != self.top or (refresh and not paced):
                self.top, self._because, self._ranked_at = top.root_cause, tuple(top.because), now
                ranked = tuple(state.hypotheses)
                sink.submit(lambda j: j.note_hypotheses(ranked, at=now))
        if later:
            self._versions.pop("findings", None)  # look again on a later tick

    def _note_impact(self, state: CockpitState, now: float) -> None:
        if self.onset is None or not self._moved(state, "metrics"):
            return
        if self._impact_at is not None and now - self._impact_at < IMPACT_EVERY_S:
            self._versions.pop("metrics", None)  # look again on a later tick
            return
        # The engine's incident-window totals (diagnose/window.py), the same `check --json` reports.
        window = state.result.window if state.result is not None else None
        if window is None:
            return
        summary = record.window_fields(window)
        if summary == self._impact:
            return
        self._impact, self._impact_at = summary, now
        sink_summary = dict(summary)
        self.sink.submit(lambda j: j.note_impact(now, **sink_summary))
