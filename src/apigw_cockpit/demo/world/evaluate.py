"""One request through API Gateway, decided causally from the world state.

`evaluate` returns an Outcome: client status/body, latencies, the integration-phase execution-log
lines (offset ms, text, is_error) and side effects (a Lambda invocation, a flow-log record).
Line texts follow AWS-FACTS.md. Choices where AWS is not documented are marked "SIM CHOICE".
"""

from __future__ import annotations

import random
import re

from apigw_cockpit.demo.world.gate import authorizer_gate, usage_plan_gate, usage_plan_of
from apigw_cockpit.demo.world.lambda_invoke import _lambda
from apigw_cockpit.demo.world.network import HealthTracker, nlb_admitted
from apigw_cockpit.demo.world.outcome import (
    FAIL,
    MSG_INTERNAL,
    MSG_NETWORK,
    MSG_TIMEOUT,
    LambdaCall,
    Line,
    Outcome,
    _done,
    _gateway_error,
    _jitter,
    _select,
)
from apigw_cockpit.demo.world.state import (
    BackendState,
    IntegrationState,
    MethodState,
    TargetState,
    WorldState,
)

__all__ = ["LambdaCall", "Outcome", "_done", "_http", "evaluate", "pick_target"]


def _http(
    ws: WorldState,
    integ: IntegrationState,
    method: MethodState,
    b: BackendState,
    uri: str,
    rng: random.Random,
    pre: list[Line],
    inflight: float,
) -> Outcome:
    lines = pre
    host = re.sub(r"^\w+://", "", uri).split("/", 1)[0].split(":")[0]
    if uri.startswith("https://") and b.tls_cn and not _cn_matches(b.tls_cn, host):
        il = _jitter(rng, 25, 0.4)
        lines.append(
            (
                il,
                f"{FAIL}Host name '{host}' does not match the certificate subject provided by the peer "
                f"(CN={b.tls_cn})",
                True,
            )
        )
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    if uri.startswith("https://") and b.tls_expired:
        # knowledge-center api-gateway-ssl-certificate-errors: the backend's certificate expired.
        il = _jitter(rng, 25, 0.4)
        lines += [
            (il, f"{FAIL}General SSLEngine problem", True),
            (
                il,
                "PKIX path validation failed: java.security.cert.CertPathValidatorException: "
                "validity check failed",
                True,
            ),
        ]
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    crash = b.crash_above > 0 and inflight > b.crash_above and rng.random() < 1.0 - b.crash_above / inflight
    if not b.up or crash:
        il = _jitter(rng, 4 if not b.up else 300, 0.5)
        lines.append(
            (
                il,
                "Execution failed due to a network error communicating with endpoint: Connection is closed",
                True,
            )
        )
        return Outcome(504, MSG_NETWORK, il, lines, "InternalServerErrorException")
    lat = _jitter(rng, b.latency_ms, b.jitter)
    if b.slow_fraction and rng.random() < b.slow_fraction:  # the tail (drawn only when set)
        lat = _jitter(rng, b.slow_ms, b.jitter)
    if lat >= integ.timeout_ms:
        il = float(integ.timeout_ms) + _jitter(rng, 6, 0.5)
        lines.append((il, "Execution failed due to a timeout error", True))
        return Outcome(504, MSG_TIMEOUT, il, lines, "InternalServerErrorException")
    il = lat
    codes, weights = zip(*b.status.items(), strict=True) if b.status else ((200,), (1.0,))
    code = rng.choices(codes, weights)[0]
    lines.append((il, f"Received response. Status: {code}, Integration latency: {int(il)} ms", False))
    if b.invalid_response:
        # SIM CHOICE (undocumented by AWS): a response with broken chunked framing is reported
        # as a 502 with this configuration-error line; the status line did arrive (latency normal).
        lines.append(
            (
                il,
                "Endpoint response headers: {Transfer-Encoding=chunked, Content-Length=512, "
                "Connection=keep-alive}",
                False,
            )
        )
        lines.append((il, f"{FAIL}Invalid endpoint response: unable to parse chunked body", True))
        return _gateway_error(502, MSG_INTERNAL, il, lines)
    lines.append(
        (
            il,
            "Endpoint response headers: {Date=..., Content-Type=application/json, Connection=keep-alive}",
            False,
        )
    )
    body = (
        b'{"orders": [{"id": "o-5521", "status": "shipped"}]}'
        if code < 400
        else b'{"error": "upstream error"}'
    )
    lines.append((il, f"Endpoint response body before transformations: {body.decode()}", False))
    if integ.type == "HTTP":
        sel = _select(integ, method, str(code), code, il, lines)
        if isinstance(sel, Outcome):
            return sel
        code = sel
    return _done(Outcome(code, body, il, lines), il)


def _cn_matches(cn: str, host: str) -> bool:
    if cn.startswith("*."):
        return host.endswith(cn[1:]) and host.count(".") == cn.count(".")
    return cn == host


