"""Hand-built worlds for diagnose tests: topologies, metrics, traces as AWS would show them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from apigw_cockpit.diagnose import Observations
from apigw_cockpit.model import (
    Change,
    Integration,
    IntegrationResponse,
    LambdaFunction,
    LoadBalancer,
    LogGroups,
    Method,
    MetricKey,
    MetricSeries,
    PolicyStatement,
    RequestTrace,
    Resource,
    Role,
    SecurityGroup,
    SgRule,
    Stage,
    Target,
    TargetGroup,
    TargetHealth,
    Topology,
    VpcLink,
)

T0 = 1_780_000_000.0 - (1_780_000_000 % 60)  # minute-aligned start of the hour of data
MINUTES = 60
NOW = T0 + MINUTES * 60
ONSET = T0 + 45 * 60  # incidents start at minute 45
API, STAGE, REGION, ACCOUNT = "a1b2c3", "prod", "us-east-1", "123456789012"
SG_TARGETS = "sg-0targets"
SG_OTHER = "sg-0unrelated"
NLB_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/orders-nlb/abc"
TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/orders-tg/def"
FN_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders-fn"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/apigw-invoke"


def stage(**kw: object) -> Stage:
    base = Stage(name=STAGE, deployment_id="d1", logging_level="INFO", metrics_enabled=True)
    return replace(base, **kw)  # type: ignore[arg-type]


def vpc_topology(
    *,
    sg_cidr: str = "10.0.0.0/16",
    nlb_azs: Sequence[str] = ("us-east-1a", "us-east-1b"),
    target_azs: Sequence[str] = ("us-east-1a", "us-east-1b"),
    link_status: str = "AVAILABLE",
    responses: tuple[IntegrationResponse, ...] = (),
    timeout_ms: int = 29000,
    cors: bool = False,
    options_integration: bool = True,
    stage_kw: dict[str, object] | None = None,
    uri: str = "http://orders-nlb.internal/orders",
    resolved_uri: str = "",
    integration_type: str = "HTTP_PROXY",
) -> Topology:
    """client → APIGW → VPC link → NLB → target group (ECS tasks) guarded by SG_TARGETS."""
    subnets = {"us-east-1a": ("subnet-a", "10.0.1.0/24"), "us-east-1b": ("subnet-b", "10.0.2.0/24")}
    subnets["us-east-1c"] = ("subnet-c", "10.0.3.0/24")
    targets = tuple(
        Target(id=f"10.0.{i + 1}.{10 + i}", port=80, az=az, security_groups=(SG_TARGETS,))
        for i, az in enumerate(target_azs)
    )
    tg = TargetGroup(arn=TG_ARN, name="orders-tg", targets=targets)
    lb = LoadBalancer(
        arn=NLB_ARN,
        name="orders-nlb",
        dns_name="orders-nlb.internal",
        vpc_id="vpc-1",
        azs=tuple((az, subnets[az][0]) for az in nlb_azs),
        subnet_cidrs=tuple(subnets[az][1] for az in nlb_azs),
        listener_ports=(80,),
        target_groups=(tg,),
    )
    integ = Integration(
        type=integration_type,
        uri=uri,
        resolved_uri=resolved_uri or uri,
        http_method="GET",
        timeout_ms=timeout_ms,
        connection_type="VPC_LINK",
        connection_id="vl-1",
        responses=responses,
    )
    methods = [Method("GET", integration=integ, method_response_codes=("200",))]
    if cors:
        options = Integration(type="MOCK") if options_integration else None
        methods.append(Method("OPTIONS", integration=options))
    sgs = (
        SecurityGroup(SG_TARGETS, "orders-tasks", "vpc-1", (SgRule("tcp", 80, 80, cidr=sg_cidr),)),
        SecurityGroup(SG_OTHER, "bastion", "vpc-1", (SgRule("tcp", 22, 22, cidr="0.0.0.0/0"),)),
    )
    return Topology(
        api_id=API,
        api_name="orders-prod",
        stage=stage(**(stage_kw or {})),
        region=REGION,
        account=ACCOUNT,
        resources=(Resource("r1", "/orders", tuple(methods), cors_enabled=cors),),
        vpc_links=(VpcLink("vl-1", "orders-link", link_status, target_arns=(NLB_ARN,)),),
        load_balancers=(lb,),
        security_groups=sgs,
        vpc_cidr="10.0.0.0/16",
        log_groups=LogGroups(execution=f"API-Gateway-Execution-Logs_{API}/{STAGE}"),
    )


def lambda_topology(
    *,
    allow_apigw: bool = True,
    credentials: str = "",
    role_allows: bool = True,
    fn_timeout_s: int = 10,
    timeout_ms: int = 29000,
    integration_type: str = "AWS_PROXY",
    request_templates: tuple[tuple[str, str], ...] = (),
    responses: tuple[IntegrationResponse, ...] = (),
    method_codes: tuple[str, ...] = ("200",),
    stage_kw: dict[str, object] | None = None,
    lambda_arn: str = FN_ARN,
    uri: str = "",
) -> Topology:
    policy = (
        (
            PolicyStatement(
                "Allow",
                ("lambda:InvokeFunction",),
                (FN_ARN,),
                ("apigateway.amazonaws.com",),
                source_arn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/*",
                sid="apigw",
            ),
        )
        if allow_apigw
        else ()
    )
    fn = LambdaFunction("orders-fn", FN_ARN, timeout_s=fn_timeout_s, resource_policy=policy)
    role_statements = (
        (PolicyStatement("Allow", ("lambda:InvokeFunction",), (FN_ARN,)),)
        if role_allows
        else (PolicyStatement("Allow", ("logs:CreateLogStream",), ("*",)),)
    )
    integ = Integration(
        type=integration_type,
        uri=uri or f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{lambda_arn}/invocations",
        timeout_ms=timeout_ms,
        credentials=credentials,
        lambda_arn=lambda_arn,
        request_templates=request_templates,
        responses=responses,
    )
    return Topology(
        api_id=API,
        api_name="orders-prod",
        stage=stage(**(stage_kw or {})),
        region=REGION,
        account=ACCOUNT,
        resources=(
            Resource(
                "r1", "/orders", (Method("GET", integration=integ, method_response_codes=method_codes),)
            ),
        ),
        lambdas=(fn,),
        roles=(Role(ROLE_ARN, "apigw-invoke", role_statements),),
        log_groups=LogGroups(
            execution=f"API-Gateway-Execution-Logs_{API}/{STAGE}", lambdas=("/aws/lambda/orders-fn",)
        ),
    )


def series(
    metric: str,
    values: Sequence[float],
    *,
    namespace: str = "AWS/ApiGateway",
    stat: str = "Sum",
    dims: Sequence[tuple[str, str]] | None = None,
    start: float = T0,
) -> MetricSeries:
    dimensions = tuple(sorted(dims if dims is not None else (("ApiName", "orders-prod"), ("Stage", STAGE))))
    key = MetricKey(namespace, metric, dimensions, stat)
    return MetricSeries(key, tuple((start + 60 * i, float(v)) for i, v in enumerate(values)))


def step(before: float, after: float, at_minute: int = 45, minutes: int = MINUTES) -> list[float]:
    return [before if i < at_minute else after for i in range(minutes)]


def api_metrics(
    five_xx_after: float = 150,
    p99_after: float = 28100,
    p99_before: float = 120,
    count_before: float = 200,
    count_after: float = 200,
    at_minute: int = 45,
) -> tuple[MetricSeries, ...]:
    return (
        series("5XXError", step(0, five_xx_after, at_minute)),
        series("Count", step(count_before, count_after, at_minute)),
        series("IntegrationLatency", step(p99_before, p99_after, at_minute), stat="p99"),
    )


def healthy_metrics() -> tuple[MetricSeries, ...]:
    return api_metrics(five_xx_after=0, p99_after=120)


def exec_trace(
    rid: str,
    ts: float,
    failure: str | None,
    status: int,
    *,
    method: str = "GET",
    path: str = "/orders",
    latency_ms: int | None = 95,
    body: str = "",
) -> RequestTrace:
    """A full execution-log trace as FilterLogEvents returns it (each line "(<id>) " prefixed)."""
    lines = [
        f"Extended Request Id: {rid[:8]}=",
        f"Starting execution for request: {rid}",
        f"HTTP Method: {method}, Resource Path: {path}",
        "Method request path: {}",
        "Method request headers: {Accept=*/*}",
        "Endpoint request URI: http://orders-nlb.internal/orders",
        "Sending request to http://orders-nlb.internal/orders",
    ]
    no_answer = (
        "timeout error",
        "network error",
        "vpc link",
        "internal error",
        "Invalid permissions",
        "transform request",
        "does not match",
    )
    if latency_ms is not None and (failure is None or not any(k in failure for k in no_answer)):
        lines.append(f"Received response. Status: 200, Integration latency: {latency_ms} ms")
    if body:
        lines.append(f"Endpoint response body before transformations: {body}")
    if failure is None:
        lines += ["Method response body after transformations: {}", "Successfully completed execution"]
    else:
        lines += failure.split("\n")  # the seed's two-line form: generic line, then the reason
    lines.append(f"Method completed with status: {status}")
    return RequestTrace(rid, ts, tuple(f"({rid}) {line}" for line in lines), complete=True)


def traces(
    failure: str | None, status: int, n: int = 6, start: float = ONSET + 30, **kw: object
) -> tuple[RequestTrace, ...]:
    return tuple(
        exec_trace(f"{i:08x}-aaaa-bbbb-cccc-{i:012x}", start + i * 20, failure, status, **kw)  # type: ignore[arg-type]
        for i in range(n)
    )


def ok_traces(n: int = 4, start: float = T0 + 60) -> tuple[RequestTrace, ...]:
    return tuple(
        exec_trace(f"ok{i:06x}-1111-2222-3333-{i:012x}", start + i * 30, None, 200) for i in range(n)
    )


def targets_health(
    state: str, reason: str = "", azs: Sequence[str] = ("us-east-1a", "us-east-1b")
) -> tuple[TargetHealth, ...]:
    return tuple(
        TargetHealth(TG_ARN, f"10.0.{i + 1}.{10 + i}", 80, az, state, reason) for i, az in enumerate(azs)
    )


def change(
    name: str,
    minutes_before_onset: float,
    resources: Sequence[str],
    source: str = "ec2.amazonaws.com",
    params: str = "",
) -> Change:
    return Change(
        event_id=f"ev-{name}-{minutes_before_onset}",
        time=ONSET - minutes_before_onset * 60,
        event_name=name,
        event_source=source,
        user="alex",
        resources=tuple(resources),
        request_parameters=params,
    )


def obs(topology: Topology, **kw: object) -> Observations:
    return Observations(now=NOW, topology=topology, **kw)  # type: ignore[arg-type]
