"""The incident window's aggregates: what the journal, the timeline and the postmortem write down.

A record that keeps the first check run ("1 of 100 requests failed") while 75 % of requests fail
understates the incident. These numbers are computed once, here, over the whole incident window
(onset → recovery, or → now while it goes on), from the stage-level metrics and the classified
execution-log traces the engine already holds; nothing above this layer recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from apigw_cockpit.diagnose.observations import Observations, errors_5xx, failing, stage_series

PERIOD_S = 60.0  # AWS/ApiGateway one-minute periods


@dataclass(frozen=True)
class IncidentWindow:
    """Totals over [start, end): metric periods that start inside it, traces that start inside it."""

    start: float
    end: float
    ongoing: bool  # end is "now", not a recovery
    periods: int  # metric periods counted
    requests: int | None  # None: no Count series to divide by
    errors_5xx: int
    peak_5xx_per_min: float
    mean_5xx_per_min: float
    error_rate: float | None  # errors_5xx / requests over the window
    peak_error_rate: float | None  # the worst single period
    traces: int  # execution-log traces in the window (bounded by what the collector keeps)
    failing_traces: int

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end - self.start)


def _floor(t: float) -> float:
    return t - (t % PERIOD_S)


def incident_window(obs: Observations, start: float | None, end: float | None) -> IncidentWindow | None:
    """The aggregates from `start` (the onset) to `end` (the recovery; None = now)."""
    if start is None:
        return None
    ongoing = end is None
    stop = obs.now if end is None else end
    lo = _floor(start)  # the onset lies inside its metric period: that period counts
    errors = errors_5xx(obs)
    counts = stage_series(obs, "Count", ("Sum", "SampleCount"))
    err_pts = [(t, v) for t, v in errors.points if lo <= t < stop] if errors else []
    count_by_t = {t: v for t, v in counts.points if lo <= t < stop} if counts else {}
    failed = sum(v for _, v in err_pts)
    total = sum(count_by_t.values())
    rates = [v / count_by_t[t] for t, v in err_pts if count_by_t.get(t, 0) > 0]
    in_window = [c for c in obs.classified if lo <= c.trace.first_ts < stop]
    bad = [c for c in failing(obs) if lo <= c.trace.first_ts < stop]
    periods = len(err_pts)
    return IncidentWindow(
        start=start,
        end=stop,
        ongoing=ongoing,
        periods=periods,
        requests=round(total) if counts is not None else None,
        errors_5xx=round(failed),
        peak_5xx_per_min=max((v for _, v in err_pts), default=0.0),
        mean_5xx_per_min=failed / periods if periods else 0.0,
        error_rate=min(1.0, failed / total) if total > 0 else None,
        peak_error_rate=min(1.0, max(rates)) if rates else None,
        traces=len(in_window),
        failing_traces=len(bad),
    )
