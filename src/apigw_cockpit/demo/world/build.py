"""Topology table (TOML) -> WorldState, validating every reference with a precise key path."""

from __future__ import annotations

import ipaddress
from typing import Any

from apigw_cockpit.demo.world.build_extras import _Fail, build_extras
from apigw_cockpit.demo.world.build_http import build_http
from apigw_cockpit.demo.world.errors import ScenarioError
from apigw_cockpit.demo.world.state import (
    AlarmState,
    ApiState,
    BackendState,
    IntegrationResponseState,
    IntegrationState,
    LambdaState,
    MethodState,
    NlbState,
    PermissionState,
    PolicyState,
    ResourceState,
    RoleState,
    Rule,
    SecurityGroupState,
    StageState,
    SubnetState,
    TargetGroupState,
    TargetState,
    VpcEndpointState,
    VpcLinkState,
    VpcState,
    WorldState,
)

INTEGRATION_TYPES = {"AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"}
LOGGING_LEVELS = {"INFO", "ERROR", "OFF"}


class _Ctx:
    def __init__(self, file: str, root: dict[str, Any]) -> None:
        self.file = file
        self.root = root

    def fail(self, key: str, msg: str) -> ScenarioError:
        return ScenarioError(self.file, key, msg)

    def table(self, key: str, required: bool = False) -> dict[str, Any]:
        v = self.root.get(key)
        if v is None:
            if required:
                raise self.fail(f"topology.{key}", "missing table")
            return {}
        if not isinstance(v, dict):
            raise self.fail(f"topology.{key}", "must be a table")
        return v

    def ref(self, key: str, value: Any, kind: str) -> str:
        names = self.table(kind)
        if not isinstance(value, str) or value not in names:
            known = ", ".join(sorted(names)) or "none"
            raise self.fail(key, f"unknown {kind[:-1].replace('_', ' ')} {value!r} (defined: {known})")
        return value


def _get(
    ctx: _Ctx, d: dict[str, Any], key: str, path: str, typ: type | tuple[type, ...], default: Any = ...
) -> Any:
    if key not in d:
        if default is ...:
            raise ctx.fail(f"{path}.{key}", "missing")
        return default
    v = d[key]
    if not isinstance(v, typ) or (isinstance(v, bool) and typ in (int, float, (int, float))):
        raise ctx.fail(f"{path}.{key}", f"expected {getattr(typ, '__name__', typ)}, got {v!r}")
    return v


def _cidr(ctx: _Ctx, v: Any, path: str) -> str:
    try:
        return str(ipaddress.ip_network(str(v), strict=False))
    except ValueError:
        raise ctx.fail(path, f"not a CIDR: {v!r}") from None


