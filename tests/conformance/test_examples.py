"""Replay the example responses AWS publishes (examples/*.json, sources in README.md).

What a user pointing the cockpit at an API shaped like AWS's own examples would see: the
topology is built, pollers parse, and the checks give the verdicts the data implies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit.aws.discovery import _cors, _integration, discover
from apigw_cockpit.aws.sources.alarms import AlarmsPoller
from apigw_cockpit.aws.sources.changes import ChangesPoller
from apigw_cockpit.aws.sources.metrics import MetricsPoller
from apigw_cockpit.aws.sources.target_health import TargetHealthPoller
from apigw_cockpit.diagnose import Observations, run_checks
from apigw_cockpit.model import (
    AlarmsUpdate,
    ChangesUpdate,
    FrozenClock,
    Method,
    MetricsUpdate,
    TargetHealthUpdate,
    Topology,
    Verdict,
)

from .harness import Harness
from .test_model_pollers import TOPOLOGY

EXAMPLES = Path(__file__).parent / "examples"
FN_ARN = "arn:aws:lambda:us-west-2:123456789012:function:my-function"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text())
    return data


def world(*names: str) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for name in names:
        f = fixture(name)
        out[(f["service"], f["operation"])] = f["response"]
    return out


LAMBDA_API = world(
    "sts-get-caller-identity",
    "apigateway-get-rest-api",
    "apigateway-get-stage",
    "apigateway-get-resources",
    "apigateway-get-method",
    "lambda-get-function-configuration",
    "lambda-get-policy",
    "iam-get-role",
    "iam-list-role-policies",
    "iam-get-role-policy",
    "iam-list-attached-role-policies",
    "apigateway-get-deployment",
    "apigateway-get-account",
)

# The same API with a private integration: VPC link → the CLI's load balancer → its targets.
NETWORK_API = {
    **LAMBDA_API,
    **world(
        "apigateway-get-method-vpc-link",
        "apigateway-get-vpc-link",
        "elbv2-describe-load-balancers",
        "elbv2-describe-listeners",
        "elbv2-describe-target-groups",
        "elbv2-describe-target-health",
        "ec2-describe-network-interfaces",
        "ec2-describe-subnets",
        "ec2-describe-security-groups",
        "ec2-describe-vpcs",
        "ec2-describe-flow-logs",
        "ec2-describe-network-acls",
        "ec2-describe-route-tables",
        "iam-get-policy",
        "iam-get-policy-version",
    ),
}


def test_published_private_integration_path_is_discovered(harness: Harness) -> None:
    harness.responder.reset(None, fixed=NETWORK_API)
    topo = harness.run(discover(harness.factory, "o1y243m4f5", "dev"))
    [link] = topo.vpc_links
    assert (link.id, link.status) == ("gim7c3", "AVAILABLE")
    [lb] = topo.load_balancers
    assert lb.name == "my-load-balancer" and lb.vpc_id == "vpc-3ac0fb5f"
    assert [z for z, _ in lb.azs] == ["us-west-2a", "us-west-2b"]
    assert lb.target_groups and all(tg.targets for tg in lb.target_groups)
    assert {t.id for tg in lb.target_groups for t in tg.targets} == {"i-ceddcd4d", "i-0f76fade"}
    # No published example for these two: their parts are partial, the rest is kept.
    without = {"GetPolicy", "DescribeLoadBalancerAttributes"}
    assert not [e for e in topo.errors if e.operation not in without], topo.errors


def test_every_fixture_names_its_source_and_parses_as_its_operation() -> None:
    from .shapes import operation

    names = sorted(p.stem for p in EXAMPLES.glob("*.json"))
    assert len(names) >= 25
    readme = (Path(__file__).parent / "README.md").read_text()
    for name in names:
        f = fixture(name)
        assert f["source"].startswith(
            ("https://github.com/aws/aws-cli/blob/", "botocore ", "https://docs.aws")
        ), name
        assert f"`{name}`" in readme, f"{name} missing from the README table"
        shape = operation(f["service"], f["operation"]).output_shape
        assert shape is not None and set(f["response"]) <= set(shape.members), (name, set(f["response"]))


@pytest.fixture
def lambda_topology(harness: Harness) -> Topology:
    harness.responder.reset(None, fixed=LAMBDA_API)
    return harness.run(discover(harness.factory, "o1y243m4f5", "dev"))


def test_published_non_proxy_lambda_api_is_discovered(lambda_topology: Topology) -> None:
    """GetMethod as the CLI reference prints it: `"application/json": null` (crashed discover())."""
    topo = lambda_topology
    assert (topo.api_id, topo.api_name, topo.account) == ("o1y243m4f5", "myAPI", "123456789012")
    assert (topo.stage.name, topo.stage.logging_level, topo.stage.metrics_enabled) == ("dev", "INFO", True)
    [res] = topo.resources
    assert res.path == "/resource/subresource" and not res.cors_enabled
    [method] = res.methods
    assert method.http_method == "POST" and method.integration is not None
    integ = method.integration
    assert (integ.type, integ.lambda_arn, integ.timeout_ms) == ("AWS", FN_ARN, 29000)
    [resp] = integ.responses
    assert (resp.status_code, resp.templates) == ("200", (("application/json", ""),))
    [fn] = topo.lambdas
    assert (fn.name, fn.timeout_s, fn.runtime) == ("my-function", 3, "nodejs10.x")
    assert [s.principals for s in fn.resource_policy] == [("iotevents.amazonaws.com",)]
    assert topo.roles and topo.roles[0].statements  # the role's inline policy was read
    assert not [e for e in topo.errors if e.operation != "GetPolicy"], topo.errors


def test_published_lambda_policy_does_not_let_api_gateway_invoke(lambda_topology: Topology) -> None:
    """The example's resource policy allows only iotevents.amazonaws.com: a missing permission."""
    findings = {f.check_id: f for f in run_checks(Observations(now=0.0, topology=lambda_topology))}
    perm = findings["lambda-permission"]
    assert perm.verdict == Verdict.ERROR, perm.summary
    assert "lambda-permission-missing" in perm.root_causes
    assert findings["logging"].verdict != Verdict.ERROR
    assert findings["cors-preflight"].verdict == Verdict.OK


