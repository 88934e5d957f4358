"""The mutable world: what the account looks like right now. Built from a topology table.

Objects are keyed by logical name (the TOML key). `id` fields hold the AWS id or ARN; the server
rebinds them to the ids moto invented (`World.bind_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rule:
    protocol: str
    from_port: int
    to_port: int
    cidr: str = ""
    source_sg: str = ""  # logical name of another group
    description: str = ""


@dataclass
class SecurityGroupState:
    name: str
    id: str
    group_name: str
    description: str = ""
    ingress: list[Rule] = field(default_factory=list)


@dataclass
class SubnetState:
    name: str
    id: str
    cidr: str
    az: str


@dataclass
class BackendState:
    """How a service behaves when a request reaches it (shared by its targets)."""

    name: str
    url: str = ""
    up: bool = True
    latency_ms: float = 100.0
    jitter: float = 0.3
    status: dict[int, float] = field(default_factory=lambda: {200: 1.0})
    crash_above: float = 0.0  # in-flight requests per target above which it resets connections; 0 = never
    invalid_response: bool = False  # broken chunked framing / unparsable status line
    tls_cn: str = ""
    tls_expired: bool = False  # its certificate's notAfter has passed (PKIX validity check fails)
    slow_fraction: float = 0.0  # latency tail: this share of requests take slow_ms (p99-style)
    slow_ms: float = 0.0


@dataclass
class TargetState:
    name: str
    ip: str
    port: int
    subnet: str
    target_group: str
    backend: str
    security_groups: list[str]
    eni: str
    az: str = ""
    registered: bool = True  # DeregisterTargets takes it out of its group (and of DescribeTargetHealth)


@dataclass
class TargetGroupState:
    name: str
    id: str
    group_name: str
    protocol: str = "TCP"
    port: int = 80
    hc_protocol: str = "TCP"
    hc_port: str = "traffic-port"
    hc_path: str = ""
    hc_interval_s: int = 10
    healthy_threshold: int = 3
    unhealthy_threshold: int = 2


@dataclass
class NlbState:
    name: str
    id: str
    lb_name: str
    subnets: list[str]
    cross_zone: bool = False
    security_groups: list[str] = field(default_factory=list)
    listeners: dict[int, str] = field(default_factory=dict)
    deleted: bool = False

    @property
    def dims_value(self) -> str:
        """ "net/<name>/<id>" as AWS/NetworkELB dimension values spell it."""
        return self.id.split(":loadbalancer/", 1)[-1]


@dataclass
class VpcLinkState:
    name: str
    id: str
    link_name: str
    nlb: str
    status: str = "AVAILABLE"
    status_message: str = "Your vpc link is ready for use"


@dataclass
class PolicyState:
    name: str
    arn: str
    statements: list[dict[str, object]]
    attached: bool = True


@dataclass
class RoleState:
    name: str
    arn: str
    policies: dict[str, PolicyState] = field(default_factory=dict)


@dataclass
class PermissionState:
    sid: str
    principal: str
    source_arn: str = ""
    action: str = "lambda:InvokeFunction"


@dataclass
class LambdaState:
    """A function and what its code does: mode ok | raise | malformed | sleep."""

    name: str
    arn: str
    runtime: str = "python3.12"
    timeout_s: int = 3
    memory_mb: int = 128
    role: str = ""
    aliases: list[str] = field(default_factory=list)
    permissions: list[PermissionState] = field(default_factory=list)
    mode: str = "ok"
    duration_ms: float = 100.0
    error_message: str = ""
    error_type: str = "Error"
    reserved_concurrency: int = -1  # PutFunctionConcurrency; -1 = unreserved (account pool)

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.name}"


@dataclass
class IntegrationResponseState:
    status: str
    pattern: str = ""


@dataclass
class IntegrationState:
    type: str  # AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK
    uri: str = ""
    connection_type: str = "INTERNET"
    vpc_link: str = ""
    function: str = ""  # "name" or "name:${stageVariables.x}" / "name:alias"
    credentials: str = ""  # logical role name
    backend: str = ""
    timeout_ms: int = 29000
    payload_format_version: str = ""  # HTTP APIs' Lambda integrations: "1.0" or "2.0"
    http_method: str = ""
    request_templates: dict[str, str] = field(default_factory=dict)
    responses: list[IntegrationResponseState] = field(default_factory=list)


@dataclass
class MethodState:
    http_method: str
    integration: IntegrationState | None
    method_responses: list[str] = field(default_factory=lambda: ["200"])
    authorization: str = "NONE"
    authorizer: str = ""  # logical name of a Lambda (TOKEN/REQUEST) authorizer
    api_key_required: bool = False  # counted against the stage's usage plan(s)


@dataclass
class ResourceState:
    name: str
    id: str
    path: str
    methods: dict[str, MethodState]
    cors: bool = False


@dataclass
class StageState:
    name: str
    deployment_id: str
    logging_level: str = "INFO"
    data_trace: bool = False
    metrics_enabled: bool = True
    tracing_enabled: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    access_log_group: str = ""  # accessLogSettings: one line per request in `access_log_format`
    access_log_format: str = ""


@dataclass
class ApiState:
    id: str
    name: str
    region: str
    account: str
    endpoint_type: str = "REGIONAL"
    protocol: str = "REST"  # REST (apigateway) or HTTP (apigatewayv2)


@dataclass
class VpcState:
    id: str
    cidr: str
    flow_log_group: str = ""


@dataclass
class VpcEndpointState:
    name: str
    id: str
    subnets: list[str]
    security_groups: list[str]
    eni_ips: list[str] = field(default_factory=list)


@dataclass
class AlarmState:
    name: str
    alarm_name: str
    namespace: str
    metric: str
    dims: dict[str, str]
    stat: str = "Sum"
    threshold: float = 0.0
    comparison: str = "GreaterThanThreshold"
    periods: int = 1
    period_s: int = 60


@dataclass
class AuthorizerState:
    """A Lambda authorizer (API Gateway invokes `function` before the integration) or, on an HTTP
    API, a JWT authorizer: `issuer`/`audience` are its JwtConfiguration, `token_issuer` and
    `token_audience` what the clients' tokens carry (fixed at build: the identity provider)."""

    name: str
    id: str
    function: str
    type: str = "TOKEN"
    issuer: str = ""
    audience: tuple[str, ...] = ()
    token_issuer: str = ""
    token_audience: str = ""


