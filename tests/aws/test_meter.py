"""The call meter: sliding-minute counts, throttles, errors, estimated USD/hour."""

from __future__ import annotations

from apigw_cockpit.aws.meter import GET_METRIC_DATA_USD_PER_METRIC, CallMeter
from apigw_cockpit.model import FrozenClock


def test_sliding_minute_and_cost() -> None:
    clock = FrozenClock(1000.0)
    m = CallMeter(clock)
    m.record("GetMetricData", metrics=40)
    m.record("FilterLogEvents")
    m.record("FilterLogEvents", error_code="ThrottlingException")
    m.record("LookupEvents", failed=True)
    s = m.snapshot()
    assert s.calls_per_min == {"FilterLogEvents": 2.0, "GetMetricData": 1.0, "LookupEvents": 1.0}
    assert (s.throttles, s.errors) == (1, 1)
    # 40 metrics/min × 60 min × $0.00001
    assert abs(s.cost_per_hour_usd - 40 * 60 * GET_METRIC_DATA_USD_PER_METRIC) < 1e-9
    assert s.quota_use is not None and abs(s.quota_use["FilterLogEvents"] - 2 / 60 / 10) < 1e-9
    clock.advance(61)
    s = m.snapshot()
    assert s.calls_per_min == {} and s.cost_per_hour_usd == 0 and s.total_calls == 4
    m.live_tail_sessions = 1
    assert m.snapshot().cost_per_hour_usd == 0.6
