"""Action primitives: what a scenario (or a drill's fix) may do to the world.

Each primitive is a spec (params, references to check at load time) and an `apply` that mutates
`WorldState` and returns what CloudTrail would record for the equivalent AWS call.
"""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apigw_cockpit.demo.world.state import (
    PermissionState,
    Rule,
    WorldState,
)
from apigw_cockpit.demo.world.trail import TrailResource

Params = dict[str, Any]


@dataclass(frozen=True)
class TrailCall:
    """The CloudTrail side of one primitive."""

    event_name: str
    event_source: str
    resources: list[TrailResource]
    request_parameters: dict[str, Any]
    response_elements: dict[str, Any] | None = None


@dataclass(frozen=True)
class Spec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)  # param -> state collection


ApplyFn = Callable[[WorldState, Params], TrailCall]
SPECS: dict[str, Spec] = {}
APPLY: dict[str, ApplyFn] = {}


def action(name: str, spec: Spec) -> Callable[[ApplyFn], ApplyFn]:
    def deco(fn: ApplyFn) -> ApplyFn:
        SPECS[name] = spec
        APPLY[name] = fn
        return fn

    return deco


def _api_res(ws: WorldState) -> list[TrailResource]:
    return [TrailResource("AWS::ApiGateway::RestApi", ws.api.id)]


# -- EC2 security groups ----------------------------------------------------------------
_SG = Spec(
    ("sg",),
    ("protocol", "port", "from_port", "to_port", "cidr", "source_sg", "description"),
    {"sg": "security_groups", "source_sg": "security_groups"},
)


def _rule(p: Params) -> Rule:
    port = int(p["port"]) if p.get("port") is not None else -1
    return Rule(
        protocol=str(p.get("protocol", "tcp")),
        from_port=int(p.get("from_port", port)),
        to_port=int(p.get("to_port", port)),
        cidr=str(ipaddress.ip_network(p["cidr"], strict=False)) if p.get("cidr") else "",
        source_sg=str(p.get("source_sg", "")),
        description=str(p.get("description", "")),
    )


def _ip_permissions(ws: WorldState, r: Rule) -> dict[str, Any]:
    item: dict[str, Any] = {"ipProtocol": r.protocol, "fromPort": r.from_port, "toPort": r.to_port}
    cidr_item: dict[str, Any] = {"cidrIp": r.cidr}
    if r.description:
        cidr_item["description"] = r.description
    item["ipRanges"] = {"items": [cidr_item]} if r.cidr else {}
    item["groups"] = {"items": [{"groupId": ws.security_groups[r.source_sg].id}]} if r.source_sg else {}
    item["ipv6Ranges"] = {}
    item["prefixListIds"] = {}
    return {"items": [item]}


def _same(a: Rule, b: Rule) -> bool:
    return (a.protocol, a.from_port, a.to_port, a.cidr, a.source_sg) == (
        b.protocol,
        b.from_port,
        b.to_port,
        b.cidr,
        b.source_sg,
    )


@action("revoke_ingress", _SG)
def _revoke(ws: WorldState, p: Params) -> TrailCall:
    sg, r = ws.security_groups[p["sg"]], _rule(p)
    sg.ingress = [x for x in sg.ingress if not _same(x, r)]
    return TrailCall(
        "RevokeSecurityGroupIngress",
        "ec2.amazonaws.com",
        [TrailResource("AWS::EC2::SecurityGroup", sg.id)],
        {"groupId": sg.id, "ipPermissions": _ip_permissions(ws, r)},
        {"_return": True},
    )


@action("authorize_ingress", _SG)
def _authorize(ws: WorldState, p: Params) -> TrailCall:
    sg, r = ws.security_groups[p["sg"]], _rule(p)
    if not any(_same(x, r) for x in sg.ingress):
        sg.ingress.append(r)
    return TrailCall(
        "AuthorizeSecurityGroupIngress",
        "ec2.amazonaws.com",
        [TrailResource("AWS::EC2::SecurityGroup", sg.id)],
        {"groupId": sg.id, "ipPermissions": _ip_permissions(ws, r)},
        {"_return": True},
    )


# -- Lambda ---------------------------------------------------------------------------------
_FN = {"function": "lambdas"}


def _fn_res(ws: WorldState, name: str) -> list[TrailResource]:
    return [TrailResource("AWS::Lambda::Function", ws.lambdas[name].arn)]


@action("remove_lambda_permission", Spec(("function", "sid"), (), _FN))
def _remove_perm(ws: WorldState, p: Params) -> TrailCall:
    fn = ws.lambdas[p["function"]]
    fn.permissions = [x for x in fn.permissions if x.sid != p["sid"]]
    return TrailCall(
        "RemovePermission20150331v2",
        "lambda.amazonaws.com",
        _fn_res(ws, fn.name),
        {"functionName": fn.name, "statementId": p["sid"]},
    )


@action("add_lambda_permission", Spec(("function", "sid"), ("source_arn", "principal"), _FN))
def _add_perm(ws: WorldState, p: Params) -> TrailCall:
    fn = ws.lambdas[p["function"]]
    perm = PermissionState(
        str(p["sid"]), str(p.get("principal", "apigateway.amazonaws.com")), str(p.get("source_arn", ""))
    )
    fn.permissions = [x for x in fn.permissions if x.sid != perm.sid] + [perm]
    req = {
        "functionName": fn.name,
        "statementId": perm.sid,
        "action": perm.action,
        "principal": perm.principal,
    }
    if perm.source_arn:
        req["sourceArn"] = perm.source_arn
    return TrailCall("AddPermission20150331v2", "lambda.amazonaws.com", _fn_res(ws, fn.name), req)


