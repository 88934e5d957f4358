"""Incident onset: when 5XX rose above the noise floor (recovery.py: when they stopped).

The 5XX rate is judged over a sliding window (WINDOW_MIN minutes), not minute by minute, so
bursts (40 s of failures every 3 min) make one incident instead of none. A window is *elevated*
when its 5XX clear both floors — a count (NOISE_COUNT) and a share of requests (NOISE_RATE) —
and rise clearly above the baseline: below either floor, 5XX are noise, not an incident.

HealthyHostCount dropping is also an onset signal (it often leads the 5XX by a minute). When no
metric shows it, failing traces stand in, judged by the same floors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.diagnose.observations import (
    ClassifiedTrace,
    Observations,
    errors_5xx,
    failing,
    find_series,
    median,
    stage_series,
)

BASELINE_POINTS = 30
MIN_RISE = 3.0  # absolute errors/min above baseline before one minute counts as a rise
WINDOW_MIN = 5  # minutes the 5XX rate is judged over
NOISE_COUNT = 5  # fewer 5XX than this in a window is noise, whatever the rate
NOISE_RATE = 0.005  # a smaller share of requests than this (0.5 %) is noise, whatever the count
QUIET_S = 10 * 60  # this long with no elevated window after the last one: the incident is over


@dataclass(frozen=True)
class Onset:
    at: float
    source: str  # "5XXError", "HealthyHostCount" or "traces"
    evidence: str


def rise(points: Sequence[tuple[float, float]], *, min_rise: float = MIN_RISE) -> int | None:
    """Index of the first point clearly above the median of the points before it.

    "Clearly" means above max(3 × baseline, baseline + min_rise), and not a lone blip:
    the next point (when there is one) must be elevated too. Kept for per-minute series that
    are not error counts; 5XX use `elevated_windows`.
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


def _requests_at(count: Sequence[tuple[float, float]] | None) -> dict[float, float]:
    return dict(count) if count else {}


def elevated_windows(
    errors: Sequence[tuple[float, float]], requests: Sequence[tuple[float, float]] | None = None
) -> list[int]:
    """Indexes i whose window (points i-WINDOW_MIN+1 … i) is an incident, not noise.

    The baseline is the median per-minute 5XX of the BASELINE_POINTS minutes before the window,
    so a steady background of errors does not read as an incident either. Inside an incident the
    baseline from before it is kept: a long incident must not become its own baseline.
    """
    reqs = _requests_at(requests)
    out = []
    frozen: float | None = None  # the pre-incident baseline while an incident runs
    for i in range(len(errors)):
        lo = max(0, i - WINDOW_MIN + 1)
        window = errors[lo : i + 1]
        total = sum(v for _, v in window)
        base = (
            frozen
            if frozen is not None
            else median([v for _, v in errors[max(0, lo - BASELINE_POINTS) : lo]])
        )
        served = sum(reqs.get(t, 0.0) for t, _ in window)
        elevated = (
            total >= NOISE_COUNT
            and total >= max(3 * base * len(window), base * len(window) + NOISE_COUNT)
            and not (served > 0 and total / served < NOISE_RATE)
        )
        if elevated:
            out.append(i)
            frozen = base if frozen is None else frozen
        else:
            frozen = None
    return out


def _first_rising(errors: Sequence[tuple[float, float]], i: int) -> int:
    """The first minute of window i whose 5XX rose above the baseline before the window."""
    lo = max(0, i - WINDOW_MIN + 1)
    base = median([v for _, v in errors[max(0, lo - BASELINE_POINTS) : lo]])
    for j in range(lo, i + 1):
        if errors[j][1] > base:
            return j
    return i


def count_points(obs: Observations) -> tuple[tuple[float, float], ...] | None:
    count = stage_series(obs, "Count", ("Sum", "SampleCount"))
    return count.points if count is not None else None


def _trace_onset(obs: Observations) -> Onset | None:
    bad = failing(obs)
    total = len(obs.classified)
    if len(bad) < NOISE_COUNT or (total and len(bad) / total < NOISE_RATE):
        return None  # a stray failure is noise
    first = min(bad, key=lambda c: c.trace.first_ts)
    return Onset(first.trace.first_ts, "traces", f"first failing trace {first.trace.request_id}")


def find_onset(obs: Observations) -> Onset | None:
    """Start of the latest incident in the data (None: 5XX never cleared the noise floor)."""
    candidates: list[Onset] = []
    series = errors_5xx(obs)
    if series is not None and series.points:
        pts = series.points
        windows = elevated_windows(pts, count_points(obs))
        if windows:
            # The latest incident: walk back from the last elevated window to the start of its run.
            run_start = windows[-1]
            for w in reversed(windows[:-1]):
                if pts[run_start][0] - pts[w][0] > QUIET_S:
                    break
                run_start = w
            j = _first_rising(pts, run_start)
            t, v = pts[j]
            candidates.append(Onset(t, "5XXError", f"5XXError {v:.0f}/min at onset (noise floor cleared)"))
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
        if series is not None and series.points:
            return None  # hosts dropped but 5XX stayed under the floor: not an incident (yet)
        return min(hosts, key=lambda o: o.at)
    if series is not None and series.points:
        return _throttle_onset(obs)
    return _trace_onset(obs) or _throttle_onset(obs)


def _refused(c: ClassifiedTrace) -> bool:
    """A request API Gateway itself refused with a 4XX: throttled (429), or a JWT authorizer whose
    configuration rejects the clients' tokens (401; a REST or Lambda authorizer failure is a 500)."""
    v, status = c.result.verdict, c.result.status
    return v == "throttled" or (v == "authorizer-failure" and status is not None and 400 <= status < 500)


def _throttle_onset(obs: Observations) -> Onset | None:
    """No 5XX incident, but API Gateway refuses clients (429, a JWT 401): not a 5XX, but what
    users page on. Needs refused traces above the count floor; the 4XXError rise dates it."""
    refused = [c for c in obs.classified if _refused(c)]
    if len(refused) < NOISE_COUNT:
        return None
    what = "throttled (429)" if all(c.result.verdict == "throttled" for c in refused) else "refused (4XX)"
    first = min(c.trace.first_ts for c in refused)
    for s in find_series(obs, "4XXError", namespace="AWS/ApiGateway", stat="Sum"):
        windows = elevated_windows(s.points, count_points(obs))
        if windows:
            t, v = s.points[_first_rising(s.points, windows[0])]
            if t <= first:
                return Onset(t, "4XXError", f"4XXError {v:.0f}/min at onset; {len(refused)} {what}")
    return Onset(first, "traces", f"{len(refused)} requests {what}, first {refused[0].trace.request_id}")
