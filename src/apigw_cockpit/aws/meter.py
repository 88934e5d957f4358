"""The call meter: calls per operation over a sliding minute, throttles, errors, estimated cost.

Hooked on every client's `after-call` / `after-call-error` events. Times come from the
injected clock so a fast demo clock shows per-simulated-minute rates.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.aws import attempts
from apigw_cockpit.aws.errors import THROTTLE_CODES
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Clock

# Pricing assumptions (us-east-1, checked against https://aws.amazon.com/cloudwatch/pricing/).
# GetMetricData: $0.01 per 1,000 metrics requested, no free tier for it.
GET_METRIC_DATA_USD_PER_METRIC = 0.01 / 1000
# Live Tail: $0.01 per session-minute beyond the free tier (1,800 min/month); we show the
# price as if the free tier were used up, the honest upper bound.
LIVE_TAIL_USD_PER_SESSION_MINUTE = 0.01
# Free but quota-limited APIs: calls/min are shown against these TPS quotas
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html,
#  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html).
# FilterLogEvents is 25 TPS in us-east-1, 10 in most regions: 10 is the safe default.
TPS_QUOTAS = {"FilterLogEvents": 10.0, "LookupEvents": 2.0, "StartLiveTail": 5.0, "GetMetricData": 50.0}

WINDOW_S = 60.0


@dataclass(frozen=True)
class MeterSnapshot:
    """What the status bar shows. `quota_use` is calls/s over the window ÷ the TPS quota."""

    calls_per_min: dict[str, float]
    throttles: int
    errors: int
    cost_per_hour_usd: float
    total_calls: int = 0
    metrics_per_min: float = 0.0
    live_tail_sessions: int = 0
    quota_use: dict[str, float] | None = None


class CallMeter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._metric_counts: deque[tuple[float, int]] = deque()
        self.throttles = 0
        self.errors = 0
        self.total = 0
        self.totals: dict[str, int] = {}  # per operation since start (benchmarks, reports)
        self.live_tail_sessions = 0

    # -- recording -------------------------------------------------------------------------
    def record(self, operation: str, *, error_code: str = "", failed: bool = False, metrics: int = 0) -> None:
        now = self._clock.now()
        self._calls.setdefault(operation, deque()).append(now)
        self.total += 1
        self.totals[operation] = self.totals.get(operation, 0) + 1
        if metrics:
            self._metric_counts.append((now, metrics))
        if error_code in THROTTLE_CODES:
            self.throttles += 1
        elif error_code or failed:
            self.errors += 1
        self._trim(now)

    def install(self, client: Client) -> None:
        def _after(http_response: Any, parsed: Any, model: Any, context: Any, **_: Any) -> None:
            code = ""
            if getattr(http_response, "status_code", 200) >= 300 and isinstance(parsed, dict):
                code = str(parsed.get("Error", {}).get("Code", "") or "error")
            metrics = 0
            if model.name == "GetMetricData" and isinstance(context, dict):
                metrics = int(context.get("apigw_cockpit_queries", 0))
            self.record(model.name, error_code=code, metrics=metrics)

        def _after_error(exception: BaseException, context: Any, event_name: str = "", **_: Any) -> None:
            self.record(event_name.rsplit(".", 1)[-1] or "unknown", failed=True)

        client.meta.events.register("after-call.*.*", _after, unique_id="apigw-cockpit-meter")
        client.meta.events.register(
            "after-call-error.*.*", _after_error, unique_id="apigw-cockpit-meter-error"
        )
        # Each attempt's answer, for a poll that runs out of time mid-retry (sources/base.py).
        attempts.install(client)
        # GetMetricData bills per query: count them as the request is built.
        client.meta.events.register(
            "before-parameter-build.*.GetMetricData", _count_queries, unique_id="apigw-cockpit-meter-gmd"
        )

    # -- reading ---------------------------------------------------------------------------
    def _trim(self, now: float) -> None:
        cutoff = now - WINDOW_S
        for q in self._calls.values():
            while q and q[0] < cutoff:
                q.popleft()
        while self._metric_counts and self._metric_counts[0][0] < cutoff:
            self._metric_counts.popleft()

    def snapshot(self) -> MeterSnapshot:
        now = self._clock.now()
        self._trim(now)
        per_min = {op: float(len(q)) for op, q in sorted(self._calls.items()) if q}
        metrics_per_min = float(sum(n for _, n in self._metric_counts))
        cost = metrics_per_min * 60 * GET_METRIC_DATA_USD_PER_METRIC
        cost += self.live_tail_sessions * 60 * LIVE_TAIL_USD_PER_SESSION_MINUTE
        quota = {op: per_min.get(op, 0.0) / 60.0 / tps for op, tps in TPS_QUOTAS.items() if op in per_min}
        return MeterSnapshot(
            calls_per_min=per_min,
            throttles=self.throttles,
            errors=self.errors,
            cost_per_hour_usd=round(cost, 4),
            total_calls=self.total,
            metrics_per_min=metrics_per_min,
            live_tail_sessions=self.live_tail_sessions,
            quota_use=quota,
        )


def _count_queries(params: Any, context: Any, **_: Any) -> None:
    """Stash the number of metrics requested in the request context for the after-call hook."""
    if isinstance(context, dict) and isinstance(params, dict):
        queries = params.get("MetricDataQueries", [])
        context["apigw_cockpit_queries"] = sum(1 for q in queries if "MetricStat" in q) or len(queries)