@dataclass
class UsagePlanState:
    """A usage plan on the stage with one API key; rate/burst are the key's throttle (req/s)."""

    name: str
    id: str
    rate_limit: float
    burst_limit: int
    key_id: str = ""


@dataclass
class WorldState:
    api: ApiState
    stage: StageState
    vpc: VpcState
    subnets: dict[str, SubnetState]
    security_groups: dict[str, SecurityGroupState]
    backends: dict[str, BackendState]
    nlbs: dict[str, NlbState]
    target_groups: dict[str, TargetGroupState]
    targets: dict[str, TargetState]
    vpc_links: dict[str, VpcLinkState]
    roles: dict[str, RoleState]
    lambdas: dict[str, LambdaState]
    resources: dict[str, ResourceState]
    vpc_endpoints: dict[str, VpcEndpointState]
    alarms: dict[str, AlarmState]
    authorizers: dict[str, AuthorizerState] = field(default_factory=dict)
    usage_plans: dict[str, UsagePlanState] = field(default_factory=dict)

    def execution_log_group(self) -> str:
        return f"API-Gateway-Execution-Logs_{self.api.id}/{self.stage.name}"

    @property
    def is_http(self) -> bool:
        return self.api.protocol == "HTTP"

    def targets_of(self, tg: str) -> list[TargetState]:
        return [t for t in self.targets.values() if t.target_group == tg and t.registered]

    def nlb_of_tg(self, tg: str) -> NlbState | None:
        return next((n for n in self.nlbs.values() if tg in n.listeners.values()), None)

    def method(self, resource: str, http_method: str) -> MethodState | None:
        r = self.resources.get(resource)
        return r.methods.get(http_method.upper()) if r else None
