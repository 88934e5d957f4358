"""Mutating calls a person sends to the standalone world (AWS CLI, SDK, console scripts).

moto alone would store the change and nothing would follow: targets stay unhealthy, no
CloudTrail event, the incident goes on. Here moto answers first (so validation errors and the
response shape are moto's, as from AWS), then the call is translated into the world's own
action primitives, applied under the world lock and recorded in its CloudTrail with the
caller's identity — so the incident recovers or worsens as it would in an account.

The mirror (which keeps moto in step with the world) sends the same operations; its calls
carry its own access key and pass straight through, or every sync would echo back.
Translators are data: (service, operation) -> function(request params, world) -> actions.
A call the world cannot express (an unknown group id, a rule given by SecurityGroupRuleId)
is left to moto alone and logged: the world does not pretend.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from typing import Any

from apigw_cockpit.demo.mirror.clients import MIRROR_ACCESS_KEY
from apigw_cockpit.demo.overlay import apigateway
from apigw_cockpit.demo.overlay.app import Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.render import Reply, render_error
from apigw_cockpit.demo.world.actions_apigw import PATCHABLE

log = logging.getLogger(__name__)

Action = dict[str, Any]
Translator = Callable[[dict[str, Any], Any], list[Action]]


class Untranslatable(Exception):
    """The world has no primitive for this call (or does not know the resource)."""


def access_key(req: AwsRequest) -> str:
    auth = req.headers.get("authorization", "")
    try:
        return auth.split("Credential=", 1)[1].split("/", 1)[0]
    except IndexError:
        return ""


def caller(req: AwsRequest) -> str:
    """The CloudTrail user name for a call: the access key's owner, as far as the world knows."""
    key = access_key(req)
    return "cli" if key in ("", "testing") else f"cli-{key[-6:].lower()}"


# -- lookups: AWS ids, names and ARNs -> the world's logical names --------------------------------
def _sg(ws: Any, params: dict[str, Any]) -> str:
    wanted_id, wanted_name = params.get("GroupId"), params.get("GroupName")
    for name, sg in ws.security_groups.items():
        if sg.id == wanted_id or (wanted_name and sg.group_name == wanted_name):
            return str(name)
    raise Untranslatable(f"security group {wanted_id or wanted_name!r} is not in the world")


def _sg_by_id(ws: Any, group_id: str) -> str:
    for name, sg in ws.security_groups.items():
        if sg.id == group_id or sg.group_name == group_id:
            return str(name)
    raise Untranslatable(f"source security group {group_id!r} is not in the world")


def _function(ws: Any, ref: str) -> str:
    """FunctionName may be a name, a full or partial ARN, with or without a qualifier."""
    name = ref.split(":function:", 1)[-1].split(":", 1)[0] if ":" in ref else ref
    for logical, fn in ws.lambdas.items():
        if name in (fn.name, logical) or ref == fn.arn:
            return str(logical)
    raise Untranslatable(f"function {ref!r} is not in the world")


def _role(ws: Any, role_name: str) -> str:
    for logical, role in ws.roles.items():
        if role.arn.rsplit("/", 1)[-1] == role_name or logical == role_name:
            return str(logical)
    raise Untranslatable(f"role {role_name!r} is not in the world")


def _policy(ws: Any, role: str, ref: str) -> str:
    for pname, pol in ws.roles[role].policies.items():
        if ref in (pol.arn, pol.name, pname) or pol.arn.rsplit("/", 1)[-1] == ref:
            return str(pname)
    raise Untranslatable(f"policy {ref!r} is not on role {role!r} in the world")


