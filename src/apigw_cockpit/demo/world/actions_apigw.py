"""Action primitives on API Gateway and Elastic Load Balancing (registered into actions.SPECS)."""

from __future__ import annotations

import zlib

from apigw_cockpit.demo.world.actions import Params, Spec, TrailCall, _api_res, action
from apigw_cockpit.demo.world.state import IntegrationResponseState, IntegrationState, MethodState, WorldState
from apigw_cockpit.demo.world.trail import TrailResource

_M = {"resource": "resources"}
# A template that references an undefined variable inside a directive: VTL fails to render it.
BROKEN_TEMPLATE = '{"range": "$input.params(\'range\')", #if($input.path(\'$.filters\') "all": true #end}'


def _method(ws: WorldState, p: Params) -> MethodState:
    m = ws.method(p["resource"], str(p["method"]))
    if m is None:
        raise ValueError(f"resource {p['resource']!r} has no method {p['method']!r}")
    return m


def _integ(ws: WorldState, p: Params) -> IntegrationState:
    m = _method(ws, p)
    if m.integration is None:
        raise ValueError(f"{p['resource']} {p['method']} has no integration")
    return m.integration


def _integ_call(
    ws: WorldState, p: Params, name: str, ops: list[dict[str, str]] | None, extra: Params | None = None
) -> TrailCall:
    req: Params = {
        "restApiId": ws.api.id,
        "resourceId": ws.resources[p["resource"]].id,
        "httpMethod": str(p["method"]).upper(),
    }
    if ops is not None:
        req["patchOperations"] = ops
    req.update(extra or {})
    return TrailCall(name, "apigateway.amazonaws.com", _api_res(ws), req)


@action("break_request_template", Spec(("resource", "method"), ("content_type",), _M))
def _break_tpl(ws: WorldState, p: Params) -> TrailCall:
    return _set_tpl(ws, {**p, "template": BROKEN_TEMPLATE})


@action("set_request_template", Spec(("resource", "method", "template"), ("content_type",), _M))
def _set_tpl(ws: WorldState, p: Params) -> TrailCall:
    ct = str(p.get("content_type", "application/json"))
    _integ(ws, p).request_templates[ct] = str(p["template"])
    path = "/requestTemplates/" + ct.replace("/", "~1")
    return _integ_call(
        ws, p, "UpdateIntegration", [{"op": "replace", "path": path, "value": str(p["template"])}]
    )


@action("set_integration_timeout", Spec(("resource", "method", "ms"), (), _M))
def _integ_timeout(ws: WorldState, p: Params) -> TrailCall:
    _integ(ws, p).timeout_ms = int(p["ms"])
    return _integ_call(
        ws, p, "UpdateIntegration", [{"op": "replace", "path": "/timeoutInMillis", "value": str(p["ms"])}]
    )


@action("put_integration_response", Spec(("resource", "method", "status"), ("pattern",), _M))
def _put_ir(ws: WorldState, p: Params) -> TrailCall:
    integ = _integ(ws, p)
    status = str(p["status"])
    integ.responses = [r for r in integ.responses if r.status != status]
    integ.responses.append(IntegrationResponseState(status, str(p.get("pattern", ""))))
    return _integ_call(
        ws,
        p,
        "PutIntegrationResponse",
        None,
        {"statusCode": status, "selectionPattern": str(p.get("pattern", ""))},
    )


@action("delete_integration_response", Spec(("resource", "method", "status"), (), _M))
def _del_ir(ws: WorldState, p: Params) -> TrailCall:
    integ = _integ(ws, p)
    integ.responses = [r for r in integ.responses if r.status != str(p["status"])]
    return _integ_call(ws, p, "DeleteIntegrationResponse", None, {"statusCode": str(p["status"])})


@action("put_method_response", Spec(("resource", "method", "status"), (), _M))
def _put_mr(ws: WorldState, p: Params) -> TrailCall:
    m = _method(ws, p)
    if str(p["status"]) not in m.method_responses:
        m.method_responses.append(str(p["status"]))
    return _integ_call(ws, p, "PutMethodResponse", None, {"statusCode": str(p["status"])})


@action("remove_integration", Spec(("resource", "method"), (), _M))
def _del_integ(ws: WorldState, p: Params) -> TrailCall:
    _method(ws, p).integration = None
    return _integ_call(ws, p, "DeleteIntegration", None)


_PUT_FIELDS = ("uri", "timeout_ms", "http_method", "connection_type", "vpc_link")


