"""What discovery learns about one API stage, from the client down to the targets.

Everything is optional below the stage: discovery returns a partial topology with a
`PartError` per part it could not read (denied, missing), never all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartError:
    """A part of the topology that could not be read: `part` e.g. "lambda:orders-fn"."""

    part: str
    operation: str
    error: str
    denied: bool = False


@dataclass(frozen=True)
class PolicyStatement:
    """One IAM / resource-policy statement, flattened to what the checks need."""

    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    source_arn: str = ""
    sid: str = ""


@dataclass(frozen=True)
class Role:
    arn: str
    name: str
    statements: tuple[PolicyStatement, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()


@dataclass(frozen=True)
class LambdaFunction:
    name: str
    arn: str
    timeout_s: int = 3
    runtime: str = ""
    role_arn: str = ""
    resource_policy: tuple[PolicyStatement, ...] = ()
    log_group: str = ""


@dataclass(frozen=True)
class IntegrationResponse:
    status_code: str
    selection_pattern: str = ""
    templates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Integration:
    """An integration as GetIntegration returns it, with the URI's stage variables resolved.

    `type` is AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK; `connection_type` INTERNET or
    VPC_LINK. `lambda_arn` is set when the URI points at a Lambda function.
    """

    type: str
    uri: str = ""
    resolved_uri: str = ""
    http_method: str = ""
    timeout_ms: int = 29000
    connection_type: str = "INTERNET"
    connection_id: str = ""
    credentials: str = ""
    request_templates: tuple[tuple[str, str], ...] = ()
    responses: tuple[IntegrationResponse, ...] = ()
    lambda_arn: str = ""
    # HTTP APIs (apigatewayv2): "1.0" | "2.0" for Lambda proxy integrations, "" otherwise;
    # the integration's id, which a route's `Target` ("integrations/<id>") names.
    payload_format_version: str = ""
    integration_id: str = ""


@dataclass(frozen=True)
class Method:
    http_method: str
    authorization: str = "NONE"
    integration: Integration | None = None
    method_response_codes: tuple[str, ...] = ()
    authorizer_id: str = ""  # HTTP APIs: the route's AuthorizerId (JWT or Lambda REQUEST)


@dataclass(frozen=True)
class Resource:
    id: str
    path: str
    methods: tuple[Method, ...] = ()
    cors_enabled: bool = False


@dataclass(frozen=True)
class MethodSetting:
    """One `methodSettings` entry of a stage: key "*/*" (all) or "<resource path>/<VERB>".

    `logging_level` OFF | ERROR | INFO; the per-method key overrides "*/*" for that method.
    """

    key: str
    logging_level: str = "OFF"
    data_trace: bool = False
    metrics_enabled: bool = False


@dataclass(frozen=True)
class Stage:
    name: str
    deployment_id: str = ""
    logging_level: str = "OFF"
    data_trace: bool = False
    metrics_enabled: bool = False
    tracing_enabled: bool = False
    variables: tuple[tuple[str, str], ...] = ()
    access_log_group: str = ""
    method_settings: tuple[MethodSetting, ...] = ()  # every key, "*/*" included
    last_updated: float = 0.0  # GetStage lastUpdatedDate (epoch s), 0 = unknown
    deployment_created: float = 0.0  # GetDeployment createdDate of deployment_id, 0 = unknown
    access_log_format: str = ""  # accessLogSettings.format, as the stage writes its access log
    # Stage-wide throttling (HTTP APIs: defaultRouteSettings), None = not set.
    throttling_burst_limit: int | None = None
    throttling_rate_limit: float | None = None


@dataclass(frozen=True)
class SgRule:
    """An inbound rule: protocol ("tcp", "-1"), port range, and one source (CIDR or SG id)."""

    protocol: str
    from_port: int
    to_port: int
    cidr: str = ""
    source_sg: str = ""
    description: str = ""


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    name: str = ""
    vpc_id: str = ""
    ingress: tuple[SgRule, ...] = ()


@dataclass(frozen=True)
class Target:
    id: str
    port: int
    az: str = ""
    security_groups: tuple[str, ...] = ()
    subnet_id: str = ""  # of the target's ENI, when resolved
    eni_id: str = ""
    instance_id: str = ""  # for instance targets, and IP targets whose ENI is an instance's


@dataclass(frozen=True)
class Subnet:
    """A subnet on the path (NLB's or a target's) with what filters and routes its traffic."""

    id: str
    vpc_id: str = ""
    az: str = ""
    cidr: str = ""
    network_acl_id: str = ""
    network_acl_association_id: str = ""
    route_table_id: str = ""
    route_table_association_id: str = ""  # "" when the subnet uses the VPC's main route table


@dataclass(frozen=True)
class TargetGroup:
    arn: str
    name: str
    protocol: str = "TCP"
    port: int = 80
    health_check_protocol: str = "TCP"
    health_check_port: str = "traffic-port"
    health_check_path: str = ""
    targets: tuple[Target, ...] = ()
    target_type: str = ""  # instance | ip | lambda | alb (DescribeTargetGroups TargetType)


@dataclass(frozen=True)
class LoadBalancer:
    arn: str
    name: str
    dns_name: str = ""
    scheme: str = "internal"
    vpc_id: str = ""
    azs: tuple[tuple[str, str], ...] = ()  # (zone name, subnet id)
    subnet_cidrs: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    cross_zone: bool = False
    listener_ports: tuple[int, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()


@dataclass(frozen=True)
class VpcLink:
    id: str
    name: str = ""
    status: str = "AVAILABLE"
    status_message: str = ""
    target_arns: tuple[str, ...] = ()
    # VPC link v2 (HTTP APIs): its own ENIs' subnets and security groups; version "V2".
    version: str = ""
    subnet_ids: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Authorizer:
    """An HTTP API authorizer (apigatewayv2 GetAuthorizers): type JWT or REQUEST (Lambda)."""

    id: str
    name: str = ""
    type: str = ""
    lambda_arn: str = ""
    issuer: str = ""
    audience: tuple[str, ...] = ()
    identity_source: tuple[str, ...] = ()
    payload_format_version: str = ""


@dataclass(frozen=True)
class VpcEndpoint:
    id: str
    vpc_id: str = ""
    service_name: str = ""
    subnet_ids: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class LogGroups:
    execution: str = ""
    access: str = ""
    lambdas: tuple[str, ...] = ()
    flow_logs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topology:
    """API → stage → resources/methods → integration → Lambda | VPC link → NLB → targets."""

    api_id: str
    api_name: str
    stage: Stage
    region: str
    account: str = ""
    endpoint_type: str = "REGIONAL"
    resources: tuple[Resource, ...] = ()
    lambdas: tuple[LambdaFunction, ...] = ()
    roles: tuple[Role, ...] = ()
    vpc_links: tuple[VpcLink, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    vpc_cidr: str = ""
    log_groups: LogGroups = field(default_factory=LogGroups)
    errors: tuple[PartError, ...] = ()
    vpc_cidrs: tuple[str, ...] = ()  # every associated IPv4 CIDR (primary first, then secondary)
    subnets: tuple[Subnet, ...] = ()  # NLB and target subnets, with NACL and route table
    # GetAccount cloudwatchRoleArn of this region: "" = none set, None = not read.
    cloudwatch_role_arn: str | None = None
    api_last_changed: float = 0.0  # newest createdDate/lastUpdated seen on the API, 0 = unknown
    api_type: str = "rest"  # "rest" (apigateway) | "http" (apigatewayv2)
    authorizers: tuple[Authorizer, ...] = ()  # HTTP APIs' authorizers (REST: not read yet)

    @property
    def invoke_url(self) -> str:
        base = f"https://{self.api_id}.execute-api.{self.region}.amazonaws.com"
        # An HTTP API's `$default` stage is served at the root: no stage segment in the path.
        return base if self.stage.name == "$default" else f"{base}/{self.stage.name}"

    @property
    def is_http(self) -> bool:
        return self.api_type == "http"

    @property
    def access_is_request_log(self) -> bool:
        """The access log is the per-request log the cockpit reads: an HTTP API's only one, or a
        REST stage that switched execution logging off (for cost) and kept access logging."""
        if not self.log_groups.access:
            return False
        return self.is_http or self.stage.logging_level.upper() == "OFF"

    def methods(self) -> list[tuple[Resource, Method]]:
        return [(r, m) for r in self.resources for m in r.methods]

    def integrations(self) -> list[Integration]:
        return [m.integration for _, m in self.methods() if m.integration is not None]

    def lambda_by_arn(self, arn: str) -> LambdaFunction | None:
        base = arn.split(":function:")[-1].split(":")[0] if ":function:" in arn else arn
        for fn in self.lambdas:
            if fn.arn == arn or fn.name == base:
                return fn
        return None

    def security_group(self, sg_id: str) -> SecurityGroup | None:
        return next((sg for sg in self.security_groups if sg.id == sg_id), None)

    def target_groups(self) -> list[TargetGroup]:
        return [tg for lb in self.load_balancers for tg in lb.target_groups]

    def resource_ids(self) -> set[str]:
        """Every id/ARN/name a CloudTrail event may name that is on the request path."""
        ids: set[str] = {self.api_id, self.stage.name}
        ids |= {r.id for r in self.resources}
        ids |= {fn.name for fn in self.lambdas} | {fn.arn for fn in self.lambdas}
        ids |= {role.arn for role in self.roles} | {role.name for role in self.roles}
        ids |= {v.id for v in self.vpc_links}
        for lb in self.load_balancers:
            ids |= {lb.arn, lb.name} | set(lb.security_groups)
            ids |= {subnet for _, subnet in lb.azs}
            for tg in lb.target_groups:
                ids |= {tg.arn, tg.name}
                for t in tg.targets:
                    ids |= {t.id, *t.security_groups}
        ids |= {sg.id for sg in self.security_groups}
        ids |= {e.id for e in self.vpc_endpoints}
        for tg in self.target_groups():
            ids |= {i for t in tg.targets for i in (t.subnet_id, t.eni_id, t.instance_id)}
        for sn in self.subnets:
            ids |= {sn.id, sn.network_acl_id, sn.network_acl_association_id}
            ids |= {sn.route_table_id, sn.route_table_association_id}
        return {i for i in ids if i}
