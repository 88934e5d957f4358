"""Discovery: one API stage from the client down to the targets, as a `model.Topology`.

Partial by design: a part that fails (denied, missing, throttled past retries) becomes a
`PartError` and discovery goes on. An unknown API or stage is a ConfigError (exit 2);
bad credentials or an unreachable endpoint an AwsAccessError (exit 3).
"""

from __future__ import annotations

import re
from typing import Any

from apigw_cockpit.aws import discovery_lambda, discovery_network
from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.errors import (
    AwsAccessError,
    ConfigError,
    ReadOnlyViolation,
    as_access_error,
    is_denied,
    is_not_found,
    short,
)
from apigw_cockpit.model import (
    Integration,
    IntegrationResponse,
    LogGroups,
    Method,
    Resource,
    Stage,
    Topology,
)

_STAGE_VAR = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_.-]+)\}")
_LAMBDA_IN_URI = re.compile(r"functions/(arn:[^/]+)/invocations")


def resolve_stage_vars(text: str, variables: dict[str, str]) -> str:
    """`${stageVariables.x}` → its value; an unknown variable stays as written (the check flags it)."""
    return _STAGE_VAR.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def lambda_arn_from_uri(uri: str) -> str:
    m = _LAMBDA_IN_URI.search(uri)
    if m:
        return m.group(1)
    return uri if uri.startswith("arn:aws:lambda:") else ""


def log_group_from_arn(arn: str) -> str:
    """`arn:aws:logs:r:a:log-group:NAME[:*]` → NAME (access-log destinations may also be Firehose)."""
    if ":log-group:" not in arn:
        return ""
    name = arn.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name


async def _find_api(apigw: Any, api_id_or_name: str) -> dict[str, Any]:
    try:
        api: dict[str, Any] = await apigw.get_rest_api(restApiId=api_id_or_name)
        return api
    except ReadOnlyViolation:
        raise
    except Exception as exc:
        access = as_access_error(exc)
        if access is not None:
            raise access from None
        if not is_not_found(exc):
            raise _fatal(exc, "apigateway:GetRestApi") from None
    try:
        items = await paginate(apigw, "get_rest_apis", "items")
    except Exception as exc:
        raise as_access_error(exc) or _fatal(exc, "apigateway:GetRestApis") from None
    matches = [a for a in items if a.get("name") == api_id_or_name]
    if len(matches) == 1:
        return dict(matches[0])
    if len(matches) > 1:
        ids = ", ".join(a["id"] for a in matches)
        raise ConfigError(f"REST API name {api_id_or_name!r} is ambiguous ({ids}): pass --api-id")
    # Name the region searched: a wrong --region/profile default is the usual cause.
    region = getattr(getattr(apigw, "meta", None), "region_name", None) or "the default region"
    raise ConfigError(f"unknown REST API {api_id_or_name!r} in region {region} (check --region)")


def _fatal(exc: BaseException, operation: str) -> Exception:
    if is_denied(exc):
        return AwsAccessError(f"denied {operation}: {short(exc)}")
    return AwsAccessError(f"{operation} failed: {short(exc)}")


def _stage(raw: dict[str, Any]) -> Stage:
    settings = raw.get("methodSettings", {}).get("*/*", {})
    return Stage(
        name=raw.get("stageName", ""),
        deployment_id=raw.get("deploymentId", ""),
        logging_level=settings.get("loggingLevel", "OFF") or "OFF",
        data_trace=bool(settings.get("dataTraceEnabled", False)),
        metrics_enabled=bool(settings.get("metricsEnabled", False)),
        tracing_enabled=bool(raw.get("tracingEnabled", False)),
        variables=tuple(sorted((raw.get("variables") or {}).items())),
        access_log_group=log_group_from_arn(raw.get("accessLogSettings", {}).get("destinationArn", "")),
    )


def _integration(raw: dict[str, Any], variables: dict[str, str]) -> Integration:
    uri = raw.get("uri", "")
    resolved = resolve_stage_vars(uri, variables)
    responses = tuple(
        IntegrationResponse(
            status_code=str(r.get("statusCode", code)),
            selection_pattern=r.get("selectionPattern", "") or "",
            templates=tuple(sorted((r.get("responseTemplates") or {}).items())),
        )
        for code, r in sorted((raw.get("integrationResponses") or {}).items())
    )
    return Integration(
        type=raw.get("type", ""),
        uri=uri,
        resolved_uri=resolved,
        http_method=raw.get("httpMethod", ""),
        timeout_ms=int(raw.get("timeoutInMillis", 29000) or 29000),
        connection_type=raw.get("connectionType", "INTERNET") or "INTERNET",
        connection_id=resolve_stage_vars(raw.get("connectionId", "") or "", variables),
        credentials=raw.get("credentials", "") or "",
        request_templates=tuple(sorted((raw.get("requestTemplates") or {}).items())),
        responses=responses,
        lambda_arn=lambda_arn_from_uri(resolved) if "lambda" in resolved else "",
    )