@action("set_lambda_timeout", Spec(("function", "seconds"), (), _FN))
def _fn_timeout(ws: WorldState, p: Params) -> TrailCall:
    fn = ws.lambdas[p["function"]]
    fn.timeout_s = int(p["seconds"])
    return TrailCall(
        "UpdateFunctionConfiguration20150331v2",
        "lambda.amazonaws.com",
        _fn_res(ws, fn.name),
        {"functionName": fn.name, "timeout": fn.timeout_s},
    )


LAMBDA_MODES = ("ok", "raise", "malformed")


@action("set_lambda_code", Spec(("function",), ("mode", "duration_ms", "error", "error_type"), _FN))
def _fn_code(ws: WorldState, p: Params) -> TrailCall:
    """A new code version: mode ok/raise/malformed; duration_ms is how long it runs (may exceed timeouts)."""
    fn = ws.lambdas[p["function"]]
    mode = str(p.get("mode", "ok"))
    if mode not in LAMBDA_MODES:
        raise ValueError(f"mode must be one of {LAMBDA_MODES}")
    fn.mode = mode
    if "duration_ms" in p:
        fn.duration_ms = float(p["duration_ms"])
    fn.error_message = str(p.get("error", fn.error_message or "Internal error"))
    fn.error_type = str(p.get("error_type", fn.error_type))
    return TrailCall(
        "UpdateFunctionCode20150331v2",
        "lambda.amazonaws.com",
        _fn_res(ws, fn.name),
        {"functionName": fn.name, "publish": True, "dryRun": False},
    )


@action("lambda_raise", Spec(("function",), ("error", "error_type"), _FN))
def _fn_raise(ws: WorldState, p: Params) -> TrailCall:
    return _fn_code(ws, {**p, "mode": "raise"})


@action("lambda_malformed_response", Spec(("function",), (), _FN))
def _fn_malformed(ws: WorldState, p: Params) -> TrailCall:
    return _fn_code(ws, {**p, "mode": "malformed"})


@action("set_lambda_duration", Spec(("function", "ms"), (), _FN))
def _fn_sleep(ws: WorldState, p: Params) -> TrailCall:
    return _fn_code(
        ws, {"function": p["function"], "mode": ws.lambdas[p["function"]].mode, "duration_ms": p["ms"]}
    )


# -- IAM ----------------------------------------------------------------------------------------
def _role_call(ws: WorldState, p: Params, attached: bool) -> TrailCall:
    role = ws.roles[p["role"]]
    pol = role.policies.get(p["policy"])
    if pol is None:
        raise ValueError(f"role {role.name!r} has no policy {p['policy']!r}")
    pol.attached = attached
    return TrailCall(
        "AttachRolePolicy" if attached else "DetachRolePolicy",
        "iam.amazonaws.com",
        [TrailResource("AWS::IAM::Role", role.name), TrailResource("AWS::IAM::Policy", pol.arn)],
        {"roleName": role.arn.rsplit("/", 1)[-1], "policyArn": pol.arn},
    )


@action("detach_role_policy", Spec(("role", "policy"), (), {"role": "roles"}))
def _detach(ws: WorldState, p: Params) -> TrailCall:
    return _role_call(ws, p, False)


@action("attach_role_policy", Spec(("role", "policy"), (), {"role": "roles"}))
def _attach(ws: WorldState, p: Params) -> TrailCall:
    return _role_call(ws, p, True)


# -- Backends (ECS services / external endpoints): a deploy of a new task definition ----------
_BK = ("latency_ms", "jitter", "up", "crash_above", "invalid_response", "tls_cn", "status")


@action("set_backend", Spec(("backend",), _BK, {"backend": "backends"}))
def _backend(ws: WorldState, p: Params) -> TrailCall:
    b = ws.backends[p["backend"]]
    for k in _BK:
        if k in p:
            v = p[k]
            setattr(
                b, k, {int(c): float(w) for c, w in v.items()} if k == "status" else type(getattr(b, k))(v)
            )
    rev = (
        zlib.crc32(repr((b.name, b.latency_ms, b.up, b.crash_above, b.invalid_response, b.tls_cn)).encode())
        % 90
        + 10
    )
    return TrailCall(
        "UpdateService",
        "ecs.amazonaws.com",
        [TrailResource("AWS::ECS::Service", b.name)],
        {
            "cluster": "prod",
            "service": b.name,
            "taskDefinition": f"{b.name}:{rev}",
            "forceNewDeployment": False,
        },
    )


def _bk(name: str, fields: dict[str, str], defaults: dict[str, Any] | None = None) -> None:
    def fn(ws: WorldState, p: Params) -> TrailCall:
        q: Params = {"backend": p["backend"], **(defaults or {})}
        q.update({dst: p[src] for src, dst in fields.items() if src in p})
        return _backend(ws, q)

    req = tuple(k for k in fields if not (defaults and fields[k] in defaults))
    opt = tuple(k for k in fields if k not in req)
    action(name, Spec(("backend", *req), opt, {"backend": "backends"}))(fn)


_bk("set_backend_latency", {"ms": "latency_ms"})
_bk("crash_targets_above", {"concurrency": "crash_above"})
_bk("return_invalid_responses", {"enabled": "invalid_response"}, {"invalid_response": True})
_bk("serve_tls_cert", {"cn": "tls_cn"})
_bk("set_backend_down", {}, {"up": False})
_bk("set_backend_up", {}, {"up": True})
