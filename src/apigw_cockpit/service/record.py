"""One engine result into an incident journal: what a headless run (`demo --headless --journal`)
writes, so `report` can make the postmortem without a screen.

The cockpit journals continuously (ui/journal_watch.py); a headless run has one answer, and
writes it the same way: the engine's onset, the changes it correlated, the findings and the
ranking, the verification when a step has a result, the incident window's totals (never a
re-computation), and the recovery when the data shows one.
"""

from __future__ import annotations

from apigw_cockpit.diagnose.pipeline import EngineResult
from apigw_cockpit.diagnose.recovery import RECOVERY_PERIODS
from apigw_cockpit.incident import Journal
from apigw_cockpit.incident.record import window_fields


def journal_result(journal: Journal, result: EngineResult) -> int:
    """Append what `result` says about the incident; returns the entries written."""
    at = result.at
    written = 0
    if result.onset is not None:
        o = result.onset
        written += journal.mark_onset(o.at, source=o.source, detail=o.evidence)
    written += journal.note_changes(sorted(result.obs.changes, key=lambda c: c.time))
    if result.obs.fix_time is not None:
        written += journal.mark_fix("fix applied (headless drill)", result.obs.fix_time, by="drill")
    written += journal.note_diagnosis(result.diagnosis, at)
    if result.window is not None:
        written += journal.note_impact(at, **window_fields(result.window))
    if result.window is not None and not result.window.ongoing:
        if result.recovery is not None and result.recovery.by == "fix":
            detail = f"5XXError zero for {RECOVERY_PERIODS} periods after the fix"
        else:
            detail = "5XX back under the noise floor"
        written += journal.mark_recovery(result.window.end, source="5XXError", detail=detail)
    return written
