"""Metric queries use the statistics the service docs name, and the ApiName API Gateway publishes."""

from __future__ import annotations

from dataclasses import replace

from topo_fixture import topology

from apigw_cockpit.aws.sources.alarms import AlarmsPoller
from apigw_cockpit.aws.sources.metrics import metric_api_name, series_for
from apigw_cockpit.model import FrozenClock


def test_non_ascii_api_name_is_stripped_like_api_gateway_does() -> None:
    assert metric_api_name("orders-prod", "a1") == "orders-prod"
    assert metric_api_name("commandes-été", "a1") == "commandes-t"
    assert metric_api_name("注文", "a1b2c3d4e5") == "a1b2c3d4e5"  # no ASCII left: the API id
    topo = replace(topology(), api_name="注文-prod")
    names = {dict(k.dimensions).get("ApiName") for k in series_for(topo) if k.namespace == "AWS/ApiGateway"}
    assert names == {"-prod"}
    only_cjk = replace(topology(), api_name="注文")
    assert {
        dict(k.dimensions).get("ApiName") for k in series_for(only_cjk) if k.namespace == "AWS/ApiGateway"
    } == {only_cjk.api_id}
    alarms = AlarmsPoller(object(), FrozenClock(0), only_cjk)
    assert alarms.wanted["ApiName"] == {only_cjk.api_id}


def test_statistics_follow_the_metric_docs() -> None:
    stats: dict[str, set[str]] = {}
    for k in series_for(topology()):
        if "Method" not in dict(k.dimensions):
            stats.setdefault(k.metric, set()).add(k.stat)
    assert stats["5XXError"] == {"Sum"} and stats["4XXError"] == {"Sum"}
    assert {"p99", "p50"} <= stats["IntegrationLatency"] and "Sum" not in stats["Latency"]
    assert stats["HealthyHostCount"] <= {"Minimum", "Maximum"} and stats["UnHealthyHostCount"] <= {
        "Minimum",
        "Maximum",
    }
    assert stats["Errors"] == {"Sum"} and "Sum" not in stats["Duration"]
