"""CloudTrail semantics: IAM events from us-east-1, page caps said, delivery delay, change kinds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from topo_fixture import SG, TG_ARN, topology

from apigw_cockpit.aws.sources.changes import DELIVERY_DELAY_S, MAX_PAGES, ChangesPoller
from apigw_cockpit.demo.world.trail import Trail, TrailResource
from apigw_cockpit.diagnose import Observations, run_check
from apigw_cockpit.model import (
    Change,
    ChangesUpdate,
    FrozenClock,
    MetricKey,
    MetricSeries,
    Role,
    Subnet,
    Target,
    Topology,
    Verdict,
)

T0 = 1_780_000_000.0
ROLE = "arn:aws:iam::123456789012:role/apigw-invoke-role"


class TrailClient:
    """LookupEvents over the demo's Trail, answering for the region the client was made for."""

    def __init__(self, trail: Trail, region: str, calls: list[tuple[str, str]]) -> None:
        self.trail, self.region, self.calls = trail, region, calls

    async def lookup_events(self, **kw: Any) -> dict[str, Any]:
        attr = (kw.get("LookupAttributes") or [{}])[0]
        self.calls.append((self.region, attr.get("AttributeValue", "")))
        events, token = self.trail.lookup(
            kw["StartTime"].timestamp(),
            kw["EndTime"].timestamp(),
            attr.get("AttributeKey"),
            attr.get("AttributeValue"),
            kw.get("MaxResults", 50),
            kw.get("NextToken"),
            region=self.region,
        )
        out: dict[str, Any] = {
            "Events": [{**e, "EventTime": dt.datetime.fromtimestamp(e["EventTime"], dt.UTC)} for e in events]
        }
        if token:
            out["NextToken"] = token
        return out


class RegionFactory:
    def __init__(self, trail: Trail, region: str) -> None:
        self.trail, self.region = trail, region
        self.calls: list[tuple[str, str]] = []

    async def client(self, service: str, region: str | None = None) -> TrailClient:
        assert service == "cloudtrail"
        return TrailClient(self.trail, region or self.region, self.calls)


def _topology(region: str) -> Topology:
    base = topology()
    tg = base.load_balancers[0].target_groups[0]
    targets = tuple(
        replace(t, subnet_id="subnet-a" if t.az.endswith("a") else "subnet-b", eni_id=f"eni-{i}")
        for i, t in enumerate(tg.targets)
    )
    lb = replace(base.load_balancers[0], target_groups=(replace(tg, targets=targets),))
    subnets = (
        Subnet(
            "subnet-a", "vpc-1", "us-east-1a", "10.0.1.0/24", "acl-0a", "aclassoc-0a", "rtb-0a", "rtbassoc-0a"
        ),
        Subnet("subnet-b", "vpc-1", "us-east-1b", "10.0.2.0/24", "acl-0a", "aclassoc-0b", "rtb-main"),
    )
    return replace(
        base, region=region, load_balancers=(lb,), subnets=subnets, roles=(Role(ROLE, "apigw-invoke-role"),)
    )


def _detach(trail: Trail, t: float) -> None:
    trail.record(
        t, "DetachRolePolicy", "iam.amazonaws.com", "dana",
        [TrailResource("AWS::IAM::Role", "apigw-invoke-role")],
        {"roleName": "apigw-invoke-role", "policyArn": "arn:aws:iam::123456789012:policy/invoke-lambda"},
    )  # fmt: skip


async def _poll(factory: RegionFactory, topo: Topology, now: float) -> ChangesUpdate:
    p = ChangesPoller(factory, FrozenClock(now), topo, 60.0, tps=1000.0)
    [u] = await p.poll()
    assert isinstance(u, ChangesUpdate)
    return u


