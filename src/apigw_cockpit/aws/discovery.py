"""Discovery: one API stage from the client down to the targets, as a `model.Topology`.

Partial by design: a part that fails (denied, missing, throttled past retries) becomes a
`PartError` and discovery goes on. An unknown API or stage is a ConfigError (exit 2);
bad credentials or an unreachable endpoint an AwsAccessError (exit 3).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Awaitable

from apigw_cockpit.aws import discovery_lambda, discovery_network
from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.errors import (
    AwsAccessError,
    ReadOnlyViolation,
    as_access_error,
    is_denied,
    is_not_found,
    raise_if_fatal,
    short,
)
from apigw_cockpit.aws.resolve_url import WEBSOCKET_NOT_YET
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.untyped import Client, Raw
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.model import (
    Integration,
    IntegrationResponse,
    LogGroups,
    Method,
    MethodSetting,
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


async def _find_api(apigw: Client, api_id_or_name: str, factory: ClientFactory | None = None) -> Raw:
    try:
        api: Raw = await apigw.get_rest_api(restApiId=api_id_or_name)
        return api
    except Exception as exc:
        raise_if_fatal(exc)
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
    v2 = await _v2_api(factory, api_id_or_name) if factory is not None else None
    if v2 is not None:
        if str(v2.get("ProtocolType") or "").upper() == "WEBSOCKET":
            raise ConfigError(WEBSOCKET_NOT_YET.format(id=api_id_or_name))
        raise _HttpApi(v2)
    raise ConfigError(f"unknown REST API {api_id_or_name!r} in region {region} (check --region)")


class _HttpApi(Exception):
    """The id is an HTTP API (apigatewayv2 GetApi answered): discovery goes the v2 way."""

    def __init__(self, api: Raw) -> None:
        super().__init__(str(api.get("ApiId", "")))
        self.api = api


async def _v2_api(factory: ClientFactory, api_id: str) -> Raw | None:
    """The apigatewayv2 GetApi answer for this id, or None. Any failure of this lookup
    (denied, throttled) keeps the plain "unknown REST API" answer."""
    try:
        v2 = await factory.client("apigatewayv2")
        got: Raw = await v2.get_api(ApiId=api_id)
    except ReadOnlyViolation:
        raise
    except Exception:
        return None
    return got


async def get_stage_or_exit(call: Awaitable[Raw], what: str, operation: str) -> Raw:
    """GetStage of either product: unknown → ConfigError (exit 2), anything else → exit 3."""
    try:
        got: Raw = await call
    except Exception as exc:
        raise_if_fatal(exc)
        if is_not_found(exc):
            raise ConfigError(f"unknown {what}") from None
        raise _fatal(exc, operation) from None
    return got


def _fatal(exc: BaseException, operation: str) -> Exception:
    if is_denied(exc):
        return AwsAccessError(f"denied {operation}: {short(exc)}")
    return AwsAccessError(f"{operation} failed: {short(exc)}")


def _text_map(raw: Raw | None) -> tuple[tuple[str, str], ...]:
    """A string map as AWS prints it → sorted pairs; a `null` value (AWS's examples print
    `"application/json": null` for a content type without a template) becomes ""."""
    return tuple(sorted((str(k), v if isinstance(v, str) else "") for k, v in (raw or {}).items()))


def _epoch(value: object) -> float:
    """botocore's datetime, or epoch seconds as a number or string; anything else is 0."""
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if not isinstance(value, int | float | str):
        return 0.0
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _method_settings(raw: Raw) -> tuple[MethodSetting, ...]:
    """Every `methodSettings` key ("*/*", "~1orders/GET", ...) with its logging/metrics switches."""
    out = []
    for key, ms in sorted((raw.get("methodSettings") or {}).items()):
        ms = ms or {}
        out.append(
            MethodSetting(
                key=key,
                logging_level=str(ms.get("loggingLevel") or "OFF"),
                data_trace=bool(ms.get("dataTraceEnabled", False)),
                metrics_enabled=bool(ms.get("metricsEnabled", False)),
            )
        )
    return tuple(out)


def _stage(raw: Raw) -> Stage:
    settings = (raw.get("methodSettings") or {}).get("*/*") or {}
    return Stage(
        name=raw.get("stageName", ""),
        deployment_id=raw.get("deploymentId", ""),
        logging_level=settings.get("loggingLevel", "OFF") or "OFF",
        data_trace=bool(settings.get("dataTraceEnabled", False)),
        metrics_enabled=bool(settings.get("metricsEnabled", False)),
        tracing_enabled=bool(raw.get("tracingEnabled", False)),
        variables=_text_map(raw.get("variables")),
        access_log_group=log_group_from_arn((raw.get("accessLogSettings") or {}).get("destinationArn") or ""),
        # botocore apigateway Stage.accessLogSettings {format, destinationArn}
        access_log_format=str((raw.get("accessLogSettings") or {}).get("format") or ""),
        method_settings=_method_settings(raw),
        last_updated=_epoch(raw.get("lastUpdatedDate")),
    )


def _integration(raw: Raw, variables: dict[str, str]) -> Integration:
    uri = raw.get("uri", "") or ""
    resolved = resolve_stage_vars(uri, variables)
    responses = tuple(
        IntegrationResponse(
            status_code=str(r.get("statusCode", code)),
            selection_pattern=r.get("selectionPattern", "") or "",
            templates=_text_map(r.get("responseTemplates")),
        )
        for code, r in sorted(((k, v or {}) for k, v in (raw.get("integrationResponses") or {}).items()))
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
        request_templates=_text_map(raw.get("requestTemplates")),
        responses=responses,
        lambda_arn=lambda_arn_from_uri(resolved) if "lambda" in resolved else "",
    )


async def _resources(
    apigw: Client, api_id: str, variables: dict[str, str], parts: Parts
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
            m = m or {}  # `"GET": null`/`{}` when GetResources was not asked to embed methods
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


async def discover(factory: ClientFactory, api_id_or_name: str, stage: str) -> Topology:
    """Build the Topology of one API stage. See module docstring for the error contract."""
    parts = Parts()
    sts = await factory.client("sts")
    identity = await parts.get("account", "GetCallerIdentity", sts.get_caller_identity())
    account = (identity or {}).get("Account", "")

    apigw = await factory.client("apigateway")
    try:
        api = await _find_api(apigw, api_id_or_name, factory)
    except _HttpApi as http:
        from apigw_cockpit.aws.discovery_http import discover_http

        return await discover_http(factory, http.api, stage, account, parts)
    api_id = api["id"]
    raw_stage = await get_stage_or_exit(
        apigw.get_stage(restApiId=api_id, stageName=stage), f"stage {stage!r} of REST API {api_id}",
        "apigateway:GetStage",
    )  # fmt: skip
    st = _stage(raw_stage)
    if st.deployment_id:
        dep = await parts.get(
            f"deployment:{st.deployment_id}",
            "GetDeployment",
            apigw.get_deployment(restApiId=api_id, deploymentId=st.deployment_id),
        )
        st = dataclasses.replace(st, deployment_created=_epoch((dep or {}).get("createdDate")))
    # The account's CloudWatch Logs role (per region): without it no execution log is written.
    account_cfg = await parts.get("apigateway-account", "GetAccount", apigw.get_account())
    cloudwatch_role = None if account_cfg is None else str(account_cfg.get("cloudwatchRoleArn", "") or "")
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
        vpc_cidrs=network.vpc_cidrs,
        subnets=network.subnets,
        cloudwatch_role_arn=cloudwatch_role,
    )