@action("put_integration", Spec(("resource", "method"), ("type", *_PUT_FIELDS), _M))
def _put_integ(ws: WorldState, p: Params) -> TrailCall:
    """PutIntegration: a MOCK anywhere, or the method's own integration put again with new fields.

    The world cannot invent a backend, so a non-MOCK put keeps the integration's backend,
    function and role and replaces what the call names (uri, timeout, connection) — what a
    person does with `aws apigateway put-integration` to repoint or re-time a route.
    """
    typ = str(p.get("type", "MOCK")).upper()
    if typ == "MOCK":
        _method(ws, p).integration = IntegrationState(type="MOCK")
        return _integ_call(
            ws,
            p,
            "PutIntegration",
            None,
            {"type": typ, "requestTemplates": {"application/json": '{"statusCode": 200}'}},
        )
    integ = _method(ws, p).integration
    if integ is None or integ.type == "MOCK" or (integ.type.startswith("AWS") != typ.startswith("AWS")):
        raise ValueError(f"put_integration {typ}: the world only re-puts the method's own {typ} integration")
    integ.type = typ
    if "uri" in p:
        integ.uri = str(p["uri"])
    integ.timeout_ms = int(p.get("timeout_ms", 29000))  # PutIntegration resets an omitted timeout
    if "http_method" in p:
        integ.http_method = str(p["http_method"]).upper()
    if "connection_type" in p:
        integ.connection_type = str(p["connection_type"]).upper()
        if integ.connection_type != "VPC_LINK":
            integ.vpc_link = ""
    if "vpc_link" in p:
        if p["vpc_link"] not in ws.vpc_links:
            raise ValueError(f"unknown VPC link {p['vpc_link']!r}")
        integ.vpc_link = str(p["vpc_link"])
    req: Params = {"type": typ, "uri": integ.uri, "timeoutInMillis": integ.timeout_ms}
    if integ.http_method:
        req["integrationHttpMethod"] = integ.http_method
    if integ.connection_type == "VPC_LINK":
        req |= {"connectionType": "VPC_LINK", "connectionId": ws.vpc_links[integ.vpc_link].id}
    return _integ_call(ws, p, "PutIntegration", None, req)


# UpdateIntegration patch paths the world simulates (others are refused before moto's answer is used).
PATCHABLE = ("/uri", "/timeoutInMillis", "/connectionId", "/requestTemplates/")


@action("update_integration", Spec(("resource", "method", "patch"), (), _M))
def _update_integ(ws: WorldState, p: Params) -> TrailCall:
    """UpdateIntegration with its patch operations, recorded as the one call it is."""
    integ = _integ(ws, p)
    ops = [{k: str(v) for k, v in op.items()} for op in p["patch"]]
    for op in ops:
        path, value = op.get("path", ""), op.get("value", "")
        if op.get("op", "replace") not in ("replace", "add"):
            raise ValueError(f"update_integration: op {op.get('op')!r} on {path!r} is not simulated")
        if path == "/uri":
            integ.uri = value
        elif path == "/timeoutInMillis":
            integ.timeout_ms = int(value)
        elif path == "/connectionId":
            integ.vpc_link = next(n for n, link in ws.vpc_links.items() if link.id == value)
        elif path.startswith("/requestTemplates/"):
            integ.request_templates[path.removeprefix("/requestTemplates/").replace("~1", "/")] = value
        else:
            raise ValueError(f"update_integration: patch path {path!r} is not simulated")
    return _integ_call(ws, p, "UpdateIntegration", ops)


def _stage_call(ws: WorldState, ops: list[dict[str, str]]) -> TrailCall:
    return TrailCall(
        "UpdateStage",
        "apigateway.amazonaws.com",
        _api_res(ws),
        {"restApiId": ws.api.id, "stageName": ws.stage.name, "patchOperations": ops},
    )


@action("set_stage_variable", Spec(("name", "value")))
def _stage_var(ws: WorldState, p: Params) -> TrailCall:
    ws.stage.variables[str(p["name"])] = str(p["value"])
    return _stage_call(ws, [{"op": "replace", "path": f"/variables/{p['name']}", "value": str(p["value"])}])


@action("set_logging", Spec(("level",), ("metrics", "data_trace")))
def _logging(ws: WorldState, p: Params) -> TrailCall:
    level = str(p["level"]).upper()
    if level not in ("INFO", "ERROR", "OFF"):
        raise ValueError("level must be INFO, ERROR or OFF")
    ws.stage.logging_level = level
    ops = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": level}]
    if "metrics" in p:
        ws.stage.metrics_enabled = bool(p["metrics"])
        ops.append(
            {"op": "replace", "path": "/*/*/metrics/enabled", "value": str(bool(p["metrics"])).lower()}
        )
    if "data_trace" in p:
        ws.stage.data_trace = bool(p["data_trace"])
        ops.append(
            {"op": "replace", "path": "/*/*/logging/dataTrace", "value": str(bool(p["data_trace"])).lower()}
        )
    return _stage_call(ws, ops)


