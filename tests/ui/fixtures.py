"""Hand-made feeds for tests, snapshots and the screenshot fallback: no AWS, no simulator.

`midnight_pager()` is the seed's story at 00:15: a security-group rule revoked at
00:10 by alex, all four NLB targets failing health checks, 5XX at ~150/min since
00:12 and IntegrationLatency p99 pinned just under the 29 s timeout.
"""

from __future__ import annotations

import asyncio
import calendar
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from apigw_cockpit.model import (
    Change,
    ChangesUpdate,
    Integration,
    LoadBalancer,
    LogEvent,
    LogGroups,
    LogsUpdate,
    Method,
    MetricKey,
    MetricSeries,
    MetricsUpdate,
    RequestTrace,
    Resource,
    SecurityGroup,
    SgRule,
    SourceState,
    SourceStatus,
    Stage,
    Target,
    TargetGroup,
    TargetHealth,
    TargetHealthUpdate,
    Topology,
    Update,
    VpcLink,
)

NOW = float(calendar.timegm((2026, 11, 26, 0, 15, 30, 0, 0, 0)))  # 00:15:30 UTC
MINUTE = 60.0
ONSET = NOW - 3 * MINUTE - 30  # 00:12:00
REVOKE_AT = ONSET - 2 * MINUTE  # 00:10:00
ACCOUNT = "123456789012"
TG_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/orders-tg/6d0ecf831eec9f09"
NLB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
TARGETS = (
    ("10.0.1.10", "us-east-1a"),
    ("10.0.1.11", "us-east-1a"),
    ("10.0.2.10", "us-east-1b"),
    ("10.0.2.11", "us-east-1b"),
)


def topology(broken: bool = True) -> Topology:
    # Healthy: the health-check rule from the NLB subnets is still there (the story revokes it).
    rules = (SgRule("tcp", 443, 443, "10.9.0.0/16"),) + (
        () if broken else (SgRule("tcp", 8080, 8080, "10.0.0.0/16"),)
    )
    integration = Integration(
        type="HTTP_PROXY",
        uri="http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders",
        http_method="GET",
        timeout_ms=29000,
        connection_type="VPC_LINK",
        connection_id="vl-7x8y9z",
    )
    tg = TargetGroup(
        arn=TG_ARN,
        name="orders-tg",
        port=8080,
        targets=tuple(Target(ip, 8080, az, ("sg-0ab12cd34ef56",)) for ip, az in TARGETS),
    )
    nlb = LoadBalancer(
        arn=NLB_ARN,
        name="orders-nlb",
        azs=(("us-east-1a", "subnet-0a1"), ("us-east-1b", "subnet-0b2")),
        subnet_cidrs=("10.0.1.0/24", "10.0.2.0/24"),
        listener_ports=(80,),
        target_groups=(tg,),
    )
    return Topology(
        api_id="a1b2c3d4e5",
        api_name="orders-prod",
        stage=Stage("prod", logging_level="INFO", metrics_enabled=True),
        region="us-east-1",
        account=ACCOUNT,
        resources=(Resource("r00t01", "/orders", (Method("GET", integration=integration),)),),
        vpc_links=(VpcLink("vl-7x8y9z", "orders-link", target_arns=(NLB_ARN,)),),
        load_balancers=(nlb,),
        security_groups=(SecurityGroup("sg-0ab12cd34ef56", "orders-targets", "vpc-0123", rules),),
        vpc_cidr="10.0.0.0/16",
        log_groups=LogGroups(execution="API-Gateway-Execution-Logs_a1b2c3d4e5/prod"),
    )


def _key(metric: str, stat: str, namespace: str = "AWS/ApiGateway") -> MetricKey:
    dims = (("ApiName", "orders-prod"), ("Stage", "prod"))
    if namespace == "AWS/NetworkELB":
        dims = (
            ("LoadBalancer", "net/orders-nlb/50dc6c495c0c9188"),
            ("TargetGroup", "targetgroup/orders-tg/6d0ecf831eec9f09"),
        )
    return MetricKey(namespace, metric, dims, stat)


def value_ceiling(metric: str) -> bool:
    return metric not in {"IntegrationLatency", "Latency"}


def _series(
    metric: str,
    stat: str,
    before: float,
    after: float,
    unit: str,
    *,
    broken: bool,
    ns: str = "AWS/ApiGateway",
) -> MetricSeries:
    start = NOW - 60 * MINUTE
    points = []
    for i in range(60):
        ts = start - start % 60 + i * MINUTE
        # deterministic jitter so lines do not look fake-flat; none near the timeout ceiling
        wobble = ((i * 7) % 5 - 2) * 0.01 if value_ceiling(metric) else 0.0
        value = after if broken and ts >= ONSET else before
        points.append((ts, round(value * (1 + wobble), 1)))
    return MetricSeries(_key(metric, stat, ns), tuple(points), unit)


def metrics(broken: bool) -> MetricsUpdate:
    series = (
        _series("5XXError", "Sum", 0.0, 150.0, "Count", broken=broken),
        _series("4XXError", "Sum", 2.0, 2.0, "Count", broken=broken),
        _series("Count", "Sum", 160.0, 152.0, "Count", broken=broken),
        _series("IntegrationLatency", "p99", 140.0, 28900.0, "Milliseconds", broken=broken),
        _series("IntegrationLatency", "p50", 45.0, 28700.0, "Milliseconds", broken=broken),
        _series("Latency", "p99", 160.0, 29010.0, "Milliseconds", broken=broken),
        _series("Latency", "p50", 60.0, 28750.0, "Milliseconds", broken=broken),
        _series("HealthyHostCount", "Minimum", 4.0, 0.0, "Count", broken=broken, ns="AWS/NetworkELB"),
        _series("UnHealthyHostCount", "Maximum", 0.0, 4.0, "Count", broken=broken, ns="AWS/NetworkELB"),
    )
    return MetricsUpdate("metrics", NOW, series, backfill=True)


