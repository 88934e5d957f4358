"""Recovery: when 5XXError came back to zero after the fix, and stayed there.

Moved here from the UI (it was `ui/journal_watch.recovered_at`): one recovery detector, read by
the journal, the cockpit and the report alike.
"""

from __future__ import annotations

from apigw_cockpit.diagnose.observations import Observations, errors_5xx

RECOVERY_PERIODS = 3  # 5XX back to zero for this many periods after the fix = recovered (like V2)


def find_recovery(obs: Observations, fix_time: float | None = None) -> float | None:
    """Start of the trailing run of zero-5XX periods after the fix, once it is RECOVERY_PERIODS long."""
    fix = obs.fix_time if fix_time is None else fix_time
    errors = errors_5xx(obs)
    if fix is None or errors is None:
        return None
    after = [(t, v) for t, v in errors.points if t >= fix]
    tail = after[-RECOVERY_PERIODS:]
    if len(tail) < RECOVERY_PERIODS or any(v > 0 for _, v in tail):
        return None
    start = tail[0][0]
    for t, v in reversed(after[: -RECOVERY_PERIODS or None]):
        if v > 0:
            break
        start = t
    return start
