"""Create an HTTP API in moto's apigatewayv2: the API (re-keyed to the topology's id), its VPC
links (v2: subnets and security groups, no NLB), integrations, routes and the stage with its
access-log settings. Shapes: botocore `apigatewayv2` service-2.json (CreateApi, CreateVpcLink,
CreateIntegration, CreateRoute, CreateStage)."""

from __future__ import annotations

from apigw_cockpit.demo.mirror.apigw import integration_uri
from apigw_cockpit.demo.mirror.clients import Clients
from apigw_cockpit.demo.mirror.neighbours import rekey_http_api
from apigw_cockpit.demo.mirror.seed import Bindings
from apigw_cockpit.demo.world.state import IntegrationState, WorldState

Params = dict[str, object]  # an apigatewayv2 request we build


def _log_group_arn(st: WorldState, group: str) -> str:
    return f"arn:aws:logs:{st.api.region}:{st.api.account}:log-group:{group}"


def _integration(st: WorldState, integ: IntegrationState, ids: Bindings, links: dict[str, str]) -> Params:
    kwargs: Params = {
        "IntegrationType": integ.type,
        "TimeoutInMillis": integ.timeout_ms,
    }
    if integ.type == "AWS_PROXY":
        fn, _, qualifier = integ.function.partition(":")
        kwargs["IntegrationUri"] = st.lambdas[fn].arn + (f":{qualifier}" if qualifier else "")
        kwargs["PayloadFormatVersion"] = integ.payload_format_version or "2.0"
        return kwargs
    kwargs |= {"IntegrationMethod": integ.http_method or "ANY", "PayloadFormatVersion": "1.0"}
    if integ.connection_type == "VPC_LINK":
        link = st.vpc_links[integ.vpc_link]
        port = next(iter(st.nlbs[link.nlb].listeners))
        # A private integration names the load balancer's listener, not a URL.
        kwargs |= {
            "ConnectionType": "VPC_LINK",
            "ConnectionId": links[integ.vpc_link],
            "IntegrationUri": ids[("listeners", f"{link.nlb}:{port}")],
        }
    else:
        kwargs["IntegrationUri"] = integration_uri(st, integ)
    return kwargs


def seed_http_api(c: Clients, st: WorldState, ids: Bindings) -> None:
    v2 = c.apigatewayv2
    created = v2.create_api(Name=st.api.name, ProtocolType="HTTP")["ApiId"]
    rekey_http_api(created, st.api.id, st.api.account, st.api.region)
    api_id = st.api.id
    links: dict[str, str] = {}
    for name, link in st.vpc_links.items():
        nlb = st.nlbs[link.nlb]
        got = v2.create_vpc_link(
            Name=link.link_name,
            SubnetIds=[ids[("subnets", s)] for s in nlb.subnets],
            SecurityGroupIds=[ids[("security_groups", g)] for g in nlb.security_groups],
        )
        links[name] = ids[("vpc_links", name)] = got["VpcLinkId"]
    for res in st.resources.values():
        for verb, method in res.methods.items():
            if method.integration is None:
                continue
            integ = v2.create_integration(ApiId=api_id, **_integration(st, method.integration, ids, links))
            route: Params = {
                "ApiId": api_id,
                "RouteKey": f"{verb} {res.path}",
                "Target": f"integrations/{integ['IntegrationId']}",
            }
            if method.authorizer:  # Lambda (REQUEST) or JWT; the overlay answers GetAuthorizers
                auth = st.authorizers[method.authorizer]
                kind = "JWT" if auth.type == "JWT" else "CUSTOM"
                route |= {"AuthorizationType": kind, "AuthorizerId": auth.id}
            v2.create_route(**route)
    stage: Params = {"ApiId": api_id, "StageName": st.stage.name, "AutoDeploy": True}
    if st.stage.access_log_group:
        stage["AccessLogSettings"] = {
            "DestinationArn": _log_group_arn(st, st.stage.access_log_group),
            "Format": st.stage.access_log_format,
        }
    if st.stage.variables:
        stage["StageVariables"] = dict(st.stage.variables)
    v2.create_stage(**stage)


def sync_http_api(c: Clients, st: WorldState, ids: Bindings) -> None:
    """After an action on an HTTP API: each route's integration as the world now has it
    (UpdateIntegration: timeout, URI, payload format). Authorizers need nothing: the overlay
    answers GetAuthorizers from the world itself."""
    v2 = c.apigatewayv2
    links = {name: ids[("vpc_links", name)] for name in st.vpc_links if ("vpc_links", name) in ids}
    routes = {r["RouteKey"]: r for r in v2.get_routes(ApiId=st.api.id).get("Items", [])}
    for res in st.resources.values():
        for verb, method in res.methods.items():
            route = routes.get(f"{verb} {res.path}")
            target = str((route or {}).get("Target") or "")
            if method.integration is None or not target.startswith("integrations/"):
                continue
            kwargs = _integration(st, method.integration, ids, links)
            v2.update_integration(
                ApiId=st.api.id, IntegrationId=target.removeprefix("integrations/"), **kwargs
            )


def sync_http_stage(c: Clients, st: WorldState, ids: Bindings) -> None:
    """UpdateStage on an HTTP API: stage variables and access-log settings as the world has them."""
    stage: Params = {"ApiId": st.api.id, "StageName": st.stage.name}
    if st.stage.access_log_group:
        stage["AccessLogSettings"] = {
            "DestinationArn": _log_group_arn(st, st.stage.access_log_group),
            "Format": st.stage.access_log_format,
        }
    stage["StageVariables"] = dict(st.stage.variables)
    c.apigatewayv2.update_stage(**stage)
