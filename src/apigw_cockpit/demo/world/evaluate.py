"""One request through API Gateway, decided causally from the world state.

`evaluate` returns an Outcome: client status/body, latencies, the integration-phase execution-log
lines (offset ms, text, is_error) and side effects (a Lambda invocation, a flow-log record).
Line texts follow AWS-FACTS.md. Choices where AWS is not documented are marked "SIM CHOICE".
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field

from apigw_cockpit.demo.world.iam import lambda_allows_apigw, role_decision
from apigw_cockpit.demo.world.network import HealthTracker, enabled_azs, nlb_admitted
from apigw_cockpit.demo.world.state import (
    BackendState,
    IntegrationState,
    LambdaState,
    MethodState,
    TargetState,
    WorldState,
)

Line = tuple[float, str, bool]
FAIL = "Execution failed due to configuration error: "
MSG_INTERNAL = b'{"message": "Internal server error"}'
MSG_TIMEOUT = b'{"message": "Endpoint request timed out"}'
MSG_NETWORK = b'{"message": "Network error communicating with endpoint"}'


@dataclass
class LambdaCall:
    function: str
    qualifier: str
    request_id: str
    duration_ms: float
    error: str = ""  # errorMessage when the function failed
    timed_out: bool = False
    malformed: bool = False


@dataclass
class Outcome:
    status: int
    body: bytes
    integration_latency_ms: float
    lines: list[Line] = field(default_factory=list)
    error_type: str = ""
    lambda_call: LambdaCall | None = None
    flow: tuple[TargetState, bool] | None = None
    endpoint_request_id: str = ""

    @property
    def failed(self) -> bool:
        return self.status >= 500


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _jitter(rng: random.Random, base: float, j: float) -> float:
    return max(1.0, base * (1.0 + (rng.random() * 2 - 1) * j))


def _gateway_error(status: int, body: bytes, il: float, lines: list[Line], **kw: object) -> Outcome:
    return Outcome(status, body, il, lines, error_type="InternalServerErrorException", **kw)  # type: ignore[arg-type]


def _select(
    integ: IntegrationState,
    method: MethodState,
    value: str,
    endpoint_status: int,
    il: float,
    lines: list[Line],
) -> Outcome | int:
    """Non-proxy integration response selection: a status, or the 500 AWS gives when mapping fails."""
    default = None
    for r in integ.responses:
        if not r.pattern:
            default = r
            continue
        if re.fullmatch(r.pattern, value, re.DOTALL):
            chosen = r
            break
    else:
        chosen = default
    if chosen is None:
        lines.append(
            (
                il,
                f"{FAIL}No match for output mapping and no default output mapping configured. "
                f"Endpoint Response Status Code: {endpoint_status}",
                True,
            )
        )
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    if chosen.status not in method.method_responses:
        lines.append(
            (il, f"{FAIL}Output mapping refers to an invalid method response: {chosen.status}", True)
        )
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    return int(chosen.status)


def template_renders(template: str) -> bool:
    """A cheap VTL sanity check: directives closed and parentheses balanced outside quotes."""
    depth, quote = 0, ""
    for ch in template:
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    opens = len(re.findall(r"#(?:if|foreach|macro|define)\b", template))
    return depth == 0 and not quote and opens == len(re.findall(r"#end\b", template))


def _resolve(expr: str, ws: WorldState) -> tuple[str, str]:
    ref = re.sub(r"\$\{stageVariables\.(\w+)\}", lambda m: ws.stage.variables.get(m.group(1), ""), expr)
    name, _, qual = ref.partition(":")
    return name, qual


def _lambda(
    ws: WorldState, integ: IntegrationState, method: MethodState, rpath: str, rng: random.Random, now: float
) -> Outcome:
    name, qual = _resolve(integ.function, ws)
    fn: LambdaState | None = ws.lambdas.get(name)
    arn = f"arn:aws:lambda:{ws.api.region}:{ws.api.account}:function:{name}" + (f":{qual}" if qual else "")
    uri = f"https://lambda.{ws.api.region}.amazonaws.com/2015-03-31/functions/{arn}/invocations"
    lines: list[Line] = []
    proxy = integ.type == "AWS_PROXY"
    if not proxy:
        for tpl in integ.request_templates.values():
            if not template_renders(tpl):
                lines.append((1, f"{FAIL}Unable to transform request", True))
                return _gateway_error(500, MSG_INTERNAL, 0, lines)
    lines += [
        (1, f"Endpoint request URI: {uri}", False),
        (
            1,
            "Endpoint request headers: {x-amzn-lambda-integration-tag=" + f"{rng.getrandbits(32):08x}, "
            "Authorization=****************************************************************************, "
            "X-Amz-Date=20240101T000000Z, x-amzn-apigateway-api-id="
            + ws.api.id
            + ", Accept=application/json, "
            "User-Agent=AmazonAPIGateway_" + ws.api.id + ", X-Amz-Security-Token=****}",
            False,
        ),
        (
            1,
            'Endpoint request body after transformations: {"resource":"'
            + rpath
            + '","path":"'
            + rpath
            + '","httpMethod":"'
            + method.http_method
            + '","headers":{...}} [TRUNCATED]',
            False,
        ),
        (2, f"Sending request to {uri}", False),
    ]
    call_id = _uuid(rng)
    found = fn is not None and (not qual or qual == "$LATEST" or qual.isdigit() or qual in fn.aliases)
    if fn is None or not found:
        # SIM CHOICE: a stage variable naming a missing function/alias. Lambda answers 404
        # ResourceNotFoundException; API Gateway logs the invocation failure and an empty
        # configuration-error line (the shape of AWS's knowledge-center example for a 403), then 500.
        il = _jitter(rng, 18, 0.4)
        body = json.dumps({"Message": f"Function not found: {arn}", "Type": "User"})
        lines += [
            (il, f"Received response. Status: 404, Integration latency: {int(il)} ms", False),
            (
                il,
                "Endpoint response headers: {Date=..., Content-Type=application/json, x-amzn-RequestId="
                + call_id
                + "}",
                False,
            ),
            (il, f"Endpoint response body before transformations: {body}", False),
            (il, f"Lambda invocation failed with status: 404. Lambda request id: {call_id}", True),
            (il, FAIL.rstrip(), True),
        ]
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    api = ws.api
    src = (
        f"arn:aws:execute-api:{api.region}:{api.account}:{api.id}/{ws.stage.name}/{method.http_method}{rpath}"
    )
    if integ.credentials:
        ok = role_decision(ws.roles.get(integ.credentials), "lambda:InvokeFunction", arn) == "allowed"
    else:
        ok = lambda_allows_apigw(fn, src)
    if not ok:
        il = _jitter(rng, 9, 0.5)
        lines.append((il, f"{FAIL}Invalid permissions on Lambda function", True))
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    dur = _jitter(rng, fn.duration_ms, 0.25)
    call = LambdaCall(fn.name, qual, call_id, dur)
    limit = fn.timeout_s * 1000.0
    if dur >= limit:
        call.duration_ms, call.timed_out = limit, True
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".000Z"
        call.error = f"{stamp} {call_id} Task timed out after {fn.timeout_s:.2f} seconds"
    elif fn.mode == "raise":
        call.error = fn.error_message or "Internal error"
    elif fn.mode == "malformed":
        call.malformed = True
    il = min(call.duration_ms, float(integ.timeout_ms)) + _jitter(rng, 12, 0.5)
    if call.duration_ms >= integ.timeout_ms:
        il = float(integ.timeout_ms) + _jitter(rng, 6, 0.5)
        lines.append((il, "Execution failed due to a timeout error", True))
        return Outcome(504, MSG_TIMEOUT, il, lines, "InternalServerErrorException", lambda_call=call)
    resp_hdr = (
        "Endpoint response headers: {Date=..., Content-Type=application/json, Connection=keep-alive, "
        "x-amzn-RequestId=" + call_id
    )
    if call.error:
        resp_hdr += ", X-Amz-Function-Error=Unhandled"
    lines += [
        (il, f"Received response. Status: 200, Integration latency: {int(il)} ms", False),
        (il, resp_hdr + "}", False),
    ]
    if call.error:
        err_body = json.dumps(
            {
                "errorType": fn.error_type if not call.timed_out else "Sandbox.Timedout",
                "errorMessage": call.error,
            }
        )
        lines.append((il, f"Endpoint response body before transformations: {err_body}", False))
        if proxy:
            lines.append(
                (
                    il,
                    f"Lambda execution failed with status 200 due to customer function error: {call.error}. "
                    f"Lambda request id: {call_id}",
                    True,
                )
            )
            return _gateway_error(502, MSG_INTERNAL, il, lines, lambda_call=call)
        sel = _select(integ, method, call.error, 200, il, lines)
        if isinstance(sel, Outcome):
            sel.lambda_call = call
            return sel
        status, body = sel, json.dumps({"errorMessage": call.error}).encode()
    elif call.malformed and proxy:
        lines.append(
            (il, 'Endpoint response body before transformations: {"status": "ok", "items": 3}', False)
        )
        lines.append((il, f"{FAIL}Malformed Lambda proxy response", True))
        return _gateway_error(502, MSG_INTERNAL, il, lines, lambda_call=call)
    else:
        payload = '{"items": [{"id": "u-1029"}], "count": 1}'
        raw = (
            json.dumps({"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": payload})
            if proxy
            else payload
        )
        lines.append((il, f"Endpoint response body before transformations: {raw}", False))
        status = (
            200 if proxy else (s if isinstance(s := _select(integ, method, "", 200, il, lines), int) else 0)
        )
        if status == 0:
            return s  # type: ignore[return-value]
        body = payload.encode()
    return _done(Outcome(status, body, il, lines, lambda_call=call, endpoint_request_id=call_id), il)


def _done(o: Outcome, il: float) -> Outcome:
    o.lines += [
        (il, f"Method response body after transformations: {o.body.decode(errors='replace')[:200]}", False),
        (il, "Method response headers: {X-Amzn-Trace-Id=Root=1-..., Content-Type=application/json}", False),
        (il, "Successfully completed execution", False),
    ]
    return o


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
    nlb = ws.nlb_of_tg(tg)
    if nlb is None or nlb.deleted:
        return None
    azs = enabled_azs(ws, nlb)
    pool = [x for x in ws.targets_of(tg) if x.az in azs]
    healthy = [x for x in pool if health.at(x.name, t).state == "healthy"]
    choices = healthy or pool
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
    integ = method.integration
    if integ is None:
        # SIM CHOICE: a deployed method without an integration (e.g. a CORS OPTIONS method whose MOCK
        # was deleted; CreateDeployment would reject it later) answers 500 with this line.
        return _gateway_error(500, MSG_INTERNAL, 0, [(0, f"{FAIL}No integration defined for method", True)])
    if integ.type == "MOCK":
        o = Outcome(200, b"", 0, [(0, "Sending request to MOCK integration", False)])
        return _done(o, 0)
    if integ.type in ("AWS", "AWS_PROXY"):
        return _lambda(ws, integ, method, rpath, rng, t)
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