async def test_iam_events_come_from_us_east_1_for_an_api_elsewhere() -> None:
    trail = Trail("eu-west-1", "123456789012")
    _detach(trail, T0 - 600)
    trail.record(T0 - 300, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex", [], {"groupId": SG})
    factory = RegionFactory(trail, "eu-west-1")
    u = await _poll(factory, _topology("eu-west-1"), T0)
    by_name = {c.event_name: c for c in u.changes}
    assert set(by_name) == {"DetachRolePolicy", "RevokeSecurityGroupIngress"}
    assert (
        by_name["DetachRolePolicy"].region == "us-east-1" and by_name["DetachRolePolicy"].kind == "iam-policy"
    )
    assert by_name["RevokeSecurityGroupIngress"].region == "eu-west-1"
    assert ("us-east-1", "iam.amazonaws.com") in factory.calls
    assert u.window is not None and u.window.regions == ("eu-west-1", "us-east-1")


async def test_no_duplicate_lookup_when_the_api_is_in_us_east_1() -> None:
    trail = Trail("us-east-1", "123456789012")
    _detach(trail, T0 - 600)
    factory = RegionFactory(trail, "us-east-1")
    u = await _poll(factory, _topology("us-east-1"), T0)
    assert [c.event_name for c in u.changes] == ["DetachRolePolicy"]
    assert {value for _, value in factory.calls} == {"false"}  # only the ReadOnly=false lookup


async def test_page_cap_is_reported_as_a_truncated_window() -> None:
    trail = Trail("us-east-1", "123456789012")
    _detach(trail, T0 - 3 * 3600 + 0.5)  # the oldest event, past the cap
    for i in range(MAX_PAGES * 50 + 30):  # a busy account: many unrelated mutations, newest last
        trail.record(T0 - 3 * 3600 + 1 + i, "RunInstances", "ec2.amazonaws.com", "ci", [], {"x": str(i)})
    u = await _poll(RegionFactory(trail, "us-east-1"), _topology("us-east-1"), T0)
    assert u.window is not None and u.window.truncated_before is not None
    assert u.window.truncated_before > T0 - 3 * 3600 + 0.5
    assert not u.changes  # dropped, and the window says so instead of pretending
    p = ChangesPoller(
        RegionFactory(trail, "us-east-1"), FrozenClock(T0), _topology("us-east-1"), 60.0, tps=1000.0
    )
    await p.poll()
    assert p.status().note.startswith("truncated")


async def test_delivery_delay_window_makes_no_change_none_seen_yet() -> None:
    trail = Trail("us-east-1", "123456789012")
    u = await _poll(RegionFactory(trail, "us-east-1"), _topology("us-east-1"), T0)
    assert u.window is not None and u.window.settled_until == T0 - DELIVERY_DELAY_S == T0 - 300
    topo = _topology("us-east-1")
    unrelated = Change("e1", T0 - 4000, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex",
                       ("sg-elsewhere",), '{"groupId":"sg-elsewhere"}')  # fmt: skip
    onset = T0 - 120  # errors started 2 min ago: changes made just before may not be delivered
    five_xx = MetricSeries(
        MetricKey("AWS/ApiGateway", "5XXError", (("ApiName", "orders-prod"), ("Stage", "prod")), "Sum"),
        tuple((onset - 3600 + 60 * i, 0.0 if onset - 3600 + 60 * i < onset else 50.0) for i in range(62)),
    )
    obs = Observations(now=T0, topology=topo, metrics=(five_xx,), changes=(unrelated,), trail=u.window)
    f = run_check("recent-changes", obs)
    assert f.verdict == Verdict.UNKNOWN and "none seen yet" in f.why
    settled = replace(u.window, settled_until=T0)
    f = run_check("recent-changes", replace(obs, trail=settled))
    assert f.verdict != Verdict.UNKNOWN


async def test_change_kinds_on_the_path_are_collected_and_tagged() -> None:
    trail = Trail("us-east-1", "123456789012")
    t = T0 - 900
    rec = [
        ("ModifySecurityGroupRules", "ec2.amazonaws.com",
         {"ModifySecurityGroupRulesRequest": {"GroupId": SG, "SecurityGroupRule": {"Id": "sgr-1"}}},
         None),
        ("RevokeSecurityGroupEgress", "ec2.amazonaws.com",
         {"groupId": SG, "securityGroupRuleIds": {"items": [{"securityGroupRuleId": "sgr-2"}]}}, None),
        ("ReplaceNetworkAclEntry", "ec2.amazonaws.com", {"networkAclId": "acl-0a", "ruleNumber": 100}, None),
        ("ReplaceNetworkAclAssociation", "ec2.amazonaws.com",
         {"associationId": "aclassoc-0b", "networkAclId": "acl-new"}, None),
        ("ReplaceRoute", "ec2.amazonaws.com", {"routeTableId": "rtb-0a", "gatewayId": "igw-1"}, None),
        ("DisassociateRouteTable", "ec2.amazonaws.com", {"associationId": "rtbassoc-0a"}, None),
        ("PutFunctionConcurrency20171031", "lambda.amazonaws.com",
         {"functionName": "orders-fn", "reservedConcurrentExecutions": 0}, None),
        ("UpdateAlias20150331", "lambda.amazonaws.com",
         {"functionName": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn", "name": "live"}, None),
        ("PublishVersion20150331", "lambda.amazonaws.com", {"functionName": "orders-fn"}, None),
        ("UpdateService", "ecs.amazonaws.com", {"cluster": "orders", "service": "orders-svc"},
         {"service": {"serviceName": "orders-svc", "loadBalancers": [{"targetGroupArn": TG_ARN}]}}),
        ("UpdateDeploymentGroup", "codedeploy.amazonaws.com",
         {"applicationName": "orders", "loadBalancerInfo": {"targetGroupInfoList": [{"name": "orders-tg"}]}},
         None),
    ]  # fmt: skip
    for i, (name, source, params, response) in enumerate(rec):
        trail.record(t + i, name, source, "alex", [], params, response)
    u = await _poll(RegionFactory(trail, "us-east-1"), _topology("us-east-1"), T0)
    kinds = {c.event_name: c.kind for c in u.changes}
    assert kinds == {
        "ModifySecurityGroupRules": "security-group-rule",
        "RevokeSecurityGroupEgress": "security-group-rule",
        "ReplaceNetworkAclEntry": "network-acl",
        "ReplaceNetworkAclAssociation": "network-acl",
        "ReplaceRoute": "route-table",
        "DisassociateRouteTable": "route-table",
        # Lambda's API-version suffix is matched for the kind, and not shown as part of the name.
        "PutFunctionConcurrency": "lambda-concurrency",
        "UpdateAlias": "lambda-alias",
        "PublishVersion": "lambda-version",
        "UpdateService": "ecs-deployment",
        "UpdateDeploymentGroup": "codedeploy-deployment",
    }
    ecs = next(c for c in u.changes if c.event_name == "UpdateService")
    assert TG_ARN in ecs.resources


async def test_targets_without_subnets_still_poll() -> None:
    topo = replace(_topology("us-east-1"), subnets=())
    tg = topo.load_balancers[0].target_groups[0]
    assert all(isinstance(t, Target) for t in tg.targets)
    u = await _poll(RegionFactory(Trail("us-east-1", "1"), "us-east-1"), topo, T0)
    assert u.changes == ()
