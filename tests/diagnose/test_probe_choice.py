"""Probes hit what is failing and never write unasked (diagnose.probe_choice, pure)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from diagnose_world import ONSET, exec_trace, obs, vpc_topology

from apigw_cockpit.diagnose.probe_choice import SampleRequest, choose_probe, parse_route
from apigw_cockpit.diagnose.verification import probe_target
from apigw_cockpit.model import Integration, Method, Resource

TIMEOUT = "Execution failed due to a timeout error"
PROXY = Integration("HTTP_PROXY", "http://nlb/orders", "http://nlb/orders", connection_type="VPC_LINK")


def _topology():  # type: ignore[no-untyped-def]
    """midnight-pager's shape: a MOCK /health first, writes and reads on /orders behind the VPC link."""
    base = vpc_topology()
    resources = (
        Resource("rh", "/health", (Method("GET", integration=Integration("MOCK")),)),
        Resource("ro", "/orders", (Method("POST", integration=PROXY), Method("GET", integration=PROXY),
                                   Method("OPTIONS", integration=Integration("MOCK")))),
        Resource("ri", "/orders/{id}", (Method("GET", integration=PROXY),
                                        Method("DELETE", integration=PROXY))),
        Resource("ru", "/users", (Method("GET", integration=Integration("AWS_PROXY")),)),
    )  # fmt: skip
    return replace(base, resources=resources)


def _failing(method: str, path: str, n: int, start: float = ONSET + 60):  # type: ignore[no-untyped-def]
    return tuple(
        exec_trace(f"{method[0]}{i:07x}-{abs(hash(path)) % 9999:04d}-0000-0000-000000000000", start + i,
                   TIMEOUT, 504, method=method, path=path, latency_ms=None)
        for i in range(n)
    )  # fmt: skip


def _healthy(n: int = 5):  # type: ignore[no-untyped-def]
    return tuple(
        exec_trace(
            f"h{i:07x}-0000-0000-0000-000000000000", ONSET + i, None, 200, method="GET", path="/health"
        )
        for i in range(n)
    )


def test_probe_target_without_traffic_skips_the_mock_health_check() -> None:
    # Main took "the first GET without path parameters": GET /health, a MOCK that passes in an outage.
    assert probe_target(_topology())[1:] == ("GET", "/orders")


def test_most_failing_safe_route_first_never_a_mock_never_a_write() -> None:
    traces = _healthy() + _failing("POST", "/orders", 6) + _failing("GET", "/orders", 3)
    c = choose_probe(obs(_topology(), traces=traces))
    assert (c.method, c.path, c.resource_id) == ("GET", "/orders", "ro")
    assert not c.refused
    assert "3 of 9" in c.why  # says why: the failing count
    assert "POST /orders (6 failing) is not idempotent" in c.why and "--confirm-unsafe" in c.why


def test_templated_route_uses_a_path_seen_failing() -> None:
    traces = _failing("GET", "/orders/o-42", 4) + _failing("GET", "/orders", 1)
    c = choose_probe(obs(_topology(), traces=traces))
    assert (c.route, c.path) == ("GET /orders/{id}", "/orders/o-42")


def test_nothing_failed_yet_says_which_route_and_why() -> None:
    c = choose_probe(obs(_topology(), traces=_healthy()))
    assert c.route == "GET /orders" and "no failing requests seen yet" in c.why and "MOCK" in c.why
    assert c.note.startswith("probe GET /orders: ")


def test_named_write_needs_confirmation_and_gets_the_sample_body() -> None:
    o = obs(_topology(), traces=_failing("POST", "/orders", 2))
    refused = choose_probe(o, route="POST /orders")
    assert refused.refused and "not idempotent" in refused.refused and "--confirm-unsafe" in refused.refused
    sample = SampleRequest(body='{"sku": "A-1"}', headers=(("X-Tenant", "t1"),), query="dry=1")
    c = choose_probe(o, route="post /orders", allow_unsafe=True, samples={"POST /orders": sample})
    assert not c.refused and (c.method, c.path_with_query, c.body) == (
        "POST",
        "/orders?dry=1",
        '{"sku": "A-1"}',
    )
    assert dict(c.headers) == {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-Tenant": "t1",
    }


def test_named_mock_unknown_and_unfillable_routes_are_refused() -> None:
    o = obs(_topology())
    assert "MOCK" in choose_probe(o, route="GET /health").refused
    assert "no route" in choose_probe(o, route="GET /nope").refused
    assert "concrete path" in choose_probe(o, route="GET /orders/{id}").refused
    c = choose_probe(o, route="GET /orders/o-7")
    assert (c.route, c.path, c.refused) == ("GET /orders/{id}", "/orders/o-7", "")


def test_only_writes_fail_and_none_is_safe_to_send() -> None:
    topo = replace(_topology(), resources=(Resource("ro", "/orders", (Method("POST", integration=PROXY),)),))
    c = choose_probe(obs(topo, traces=_failing("POST", "/orders", 3)))
    assert c.refused.startswith("nothing safe to probe") and "not idempotent" in c.refused


@pytest.mark.parametrize("bad", ["orders", "POST", "POST orders", "/orders POST", "GET /a b"])
def test_parse_route_rejects_junk(bad: str) -> None:
    with pytest.raises(ValueError, match="METHOD /path"):
        parse_route(bad)
