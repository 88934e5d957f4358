"""Incident onset: the first minute 5XXError rises clearly above its baseline.

HealthyHostCount dropping is also an onset signal (it often leads the 5XX by a minute).
When no metric shows it, the first failing trace stands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.diagnose.observations import Observations, errors_5xx, failing, find_series, median

BASELINE_POINTS = 30
MIN_RISE = 3.0  # absolute errors/min above baseline before we call it a rise


@dataclass(frozen=True)
class Onset:
    at: float
    source: str  # "5XXError", "HealthyHostCount" or "traces"
    evidence: str


def rise(points: Sequence[tuple[float, float]], *, min_rise: float = MIN_RISE) -> int | None:
    """Index of the first point clearly above the median of the points before it.

    "Clearly" means above max(3 × baseline, baseline + min_rise), and not a lone blip:
    the next point (when there is one) must be elevated too.
    """
    for i, (_, v) in enumerate(points):
        base = median([p for _, p in points[max(0, i - BASELINE_POINTS) : i]])
        threshold = max(3 * base, base + min_rise)
        if v < threshold:
            continue
        if i + 1 < len(points) and points[i + 1][1] < max(2 * base, base + min_rise / 2):
            continue
        return i
    return None


def drop(points: Sequence[tuple[float, float]]) -> int | None:
    """Index of the first point where a count falls below its baseline and stays down."""
    for i, (_, v) in enumerate(points):
        if i < 2:
            continue
        base = median([p for _, p in points[max(0, i - BASELINE_POINTS) : i]])
        if base >= 1 and v <= base - 1 and v <= 0.75 * base:
            after = [p for _, p in points[i : i + 3]]
            if all(p <= 0.75 * base for p in after):
                return i
    return None


def find_onset(obs: Observations) -> Onset | None:
    candidates: list[Onset] = []
    series = errors_5xx(obs)
    if series is not None:
        i = rise(series.points)
        if i is not None:
            t, v = series.points[i]
            candidates.append(Onset(t, "5XXError", f"5XXError {v:.0f}/min at onset (baseline ≈0)"))
    for hh in find_series(obs, "HealthyHostCount", namespace="AWS/NetworkELB"):
        if "AvailabilityZone" in dict(hh.key.dimensions):
            continue
        i = drop(hh.points)
        if i is not None:
            t, v = hh.points[i]
            candidates.append(Onset(t, "HealthyHostCount", f"HealthyHostCount dropped to {v:.0f}"))
    if candidates:
        # A HealthyHostCount drop only counts when 5XX follows within 10 minutes.
        five = [c for c in candidates if c.source == "5XXError"]
        hosts = [c for c in candidates if c.source == "HealthyHostCount"]
        if five:
            early = [h for h in hosts if five[0].at - 600 <= h.at < five[0].at]
            return min(early, key=lambda o: o.at) if early else five[0]
        return min(hosts, key=lambda o: o.at)
    bad = failing(obs)
    if bad:
        first = min(bad, key=lambda c: c.trace.first_ts)
        return Onset(first.trace.first_ts, "traces", f"first failing trace {first.trace.request_id}")
    return None
