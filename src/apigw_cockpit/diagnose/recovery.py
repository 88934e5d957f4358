"""Recovery: when the incident's 5XX stopped, and whether they stayed stopped long enough.

The one recovery detector (it was two: a data rule in onset.py and a fix rule here, and the
report and the journal could disagree). One algorithm, two horizons:

- the incident *ended* the minute after its last 5XX — the last error of its last elevated
  window, and, once a fix is marked, any 5XX after the fix (a fix is judged strictly, like V2);
- it is *over* when the data stayed quiet since then: RECOVERY_PERIODS periods after a fix
  (the fix explains why it stopped), otherwise QUIET_S with no elevated window;
- never while failing traces keep coming or no target is healthy (a blocked path with no
  traffic has not recovered).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from apigw_cockpit.diagnose.observations import Observations, errors_5xx, failing
from apigw_cockpit.diagnose.onset import (
    NOISE_COUNT,
    QUIET_S,
    WINDOW_MIN,
    Onset,
    count_points,
    elevated_windows,
    find_onset,
)

RECOVERY_PERIODS = 3  # 5XX back to zero for this many periods after the fix = recovered (like V2)

Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Recovery:
    """The incident that started at `onset` ended at `at` (the minute after its last 5XX)."""

    at: float
    onset: float | None  # None: a fix was marked on data that showed no incident
    errors: float  # 5XX counted from onset (or the fix) to recovery
    evidence: str
    by: Literal["fix", "quiet"]  # what proved it: zero periods after the fix, or QUIET_S of quiet


def _ended(pts: Points, windows: list[int], start: float, fix: float | None) -> float | None:
    """The minute after the incident's last 5XX (None: no period at or after `start`)."""
    after = [i for i, (t, _) in enumerate(pts) if t >= start]
    if not after:
        return None
    marks: list[int] = []
    if windows:
        # The window stays elevated WINDOW_MIN-1 minutes past the last burst: end at its last error.
        last = windows[-1]
        marks += [j for j in range(max(0, last - WINDOW_MIN + 1), last + 1) if pts[j][1] > 0] or [last]
    if fix is None:
        return pts[max(marks or [after[0]])][0] + 60.0
    marks += [i for i in after if pts[i][0] >= fix and pts[i][1] > 0]
    first_after_fix = next((t for t, _ in pts if t >= fix), None)
    if first_after_fix is None:
        return None
    # After a fix, recovery is never before it: nothing failed since → its first whole period.
    return max(first_after_fix, pts[max(marks)][0] + 60.0) if marks else first_after_fix


def find_recovery(obs: Observations, onset: Onset | None = None) -> Recovery | None:
    """When the incident ended, or None while it goes on (or never was and no fix is marked)."""
    onset = onset if onset is not None else find_onset(obs)
    fix = obs.fix_time
    series = errors_5xx(obs)
    if (onset is None and fix is None) or series is None or not series.points:
        return None
    pts = series.points
    start = onset.at if onset is not None else float(fix or 0.0)
    windows = [i for i in elevated_windows(pts, count_points(obs)) if pts[i][0] >= start]
    ended = _ended(pts, windows, start, fix)
    if ended is None:
        return None
    by: Literal["fix", "quiet"]
    if fix is not None and sum(1 for t, _ in pts if t >= ended) >= RECOVERY_PERIODS:
        by = "fix"
    elif obs.now - ended >= QUIET_S:
        by = "quiet"
    else:
        return None
    recent_bad = [c for c in failing(obs) if c.trace.first_ts >= ended]
    if len(recent_bad) >= NOISE_COUNT:
        return None
    if obs.target_health and not any(t.state == "healthy" for t in obs.target_health):
        return None
    errors = sum(v for t, v in pts if start <= t < ended)
    minutes = (ended - start) / 60.0
    quiet = (
        f"5XXError zero for {RECOVERY_PERIODS} periods after the fix"
        if by == "fix"
        else f"none above the noise floor for {(obs.now - ended) / 60:.0f} min"
    )
    return Recovery(
        ended,
        onset.at if onset is not None else None,
        errors,
        f"{errors:.0f} 5XX over {minutes:.0f} min, {quiet}",
        by,
    )