def build_state(topo: dict[str, Any], file: str) -> WorldState:
    ctx = _Ctx(file, topo)
    a = ctx.table("api", required=True)
    api = ApiState(
        id=_get(ctx, a, "id", "topology.api", str),
        name=_get(ctx, a, "name", "topology.api", str),
        region=_get(ctx, a, "region", "topology.api", str, "us-east-1"),
        account=str(_get(ctx, a, "account", "topology.api", (str, int), "123456789012")),
        endpoint_type=_get(ctx, a, "endpoint_type", "topology.api", str, "REGIONAL"),
        protocol=_get(ctx, a, "protocol", "topology.api", str, "REST").upper(),
    )
    if api.protocol not in ("REST", "HTTP"):
        raise ctx.fail("topology.api.protocol", f"must be REST or HTTP, got {api.protocol!r}")
    s = ctx.table("stage", required=True)
    level = _get(ctx, s, "logging_level", "topology.stage", str, "INFO").upper()
    if level not in LOGGING_LEVELS:
        raise ctx.fail("topology.stage.logging_level", f"must be one of {sorted(LOGGING_LEVELS)}")
    stage = StageState(
        name=_get(ctx, s, "name", "topology.stage", str),
        deployment_id=_get(ctx, s, "deployment_id", "topology.stage", str, "d3pl0y1"),
        logging_level=level,
        data_trace=_get(ctx, s, "data_trace", "topology.stage", bool, False),
        metrics_enabled=_get(ctx, s, "metrics_enabled", "topology.stage", bool, True),
        tracing_enabled=_get(ctx, s, "tracing_enabled", "topology.stage", bool, False),
        variables={str(k): str(v) for k, v in _get(ctx, s, "variables", "topology.stage", dict, {}).items()},
    )
    v = ctx.table("vpc")
    vpc = VpcState(
        id=str(v.get("id", "vpc-0a1b2c3d4e5f60718")),
        cidr=_cidr(ctx, v.get("cidr", "10.0.0.0/16"), "topology.vpc.cidr"),
        flow_log_group=str(v.get("flow_log_group", "")),
    )
    subnets = {
        n: SubnetState(
            n,
            str(d.get("id", f"subnet-{n}")),
            _cidr(ctx, _get(ctx, d, "cidr", f"topology.subnets.{n}", str), f"topology.subnets.{n}.cidr"),
            _get(ctx, d, "az", f"topology.subnets.{n}", str),
        )
        for n, d in ctx.table("subnets").items()
    }
    sgs: dict[str, SecurityGroupState] = {}
    for n, d in ctx.table("security_groups").items():
        p = f"topology.security_groups.{n}"
        rules = []
        for i, r in enumerate(_get(ctx, d, "ingress", p, list, [])):
            rp = f"{p}.ingress[{i}]"
            src = r.get("source_sg", "")
            if src:
                ctx.ref(f"{rp}.source_sg", src, "security_groups")
            rules.append(
                Rule(
                    protocol=str(r.get("protocol", "tcp")),
                    from_port=int(_get(ctx, r, "from_port", rp, int, -1)),
                    to_port=int(_get(ctx, r, "to_port", rp, int, -1)),
                    cidr=_cidr(ctx, r["cidr"], f"{rp}.cidr") if r.get("cidr") else "",
                    source_sg=src,
                    description=str(r.get("description", "")),
                )
            )
        sgs[n] = SecurityGroupState(
            n, str(d.get("id", f"sg-{n}")), str(d.get("name", n)), str(d.get("description", "")), rules
        )
    backends = {n: _backend(ctx, n, d) for n, d in ctx.table("backends").items()}
    tgs: dict[str, TargetGroupState] = {}
    for n, d in ctx.table("target_groups").items():
        hc = d.get("health_check", {})
        tgs[n] = TargetGroupState(
            name=n,
            id=str(
                d.get("id", f"arn:aws:elasticloadbalancing:{api.region}:{api.account}:targetgroup/{n}/0000")
            ),
            group_name=str(d.get("name", n)),
            protocol=str(d.get("protocol", "TCP")),
            port=int(d.get("port", 80)),
            hc_protocol=str(hc.get("protocol", "TCP")),
            hc_port=str(hc.get("port", "traffic-port")),
            hc_path=str(hc.get("path", "")),
            hc_interval_s=int(hc.get("interval_s", 10)),
            healthy_threshold=int(hc.get("healthy_threshold", 3)),
            unhealthy_threshold=int(hc.get("unhealthy_threshold", 2)),
        )
    nlbs: dict[str, NlbState] = {}
    for n, d in ctx.table("nlbs").items():
        p = f"topology.nlbs.{n}"
        subs = [
            ctx.ref(f"{p}.subnets[{i}]", x, "subnets") for i, x in enumerate(_get(ctx, d, "subnets", p, list))
        ]
        listeners = {
            int(port): ctx.ref(f"{p}.listeners.{port}", tg, "target_groups")
            for port, tg in d.get("listeners", {}).items()
        }
        sg_list = [
            ctx.ref(f"{p}.security_groups[{i}]", x, "security_groups")
            for i, x in enumerate(d.get("security_groups", []))
        ]
        nlbs[n] = NlbState(
            n,
            str(
                d.get(
                    "id", f"arn:aws:elasticloadbalancing:{api.region}:{api.account}:loadbalancer/net/{n}/0000"
                )
            ),
            str(d.get("name", n)),
            subs,
            bool(d.get("cross_zone", False)),
            sg_list,
            listeners,
        )
    targets: dict[str, TargetState] = {}
    for n, d in ctx.table("targets").items():
        p = f"topology.targets.{n}"
        sub = ctx.ref(f"{p}.subnet", d.get("subnet"), "subnets")
        targets[n] = TargetState(
            name=n,
            ip=_get(ctx, d, "ip", p, str),
            port=int(_get(ctx, d, "port", p, int, 80)),
            subnet=sub,
            target_group=ctx.ref(f"{p}.target_group", d.get("target_group"), "target_groups"),
            backend=ctx.ref(f"{p}.backend", d.get("backend"), "backends"),
            security_groups=[
                ctx.ref(f"{p}.security_groups[{i}]", x, "security_groups")
                for i, x in enumerate(d.get("security_groups", []))
            ],
            eni=str(d.get("eni", f"eni-{n}")),
            az=subnets[sub].az,
        )
    links = {
        n: VpcLinkState(
            n,
            str(d.get("id", n)),
            str(d.get("name", n)),
            ctx.ref(f"topology.vpc_links.{n}.nlb", d.get("nlb"), "nlbs"),
            str(d.get("status", "AVAILABLE")),
            str(d.get("status_message", "Your vpc link is ready for use")),
        )
        for n, d in ctx.table("vpc_links").items()
    }
    roles: dict[str, RoleState] = {}
    for n, d in ctx.table("roles").items():
        pols = {
            pn: PolicyState(
                pn, str(pd.get("arn", pn)), list(pd.get("statements", [])), bool(pd.get("attached", True))
            )
            for pn, pd in d.get("policies", {}).items()
        }
        roles[n] = RoleState(n, str(d.get("arn", f"arn:aws:iam::{api.account}:role/{n}")), pols)
    lambdas: dict[str, LambdaState] = {}
    for n, d in ctx.table("lambdas").items():
        p = f"topology.lambdas.{n}"
        role = ctx.ref(f"{p}.role", d["role"], "roles") if d.get("role") else ""
        perms = [
            PermissionState(
                str(x.get("sid", f"s{i}")),
                str(x.get("principal", "apigateway.amazonaws.com")),
                str(x.get("source_arn", "")),
            )
            for i, x in enumerate(d.get("permissions", []))
        ]
        lambdas[n] = LambdaState(
            name=n,
            arn=f"arn:aws:lambda:{api.region}:{api.account}:function:{n}",
            runtime=str(d.get("runtime", "python3.12")),
            timeout_s=int(d.get("timeout_s", 3)),
            memory_mb=int(d.get("memory_mb", 128)),
            role=role,
            aliases=[str(x) for x in d.get("aliases", [])],
            permissions=perms,
            mode=str(d.get("mode", "ok")),
            duration_ms=float(d.get("duration_ms", 100)),
            error_message=str(d.get("error_message", "")),
        )
    resources = {n: _resource(ctx, n, d) for n, d in ctx.table("resources", required=True).items()}
    endpoints = {
        n: VpcEndpointState(
            n,
            str(d.get("id", n)),
            [
                ctx.ref(f"topology.vpc_endpoints.{n}.subnets[{i}]", x, "subnets")
                for i, x in enumerate(d.get("subnets", []))
            ],
            [
                ctx.ref(f"topology.vpc_endpoints.{n}.security_groups[{i}]", x, "security_groups")
                for i, x in enumerate(d.get("security_groups", []))
            ],
            [str(x) for x in d.get("eni_ips", [])],
        )
        for n, d in ctx.table("vpc_endpoints").items()
    }
    alarms = {}
    for n, d in ctx.table("alarms").items():
        p = f"topology.alarms.{n}"
        dims = {str(k): str(x) for k, x in d.get("dims", {}).items()}
        for k, x in dims.items():
            if x.startswith("@") and x[1:] not in nlbs and x[1:] not in tgs:
                raise ctx.fail(f"{p}.dims.{k}", f"unknown load balancer or target group {x[1:]!r}")
        alarms[n] = AlarmState(
            n,
            _get(ctx, d, "name", p, str),
            _get(ctx, d, "namespace", p, str),
            _get(ctx, d, "metric", p, str),
            dims,
            str(d.get("stat", "Sum")),
            float(d.get("threshold", 0)),
            str(d.get("comparison", "GreaterThanThreshold")),
            int(d.get("periods", 1)),
            int(d.get("period_s", 60)),
        )
    ws = WorldState(
        api,
        stage,
        vpc,
        subnets,
        sgs,
        backends,
        nlbs,
        tgs,
        targets,
        links,
        roles,
        lambdas,
        resources,
        endpoints,
        alarms,
    )
    try:
        return build_http(topo, build_extras(topo, ws))
    except _Fail as e:
        raise ctx.fail(*e.args) from None


