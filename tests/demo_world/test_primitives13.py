"""Issue 13's world primitives: each gives AWS's status, log line and metric, and bad values fail loudly."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from apigw_cockpit.demo.world import ScenarioError, World, load_scenario
from apigw_cockpit.demo.world.build import build_state
from apigw_cockpit.demo.world.scenario import Scenario
from apigw_cockpit.model import FrozenClock

NOW = 1_750_000_000.0
SCENARIO = """
id = "p"
title = "t"
story = "s"
root_cause = "none"
topology = "{topo}"
"""


def _world(tmp_path: Path, topo: str, extra: str = "") -> World:
    p = tmp_path / "p.toml"
    p.write_text(SCENARIO.format(topo=topo) + extra)
    s = load_scenario(str(p), now=NOW)
    w = World(s, FrozenClock(s.start), seed=3)
    w.backfill(60)
    return w


def _do(w: World, do: str, **params: object) -> dict[str, object]:
    return w.apply_action({"do": do, "params": params})


def test_reserved_concurrency_zero_throttles_every_call_as_500(tmp_path: Path) -> None:
    w = _world(tmp_path, "serverless-shop")
    ev = _do(w, "set_lambda_concurrency", function="cart-fn", reserved=0)
    assert ev["trail"]["EventName"] == "PutFunctionConcurrency20171031"
    r = w.handle("GET", "/live/cart", {}, b"")
    assert r.status == 500
    assert any(x.startswith("Lambda invocation failed with status: 429") for x in r.log_lines)
    w.clock.advance(120)
    w.advance()
    dims = {"FunctionName": "cart-fn"}
    throttles = w.metrics.query("AWS/Lambda", "Throttles", dims, "Sum", NOW - 7200, NOW + 7200, 60)
    assert sum(v for _, v in throttles) > 0


def test_expired_certificate_is_silent_and_gives_pkix_500(tmp_path: Path) -> None:
    w = _world(tmp_path, "partner-gateway")
    ev = _do(w, "expire_backend_cert", backend="rates-api")
    assert ev["trail"] is None  # time passing is no API call
    r = w.handle("GET", "/v1/rates", {}, b"")
    assert r.status == 500
    assert any("PKIX path validation failed" in x and "validity check failed" in x for x in r.log_lines)
    assert _do(w, "renew_backend_cert", backend="rates-api")["trail"]["EventName"] == "UpdateService"
    assert w.handle("GET", "/v1/rates", {}, b"").status == 200


def test_silent_crash_and_restart(tmp_path: Path) -> None:
    w = _world(tmp_path, "partner-gateway")
    assert _do(w, "crash_backend", backend="rates-api")["trail"] is None
    r = w.handle("GET", "/v1/rates", {}, b"")
    assert r.status == 504 and any("Connection is closed" in x for x in r.log_lines)
    assert _do(w, "restart_backend", backend="rates-api")["trail"] is None
    assert w.handle("GET", "/v1/rates", {}, b"").status == 200


def test_latency_tail_slows_only_a_share(tmp_path: Path) -> None:
    w = _world(tmp_path, "partner-gateway")
    _do(w, "set_latency_tail", backend="rates-api", fraction=0.2, ms=6000)
    lat = []
    for _ in range(200):
        w.clock.advance(0.3)
        lat.append(w.handle("GET", "/v1/rates", {}, b"").integration_latency_ms)
    slow = sum(1 for x in lat if x > 3000)
    assert 15 <= slow <= 70  # ~20 % slow, the rest at the backend's usual latency
    with pytest.raises(ValueError, match="fraction"):
        _do(w, "set_latency_tail", backend="rates-api", fraction=1.5, ms=10)


def test_route_phase_raises_one_route_only(tmp_path: Path) -> None:
    phase = '\n[traffic]\nrate_per_min = 120\n[traffic.mix]\n"GET /cart" = 0.5\n"GET /catalog" = 0.5\n'
    phase += '[[traffic.phases]]\nroute = "GET /cart"\nfrom = "-10m"\nrate_per_min = 600\n'
    w = _world(tmp_path, "serverless-shop", phase)
    counts: dict[str, int] = {}
    for sec in range(int(NOW) - 600, int(NOW) - 300):
        for _, route, _ in w.traffic.second(sec)[1]:
            counts[route.path] = counts.get(route.path, 0) + 1
    assert 2500 <= counts["/cart"] <= 3500  # 600/min for 5 min
    assert 200 <= counts["/catalog"] <= 400  # its share of 120/min


def test_route_phase_must_name_a_method(tmp_path: Path) -> None:
    p = tmp_path / "x.toml"
    p.write_text(
        SCENARIO.format(topo="serverless-shop")
        + '[[traffic.phases]]\nroute = "GET /nope"\nrate_per_min = 5\n'
    )
    with pytest.raises(ScenarioError, match="phases"):
        load_scenario(str(p), now=NOW)


def test_topology_authorizer_and_usage_plan_are_validated() -> None:
    s: Scenario = load_scenario("lambda-function-error", now=NOW)
    topo = copy.deepcopy(s.topology)
    topo["authorizers"] = {"auth": {"function": "nope-fn"}}
    with pytest.raises(ScenarioError, match=r"authorizers\.auth\.function"):
        build_state(topo, "t.toml")
    topo = copy.deepcopy(s.topology)
    topo["resources"]["users"]["methods"]["GET"]["api_key_required"] = True
    with pytest.raises(ScenarioError, match="usage plan"):
        build_state(topo, "t.toml")