def pick_target(
    ws: WorldState, health: HealthTracker, tg: str, t: float, rng: random.Random
) -> TargetState | None:
    """NLB routing: healthy targets in enabled AZs; fail-open to all of them when none is healthy."""
    choices = health.routable(tg, t)
    return rng.choice(choices) if choices else None


def evaluate(
    ws: WorldState,
    health: HealthTracker,
    resource: str,
    verb: str,
    rpath: str,
    t: float,
    rng: random.Random,
    inflight: dict[str, float],
) -> Outcome:
    method = ws.method(resource, verb)
    assert method is not None
    if method.api_key_required or method.authorizer:
        return _gated(ws, health, method, rpath, t, rng, inflight)
    return _integrate(ws, health, method, rpath, t, rng, inflight)


def _gated(
    ws: WorldState,
    health: HealthTracker,
    method: MethodState,
    rpath: str,
    t: float,
    rng: random.Random,
    inflight: dict[str, float],
) -> Outcome:
    """Usage-plan throttle, then the Lambda authorizer, then the integration (gate.py)."""
    throttled = usage_plan_gate(ws, method, rng, inflight)
    if throttled is not None:
        return throttled
    auth_lines, call, failed = authorizer_gate(ws, method, rng)
    if failed is not None:
        failed.usage_plan = usage_plan_of(ws, method)
        return failed
    o = _integrate(ws, health, method, rpath, t, rng, inflight)
    if auth_lines:
        shift = auth_lines[-1][0]
        o.lines = auth_lines + [(ms + shift, txt, err) for ms, txt, err in o.lines]
    o.authorizer_call, o.usage_plan = call, usage_plan_of(ws, method)
    return o


def _integrate(
    ws: WorldState,
    health: HealthTracker,
    method: MethodState,
    rpath: str,
    t: float,
    rng: random.Random,
    inflight: dict[str, float],
) -> Outcome:
    integ = method.integration
    if integ is None:
        # SIM CHOICE: a deployed method without an integration (e.g. a CORS OPTIONS method whose MOCK
        # was deleted; CreateDeployment would reject it later) answers 500 with this line.
        return _gateway_error(500, MSG_INTERNAL, 0, [(0, f"{FAIL}No integration defined for method", True)])
    if integ.type == "MOCK":
        o = Outcome(200, b"", 0, [(0, "Sending request to MOCK integration", False)])
        return _done(o, 0)
    if integ.type in ("AWS", "AWS_PROXY"):
        return _lambda(ws, integ, method, rpath, rng, t, inflight)
    uri = integ.uri.replace("{id}", rpath.rsplit("/", 1)[-1])
    pre: list[Line] = [
        (1, f"Endpoint request URI: {uri}", False),
        (
            1,
            "Endpoint request headers: {x-amzn-apigateway-api-id=" + ws.api.id + ", Accept=application/json, "
            "User-Agent=AmazonAPIGateway_" + ws.api.id + ", X-Amzn-Trace-Id=Root=1-...}",
            False,
        ),
        (1, "Endpoint request body after transformations: ", False),
        (2, f"Sending request to {uri}", False),
    ]
    if integ.connection_type != "VPC_LINK":
        return _http(
            ws, integ, method, ws.backends[integ.backend], uri, rng, pre, inflight.get(integ.backend, 0.0)
        )
    link = ws.vpc_links[integ.vpc_link]
    nlb = ws.nlbs[link.nlb]
    if link.status != "AVAILABLE" or nlb.deleted:
        il = _jitter(rng, 3, 0.5)
        return _gateway_error(
            500,
            MSG_INTERNAL,
            il,
            [*pre, (il, f"{FAIL}There was an internal error while executing your request", True)],
        )
    tg = next(iter(nlb.listeners.values()), "")
    target = pick_target(ws, health, tg, t, rng)
    if target is None:
        # No target in any enabled AZ: the NLB node resets the connection.
        il = _jitter(rng, 3, 0.5)
        pre.append(
            (
                il,
                "Execution failed due to a network error communicating with endpoint: Connection is closed",
                True,
            )
        )
        return Outcome(504, MSG_NETWORK, il, pre, "InternalServerErrorException")
    if not nlb_admitted(ws, nlb, target, target.port):
        # Dropped by the target's security group: SYNs vanish, API Gateway waits out its timeout.
        il = float(integ.timeout_ms) + _jitter(rng, 8, 0.5)
        pre.append((il, "Execution failed due to a timeout error", True))
        return Outcome(504, MSG_TIMEOUT, il, pre, "InternalServerErrorException", flow=(target, False))
    o = _http(
        ws, integ, method, ws.backends[target.backend], uri, rng, pre, inflight.get(target.backend, 0.0)
    )
    o.flow = (target, True)
    return o
