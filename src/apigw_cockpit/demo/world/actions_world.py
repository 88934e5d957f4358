"""Action primitives added by issue 13: Lambda reserved concurrency, Lambda authorizers, usage-plan
throttles, backend certificates and latency tails, and faults that leave no CloudTrail event
(a process that crashes and restarts, a certificate that simply expires).

A silent primitive returns a TrailCall with an empty event name: the engine records nothing.
"""

from __future__ import annotations

from apigw_cockpit.demo.world.actions import Params, Spec, TrailCall, _api_res, _backend, _fn_res, action
from apigw_cockpit.demo.world.state import WorldState
from apigw_cockpit.demo.world.trail import TrailResource

_FN = {"function": "lambdas"}
_BK = {"backend": "backends"}


def silent() -> TrailCall:
    """No AWS API call happened: nothing for CloudTrail."""
    return TrailCall("", "", [], {})


def _int(p: Params, key: str, lo: int, hi: int) -> int:
    v = p[key]
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ValueError(f"{key} must be an integer in {lo}..{hi}, got {v!r}")
    return v


def _fraction(p: Params, key: str) -> float:
    v = p[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise ValueError(f"{key} must be a fraction in 0..1, got {v!r}")
    return float(v)


# -- Lambda concurrency -------------------------------------------------------------------------
@action("set_lambda_concurrency", Spec(("function", "reserved"), (), _FN))
def _concurrency(ws: WorldState, p: Params) -> TrailCall:
    """PutFunctionConcurrency: above `reserved` concurrent executions Lambda answers 429."""
    fn = ws.lambdas[p["function"]]
    fn.reserved_concurrency = _int(p, "reserved", 0, 10000)
    return TrailCall(
        "PutFunctionConcurrency20171031",
        "lambda.amazonaws.com",
        _fn_res(ws, fn.name),
        {"functionName": fn.name, "reservedConcurrentExecutions": fn.reserved_concurrency},
        {"reservedConcurrentExecutions": fn.reserved_concurrency},
    )


@action("delete_lambda_concurrency", Spec(("function",), (), _FN))
def _unreserve(ws: WorldState, p: Params) -> TrailCall:
    fn = ws.lambdas[p["function"]]
    fn.reserved_concurrency = -1
    return TrailCall(
        "DeleteFunctionConcurrency20171031",
        "lambda.amazonaws.com",
        _fn_res(ws, fn.name),
        {"functionName": fn.name},
    )


# -- Lambda authorizer --------------------------------------------------------------------------
@action("update_authorizer", Spec(("authorizer", "function"), (), {"authorizer": "authorizers"}))
def _authorizer(ws: WorldState, p: Params) -> TrailCall:
    """UpdateAuthorizer repointing its function (a name that does not exist breaks every call)."""
    auth = ws.authorizers[p["authorizer"]]
    auth.function = str(p["function"])
    uri = (
        f"arn:aws:apigateway:{ws.api.region}:lambda:path/2015-03-31/functions/"
        f"arn:aws:lambda:{ws.api.region}:{ws.api.account}:function:{auth.function}/invocations"
    )
    return TrailCall(
        "UpdateAuthorizer",
        "apigateway.amazonaws.com",
        _api_res(ws),
        {
            "restApiId": ws.api.id,
            "authorizerId": auth.id,
            "patchOperations": [{"op": "replace", "path": "/authorizerUri", "value": uri}],
        },
    )


@action("update_jwt_authorizer", Spec(("authorizer",), ("issuer", "audience"), {"authorizer": "authorizers"}))
def _jwt_authorizer(ws: WorldState, p: Params) -> TrailCall:
    """apigatewayv2 UpdateAuthorizer changing a JWT authorizer's JwtConfiguration (issuer and/or
    audience). The clients' tokens do not change: a new value they do not carry rejects them all."""
    auth = ws.authorizers[p["authorizer"]]
    if auth.type != "JWT":
        raise ValueError(f"authorizer {auth.name!r} is {auth.type}, not JWT")
    if "issuer" in p:
        auth.issuer = str(p["issuer"])
    if "audience" in p:
        aud = p["audience"]
        if not isinstance(aud, list) or not aud:
            raise ValueError(f"audience must be a non-empty list, got {aud!r}")
        auth.audience = tuple(str(a) for a in aud)
    # CloudTrail's requestParameters for apigatewayv2 name the path parameters and the body members.
    return TrailCall(
        "UpdateAuthorizer",
        "apigateway.amazonaws.com",
        _api_res(ws),
        {
            "apiId": ws.api.id,
            "authorizerId": auth.id,
            "jwtConfiguration": {"issuer": auth.issuer, "audience": list(auth.audience)},
        },
    )


# -- usage plans --------------------------------------------------------------------------------
@action("set_usage_plan_throttle", Spec(("usage_plan", "rate"), ("burst",), {"usage_plan": "usage_plans"}))
def _plan(ws: WorldState, p: Params) -> TrailCall:
    """UpdateUsagePlan: the key's rate (req/s) and burst on the stage."""
    plan = ws.usage_plans[p["usage_plan"]]
    rate = p["rate"]
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
        raise ValueError(f"rate must be a positive number of requests per second, got {rate!r}")
    plan.rate_limit = float(rate)
    if "burst" in p:
        plan.burst_limit = _int(p, "burst", 0, 5000)
    ops = [{"op": "replace", "path": "/throttle/rateLimit", "value": f"{plan.rate_limit:g}"}]
    ops.append({"op": "replace", "path": "/throttle/burstLimit", "value": str(plan.burst_limit)})
    return TrailCall(
        "UpdateUsagePlan",
        "apigateway.amazonaws.com",
        [TrailResource("AWS::ApiGateway::UsagePlan", plan.id)],
        {"usagePlanId": plan.id, "patchOperations": ops},
    )


# -- backends: what happens to them without an API call -----------------------------------------
@action("expire_backend_cert", Spec(("backend",), (), _BK))
def _expire(ws: WorldState, p: Params) -> TrailCall:
    """The backend's certificate passes its notAfter: time, not a change (silent)."""
    ws.backends[p["backend"]].tls_expired = True
    return silent()


@action("renew_backend_cert", Spec(("backend",), (), _BK))
def _renew(ws: WorldState, p: Params) -> TrailCall:
    """A release with a renewed certificate (an ECS UpdateService, like set_backend)."""
    ws.backends[p["backend"]].tls_expired = False
    return _backend(ws, {"backend": p["backend"]})


@action("crash_backend", Spec(("backend",), (), _BK))
def _crash(ws: WorldState, p: Params) -> TrailCall:
    """Every task's process dies (OOM, a panic); the tasks stay registered. No CloudTrail event."""
    ws.backends[p["backend"]].up = False
    return silent()


@action("restart_backend", Spec(("backend",), (), _BK))
def _restart(ws: WorldState, p: Params) -> TrailCall:
    """The orchestrator restarts the processes in place (no API call either)."""
    ws.backends[p["backend"]].up = True
    return silent()


@action("set_latency_tail", Spec(("backend", "fraction", "ms"), (), _BK))
def _tail(ws: WorldState, p: Params) -> TrailCall:
    """A share of requests become slow (a cold cache, GC pauses, one bad shard): silent."""
    b = ws.backends[p["backend"]]
    b.slow_fraction = _fraction(p, "fraction")
    ms = p["ms"]
    if isinstance(ms, bool) or not isinstance(ms, (int, float)) or ms <= 0:
        raise ValueError(f"ms must be a positive latency, got {ms!r}")
    b.slow_ms = float(ms)
    return silent()