def _backend(ctx: _Ctx, n: str, d: dict[str, Any]) -> BackendState:
    p = f"topology.backends.{n}"
    status = {int(k): float(x) for k, x in _get(ctx, d, "status", p, dict, {"200": 1.0}).items()}
    return BackendState(
        name=n,
        url=str(d.get("url", "")),
        up=bool(d.get("up", True)),
        latency_ms=float(d.get("latency_ms", 100)),
        jitter=float(d.get("jitter", 0.3)),
        status=status,
        crash_above=float(d.get("crash_above", 0)),
        invalid_response=bool(d.get("invalid_response", False)),
        tls_cn=str(d.get("tls_cn", "")),
    )


def _resource(ctx: _Ctx, n: str, d: dict[str, Any]) -> ResourceState:
    p = f"topology.resources.{n}"
    methods = {}
    for verb, md in _get(ctx, d, "methods", p, dict, {}).items():
        mp = f"{p}.methods.{verb}"
        integ = None
        if md.get("integration") is not None:
            integ = _integration(ctx, md["integration"], f"{mp}.integration")
        methods[verb.upper()] = MethodState(
            verb.upper(),
            integ,
            [str(x) for x in md.get("method_responses", ["200"])],
            str(md.get("authorization", "NONE")),
        )
    return ResourceState(
        n, str(d.get("id", n)), _get(ctx, d, "path", p, str), methods, bool(d.get("cors", False))
    )