# -- EC2 security groups ---------------------------------------------------------------------------
def _rules(params: dict[str, Any], ws: Any) -> Iterator[dict[str, Any]]:
    """One world rule per (permission, source): the CLI's --protocol/--port/--cidr shorthand
    arrives as top-level members, the --ip-permissions form as IpPermissions."""
    perms = list(params.get("IpPermissions") or [])
    if params.get("IpProtocol") or params.get("CidrIp") or params.get("SourceSecurityGroupName"):
        top: dict[str, Any] = {"IpProtocol": params.get("IpProtocol", "-1")}
        for k in ("FromPort", "ToPort"):
            if params.get(k) is not None:
                top[k] = params[k]
        if params.get("CidrIp"):
            top["IpRanges"] = [{"CidrIp": params["CidrIp"]}]
        if params.get("SourceSecurityGroupName"):
            top["UserIdGroupPairs"] = [{"GroupId": params["SourceSecurityGroupName"]}]
        perms.append(top)
    if params.get("SecurityGroupRuleIds"):
        raise Untranslatable("rules given by SecurityGroupRuleIds")
    for perm in perms:
        proto = str(perm.get("IpProtocol", "-1"))
        base: dict[str, Any] = {"protocol": proto}
        if proto != "-1":
            base["from_port"] = int(perm.get("FromPort", -1))
            base["to_port"] = int(perm.get("ToPort", base["from_port"]))
        for rng in perm.get("IpRanges") or []:
            rule = {**base, "cidr": str(rng["CidrIp"])}
            if rng.get("Description"):
                rule["description"] = str(rng["Description"])
            yield rule
        for pair in perm.get("UserIdGroupPairs") or []:
            yield {**base, "source_sg": _sg_by_id(ws, str(pair.get("GroupId") or pair.get("GroupName")))}
        if perm.get("Ipv6Ranges") or perm.get("PrefixListIds"):
            raise Untranslatable("IPv6 ranges and prefix lists")


def _ingress(do: str) -> Translator:
    def translate(params: dict[str, Any], ws: Any) -> list[Action]:
        sg = _sg(ws, params)
        actions = [{"do": do, "params": {"sg": sg, **rule}} for rule in _rules(params, ws)]
        if not actions:
            raise Untranslatable("no rule in the request")
        return actions

    return translate


# -- Lambda ----------------------------------------------------------------------------------------
def _add_permission(params: dict[str, Any], ws: Any) -> list[Action]:
    p = {
        "function": _function(ws, str(params["FunctionName"])),
        "sid": str(params["StatementId"]),
        "principal": str(params.get("Principal", "apigateway.amazonaws.com")),
    }
    if params.get("SourceArn"):
        p["source_arn"] = str(params["SourceArn"])
    return [{"do": "add_lambda_permission", "params": p}]


def _remove_permission(params: dict[str, Any], ws: Any) -> list[Action]:
    fn = _function(ws, str(params["FunctionName"]))
    return [{"do": "remove_lambda_permission", "params": {"function": fn, "sid": str(params["StatementId"])}}]


def _update_function_configuration(params: dict[str, Any], ws: Any) -> list[Action]:
    if params.get("Timeout") is None:
        raise Untranslatable("only Timeout is simulated")
    fn = _function(ws, str(params["FunctionName"]))
    return [{"do": "set_lambda_timeout", "params": {"function": fn, "seconds": int(params["Timeout"])}}]


# -- IAM -------------------------------------------------------------------------------------------
def _role_policy(do: str, key: str) -> Translator:
    def translate(params: dict[str, Any], ws: Any) -> list[Action]:
        role = _role(ws, str(params["RoleName"]))
        return [{"do": do, "params": {"role": role, "policy": _policy(ws, role, str(params[key]))}}]

    return translate


# -- API Gateway -----------------------------------------------------------------------------------
def _create_deployment(params: dict[str, Any], ws: Any) -> list[Action]:
    return [{"do": "create_deployment", "params": {"description": str(params.get("description", ""))}}]


def _update_stage(params: dict[str, Any], ws: Any) -> list[Action]:
    actions: list[Action] = []
    for op in params.get("patchOperations") or []:
        path, value = str(op.get("path", "")), op.get("value")
        if path.startswith("/variables/"):
            name = path.removeprefix("/variables/")
            actions.append({"do": "set_stage_variable", "params": {"name": name, "value": str(value or "")}})
        elif path.endswith("/logging/loglevel"):
            actions.append({"do": "set_logging", "params": {"level": str(value or "OFF")}})
        else:
            raise Untranslatable(f"stage patch {path!r}")
    return actions


