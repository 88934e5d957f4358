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


def _integration(sim: Any, resource: str, method: str = "GET") -> dict[str, Any]:
    st = sim.world.state
    got = client(sim, "apigateway").get_integration(
        restApiId=st.api.id, resourceId=st.resources[resource].id, httpMethod=method
    )
    return dict(got)


def test_deregistering_targets_by_cli_breaks_the_path_and_registering_heals_it(sim_factory: Any) -> None:
    with _frozen(sim_factory, "healthy") as sim:
        elb = client(sim, "elbv2")
        tg = elb.describe_target_groups()["TargetGroups"][0]["TargetGroupArn"]
        described = elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
        targets = [{"Id": d["Target"]["Id"], "Port": d["Target"]["Port"]} for d in described]
        assert set(_health(sim)) == {"healthy"} and len(targets) == 4
        # `aws elbv2 deregister-targets --target-group-arn … --targets Id=10.0.1.10,Port=80 …`
        elb.deregister_targets(TargetGroupArn=tg, Targets=targets)
        event = _events(sim, "DeregisterTargets")[0]
        assert event["Username"] == "cli" and [r["ResourceName"] for r in event["Resources"]] == [tg]
        assert elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"] == []
        sim.advance(180)
        assert _status(sim.invoke_url + "/orders") == 504  # the NLB has nowhere to send it
        assert metric(sim, "5XXError", "Sum", minutes=1)[0] > 0
        elb.register_targets(TargetGroupArn=tg, Targets=targets)
        assert _events(sim, "RegisterTargets")[0]["Username"] == "cli"
        sim.advance(180)
        assert set(_health(sim)) == {"healthy"} and len(_health(sim)) == 4
        # Healed: the orders service answers again (its own 404 for ~3 % of requests is an answer).
        assert _status(sim.invoke_url + "/orders") in (200, 404)
        assert metric(sim, "5XXError", "Sum", minutes=1) == [0.0]


def test_a_target_the_world_has_no_task_for_is_left_to_moto(sim_factory: Any) -> None:
    with _frozen(sim_factory, "healthy") as sim:
        elb = client(sim, "elbv2")
        tg = elb.describe_target_groups()["TargetGroups"][0]["TargetGroupArn"]
        before = len(sim.world.trail.all())
        elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.0.9.99", "Port": 80}])
        assert len(sim.world.trail.all()) == before and len(_health(sim)) == 4


def test_integration_uri_fixed_by_cli_matches_the_certificate(sim_factory: Any) -> None:
    with _frozen(sim_factory, "tls-name-mismatch") as sim:
        st = sim.world.state
        assert _status(sim.invoke_url + "/partners") == 500
        # `aws apigateway update-integration --patch-operations op=replace,path=/uri,value=…`
        client(sim, "apigateway").update_integration(
            restApiId=st.api.id,
            resourceId=st.resources["partners"].id,
            httpMethod="GET",
            patchOperations=[
                {"op": "replace", "path": "/uri", "value": "https://legacy.partner.example.com/v1/quotes"}
            ],
        )
        event = _events(sim, "UpdateIntegration")[0]
        assert event["Username"] == "cli"
        assert _integration(sim, "partners")["uri"] == "https://legacy.partner.example.com/v1/quotes"
        assert _status(sim.invoke_url + "/partners") == 200


def test_integration_put_again_by_cli_repoints_and_retimes_the_route(sim_factory: Any) -> None:
    with _frozen(sim_factory, "tls-name-mismatch") as sim:
        st = sim.world.state
        # `aws apigateway put-integration --type HTTP_PROXY --integration-http-method GET --uri …
        #  --timeout-in-millis 5000`
        client(sim, "apigateway").put_integration(
            restApiId=st.api.id,
            resourceId=st.resources["partners"].id,
            httpMethod="GET",
            type="HTTP_PROXY",
            integrationHttpMethod="GET",
            uri="https://legacy.partner.example.com/v1/quotes",
            timeoutInMillis=5000,
        )
        assert _events(sim, "PutIntegration")[0]["Username"] == "cli"
        integ = st.resources["partners"].methods["GET"].integration
        assert integ is not None and integ.timeout_ms == 5000 and integ.backend == "partner-api"
        assert _status(sim.invoke_url + "/partners") == 200


def test_integration_timeout_lowered_by_cli_shortens_the_outage_latency(sim_factory: Any) -> None:
    with _frozen(sim_factory, "midnight-pager") as sim:
        st = sim.world.state
        sim.advance(120)
        assert metric(sim, "IntegrationLatency", "Maximum", minutes=1)[0] > 28000
        # Every route behind the VPC link, as `aws apigateway update-integration` one by one.
        routes = [
            (name, verb)
            for name, res in st.resources.items()
            for verb, m in res.methods.items()
            if m.integration is not None and m.integration.connection_type == "VPC_LINK"
        ]
        for name, verb in routes:
            client(sim, "apigateway").update_integration(
                restApiId=st.api.id,
                resourceId=st.resources[name].id,
                httpMethod=verb,
                patchOperations=[{"op": "replace", "path": "/timeoutInMillis", "value": "5000"}],
            )
        assert len(_events(sim, "UpdateIntegration")) == len(routes) >= 1
        assert _events(sim, "UpdateIntegration")[0]["Username"] == "cli"
        orders = _integration(sim, "orders")
        assert int(orders["timeoutInMillis"]) == 5000
        # The answer (and discovery after it) still carries the VPC link that moto alone drops.
        assert orders["connectionType"] == "VPC_LINK"
        assert orders["connectionId"] == st.vpc_links["orders-link"].id
        sim.advance(180)
        # Still failing (the security group still drops the SYNs), now after 5 s instead of 29 s.
        assert 4000 < metric(sim, "IntegrationLatency", "Maximum", minutes=1)[0] < 6000
        assert metric(sim, "5XXError", "Sum", minutes=1)[0] > 0
