"""LogStore, MetricStore and Trail: the stores the simulated AWS answers from."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.demo.world import FilterPattern, LogStore, MetricStore, Trail
from apigw_cockpit.demo.world.trail import TrailResource


class Now:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_filter_pattern_subset() -> None:
    assert FilterPattern('"Execution failed"').matches("(x) Execution failed due to a timeout error")
    assert not FilterPattern('"Execution failed"').matches("Execution  failed")
    assert FilterPattern("timeout error").matches("a timeout error")
    assert not FilterPattern("timeout error").matches("a timeout")
    assert FilterPattern("?502 ?504").matches("status: 504")
    assert not FilterPattern("?502 ?504").matches("status: 200")
    assert not FilterPattern('"Method completed" -200').matches("Method completed with status: 200")
    assert FilterPattern('"Method completed" -200').matches("Method completed with status: 504")
    assert FilterPattern("").matches("anything")


def test_filter_time_window_order_and_paging() -> None:
    store = LogStore(Now(10**12))
    store.put_many("g", "s1", [(1000 + i, f"line {i}") for i in range(0, 50, 2)])
    store.put_many("g", "s2", [(1000 + i, f"line {i}") for i in range(1, 50, 2)])
    events, token = store.filter("g", 1010, 1039, None, None, limit=7)
    assert [e.timestamp_ms for e in events] == list(range(1010, 1017))
    seen = list(events)
    while token:
        events, token = store.filter("g", 1010, 1039, None, token, limit=7)
        seen += events
    assert [e.timestamp_ms for e in seen] == list(range(1010, 1040))
    assert len({e.event_id for e in seen}) == len(seen)
    only_s1, _ = store.filter("g", None, None, None, None, stream_names=["s1"])
    assert {e.stream for e in only_s1} == {"s1"}


def test_out_of_order_put_is_sorted() -> None:
    store = LogStore(Now(10**12))
    store.put("g", "s", 5000, "late")
    store.put("g", "s", 1000, "early")
    events, _ = store.filter("g")
    assert [e.message for e in events] == ["early", "late"]


def test_late_events_invisible_until_ingested() -> None:
    now = Now(10_000)
    store = LogStore(now)
    store.put_many("g", "s", [(9_000, "prompt")], ingestion_delay_ms=200)
    store.put_many("g", "s", [(9_500, "late")], ingestion_delay_ms=4_000)
    assert [e.message for e in store.filter("g")[0]] == ["prompt"]
    now.ms = 13_500
    assert [e.message for e in store.filter("g")[0]] == ["prompt", "late"]


def test_cap_drops_oldest() -> None:
    store = LogStore(Now(10**12), cap_per_group=1000)
    for i in range(5000):
        store.put("g", "s", i, f"m{i}")
    assert store.count("g") <= 1100
    events, _ = store.filter("g", None, None, None, None, limit=10_000)
    assert events[-1].message == "m4999"
    assert events[0].timestamp_ms > 3000


def test_unknown_group_and_bad_token() -> None:
    store = LogStore(Now(0))
    store.create_group("g")
    try:
        store.filter("missing")
        raise AssertionError("expected KeyError")
    except KeyError:
        pass
    try:
        store.filter("g", next_token="garbage!")
        raise AssertionError("expected ValueError")
    except ValueError:
        pass


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=60_000.0, allow_nan=False), min_size=1, max_size=300))
def test_metric_stats_match_raw_values(values: list[float]) -> None:
    m = MetricStore()
    for i, v in enumerate(values):
        m.put("NS", "M", {"A": "1"}, 120 + (i % 60), v)

    def q(stat: str) -> float:
        [(ts, val)] = m.query("NS", "M", {"A": "1"}, stat, 0, 600, 300)
        assert ts == 0.0
        return val

    assert math.isclose(q("Sum"), sum(values), rel_tol=1e-9, abs_tol=1e-6)
    assert q("SampleCount") == len(values)
    assert q("Minimum") == min(values)
    assert q("Maximum") == max(values)
    assert math.isclose(q("Average"), sum(values) / len(values), rel_tol=1e-9, abs_tol=1e-6)
    exact = sorted(values)[max(0, math.ceil(0.99 * len(values)) - 1)]
    assert min(values) <= q("p99") <= max(values)
    assert math.isclose(q("p99"), exact, rel_tol=0.03, abs_tol=1e-6) or exact == 0.0


def test_metric_periods_dims_and_retention() -> None:
    m = MetricStore(retention_s=3600)
    for minute in range(10):
        m.put("AWS/ApiGateway", "5XXError", {"Stage": "prod", "ApiName": "x"}, minute * 60 + 5, 1.0)
    pts = m.query("AWS/ApiGateway", "5XXError", {"ApiName": "x", "Stage": "prod"}, "Sum", 0, 600, 120)
    assert pts == [(0.0, 2.0), (120.0, 2.0), (240.0, 2.0), (360.0, 2.0), (480.0, 2.0)]
    assert m.query("AWS/ApiGateway", "5XXError", {"ApiName": "x"}, "Sum", 0, 600, 60) == []
    assert m.query("AWS/ApiGateway", "5XXError", {"ApiName": "x", "Stage": "prod"}, "p99.9", 0, 60, 60) == [
        (0.0, 1.0)
    ]
    m.trim(3600 + 120)  # keeps minutes >= 2
    assert (
        m.query("AWS/ApiGateway", "5XXError", {"ApiName": "x", "Stage": "prod"}, "Sum", 0, 600, 60)[0][0]
        >= 120
    )


def test_trail_lookup_filters_newest_first_and_pages() -> None:
    trail = Trail("us-east-1", "123456789012")
    for i in range(7):
        trail.record(
            1000 + i,
            "RevokeSecurityGroupIngress" if i % 2 else "UpdateStage",
            "ec2.amazonaws.com" if i % 2 else "apigateway.amazonaws.com",
            "alex" if i < 3 else "sam",
            [TrailResource("AWS::EC2::SecurityGroup", f"sg-{i % 2}")],
            {"groupId": f"sg-{i % 2}"},
        )
    events, token = trail.lookup(0, 2000, max_results=4)
    assert [e["EventTime"] for e in events] == [1006, 1005, 1004, 1003]
    rest, token2 = trail.lookup(0, 2000, max_results=4, token=token)
    assert [e["EventTime"] for e in rest] == [1002, 1001, 1000] and token2 is None
    assert {e["Username"] for e in trail.lookup(attr_key="Username", attr_value="alex")[0]} == {"alex"}
    assert len(trail.lookup(attr_key="ResourceName", attr_value="sg-1")[0]) == 3
    assert len(trail.lookup(attr_key="EventName", attr_value="UpdateStage")[0]) == 4
    assert len(trail.lookup(1002, 1004)[0]) == 3
