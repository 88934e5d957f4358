"""Discovery of an HTTP API (apigatewayv2) stage into the same `model.Topology` as a REST API.

Shapes: botocore `apigatewayv2` service-2.json (Stage, Route, Integration, Authorizer,
GetVpcLink). Each route becomes a `Resource` (id = RouteId, path from the RouteKey) with one
`Method` (the RouteKey's verb, `ANY`, or `$default`); its `Target` "integrations/<id>" names
the integration. A private integration (ConnectionType VPC_LINK) names an ALB/NLB listener
ARN (or a Cloud Map service ARN) as its IntegrationUri: the listener's load balancer becomes
the VPC link's target, so the network discovery walks it as it walks a REST VPC link's NLB.
GetVpcLinks has no botocore paginator, so each link is read by id (GetVpcLink).
"""

from __future__ import annotations

import dataclasses
import re

from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.untyped import Client, Raw
from apigw_cockpit.model import (
    Authorizer,
    Integration,
    LogGroups,
    Method,
    Resource,
    Stage,
    Topology,
    VpcLink,
)

HTTP_TIMEOUT_MS = 30000  # HTTP APIs: 30 s hard integration timeout (AWS-FACTS "Timeouts")
_LISTENER = re.compile(r"^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener/(app|net)/([^/]+)/([^/]+)/")


def listener_lb_arn(uri: str) -> str:
    """`arn:…:listener/app/NAME/LBID/LID` → `arn:…:loadbalancer/app/NAME/LBID`; "" otherwise."""
    m = _LISTENER.match(uri or "")
    return f"{m.group(1)}loadbalancer/{m.group(2)}/{m.group(3)}/{m.group(4)}" if m else ""


def route_path(route_key: str) -> tuple[str, str]:
    """ "GET /orders/{id}" → ("GET", "/orders/{id}"); "$default" → ("$default", "/")."""
    verb, _, path = (route_key or "").partition(" ")
    if not path:
        return (verb or "$default", "/")
    return (verb, path)


def http_integration(raw: Raw, variables: dict[str, str]) -> Integration:
    # Imported here: discovery imports this module (stage-variable and Lambda-ARN helpers live there).
    from apigw_cockpit.aws.discovery import lambda_arn_from_uri, resolve_stage_vars

    uri = str(raw.get("IntegrationUri") or "")
    resolved = resolve_stage_vars(uri, variables)
    kind = str(raw.get("IntegrationType") or "")
    return Integration(
        type=kind,
        uri=uri,
        resolved_uri=resolved,
        http_method=str(raw.get("IntegrationMethod") or ""),
        timeout_ms=int(raw.get("TimeoutInMillis") or HTTP_TIMEOUT_MS),
        connection_type=str(raw.get("ConnectionType") or "INTERNET"),
        connection_id=resolve_stage_vars(str(raw.get("ConnectionId") or ""), variables),
        credentials=str(raw.get("CredentialsArn") or ""),
        lambda_arn=lambda_arn_from_uri(resolved) if ":lambda:" in resolved else "",
        payload_format_version=str(raw.get("PayloadFormatVersion") or ""),
        integration_id=str(raw.get("IntegrationId") or ""),
    )


def http_resources(routes: list[Raw], integrations: dict[str, Integration]) -> tuple[Resource, ...]:
    out = []
    for r in sorted(routes, key=lambda r: str(r.get("RouteKey") or "")):
        verb, path = route_path(str(r.get("RouteKey") or ""))
        target = str(r.get("Target") or "")
        integ = integrations.get(target.split("/", 1)[1]) if target.startswith("integrations/") else None
        method = Method(
            http_method=verb,
            authorization=str(r.get("AuthorizationType") or "NONE"),
            integration=integ,
            authorizer_id=str(r.get("AuthorizerId") or ""),
        )
        out.append(
            Resource(id=str(r.get("RouteId") or r.get("RouteKey") or ""), path=path, methods=(method,))
        )
    return tuple(out)


def http_authorizer(raw: Raw) -> Authorizer:
    from apigw_cockpit.aws.discovery import lambda_arn_from_uri

    jwt = raw.get("JwtConfiguration") or {}
    uri = str(raw.get("AuthorizerUri") or "")
    return Authorizer(
        id=str(raw.get("AuthorizerId") or ""),
        name=str(raw.get("Name") or ""),
        type=str(raw.get("AuthorizerType") or ""),
        lambda_arn=lambda_arn_from_uri(uri) if ":lambda:" in uri else "",
        issuer=str(jwt.get("Issuer") or ""),
        audience=tuple(str(a) for a in jwt.get("Audience") or ()),
        identity_source=tuple(str(s) for s in raw.get("IdentitySource") or ()),
        payload_format_version=str(raw.get("AuthorizerPayloadFormatVersion") or ""),
    )