def _resource(ws: Any, resource_id: str) -> str:
    for logical, res in ws.resources.items():
        if res.id == resource_id:
            return str(logical)
    raise Untranslatable(f"resource {resource_id!r} is not in the world's API")


def _method_ref(params: dict[str, Any], ws: Any) -> dict[str, str]:
    resource = _resource(ws, str(params["resource_id"]))
    return {"resource": resource, "method": str(params["http_method"]).upper()}


def _put_integration(params: dict[str, Any], ws: Any) -> list[Action]:
    ref = _method_ref(params, ws)
    typ = str(params.get("type", "")).upper()
    p: dict[str, Any] = {**ref, "type": typ}
    if typ != "MOCK":
        method = ws.method(ref["resource"], ref["method"])
        integ = method.integration if method is not None else None
        # The world has no backend to invent: only the method's own kind of integration, re-put.
        if integ is None or integ.type == "MOCK" or integ.type.startswith("AWS") != typ.startswith("AWS"):
            raise Untranslatable(f"a {typ} integration where the world has none to re-point")
        if params.get("uri"):
            p["uri"] = str(params["uri"])
        if params.get("timeoutInMillis") is not None:
            p["timeout_ms"] = int(params["timeoutInMillis"])
        if params.get("httpMethod"):  # the body's httpMethod is integrationHttpMethod
            p["http_method"] = str(params["httpMethod"])
        if params.get("connectionType"):
            p["connection_type"] = str(params["connectionType"])
        if params.get("connectionId"):
            p["vpc_link"] = _vpc_link(ws, str(params["connectionId"]))
    return [{"do": "put_integration", "params": p}]


def _vpc_link(ws: Any, link_id: str) -> str:
    for logical, link in ws.vpc_links.items():
        if link.id == link_id:
            return str(logical)
    raise Untranslatable(f"VPC link {link_id!r} is not in the world")


def _update_integration(params: dict[str, Any], ws: Any) -> list[Action]:
    ops = [dict(op) for op in params.get("patchOperations") or []]
    for op in ops:
        path = str(op.get("path", ""))
        if not any(path == p or (p.endswith("/") and path.startswith(p)) for p in PATCHABLE):
            raise Untranslatable(f"integration patch {path!r}")
        if path == "/connectionId":
            _vpc_link(ws, str(op.get("value", "")))
    if not ops:
        raise Untranslatable("no patch operation in the request")
    return [{"do": "update_integration", "params": {**_method_ref(params, ws), "patch": ops}}]


# -- ELBv2 target registration --------------------------------------------------------------------
def _targets(do: str) -> Translator:
    def translate(params: dict[str, Any], ws: Any) -> list[Action]:
        arn = str(params["TargetGroupArn"])
        tg = next((n for n, g in ws.target_groups.items() if g.id == arn), None)
        if tg is None:
            raise Untranslatable(f"target group {arn!r} is not in the world")
        names = []
        for t in params.get("Targets") or []:
            ip, port = str(t.get("Id")), t.get("Port")
            found = next(
                (
                    n
                    for n, x in ws.targets.items()
                    if x.target_group == tg and x.ip == ip and (port is None or int(port) == x.port)
                ),
                None,
            )
            if found is None:  # a new IP would need a backend the world does not have
                raise Untranslatable(f"target {ip}:{port} is not one of the world's tasks")
            names.append(found)
        if not names:
            raise Untranslatable("no target in the request")
        return [{"do": do, "params": {"target_group": tg, "targets": names}}]

    return translate