def test_published_get_integration_null_template() -> None:
    raw = fixture("apigateway-get-integration")["response"]
    integ = _integration(raw, {})
    assert integ.responses[0].templates == (("application/json", ""),)
    assert _cors([Method("POST", integration=integ)]) is False


def test_published_target_health_parses(harness: Harness) -> None:
    healthy = fixture("elbv2-describe-target-health")["response"]
    harness.responder.reset(None, fixed={("elbv2", "DescribeTargetHealth"): healthy})
    [update] = harness.run(TargetHealthPoller(harness.factory, harness.clock, TOPOLOGY).poll())
    assert isinstance(update, TargetHealthUpdate)
    assert [(t.target_id, t.port, t.state) for t in update.targets] == [
        ("i-ceddcd4d", 80, "healthy"),
        ("i-0f76fade", 80, "healthy"),
    ]
    findings = run_checks(Observations(now=0.0, topology=TOPOLOGY, target_health=update.targets))
    [th] = [f for f in findings if f.check_id == "target-health"]
    assert th.verdict == Verdict.OK and th.summary.startswith("2/2")


def test_published_unhealthy_target_is_reported_with_its_reason(harness: Harness) -> None:
    """botocore's example: one target `unused` / `Target.NotInUse` (its AZ not enabled on the LB)."""
    raw = fixture("elbv2-describe-target-health-unused")["response"]
    harness.responder.reset(None, fixed={("elbv2", "DescribeTargetHealth"): raw})
    [update] = harness.run(TargetHealthPoller(harness.factory, harness.clock, TOPOLOGY).poll())
    assert isinstance(update, TargetHealthUpdate)
    expected = [
        (d["Target"]["Id"], d["TargetHealth"]["State"], d["TargetHealth"].get("Reason", ""))
        for d in raw["TargetHealthDescriptions"]
    ]
    assert [(t.target_id, t.state, t.reason) for t in update.targets] == expected
    findings = run_checks(Observations(now=0.0, topology=TOPOLOGY, target_health=update.targets))
    [th] = [f for f in findings if f.check_id == "target-health"]
    assert th.verdict == Verdict.WARN and th.summary.startswith("1/2"), th.summary
    assert "nlb-subnet-mismatch" in th.root_causes


def test_published_metric_data_alarms_and_events_parse(harness: Harness) -> None:
    fixed = world("cloudwatch-get-metric-data", "cloudwatch-describe-alarms", "cloudtrail-lookup-events")
    harness.responder.reset(None, fixed=fixed)
    # A clock just after the example's datapoint: older points fall out of the 24 h history.
    metrics = MetricsPoller(harness.factory, FrozenClock(1727647800.0 + 300), TOPOLOGY)
    [m] = harness.run(metrics.poll())
    assert isinstance(m, MetricsUpdate)
    # The example answers query "m3" with one point: it lands on the 4th series we asked for.
    points = {s.key: s.points for s in m.series if s.points}
    assert list(points.values()) == [((1727647800.0, 96.85),)]
    assert list(points) == [metrics.keys[3]]
    [a] = harness.run(AlarmsPoller(harness.factory, harness.clock, TOPOLOGY).poll())
    # The example alarm watches AWS/EC2 CPU: not on this API's path, so not shown.
    assert isinstance(a, AlarmsUpdate) and a.alarms == ()
    changes = harness.run(ChangesPoller(harness.factory, harness.clock, TOPOLOGY).poll())
    # The example event (an EC2 call by my-session-name) names no resource on this path.
    assert all(isinstance(c, ChangesUpdate) and c.changes == () for c in changes)
