"""Discovery against a moto world seeded like a real account.

Plain moto drops `connectionId` of VPC-link integrations (the sim's overlay restores it),
so the network half is driven here with the integration's connectionId filled in.
"""

from __future__ import annotations

import dataclasses

import pytest
from aws_moto_world import Seeded

from apigw_cockpit.aws._parts import Parts
from apigw_cockpit.aws.discovery import discover, lambda_arn_from_uri, resolve_stage_vars
from apigw_cockpit.aws.discovery_network import discover_network
from apigw_cockpit.aws.errors import AwsAccessError, ConfigError
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.model import Resource, Topology


def _factory(world: Seeded, api: str = "x", stage: str = "prod") -> ClientFactory:
    return ClientFactory(
        AwsSettings(api, stage, region="us-east-1", endpoint_url=world.endpoint, max_attempts=1)
    )


async def _discover(world: Seeded, api: str, stage: str = "prod") -> Topology:
    f = _factory(world, api, stage)
    try:
        return await discover(f, api, stage)
    finally:
        await f.aclose()


async def test_stage_resources_and_integration(moto_world: Seeded) -> None:
    topo = await _discover(moto_world, moto_world.api_id)
    assert topo.api_name == "orders-prod"
    assert topo.account == "123456789012"
    assert topo.endpoint_type == "REGIONAL"
    assert topo.stage.logging_level == "INFO"
    assert topo.stage.metrics_enabled
    assert dict(topo.stage.variables) == {"backendHost": "orders.internal"}
    assert topo.stage.deployment_id == moto_world.extra["deployment_id"]
    assert topo.log_groups.execution == f"API-Gateway-Execution-Logs_{moto_world.api_id}/prod"
    [(_res, method)] = [(r, m) for r, m in topo.methods() if r.path == "/orders"]
    integ = method.integration
    assert integ is not None and method.http_method == "GET"
    assert integ.type == "HTTP_PROXY"
    assert integ.uri == "http://${stageVariables.backendHost}/orders"
    assert integ.resolved_uri == "http://orders.internal/orders"
    assert integ.connection_type == "VPC_LINK"
    assert integ.timeout_ms == 29000
    assert method.method_response_codes == ("200",)


async def test_by_name(moto_world: Seeded) -> None:
    topo = await _discover(moto_world, "orders-prod")
    assert topo.api_id == moto_world.api_id


async def test_vpc_link_to_targets(moto_world: Seeded) -> None:
    topo = await _discover(moto_world, moto_world.api_id)
    res = topo.resources[-1]
    m = res.methods[0]
    assert m.integration is not None
    fixed = dataclasses.replace(m.integration, connection_id=moto_world.vpc_link_id)
    topo = dataclasses.replace(
        topo, resources=(Resource(res.id, res.path, (dataclasses.replace(m, integration=fixed),)),)
    )
    f = _factory(moto_world)
    parts = Parts()
    try:
        net = await discover_network(f, topo, [], parts)
    finally:
        await f.aclose()
    assert [v.id for v in net.vpc_links] == [moto_world.vpc_link_id]
    [lb] = net.load_balancers
    assert lb.arn == moto_world.nlb_arn
    assert sorted(lb.azs) == sorted(moto_world.subnets.items())
    assert sorted(lb.subnet_cidrs) == ["10.0.1.0/24", "10.0.2.0/24"]
    assert lb.listener_ports == (80,)
    [tg] = lb.target_groups
    assert tg.arn == moto_world.tg_arn and tg.port == 8080
    assert sorted(t.id for t in tg.targets) == sorted(moto_world.target_ips)
    assert {t.az for t in tg.targets} == {"us-east-1a", "us-east-1b"}
    assert all(t.security_groups == (moto_world.target_sg,) for t in tg.targets)
    sg = next(s for s in net.security_groups if s.id == moto_world.target_sg)
    assert [(r.protocol, r.from_port, r.to_port, r.cidr) for r in sg.ingress] == [
        ("tcp", 8080, 8080, "10.0.0.0/16")
    ]
    assert net.vpc_cidr == "10.0.0.0/16"
    assert not [e for e in parts.errors if e.operation != "DescribeFlowLogs"], parts.errors


async def test_lambda_and_policy(moto_world: Seeded) -> None:
    topo = await _discover(moto_world, moto_world.lambda_api_id)
    [fn] = topo.lambdas
    assert fn.name == "orders-fn" and fn.timeout_s == 10 and fn.role_arn == moto_world.role_arn
    assert fn.log_group == "/aws/lambda/orders-fn"
    [stmt] = fn.resource_policy
    assert stmt.principals == ("apigateway.amazonaws.com",)
    assert stmt.source_arn == moto_world.extra["source_arn"]
    assert "lambda:InvokeFunction" in stmt.actions
    [role] = topo.roles
    assert role.arn == moto_world.role_arn
    assert any("logs:*" in s.actions for s in role.statements)
    assert topo.log_groups.lambdas == ("/aws/lambda/orders-fn",)
    assert topo.integrations()[0].lambda_arn == moto_world.fn_arn


async def test_unknown_api_and_stage_are_config_errors(moto_world: Seeded) -> None:
    with pytest.raises(ConfigError, match="unknown REST API"):
        await _discover(moto_world, "nope-nope")
    with pytest.raises(ConfigError, match="unknown stage"):
        await _discover(moto_world, moto_world.api_id, "staging")


async def test_unreachable_endpoint_is_access_error() -> None:
    f = ClientFactory(
        AwsSettings("a", "prod", region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)
    )
    try:
        with pytest.raises(AwsAccessError, match="unreachable"):
            await discover(f, "a", "prod")
    finally:
        await f.aclose()


def test_helpers() -> None:
    assert resolve_stage_vars("http://${stageVariables.h}:${stageVariables.p}/x", {"h": "a"}) == (
        "http://a:${stageVariables.p}/x"
    )
    fn = "arn:aws:lambda:us-east-1:1:function:f"
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations"
    assert lambda_arn_from_uri(uri) == "arn:aws:lambda:us-east-1:1:function:f"
