"""Discovery reads what the checks need beyond the happy path, through real clients and the sim."""

from __future__ import annotations

import boto3
import pytest

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings

pytestmark = pytest.mark.sim


async def test_subnets_nacls_route_tables_cidrs_account_and_method_settings(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("midnight-pager", frozen=True, backfill=60) as sim:
        ec2 = boto3.client("ec2", endpoint_url=sim.endpoint_url, region_name="us-east-1")
        apigw = boto3.client("apigateway", endpoint_url=sim.endpoint_url, region_name="us-east-1")
        vpc_id = sim.world.state.vpc.id
        # A secondary CIDR (health checks may come from it) and a per-method logging override.
        ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="100.64.0.0/16")
        apigw.update_stage(
            restApiId=sim.api_id,
            stageName=sim.stage,
            patchOperations=[{"op": "replace", "path": "/~1orders/GET/logging/loglevel", "value": "OFF"}],
        )
        # A flow log on one target subnet only (not the VPC): it must still be found.
        cidr = sim.world.state.subnets[next(iter(sim.world.state.targets.values())).subnet].cidr
        in_vpc = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        subnet_id = next(s["SubnetId"] for s in in_vpc if s["CidrBlock"] == cidr)
        ec2.create_flow_logs(
            ResourceIds=[subnet_id], ResourceType="Subnet", TrafficType="ALL",
            LogGroupName="/vpc/subnet-flow", DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow",
        )  # fmt: skip
        factory = ClientFactory(
            AwsSettings(sim.api_id, "prod", endpoint_url=sim.endpoint_url, max_attempts=1)
        )
        try:
            topo = await discover(factory, sim.api_id, sim.stage)
        finally:
            await factory.aclose()
    assert topo.vpc_cidrs[0] == topo.vpc_cidr and "100.64.0.0/16" in topo.vpc_cidrs
    [lb] = topo.load_balancers
    targets = lb.target_groups[0].targets
    assert all(t.subnet_id.startswith("subnet-") and t.eni_id.startswith("eni-") for t in targets)
    on_path = {sn for _, sn in lb.azs} | {t.subnet_id for t in targets}
    assert {s.id for s in topo.subnets} == on_path
    for s in topo.subnets:
        assert s.network_acl_id.startswith("acl-") and s.route_table_id.startswith("rtb-"), s
    ids = topo.resource_ids()
    assert {s.network_acl_id for s in topo.subnets} <= ids and {t.eni_id for t in targets} <= ids
    assert (topo.cloudwatch_role_arn or "").endswith(":role/apigateway-cloudwatch-logs")  # GetAccount read
    keys = {m.key: m.logging_level for m in topo.stage.method_settings}
    assert keys.get("~1orders/GET") == "OFF"
    assert topo.stage.deployment_created > 0
    assert "/vpc/subnet-flow" in topo.log_groups.flow_logs
    assert not [e for e in topo.errors if e.operation in {"DescribeNetworkAcls", "DescribeRouteTables"}]