def _trace(rid: str, ts: float, *, failed: bool) -> RequestTrace:
    head = [
        f"({rid}) Extended Request Id: {rid[:8]}XyZ=",
        f"({rid}) Starting execution for request: {rid}",
        f"({rid}) HTTP Method: GET, Resource Path: /orders",
        f"({rid}) Method request headers: {{Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.secret, "
        "Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com}",
        f"({rid}) Endpoint request URI: http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders",
        f"({rid}) Sending request to http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com/orders",
    ]
    if failed:
        tail = [
            f"({rid}) Execution failed due to a timeout error",
            f"({rid}) Method completed with status: 504",
        ]
    else:
        tail = [
            f"({rid}) Received response. Status: 200, Integration latency: 41 ms",
            f"({rid}) Successfully completed execution",
            f"({rid}) Method completed with status: 200",
        ]
    return RequestTrace(rid, ts, tuple(head + tail), "API-Gateway-Execution-Logs_a1b2c3d4e5/prod", True)


def logs(broken: bool, count: int = 8) -> LogsUpdate:
    traces = []
    events = []
    for i in range(count):
        rid = f"7f3e{i:04x}-1c2d-4e5f-8a9b-0c1d2e3f{i:04x}"
        ts = NOW - (count - i) * 7.0
        tr = _trace(rid, ts, failed=broken)
        traces.append(tr)
        events += [
            LogEvent(f"ev{i}-{n}", ts, tr.log_group, "stream-1", ln, request_id=rid)
            for n, ln in enumerate(tr.lines)
        ]
    return LogsUpdate("logs", NOW, tuple(events), tuple(traces))


def targets(broken: bool) -> TargetHealthUpdate:
    if broken:
        rows = tuple(
            TargetHealth(
                TG_ARN, ip, 8080, az, "unhealthy", "Target.FailedHealthChecks", "Health checks failed"
            )
            for ip, az in TARGETS
        )
    else:
        rows = tuple(TargetHealth(TG_ARN, ip, 8080, az, "healthy") for ip, az in TARGETS)
    return TargetHealthUpdate("target_health", NOW, rows)


def changes(broken: bool) -> ChangesUpdate:
    old = Change(
        "ev-old", NOW - 35 * MINUTE, "UpdateStage", "apigateway.amazonaws.com", "deploy-bot", ("a1b2c3d4e5",)
    )
    revoke = Change(
        "ev-revoke",
        REVOKE_AT,
        "RevokeSecurityGroupIngress",
        "ec2.amazonaws.com",
        "alex",
        ("sg-0ab12cd34ef56",),
        '{"groupId":"sg-0ab12cd34ef56","ipPermissions":{"items":[{"fromPort":8080,"toPort":8080}]}}',
    )
    return ChangesUpdate("changes", NOW, (old, revoke) if broken else (old,))


def statuses() -> tuple[SourceStatus, ...]:
    return tuple(
        SourceStatus(name, SourceState.OK, NOW, last_ok=NOW - age)
        for name, age in (
            ("metrics", 30.0),
            ("logs", 2.0),
            ("target_health", 8.0),
            ("changes", 40.0),
            ("alarms", 50.0),
        )
    )


@dataclass
class FakePoller:
    """Yields its updates, then ends (or, with `hold`, waits forever like a live poller)."""

    name: str
    updates: Sequence[Update]
    hold: bool = False

    async def __aiter__(self) -> AsyncIterator[Update]:
        for u in self.updates:
            yield u
        if self.hold:
            await asyncio.Event().wait()


@dataclass
class FakeMeterSnapshot:
    calls_per_min: dict[str, float] = field(
        default_factory=lambda: {"GetMetricData": 1.0, "FilterLogEvents": 30.0}
    )
    throttles: int = 0
    errors: int = 0
    cost_per_hour_usd: float = 0.042


class FakeMeter:
    def __init__(self) -> None:
        self.snap = FakeMeterSnapshot()

    def snapshot(self) -> FakeMeterSnapshot:
        return self.snap


@dataclass
class FakeFeed:
    topology: Topology
    pollers: list[FakePoller]
    meter: FakeMeter = field(default_factory=FakeMeter)
    fixes: int = 0

    def apply_fix(self) -> None:
        self.fixes += 1


def _feed(broken: bool, hold: bool) -> FakeFeed:
    status = statuses()
    pollers = [
        FakePoller("metrics", [metrics(broken), status[0]], hold),
        FakePoller("logs", [logs(broken), status[1]], hold),
        FakePoller("target_health", [targets(broken), status[2]], hold),
        FakePoller("changes", [changes(broken), status[3]], hold),
        FakePoller("alarms", [status[4]], hold),
    ]
    return FakeFeed(topology(broken), pollers)


def midnight_pager(hold: bool = False) -> FakeFeed:
    return _feed(True, hold)


def healthy(hold: bool = False) -> FakeFeed:
    return _feed(False, hold)
