"""The world's HTTP APIs: what a topology may hold, what the client gets, what the access log says."""

from __future__ import annotations

import copy
import json

import pytest

from apigw_cockpit.demo.world import ScenarioError, World, load_scenario
from apigw_cockpit.demo.world.build import build_state
from apigw_cockpit.model import FrozenClock

NOW = 1_750_000_000.0


def _world(name: str) -> World:
    s = load_scenario(name, now=NOW)
    w = World(s, FrozenClock(s.start), seed=5)
    w.backfill(120)
    return w


def _access(w: World, route: str) -> list[dict[str, str]]:
    group = w.state.stage.access_log_group
    events, _ = w.logs.filter(group, int((w.clock.now() - 120) * 1000), None, None, None, 2000)
    return [d for d in (json.loads(e.message) for e in events) if d["routeKey"] == route]


def test_an_http_topology_needs_an_access_log_and_proxy_integrations() -> None:
    topo = load_scenario("http-events-fn-raises", now=NOW).topology
    no_log = copy.deepcopy(topo)
    del no_log["stage"]["access_log"]
    with pytest.raises(ScenarioError, match=r"stage\.access_log"):
        build_state(no_log, "t.toml")
    mock = copy.deepcopy(topo)
    mock["resources"]["geo"]["methods"]["GET"]["integration"] = {"type": "MOCK"}
    with pytest.raises(ScenarioError, match="AWS_PROXY or HTTP_PROXY"):
        build_state(mock, "t.toml")
    slow = copy.deepcopy(topo)
    slow["resources"]["events"]["methods"]["GET"]["integration"]["timeout_ms"] = 30001
    with pytest.raises(ScenarioError, match=r"50\.\.30000"):
        build_state(slow, "t.toml")


def test_http_answers_and_access_lines_carry_the_evidence() -> None:
    w = _world("http-ingest-permission-missing")
    r = w.handle("POST", "/prod/ingest", {}, b"")
    assert (r.status, r.body) == (500, b'{"message":"Internal Server Error"}')
    rows = _access(w, "POST /ingest")
    assert rows and all(d["status"] == "500" for d in rows)
    assert "doesn't have permissions to call the integration" in rows[-1]["integrationErrorMessage"]
    ok = _access(w, "GET /events")
    assert ok and ok[-1]["status"] == "200" and ok[-1]["integrationErrorMessage"] == "-"
    # No execution log group is written for an HTTP API.
    events, _ = w.logs.filter(w.state.execution_log_group(), 0, None, None, None, 5)
    assert events == []


def test_http_timeout_is_503_after_30_s_and_metrics_are_by_api_id() -> None:
    w = _world("http-ingest-integration-timeout")
    r = w.handle("POST", "/prod/ingest", {}, b"")
    assert (r.status, r.body) == (503, b'{"message":"Service Unavailable"}')
    assert r.integration_latency_ms >= 29_900
    dims = {"ApiId": w.state.api.id, "Stage": "prod"}
    five = w.metrics.query("AWS/ApiGateway", "5xx", dims, "Sum", NOW - 7200, NOW + 600, 60)
    assert sum(v for _, v in five) > 0
    rest_dims = {"ApiName": w.state.api.name, "Stage": "prod"}
    assert w.metrics.query("AWS/ApiGateway", "5XXError", rest_dims, "Sum", NOW - 7200, NOW + 600, 60) == []


def test_the_payload_shorthand_is_a_200_on_2_0_and_malformed_on_1_0() -> None:
    """The same function code ({"status": "ok", ...}, no statusCode) behind the two formats."""
    w = _world("http-ingest-payload-shorthand")  # ingest-fn (POST /ingest) speaks payload 1.0
    r = w.handle("POST", "/prod/ingest", {}, b"")
    assert r.status == 500
    assert "Malformed Lambda proxy response" in _access(w, "POST /ingest")[-1]["integrationErrorMessage"]
    w.apply_action({"do": "lambda_malformed_response", "params": {"function": "events-fn"}})
    ok = w.handle("GET", "/prod/events", {}, b"")  # events-fn's route speaks 2.0
    assert (ok.status, ok.body) == (200, b'{"status": "ok", "items": 3}')