async def http_vpc_links(v2: Client, integrations: list[Integration], parts: Parts) -> list[VpcLink]:
    """GetVpcLink for every link a private integration uses; its targets = the listeners' LBs."""
    links: list[VpcLink] = []
    ids = sorted(
        {i.connection_id for i in integrations if i.connection_type == "VPC_LINK" and i.connection_id}
    )
    for lid in ids:
        got = await parts.get(f"vpc-link:{lid}", "GetVpcLink", v2.get_vpc_link(VpcLinkId=lid))
        if not got:
            continue
        lbs = sorted({listener_lb_arn(i.resolved_uri) for i in integrations if i.connection_id == lid} - {""})
        links.append(
            VpcLink(
                id=str(got.get("VpcLinkId") or lid),
                name=str(got.get("Name") or ""),
                status=str(got.get("VpcLinkStatus") or ""),
                status_message=str(got.get("VpcLinkStatusMessage") or ""),
                target_arns=tuple(lbs),
                version=str(got.get("VpcLinkVersion") or ""),
                subnet_ids=tuple(str(s) for s in got.get("SubnetIds") or ()),
                security_groups=tuple(str(s) for s in got.get("SecurityGroupIds") or ()),
            )
        )
    return links


async def discover_http(factory: ClientFactory, api: Raw, stage: str, account: str, parts: Parts) -> Topology:
    """The Topology of one HTTP API stage. An unknown stage is a ConfigError (exit 2)."""
    from apigw_cockpit.aws import discovery_lambda, discovery_network
    from apigw_cockpit.aws.discovery import _epoch, get_stage_or_exit, log_group_from_arn

    api_id = str(api.get("ApiId") or "")
    v2 = await factory.client("apigatewayv2")
    raw = await get_stage_or_exit(
        v2.get_stage(ApiId=api_id, StageName=stage), f"stage {stage!r} of HTTP API {api_id}",
        "apigatewayv2:GetStage",
    )  # fmt: skip
    variables = {str(k): str(v or "") for k, v in (raw.get("StageVariables") or {}).items()}
    access = raw.get("AccessLogSettings") or {}
    route_defaults = raw.get("DefaultRouteSettings") or {}
    burst = route_defaults.get("ThrottlingBurstLimit")
    rate = route_defaults.get("ThrottlingRateLimit")
    st = Stage(
        name=str(raw.get("StageName") or stage),
        deployment_id=str(raw.get("DeploymentId") or ""),
        logging_level=str(route_defaults.get("LoggingLevel") or "OFF"),
        data_trace=bool(route_defaults.get("DataTraceEnabled", False)),
        metrics_enabled=bool(route_defaults.get("DetailedMetricsEnabled", False)),
        variables=tuple(sorted(variables.items())),
        access_log_group=log_group_from_arn(str(access.get("DestinationArn") or "")),
        access_log_format=str(access.get("Format") or ""),
        last_updated=_epoch(raw.get("LastUpdatedDate")),
        throttling_burst_limit=int(burst) if burst is not None else None,
        throttling_rate_limit=float(rate) if rate is not None else None,
    )
    routes = await parts.get("routes", "GetRoutes", paginate(v2, "get_routes", "Items", ApiId=api_id))
    raw_integs = await parts.get(
        "integrations", "GetIntegrations", paginate(v2, "get_integrations", "Items", ApiId=api_id)
    )
    raw_auths = await parts.get(
        "authorizers", "GetAuthorizers", paginate(v2, "get_authorizers", "Items", ApiId=api_id)
    )
    integs = {str(i.get("IntegrationId") or ""): http_integration(i, variables) for i in raw_integs or []}
    topo = Topology(
        api_id=api_id,
        api_name=str(api.get("Name") or ""),
        stage=st,
        region=factory.region,
        account=account,
        resources=http_resources(list(routes or []), integs),
        api_type="http",
        authorizers=tuple(http_authorizer(a) for a in raw_auths or []),
        api_last_changed=max(_epoch(api.get("CreatedDate")), st.last_updated),
    )
    lambdas, roles = await discovery_lambda.discover_lambdas(factory, topo, parts)
    links = await http_vpc_links(v2, list(integs.values()), parts)
    network = await discovery_network.discover_network(factory, topo, [], parts, v2_links=links)
    return dataclasses.replace(
        topo,
        lambdas=lambdas,
        roles=roles,
        vpc_links=network.vpc_links,
        load_balancers=network.load_balancers,
        security_groups=network.security_groups,
        vpc_cidr=network.vpc_cidr,
        # HTTP APIs write no execution log: the access log is the only API Gateway log.
        log_groups=LogGroups(
            execution="",
            access=st.access_log_group,
            lambdas=tuple(fn.log_group for fn in lambdas if fn.log_group),
            flow_logs=network.flow_log_groups,
        ),
        errors=tuple(parts.errors),
        vpc_cidrs=network.vpc_cidrs,
        subnets=network.subnets,
    )