def _integration(ctx: _Ctx, d: dict[str, Any], p: str) -> IntegrationState:
    typ = _get(ctx, d, "type", p, str).upper()
    if typ not in INTEGRATION_TYPES:
        raise ctx.fail(
            f"{p}.type", f"unknown integration type {typ!r} (known: {', '.join(sorted(INTEGRATION_TYPES))})"
        )
    conn = str(d.get("connection_type", "INTERNET")).upper()
    link = ctx.ref(f"{p}.vpc_link", d.get("vpc_link"), "vpc_links") if conn == "VPC_LINK" else ""
    fn = str(d.get("function", ""))
    if typ in ("AWS", "AWS_PROXY"):
        if not fn:
            raise ctx.fail(f"{p}.function", "missing (Lambda integrations name a function)")
        ctx.ref(f"{p}.function", fn.split(":", 1)[0], "lambdas")
    backend = ctx.ref(f"{p}.backend", d["backend"], "backends") if d.get("backend") else ""
    if typ in ("HTTP", "HTTP_PROXY") and conn != "VPC_LINK" and not backend:
        raise ctx.fail(f"{p}.backend", "missing (HTTP integrations over INTERNET name a backend)")
    creds = ctx.ref(f"{p}.credentials", d["credentials"], "roles") if d.get("credentials") else ""
    # HTTP APIs: 30 s hard (AWS-FACTS "Timeouts"); REST: 29 s by default.
    longest = 30000 if str(ctx.table("api").get("protocol", "REST")).upper() == "HTTP" else 29000
    timeout = int(d.get("timeout_ms", longest))
    if not 50 <= timeout <= longest:
        raise ctx.fail(f"{p}.timeout_ms", f"must be 50..{longest}, got {timeout}")
    return IntegrationState(
        type=typ,
        uri=str(d.get("uri", "")),
        connection_type=conn,
        vpc_link=link,
        function=fn,
        credentials=creds,
        backend=backend,
        timeout_ms=timeout,
        payload_format_version=str(d.get("payload_format_version", "")),
        http_method=str(d.get("http_method", "POST" if typ in ("AWS", "AWS_PROXY") else "")),
        request_templates={str(k): str(x) for k, x in d.get("request_templates", {}).items()},
        responses=[
            IntegrationResponseState(str(r.get("status", "200")), str(r.get("pattern", "")))
            for r in d.get("responses", [])
        ],
    )
