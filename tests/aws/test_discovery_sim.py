"""Discovery against the simulated world (moto behind the project's overlay), through real clients."""

from __future__ import annotations

import pytest

from apigw_cockpit.aws._parts import Parts
from apigw_cockpit.aws.discovery import discover, lambda_arn_from_uri, resolve_stage_vars
from apigw_cockpit.aws.errors import AwsAccessError
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.errors import ConfigError

pytestmark = pytest.mark.sim


def _factory(sim: object, api: str = "x") -> ClientFactory:
    settings = AwsSettings(api, "prod", endpoint_url=sim.endpoint_url, max_attempts=1)  # type: ignore[attr-defined]
    return ClientFactory(settings, sim.clock)  # type: ignore[attr-defined]


async def test_midnight_pager(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("midnight-pager", frozen=True, backfill=60) as sim:
        f = _factory(sim)
        try:
            topo = await discover(f, sim.api_id, sim.stage)
            by_name = await discover(f, topo.api_name, sim.stage)
            with pytest.raises(ConfigError, match="unknown REST API"):
                await discover(f, "no-such-api", sim.stage)
            with pytest.raises(ConfigError, match="unknown stage 'staging'"):
                await discover(f, sim.api_id, "staging")
            snap = f.meter.snapshot()
        finally:
            await f.aclose()
    assert by_name.api_id == topo.api_id == sim.api_id
    assert topo.account == "123456789012" and topo.region == "us-east-1"
    assert topo.stage.name == "prod" and topo.stage.deployment_id
    # The VPC-link path: API → /orders → VPC link → NLB → 4 targets, their SGs and AZs.
    vl_integ = [i for i in topo.integrations() if i.connection_type == "VPC_LINK"]
    assert vl_integ and vl_integ[0].connection_id == topo.vpc_links[0].id
    assert vl_integ[0].type in {"HTTP_PROXY", "HTTP"} and vl_integ[0].resolved_uri.startswith("http")
    [link] = topo.vpc_links
    assert link.status == "AVAILABLE"
    [lb] = topo.load_balancers
    assert link.target_arns == (lb.arn,) and lb.name == "orders-nlb"
    assert sorted(z for z, _ in lb.azs) == ["us-east-1a", "us-east-1b"]
    [tg] = lb.target_groups
    assert len(tg.targets) == 4
    assert {t.az for t in tg.targets} == {"us-east-1a", "us-east-1b"}
    target_sgs = {sg for t in tg.targets for sg in t.security_groups}
    assert target_sgs and all(t.security_groups for t in tg.targets)
    for sg_id in target_sgs:
        sg = topo.security_group(sg_id)
        assert sg is not None and sg.vpc_id == lb.vpc_id
    assert topo.vpc_cidr
    # …and exactly the world's targets, ports, zones and security groups (ids bound from moto).
    state = sim.world.state
    world_targets = {(t.ip, t.port, t.az) for t in state.targets.values()}
    assert {(t.id, t.port, t.az) for t in tg.targets} == world_targets
    sg_ids = {state.security_groups[n].id if n in state.security_groups else n for t in state.targets.values()
              for n in t.security_groups}  # fmt: skip
    assert target_sgs == sg_ids
    assert topo.log_groups.execution == f"API-Gateway-Execution-Logs_{sim.api_id}/prod"
    # Lambda-backed routes of the same API come with their resource policies.
    assert topo.lambdas and all(fn.log_group.startswith("/aws/lambda/") for fn in topo.lambdas)
    # The meter saw discovery: every call it made is metered, none refused.
    assert snap.total_calls > 10 and "GetRestApi" in snap.calls_per_min


async def test_lambda_scenario_policy(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("lambda-permission-missing", frozen=True, backfill=60) as sim:
        f = _factory(sim)
        try:
            topo = await discover(f, sim.api_id, sim.stage)
        finally:
            await f.aclose()
    fn = next(fn for fn in topo.lambdas if fn.name == "users-fn")
    assert fn.timeout_s > 0 and fn.role_arn.startswith("arn:aws:iam::")
    integ = next(i for i in topo.integrations() if ":function:users-fn" in i.lambda_arn)
    assert integ.type == "AWS_PROXY" and topo.lambda_by_arn(integ.lambda_arn) == fn
    # The scenario removed the permission: no statement lets API Gateway invoke, or no policy at all.
    allows = [s for s in fn.resource_policy if "apigateway.amazonaws.com" in s.principals]
    if not allows:
        assert any(e.part == "lambda-policy:users-fn" for e in topo.errors) or fn.resource_policy == ()
    other = [x for x in topo.lambdas if x.name != "users-fn" and x.resource_policy]
    prefix = f"arn:aws:execute-api:us-east-1:123456789012:{sim.api_id}/"
    assert any(s.source_arn.startswith(prefix) for x in other for s in x.resource_policy)
    assert topo.roles and all(r.arn.startswith("arn:aws:iam::") for r in topo.roles)


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
    assert (
        lambda_arn_from_uri(f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations")
        == fn
    )
    assert Parts().errors == []
