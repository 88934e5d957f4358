"""The standalone world reacts to writes a person makes with the AWS CLI / an SDK.

Each fix is sent the way `aws …` sends it (botocore, the same wire format), never through the
world's own primitives, and the assertions are on what AWS would show afterwards: the
resource as described by the API, the CloudTrail event with the caller, the target health
and the invoke URL's answers.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from helpers import client, metric

from apigw_cockpit.demo.world import load_scenario
from apigw_cockpit.model import FrozenClock

pytestmark = pytest.mark.sim


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=40) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def _frozen(sim_factory: Any, name: str) -> Any:
    sc = load_scenario(name)
    return sim_factory(sc, clock=FrozenClock(sc.start), backfill=600)


def _events(sim: Any, name: str) -> list[dict[str, Any]]:
    got = client(sim, "cloudtrail").lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}]
    )
    return list(got["Events"])


def _health(sim: Any) -> list[str]:
    elb = client(sim, "elbv2")
    states = []
    for tg in elb.describe_target_groups()["TargetGroups"]:
        for d in elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]:
            states.append(d["TargetHealth"]["State"])
    return states


def _tasks_group(sim: Any) -> dict[str, Any]:
    """The tasks' group as `aws ec2 describe-security-groups` shows it (its id from the story)."""
    group_id = sim.world.state.security_groups["tasks-sg"].id
    return dict(client(sim, "ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0])


def test_security_group_fix_by_cli_heals_the_targets_and_is_in_cloudtrail(sim_factory: Any) -> None:
    with _frozen(sim_factory, "midnight-pager") as sim:
        ec2 = client(sim, "ec2")
        group = _tasks_group(sim)
        assert set(_health(sim)) == {"unhealthy"}
        before = len(_events(sim, "AuthorizeSecurityGroupIngress"))
        # `aws ec2 authorize-security-group-ingress --group-id … --protocol tcp --port 80 --cidr …`
        ec2.authorize_security_group_ingress(
            GroupId=group["GroupId"], IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="10.0.0.0/16"
        )
        # `--ip-permissions` form
        ec2.revoke_security_group_ingress(
            GroupId=group["GroupId"],
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.20.0.0/16"}]}
            ],
        )
        authorized = _events(sim, "AuthorizeSecurityGroupIngress")
        assert len(authorized) == before + 1  # the mirror's own sync is not recorded again
        assert authorized[0]["Username"] == "cli"
        assert [r["ResourceName"] for r in authorized[0]["Resources"]] == [group["GroupId"]]
        assert _events(sim, "RevokeSecurityGroupIngress")[0]["Username"] == "cli"
        sim.advance(180)
        assert set(_health(sim)) == {"healthy"}
        assert _status(sim.invoke_url + "/orders") == 200
        assert metric(sim, "5XXError", "Sum", minutes=1) == [0.0]
        described = ec2.describe_security_groups(GroupIds=[group["GroupId"]])["SecurityGroups"][0]
        cidrs = {r["CidrIp"] for p in described["IpPermissions"] for r in p["IpRanges"]}
        assert cidrs == {"10.0.0.0/16"}


def test_breaking_by_cli_starts_an_incident(sim_factory: Any) -> None:
    with _frozen(sim_factory, "healthy") as sim:
        ec2 = client(sim, "ec2")
        group = _tasks_group(sim)
        for perm in group["IpPermissions"]:
            ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=[perm])
        sim.advance(180)
        assert set(_health(sim)) == {"unhealthy"}
        assert metric(sim, "5XXError", "Sum", minutes=1)[0] > 0


def test_lambda_permission_added_by_cli_lets_api_gateway_invoke(sim_factory: Any) -> None:
    with _frozen(sim_factory, "lambda-permission-missing") as sim:
        st = sim.world.state
        fn = st.lambdas["users-fn"]
        assert _status(sim.invoke_url + "/users") == 500
        client(sim, "lambda").add_permission(
            FunctionName=fn.arn,  # an ARN, as people paste it
            StatementId="apigw-invoke",
            Action="lambda:InvokeFunction",
            Principal="apigateway.amazonaws.com",
            SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{st.api.id}/*/GET/users",
        )
        # Lambda's CloudTrail event names carry the API version.
        assert _events(sim, "AddPermission20150331v2")[0]["Username"] == "cli"
        assert _status(sim.invoke_url + "/users") == 200


def test_role_policy_attached_by_cli_restores_the_credentials_role(sim_factory: Any) -> None:
    with _frozen(sim_factory, "execution-role-missing-invoke") as sim:
        iam = client(sim, "iam")
        role = next(r for r in sim.world.state.roles.values() if r.name == "apigw-invoke-role")
        policy = role.policies["invoke-lambda"]
        assert _status(sim.invoke_url + "/invoices") == 500
        iam.attach_role_policy(RoleName=role.arn.rsplit("/", 1)[-1], PolicyArn=policy.arn)
        assert policy.attached
        assert _events(sim, "AttachRolePolicy")[0]["Username"] == "cli"
        assert _status(sim.invoke_url + "/invoices") == 200


def test_a_write_the_world_cannot_express_is_left_to_moto(sim_factory: Any) -> None:
    with _frozen(sim_factory, "midnight-pager") as sim:
        ec2 = client(sim, "ec2")
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        other = ec2.create_security_group(GroupName="unrelated", Description="x", VpcId=vpc)["GroupId"]
        before = len(sim.world.trail.all())
        ec2.authorize_security_group_ingress(
            GroupId=other, IpProtocol="tcp", FromPort=443, ToPort=443, CidrIp="0.0.0.0/0"
        )
        assert len(sim.world.trail.all()) == before
        rules = ec2.describe_security_groups(GroupIds=[other])["SecurityGroups"][0]["IpPermissions"]
        assert rules[0]["FromPort"] == 443  # moto kept it, as AWS would


def test_a_write_moto_refuses_changes_nothing(sim_factory: Any) -> None:
    with _frozen(sim_factory, "midnight-pager") as sim:
        before = len(sim.world.trail.all())
        lam = client(sim, "lambda")
        with pytest.raises(lam.exceptions.ResourceNotFoundException):
            lam.remove_permission(FunctionName="users-fn", StatementId="no-such-sid")
        assert len(sim.world.trail.all()) == before