TRANSLATORS: dict[tuple[str, str], Translator] = {
    ("ec2", "AuthorizeSecurityGroupIngress"): _ingress("authorize_ingress"),
    ("ec2", "RevokeSecurityGroupIngress"): _ingress("revoke_ingress"),
    ("lambda", "AddPermission"): _add_permission,
    ("lambda", "RemovePermission"): _remove_permission,
    ("lambda", "UpdateFunctionConfiguration"): _update_function_configuration,
    ("iam", "AttachRolePolicy"): _role_policy("attach_role_policy", "PolicyArn"),
    ("iam", "DetachRolePolicy"): _role_policy("detach_role_policy", "PolicyArn"),
    ("iam", "PutRolePolicy"): _role_policy("attach_role_policy", "PolicyName"),
    ("iam", "DeleteRolePolicy"): _role_policy("detach_role_policy", "PolicyName"),
    ("apigateway", "CreateDeployment"): _create_deployment,
    ("apigateway", "UpdateStage"): _update_stage,
    ("apigateway", "PutIntegration"): _put_integration,
    ("apigateway", "UpdateIntegration"): _update_integration,
    ("elbv2", "RegisterTargets"): _targets("register_targets"),
    ("elbv2", "DeregisterTargets"): _targets("deregister_targets"),
}


def translate(req: AwsRequest, ws: Any) -> list[Action]:
    """The world actions for one mutating request (raises Untranslatable)."""
    fn = TRANSLATORS[(req.service, req.operation)]
    params = dict(req.params)
    params.update(req.path_params)
    if req.service == "apigateway" and params.get("restapi_id") != ws.api.id:
        raise Untranslatable(f"API {params.get('restapi_id')!r} is not the world's API")
    try:
        return fn(params, ws)
    except (KeyError, TypeError, ValueError) as e:
        raise Untranslatable(f"unexpected parameters ({e})") from None


# Writes moto does not implement (5.x raises NotImplementedError): the world applies them first,
# the mirror writes the result into moto (PutIntegration), and the answer is moto's own view of
# the resource afterwards — the output shape of these operations is the resource's Get shape.
WORLD_FIRST = {("apigateway", "UpdateIntegration")}


# Where the overlay already owns the moto side of an operation (connectionType/connectionId that
# moto drops), the write goes through that handler, not to moto directly.
MOTO_STEP: dict[tuple[str, str], Callable[[Context, AwsRequest], Reply]] = {
    ("apigateway", "PutIntegration"): apigateway.put_integration,
}


def _moto(ctx: Context, req: AwsRequest) -> Reply:
    return MOTO_STEP.get((req.service, req.operation), Context.call_moto)(ctx, req)


def _world_first(ctx: Context, req: AwsRequest) -> Reply:
    with ctx.lock:
        try:
            for action in translate(req, ctx.world.state):
                ctx.world.apply_action(action, caller(req))
        except (Untranslatable, ValueError) as e:
            return render_error(req, 400, "BadRequestException", f"Invalid patch operation: {e}")
    environ = {**req.environ, "REQUEST_METHOD": "GET", "CONTENT_LENGTH": "0"}
    get = dataclasses.replace(req, operation="GetIntegration", method="GET", body=b"", environ=environ)
    return apigateway.get_integration(ctx, get)  # moto's view after the mirror, with the connection


def handle(ctx: Context, req: AwsRequest) -> Reply:
    """moto answers; if it accepted the call, the world applies it.

    Registered outside the world lock and taking it only to apply: applying makes the mirror
    call these same operations from another server thread, which must not wait on this one.
    """
    if (req.service, req.operation) in WORLD_FIRST:
        if access_key(req) == MIRROR_ACCESS_KEY:
            return apigateway.update_integration(ctx, req)
        return _world_first(ctx, req)
    reply = _moto(ctx, req)
    if access_key(req) == MIRROR_ACCESS_KEY or reply.status >= 300:
        return reply
    with ctx.lock:
        try:
            actions = translate(req, ctx.world.state)
        except Untranslatable as e:
            log.warning("%s stored by moto, but the world does not simulate it: %s", req.action, e)
            return reply
        for action in actions:
            try:
                ctx.world.apply_action(action, caller(req))
            except ValueError as e:  # the primitive refused: moto keeps the call, the world does not pretend
                log.warning("%s stored by moto, but the world refused it: %s", req.action, e)
    return reply