async def _resources(
    apigw: Any, api_id: str, variables: dict[str, str], parts: Parts
) -> tuple[Resource, ...]:
    items = await parts.get(
        "resources",
        "GetResources",
        paginate(apigw, "get_resources", "items", restApiId=api_id, embed=["methods"]),
    )
    out: list[Resource] = []
    for item in sorted(items or [], key=lambda r: r.get("path", "")):
        methods: list[Method] = []
        for verb, m in sorted((item.get("resourceMethods") or {}).items()):
            if "methodIntegration" not in m and "httpMethod" not in m:
                # No embed support (or an older answer): ask for the method itself.
                got = await parts.get(
                    f"method:{verb} {item.get('path')}",
                    "GetMethod",
                    apigw.get_method(restApiId=api_id, resourceId=item["id"], httpMethod=verb),
                )
                m = got or {}
            integ_raw = m.get("methodIntegration")
            methods.append(
                Method(
                    http_method=verb,
                    authorization=m.get("authorizationType", "NONE") or "NONE",
                    integration=_integration(integ_raw, variables) if integ_raw else None,
                    method_response_codes=tuple(sorted((m.get("methodResponses") or {}).keys())),
                )
            )
        out.append(
            Resource(
                id=item["id"],
                path=item.get("path", ""),
                methods=tuple(methods),
                cors_enabled=_cors(methods),
            )
        )
    return tuple(out)


def _cors(methods: list[Method]) -> bool:
    """CORS is "on" when an OPTIONS method exists or a method response/template mentions the header."""
    if any(m.http_method == "OPTIONS" for m in methods):
        return True
    for m in methods:
        for r in m.integration.responses if m.integration else ():
            if any("Access-Control-Allow-Origin" in t for _, t in r.templates):
                return True
    return False


async def discover(factory: Any, api_id_or_name: str, stage: str) -> Topology:
    """Build the Topology of one API stage. See module docstring for the error contract."""
    parts = Parts()
    sts = await factory.client("sts")
    identity = await parts.get("account", "GetCallerIdentity", sts.get_caller_identity())
    account = (identity or {}).get("Account", "")

    apigw = await factory.client("apigateway")
    api = await _find_api(apigw, api_id_or_name)
    api_id = api["id"]
    try:
        raw_stage = await apigw.get_stage(restApiId=api_id, stageName=stage)
    except ReadOnlyViolation:
        raise
    except Exception as exc:
        access = as_access_error(exc)
        if access is not None:
            raise access from None
        if is_not_found(exc):
            raise ConfigError(f"unknown stage {stage!r} of REST API {api_id}") from None
        raise _fatal(exc, "apigateway:GetStage") from None
    st = _stage(raw_stage)
    variables = dict(st.variables)
    resources = await _resources(apigw, api_id, variables, parts)

    endpoint_cfg = api.get("endpointConfiguration") or {}
    endpoint_type = (endpoint_cfg.get("types") or ["EDGE"])[0]
    topo = Topology(
        api_id=api_id,
        api_name=api.get("name", ""),
        stage=st,
        region=factory.region,
        account=account,
        endpoint_type=endpoint_type,
        resources=resources,
    )
    lambdas, roles = await discovery_lambda.discover_lambdas(factory, topo, parts)
    network = await discovery_network.discover_network(
        factory, topo, list(endpoint_cfg.get("vpcEndpointIds") or []), parts
    )
    log_groups = LogGroups(
        execution=f"API-Gateway-Execution-Logs_{api_id}/{st.name}",
        access=st.access_log_group,
        lambdas=tuple(fn.log_group for fn in lambdas if fn.log_group),
        flow_logs=network.flow_log_groups,
    )
    return Topology(
        api_id=api_id,
        api_name=topo.api_name,
        stage=st,
        region=topo.region,
        account=account,
        endpoint_type=endpoint_type,
        resources=resources,
        lambdas=lambdas,
        roles=roles,
        vpc_links=network.vpc_links,
        load_balancers=network.load_balancers,
        security_groups=network.security_groups,
        vpc_endpoints=network.vpc_endpoints,
        vpc_cidr=network.vpc_cidr,
        log_groups=log_groups,
        errors=tuple(parts.errors),
    )
