"""Probes: curl -v transcripts with secrets redacted, backend direct, load test caps, policy simulation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiobotocore.stub import AioStubber
from topo_fixture import topology

from apigw_cockpit import redact
from apigw_cockpit.aws.probes import BACKEND_CAVEAT, Probes
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.model import FrozenClock, Target, TargetGroup

T0 = 1_780_000_000.0


class _Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b'{"message": "Internal server error"}' if self.path.startswith("/prod/orders") else b"ok"
        self.send_response(502 if self.path.startswith("/prod/orders") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "session=abc123secret")
        self.send_header("x-amzn-RequestId", "req-1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def api() -> Iterator[tuple[str, int]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "127.0.0.1", server.server_address[1]
    server.shutdown()


def _probes(url: str, topo=None) -> Probes:  # type: ignore[no-untyped-def]
    f = ClientFactory(
        AwsSettings("a", "prod", region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)
    )
    return Probes(f, FrozenClock(T0), topo or topology(), invoke_url=url)


async def test_invoke_url_transcript_redacted(api: tuple[str, int]) -> None:
    host, port = api
    p = _probes(f"http://{host}:{port}/prod")
    r = await p.invoke_url(
        "/orders", headers={"Authorization": "Bearer eyJhbGciOi.secret.sig", "x-api-key": "k3y"}
    )
    assert r.kind == "invoke-url" and r.status == 502 and r.at == T0
    t = "\n".join(r.transcript)
    assert "> GET /prod/orders HTTP/1.1" in r.transcript
    assert "< HTTP/1.1 502 Bad Gateway" in r.transcript
    assert "> Authorization: [REDACTED]" in r.transcript and "> x-api-key: [REDACTED]" in r.transcript
    assert "abc123secret" not in t and "eyJhbGciOi" not in t and "k3y" not in t
    assert ("Set-Cookie", "[REDACTED]") in r.headers
    assert "Internal server error" in r.body_excerpt
    await p.factory.aclose()


async def test_invoke_url_network_error_is_a_result() -> None:
    p = _probes("http://127.0.0.1:9/prod")
    r = await p.invoke_url("/orders")
    assert r.status is None and r.error and r.transcript[-1].startswith("* error after")
    await p.factory.aclose()


async def test_backend_direct_has_caveat(api: tuple[str, int]) -> None:
    host, port = api
    topo = topology()
    tg = TargetGroup("arn:tg", "tg", port=port, health_check_path="/health", targets=(Target(host, port),))
    lb = topo.load_balancers[0]
    import dataclasses

    topo = dataclasses.replace(topo, load_balancers=(dataclasses.replace(lb, target_groups=(tg,)),))
    p = _probes("http://127.0.0.1:9/prod", topo)
    r = await p.backend_direct()
    assert r.kind == "backend-direct" and r.status == 200
    assert r.transcript[0].startswith(f"* TCP connect {host}:{port}: ok")
    assert BACKEND_CAVEAT in r.transcript
    closed = await p.backend_direct("127.0.0.1", 9)
    assert closed.status is None and "failed" in closed.transcript[0]
    await p.factory.aclose()


async def test_load_test_bounded_and_loopback_only(api: tuple[str, int]) -> None:
    host, port = api
    p = _probes(f"http://{host}:{port}/prod")
    r = await p.load_test("/health", concurrency=5, rate_per_s=200, duration_s=0.25)
    assert r.requests == 50 and r.errors == 0 and dict(r.status_counts) == {200: 50}
    assert 0 < r.p50_ms <= r.p95_ms <= r.p99_ms
    bad = await p.load_test("/orders", concurrency=5, rate_per_s=200, duration_s=0.1)
    assert bad.errors == bad.requests == 20 and bad.error_rate == 1.0
    remote = Probes(
        p.factory,
        p.clock,
        topology(),
        invoke_url="https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod",
    )
    refused = await remote.load_test("/orders")
    assert refused.requests == 0 and refused.aborted.startswith("refused: non-loopback")
    script = p.k6_script("/orders", rate_per_s=20, duration_s=30)
    assert f"http://{host}:{port}/prod/orders" in script and "constant-arrival-rate" in script
    await p.factory.aclose()


async def test_test_invoke_requires_confirmation_and_simulate() -> None:
    p = _probes("http://127.0.0.1:9/prod")
    r = await p.test_invoke("res1", "GET", confirmed=False)
    assert r.error.startswith("not confirmed") and p.factory.meter.snapshot().total_calls == 0
    apigw = await p.factory.client("apigateway")
    iam = await p.factory.client("iam")
    with AioStubber(apigw) as sa, AioStubber(iam) as si:
        log = "Execution log for request x\nMethod request headers: {Authorization=Bearer abc.def}\n"
        sa.add_response(
            "test_invoke_method",
            {"status": 502, "body": "{}", "headers": {"x-api-key": "k"}, "log": log, "latency": 42},
            {
                "restApiId": "a1b2c3d4e5",
                "resourceId": "res1",
                "httpMethod": "GET",
                "pathWithQueryString": "/orders",
            },
        )
        ok = await p.test_invoke("res1", "GET", confirmed=True)
        assert ok.status == 502 and ok.latency_ms == 42 and ok.headers == (("x-api-key", "[REDACTED]"),)
        assert "abc.def" not in ok.log
        role = "arn:aws:iam::123456789012:role/apigw-invoke"
        si.add_response(
            "simulate_principal_policy",
            {
                "EvaluationResults": [
                    {"EvalActionName": "lambda:InvokeFunction", "EvalDecision": "implicitDeny"}
                ]
            },
            {"PolicySourceArn": role, "ActionNames": ["lambda:InvokeFunction"], "ResourceArns": ["arn:fn"]},
        )
        d = await p.simulate(role, "lambda:InvokeFunction", "arn:fn")
        assert d.decision == "implicitDeny" and d.principal_arn == role
    await p.factory.aclose()


def test_redaction() -> None:
    assert redact.header_value("Cookie", "a=b") == "[REDACTED]"
    assert redact.header_value("Content-Type", "text/plain") == "text/plain"
    assert (
        redact.url("/x?token=abc&page=2&X-Amz-Signature=ff")
        == "/x?token=[REDACTED]&page=2&X-Amz-Signature=[REDACTED]"
    )
    text = "Method request headers: {Authorization=Bearer abc, x-api-key=zzz, Host=h} AKIAABCDEFGHIJKLMNOP"
    out = redact.redact(text)
    # The key id's AKIA prefix is kept on purpose: it says what was there, not what it was.
    assert "abc" not in out and "zzz" not in out and "ABCDEFGHIJKLMNOP" not in out and "Host=h" in out
