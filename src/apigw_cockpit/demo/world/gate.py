"""What a request meets before its integration: the usage plan's key throttle and the Lambda
authorizer. Each returns the Outcome that ends the request there, or lets it through.

Line texts: AWS-FACTS.md and the knowledge-center pages cited in diagnose/patterns.toml.
"""

from __future__ import annotations

import json
import random

from apigw_cockpit.demo.world.iam import lambda_allows_apigw
from apigw_cockpit.demo.world.outcome import (
    FAIL,
    MSG_INTERNAL,
    MSG_THROTTLED,
    LambdaCall,
    Line,
    Outcome,
    _jitter,
    _uuid,
)
from apigw_cockpit.demo.world.state import MethodState, UsagePlanState, WorldState

AUTHORIZER_ERROR = f"{FAIL}Authorizer error"
# AWS http-api-troubleshooting-jwt: a rejected token gets 401 {"message":"Unauthorized"} and
# `www-authenticate: Bearer … error_description="the token does not have a valid audience"`.
# SIM CHOICE: $context.authorizer.error carries that error_description; the issuer sentence is
# the audience one's twin (AWS checks kid/signature against the issuer's JWKS first, then iss).
JWT_REJECTED = "JWT authorizer: "
MSG_UNAUTHORIZED = b'{"message":"Unauthorized"}'


def plan_key(plan: str) -> str:
    """The key a usage plan's request rate is counted under in the engine's rate table."""
    return f"plan:{plan}"


def usage_plan_of(ws: WorldState, method: MethodState) -> UsagePlanState | None:
    if not method.api_key_required or not ws.usage_plans:
        return None
    return next(iter(ws.usage_plans.values()))


def usage_plan_gate(
    ws: WorldState, method: MethodState, rng: random.Random, rates: dict[str, float]
) -> Outcome | None:
    """429 for the share of requests above the key's rate limit (the burst absorbs ~1 s of excess).

    SIM CHOICE: a token bucket is approximated by the recent request rate: above `rate_limit`,
    a request is throttled with probability 1 - (rate_limit + burst/60) / rate.
    """
    plan = usage_plan_of(ws, method)
    if plan is None:
        return None
    rate = rates.get(plan_key(plan.name), 0.0)
    allowed = plan.rate_limit + plan.burst_limit / 60.0
    if rate <= allowed or rng.random() >= 1.0 - allowed / rate:
        return None
    o = Outcome(429, MSG_THROTTLED, 0.0, [], "TooManyRequestsException")
    o.usage_plan = plan
    return o


def throttle_line(ws: WorldState, plan: UsagePlanState) -> str:
    # knowledge-center api-gateway-429-limit; the "Limit … Burst …" tail is a SIM CHOICE.
    return (
        f"API Key ****{plan.key_id[-5:]} exceeded throttle limit for API Stage {ws.api.id}/{ws.stage.name}: "
        f"Key throttle limit exceeded for Usage Plan ID {plan.id}. "
        f"Limit: {plan.rate_limit:.2f} Burst: {plan.burst_limit}"
    )


def authorizer_gate(
    ws: WorldState, method: MethodState, rng: random.Random
) -> tuple[list[Line], LambdaCall | None, Outcome | None]:
    """Invoke the method's Lambda authorizer: its lines, its invocation, and the 500 if it failed.

    A TOKEN authorizer that throws, times out or may not be invoked gives AuthorizerConfigurationException
    (500) with "Authorizer error", after the authorizer's own "Invalid permissions" line when the
    function's resource policy does not allow `…/authorizers/<id>`.
    """
    if not method.authorizer:
        return [], None, None
    auth = ws.authorizers[method.authorizer]
    if auth.type == "JWT":
        return [], None, _jwt_gate(auth.issuer, auth.audience, auth.token_issuer, auth.token_audience)
    api = ws.api
    fn = ws.lambdas.get(auth.function)
    arn = f"arn:aws:lambda:{api.region}:{api.account}:function:{auth.function}"
    uri = f"https://lambda.{api.region}.amazonaws.com/2015-03-31/functions/{arn}/invocations"
    lines: list[Line] = [
        (0, f"Starting authorizer: {auth.id}", False),
        (0, "Incoming identity: ****" + f"{rng.getrandbits(16):04x}", False),
        (1, f"Endpoint request URI: {uri}", False),
        (
            1,
            'Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"****"}',
            False,
        ),
        (1, f"Sending request to {uri}", False),
    ]
    src = f"arn:aws:execute-api:{api.region}:{api.account}:{api.id}/authorizers/{auth.id}"
    if fn is None or not lambda_allows_apigw(fn, src):
        il = _jitter(rng, 9, 0.5)
        lines += [
            (il, f"{FAIL}Invalid permissions on Lambda function", True),
            (il, AUTHORIZER_ERROR, True),
        ]
        return lines, None, Outcome(500, MSG_INTERNAL, il, lines, "AuthorizerConfigurationException")
    call = LambdaCall(fn.name, "", _uuid(rng), _jitter(rng, fn.duration_ms, 0.25))
    if call.duration_ms >= fn.timeout_s * 1000.0:
        call.duration_ms, call.timed_out = fn.timeout_s * 1000.0, True
        call.error = f"Task timed out after {fn.timeout_s:.2f} seconds"
    elif fn.mode != "ok":
        call.error = fn.error_message or "Internal error"
    il = call.duration_ms + _jitter(rng, 8, 0.5)
    lines.append((il, f"Received response. Integration latency: {int(il)} ms", False))
    if call.error:
        body = json.dumps({"errorType": fn.error_type, "errorMessage": call.error})
        lines += [
            (il, f"Endpoint response body before transformations: {body}", False),
            (il, AUTHORIZER_ERROR, True),
        ]
        o = Outcome(500, MSG_INTERNAL, il, lines, "AuthorizerConfigurationException", authorizer_call=call)
        return lines, call, o
    policy = '{"principalId":"user","policyDocument":{"Version":"2012-10-17","Statement":[…Allow…]}}'
    lines += [
        (il, f"Endpoint response body before transformations: {policy}", False),
        (il, f"Authorizer result body before parsing: {policy}", False),
        (il, "Using valid authorizer policy for principal: ****er", False),
        (il, "Successfully completed authorizer execution", False),
    ]
    return lines, call, None


def _jwt_gate(
    issuer: str, audience: tuple[str, ...], token_issuer: str, token_audience: str
) -> Outcome | None:
    """Validate the client's token against the authorizer's JwtConfiguration (no Lambda call: API
    Gateway checks it itself, caching the issuer's keys). A mismatch ends the request with 401."""
    why = ""
    if token_issuer != issuer:
        why = "the token does not have a valid issuer"
    elif token_audience not in audience:
        why = "the token does not have a valid audience"
    if not why:
        return None
    lines: list[Line] = [(0, JWT_REJECTED + why, True)]
    return Outcome(401, MSG_UNAUTHORIZED, 0.0, lines, "Unauthorized")