@action("create_deployment", Spec((), ("description",)))
def _deploy(ws: WorldState, p: Params) -> TrailCall:
    new_id = format(zlib.crc32(f"{ws.stage.deployment_id}:{p.get('description', '')}".encode()), "x")[:6]
    ws.stage.deployment_id = new_id
    return TrailCall(
        "CreateDeployment",
        "apigateway.amazonaws.com",
        _api_res(ws),
        {"restApiId": ws.api.id, "stageName": ws.stage.name, "description": str(p.get("description", ""))},
        {"id": new_id, "createdDate": "now"},
    )


@action("set_vpc_link_status", Spec(("vpc_link", "status"), ("message",), {"vpc_link": "vpc_links"}))
def _link_status(ws: WorldState, p: Params) -> TrailCall:
    link = ws.vpc_links[p["vpc_link"]]
    link.status = str(p["status"]).upper()
    link.status_message = str(
        p.get("message", "Your vpc link is ready for use" if link.status == "AVAILABLE" else "")
    )
    return TrailCall(
        "UpdateVpcLink",
        "apigateway.amazonaws.com",
        [TrailResource("AWS::ApiGateway::VpcLink", link.id)],
        {
            "vpcLinkId": link.id,
            "patchOperations": [{"op": "replace", "path": "/status", "value": link.status}],
        },
    )


# -- Elastic Load Balancing ----------------------------------------------------------------------
_NLB = {"nlb": "nlbs"}


def _lb_res(arn: str) -> list[TrailResource]:
    return [TrailResource("AWS::ElasticLoadBalancingV2::LoadBalancer", arn)]


@action("set_nlb_subnets", Spec(("nlb", "subnets"), (), _NLB))
def _set_subnets(ws: WorldState, p: Params) -> TrailCall:
    nlb = ws.nlbs[p["nlb"]]
    subs = [str(s) for s in p["subnets"]]
    unknown = [s for s in subs if s not in ws.subnets]
    if unknown:
        raise ValueError(f"unknown subnets {unknown}")
    nlb.subnets = subs
    ids = [ws.subnets[s].id for s in subs]
    return TrailCall(
        "SetSubnets",
        "elasticloadbalancing.amazonaws.com",
        _lb_res(nlb.id),
        {"loadBalancerArn": nlb.id, "subnets": ids},
        {"availabilityZones": [{"zoneName": ws.subnets[s].az, "subnetId": ws.subnets[s].id} for s in subs]},
    )


@action("delete_load_balancer", Spec(("nlb",), (), _NLB))
def _delete_lb(ws: WorldState, p: Params) -> TrailCall:
    nlb = ws.nlbs[p["nlb"]]
    nlb.deleted = True
    for link in ws.vpc_links.values():
        if link.nlb == nlb.name:
            link.status = "FAILED"
            link.status_message = f"NLB ARN is malformed or does not exist: {nlb.id}"
    return TrailCall(
        "DeleteLoadBalancer",
        "elasticloadbalancing.amazonaws.com",
        _lb_res(nlb.id),
        {"loadBalancerArn": nlb.id},
    )


@action("create_load_balancer", Spec(("nlb",), (), _NLB))
def _create_lb(ws: WorldState, p: Params) -> TrailCall:
    nlb = ws.nlbs[p["nlb"]]
    nlb.deleted = False
    return TrailCall(
        "CreateLoadBalancer",
        "elasticloadbalancing.amazonaws.com",
        _lb_res(nlb.id),
        {
            "name": nlb.lb_name,
            "type": "network",
            "scheme": "internal",
            "subnets": [ws.subnets[s].id for s in nlb.subnets],
        },
        {"loadBalancers": [{"loadBalancerArn": nlb.id}]},
    )


# -- target registration -------------------------------------------------------------------------
_TG = {"target_group": "target_groups"}


def _targets_call(ws: WorldState, p: Params, name: str, registered: bool) -> TrailCall:
    tg = ws.target_groups[p["target_group"]]
    wanted = [str(t) for t in p["targets"]]
    unknown = [t for t in wanted if t not in ws.targets or ws.targets[t].target_group != p["target_group"]]
    if unknown:
        raise ValueError(f"targets {unknown} are not in target group {p['target_group']!r}")
    for t in wanted:
        ws.targets[t].registered = registered
    targets = [{"id": ws.targets[t].ip, "port": ws.targets[t].port} for t in wanted]
    return TrailCall(
        name,
        "elasticloadbalancing.amazonaws.com",
        [TrailResource("AWS::ElasticLoadBalancingV2::TargetGroup", tg.id)],
        {"targetGroupArn": tg.id, "targets": targets},
    )


@action("register_targets", Spec(("target_group", "targets"), (), _TG))
def _register(ws: WorldState, p: Params) -> TrailCall:
    return _targets_call(ws, p, "RegisterTargets", True)


@action("deregister_targets", Spec(("target_group", "targets"), (), _TG))
def _deregister(ws: WorldState, p: Params) -> TrailCall:
    return _targets_call(ws, p, "DeregisterTargets", False)
