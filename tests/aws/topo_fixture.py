"""A hand-built midnight-pager-shaped Topology for poller tests (no AWS needed)."""

from __future__ import annotations

from apigw_cockpit.model import (
    Integration,
    LambdaFunction,
    LoadBalancer,
    LogGroups,
    Method,
    Resource,
    Stage,
    Target,
    TargetGroup,
    Topology,
    VpcLink,
)

ACCOUNT = "123456789012"
NLB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
TG_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/orders-tg/6d0ecf831eec9f09"
SG = "sg-0a1b2c3d4e5f60718"
TARGETS = (
    ("10.0.1.10", "us-east-1a"),
    ("10.0.1.11", "us-east-1a"),
    ("10.0.2.10", "us-east-1b"),
    ("10.0.2.11", "us-east-1b"),
)


def topology() -> Topology:
    integ = Integration(
        type="HTTP_PROXY", uri="http://orders.internal/orders", resolved_uri="http://orders.internal/orders",
        connection_type="VPC_LINK", connection_id="vl-abc123",
    )  # fmt: skip
    tg = TargetGroup(
        TG_ARN, "orders-tg", port=8080, targets=tuple(Target(ip, 8080, az, (SG,)) for ip, az in TARGETS)
    )
    lb = LoadBalancer(
        NLB_ARN,
        "orders-nlb",
        azs=(("us-east-1a", "subnet-a"), ("us-east-1b", "subnet-b")),
        target_groups=(tg,),
    )
    return Topology(
        api_id="a1b2c3d4e5",
        api_name="orders-prod",
        stage=Stage("prod", metrics_enabled=True, logging_level="INFO"),
        region="us-east-1",
        account=ACCOUNT,
        resources=(Resource("res1", "/orders", (Method("GET", integration=integ),)),),
        lambdas=(LambdaFunction("orders-fn", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders-fn"),),
        vpc_links=(VpcLink("vl-abc123", target_arns=(NLB_ARN,)),),
        load_balancers=(lb,),
        log_groups=LogGroups(
            execution="API-Gateway-Execution-Logs_a1b2c3d4e5/prod", lambdas=("/aws/lambda/orders-fn",)
        ),
    )
