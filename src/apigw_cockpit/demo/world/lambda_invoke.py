"""Lambda integrations (AWS_PROXY and non-proxy AWS): resolution, permissions, invocation, mapping."""

from __future__ import annotations

import json
import random
import re
import time

from apigw_cockpit.demo.world.iam import lambda_allows_apigw, role_decision
from apigw_cockpit.demo.world.outcome import (
    FAIL,
    MSG_INTERNAL,
    MSG_TIMEOUT,
    LambdaCall,
    Line,
    Outcome,
    _done,
    _gateway_error,
    _jitter,
    _select,
    _uuid,
    template_renders,
)
from apigw_cockpit.demo.world.state import IntegrationState, LambdaState, MethodState, WorldState


def _resolve(expr: str, ws: WorldState) -> tuple[str, str]:
    ref = re.sub(r"\$\{stageVariables\.(\w+)\}", lambda m: ws.stage.variables.get(m.group(1), ""), expr)
    name, _, qual = ref.partition(":")
    return name, qual


def lambda_key(fn: str) -> str:
    """The key a function's request rate is counted under in the engine's rate table."""
    return f"lambda:{fn}"


def _throttled(fn: LambdaState, rng: random.Random, inflight: dict[str, float] | None) -> bool:
    """Reserved concurrency exhausted: Lambda answers 429 for the excess (0 reserved = every call).

    Concurrency is Little's law on the function's recent request rate (the engine's table).
    """
    if fn.reserved_concurrency < 0:
        return False
    if fn.reserved_concurrency == 0:
        return True
    conc = (inflight or {}).get(lambda_key(fn.name), 0.0) * fn.duration_ms / 1000.0
    return conc > fn.reserved_concurrency and rng.random() < 1.0 - fn.reserved_concurrency / conc


def _lambda(
    ws: WorldState,
    integ: IntegrationState,
    method: MethodState,
    rpath: str,
    rng: random.Random,
    now: float,
    inflight: dict[str, float] | None = None,
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
        nf_body = json.dumps({"Message": f"Function not found: {arn}", "Type": "User"})
        lines += [
            (il, f"Received response. Status: 404, Integration latency: {int(il)} ms", False),
            (
                il,
                "Endpoint response headers: {Date=..., Content-Type=application/json, x-amzn-RequestId="
                + call_id
                + "}",
                False,
            ),
            (il, f"Endpoint response body before transformations: {nf_body}", False),
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
    if _throttled(fn, rng, inflight):
        # Lambda's 429 (TooManyRequestsException) becomes API Gateway's 500; the line follows the
        # 404 form above (knowledge-center api-gateway-500-error: "backend throttling").
        il = _jitter(rng, 14, 0.4)
        limit_body = json.dumps(
            {
                "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
                "Type": "User",
                "message": "Rate Exceeded.",
            }
        )
        lines += [
            (il, f"Received response. Status: 429, Integration latency: {int(il)} ms", False),
            (
                il,
                "Endpoint response headers: {Date=..., Content-Type=application/json, x-amzn-RequestId="
                + call_id
                + "}",
                False,
            ),
            (il, f"Endpoint response body before transformations: {limit_body}", False),
            (il, f"Lambda invocation failed with status: 429. Lambda request id: {call_id}", True),
            (il, FAIL.rstrip(), True),
        ]
        call = LambdaCall(fn.name, qual, call_id, 0.0, throttled=True)
        return _gateway_error(500, MSG_INTERNAL, il, lines, lambda_call=call)
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
    elif call.malformed and proxy and integ.payload_format_version == "2.0":
        # AWS (http-api-develop-integrations-lambda, format 2.0): valid JSON without a statusCode
        # is the body of a 200: the shorthand 1.0 rejects is fine here.
        shorthand = '{"status": "ok", "items": 3}'
        lines.append((il, f"Endpoint response body before transformations: {shorthand}", False))
        status, body = 200, shorthand.encode()
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
        status = 200
        if not proxy:
            sel = _select(integ, method, "", 200, il, lines)
            if isinstance(sel, Outcome):
                sel.lambda_call = call
                return sel
            status = sel
        body = payload.encode()
    return _done(Outcome(status, body, il, lines, lambda_call=call, endpoint_request_id=call_id), il)
