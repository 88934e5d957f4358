"""Live configuration: a fix made with the AWS CLI reaches the checks without a restart.

The feed runs with its default intervals against the standalone world at a high speed; the fix
is a person's `authorize-security-group-ingress` (not a world primitive), so the path is the
real one: CloudTrail event → changes source → rediscovery → TopologyUpdate → every poller and
the checks read the new configuration.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from helpers import client

from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.diagnose.checks import run_checks
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.model import ChangesUpdate, TopologyUpdate, Update, Verdict

pytestmark = pytest.mark.sim

SPEED = 60.0  # default intervals: changes every 60 s simulated = 1 s here


def _sg_verdict(builder: ObservationBuilder, now: float) -> Verdict:
    findings = run_checks(builder.build(now), ["security-groups"])
    return findings[0].verdict


async def _until(stream: Any, builder: ObservationBuilder, pred: Any, timeout: float) -> Update:
    async def scan() -> Update:
        async for u in stream:
            builder.add(u)
            if pred(u):
                return u  # type: ignore[no-any-return]
        raise AssertionError("feed ended")

    return await asyncio.wait_for(scan(), timeout)


async def test_a_fix_by_cli_is_rediscovered_and_the_check_goes_green(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sim_factory("midnight-pager", speed=SPEED, backfill=600) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        settings = AwsSettings(sim.api_id, sim.stage, endpoint_url=sim.endpoint_url, backfill_s=600)
        feed = await open_feed(settings, sim.clock)
        builder = ObservationBuilder(feed.topology)
        stream = feed.updates()
        try:
            assert _sg_verdict(builder, sim.clock.now()) is Verdict.ERROR
            await _until(stream, builder, lambda u: isinstance(u, ChangesUpdate), timeout=30)
            group = sim.world.state.security_groups["tasks-sg"].id
            client(sim, "ec2").authorize_security_group_ingress(
                GroupId=group, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="10.0.0.0/16"
            )
            got = await _until(stream, builder, lambda u: isinstance(u, TopologyUpdate), timeout=30)
            assert isinstance(got, TopologyUpdate)
            assert got.reason.startswith("change: AuthorizeSecurityGroupIngress")
            assert "security_groups" in got.parts
            assert feed.topology is got.topology and feed.probes.topology is got.topology
            assert _sg_verdict(builder, sim.clock.now()) is not Verdict.ERROR
        finally:
            await stream.aclose()
            await feed.aclose()
