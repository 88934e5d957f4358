"""Create the REST API, its resources, methods, integrations, VPC links and stage in moto."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.mirror.clients import Clients
from apigw_cockpit.demo.mirror.seed import Bindings


def lambda_uri(region: str, function_arn: str) -> str:
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def integration_uri(st: Any, integ: Any) -> str:
    """The URI as the console would have stored it (stage variables left unresolved)."""
    if integ.uri:
        return str(integ.uri)
    if integ.function:
        fn_name, _, qualifier = integ.function.partition(":")
        arn = st.lambdas[fn_name].arn + (f":{qualifier}" if qualifier else "")
        return lambda_uri(st.api.region, arn)
    if integ.backend:
        return str(st.backends[integ.backend].url)
    return ""


def integration_kwargs(st: Any, integ: Any, ids: Bindings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"type": integ.type, "timeoutInMillis": integ.timeout_ms}
    uri = integration_uri(st, integ)
    if uri:
        kwargs["uri"] = uri
    if integ.type != "MOCK":
        kwargs["integrationHttpMethod"] = integ.http_method or "ANY"
    if integ.connection_type == "VPC_LINK":
        kwargs |= {
            "connectionType": "VPC_LINK",
            "connectionId": ids.get(("vpc_links", integ.vpc_link), integ.vpc_link),
        }
    if integ.credentials:
        kwargs["credentials"] = ids.get(("roles", integ.credentials), st.roles[integ.credentials].arn)
    if integ.request_templates:
        kwargs["requestTemplates"] = dict(integ.request_templates)
    return kwargs


def put_integration(gw: Any, st: Any, ids: Bindings, api_id: str, rid: str, verb: str, integ: Any) -> None:
    """An integration and its integration responses, as at seeding and after a world action."""
    gw.put_integration(
        restApiId=api_id, resourceId=rid, httpMethod=verb, **integration_kwargs(st, integ, ids)
    )
    for resp in integ.responses:
        kwargs: dict[str, Any] = {"statusCode": resp.status}
        if resp.pattern:
            kwargs["selectionPattern"] = resp.pattern
        gw.put_integration_response(restApiId=api_id, resourceId=rid, httpMethod=verb, **kwargs)


def _depth(path: str) -> int:
    return 0 if path == "/" else path.count("/")


def _custom_id(kind: str, st: Any, *args: str) -> Any:
    """Ask moto to use the scenario's id for the next API Gateway object it creates.

    moto invents random ids; the scenario's fixed ones (resource ids, VPC link id, deployment)
    appear in execution logs, CloudTrail and test fixtures, so every layer must see the same."""
    from moto.apigateway import utils
    from moto.utilities.id_generator import moto_id_manager

    cls = {
        "resource": utils.ApigwResourceIdentifier,
        "vpc_link": utils.ApigwVpcLinkIdentifier,
        "deployment": utils.ApigwDeploymentIdentifier,
    }[kind]
    return lambda custom: moto_id_manager.set_custom_id(cls(st.api.account, st.api.region, *args), custom)


def seed_api(c: Clients, st: Any, ids: Bindings) -> None:
    api = st.api
    gw = c.apigateway
    for name, link in st.vpc_links.items():
        _custom_id("vpc_link", st, link.link_name)(link.id)
        got = gw.create_vpc_link(name=link.link_name, targetArns=[ids[("nlbs", link.nlb)]])
        ids[("vpc_links", name)] = got["id"]
    endpoint: dict[str, list[str]] = {"types": [api.endpoint_type]}
    if api.endpoint_type == "PRIVATE":  # reached only through the account's execute-api endpoints
        endpoint["vpcEndpointIds"] = [ids[("vpc_endpoints", n)] for n in st.vpc_endpoints]
    api_id = gw.create_rest_api(name=api.name, tags={"_custom_id_": api.id}, endpointConfiguration=endpoint)[
        "id"
    ]
    by_path = {r["path"]: r["id"] for r in gw.get_resources(restApiId=api_id)["items"]}
    for name, res in sorted(st.resources.items(), key=lambda kv: _depth(kv[1].path)):
        if res.path not in by_path:
            parent, _, part = res.path.rstrip("/").rpartition("/")
            parent_id = by_path.get(parent or "/")
            if parent_id is None:  # an intermediate path the scenario did not name
                parent_id = _ensure_path(gw, api_id, parent, by_path)
            _custom_id("resource", st, parent_id, part)(res.id)
            by_path[res.path] = gw.create_resource(restApiId=api_id, parentId=parent_id, pathPart=part)["id"]
        rid = ids[("resources", name)] = by_path[res.path]
        for verb, method in res.methods.items():
            gw.put_method(
                restApiId=api_id, resourceId=rid, httpMethod=verb, authorizationType=method.authorization
            )
            for code in method.method_responses:
                gw.put_method_response(
                    restApiId=api_id, resourceId=rid, httpMethod=verb, statusCode=str(code)
                )
            if method.integration is None:
                continue
            put_integration(gw, st, ids, api_id, rid, verb, method.integration)
    _custom_id("deployment", st, st.stage.name)(st.stage.deployment_id)
    got = gw.create_deployment(
        restApiId=api_id,
        stageName=st.stage.name,
        description="initial",
        variables=dict(st.stage.variables),
        tracingEnabled=st.stage.tracing_enabled,
    )
    ids[("deployments", st.stage.name)] = got["id"]
    update_stage(c, st)


def _ensure_path(gw: Any, api_id: str, path: str, by_path: dict[str, str]) -> str:
    parent, _, part = path.rpartition("/")
    parent_id = by_path.get(parent or "/") or _ensure_path(gw, api_id, parent, by_path)
    by_path[path] = gw.create_resource(restApiId=api_id, parentId=parent_id, pathPart=part)["id"]
    return by_path[path]


def update_stage(c: Clients, st: Any) -> None:
    """Method settings (logging, metrics, data trace) and variables as the stage holds them now."""
    stage = st.stage
    ops = [
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": stage.logging_level},
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": str(stage.metrics_enabled).lower()},
        {"op": "replace", "path": "/*/*/logging/dataTrace", "value": str(stage.data_trace).lower()},
        {"op": "replace", "path": "/tracingEnabled", "value": str(stage.tracing_enabled).lower()},
    ]
    ops += [{"op": "replace", "path": f"/variables/{k}", "value": v} for k, v in stage.variables.items()]
    if stage.access_log_group:
        arn = f"arn:aws:logs:{st.api.region}:{st.api.account}:log-group:{stage.access_log_group}"
        ops += [
            {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": arn},
            {"op": "replace", "path": "/accessLogSettings/format", "value": stage.access_log_format},
        ]
    c.apigateway.update_stage(restApiId=st.api.id, stageName=stage.name, patchOperations=ops)
