"""The execution-role story for an API outside us-east-1: the IAM change is found in us-east-1.

Through the real client stack against the simulated world, whose CloudTrail answers per
signed region (IAM events live in us-east-1, like AWS since November 2021).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.changes import ChangesPoller
from apigw_cockpit.model import ChangesUpdate

pytestmark = pytest.mark.sim


async def test_iam_change_is_seen_for_an_api_in_eu_west_1(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("execution-role-missing-invoke", frozen=True, backfill=60) as sim:
        home = ClientFactory(AwsSettings(sim.api_id, "prod", endpoint_url=sim.endpoint_url, max_attempts=1))
        away = ClientFactory(
            AwsSettings(
                sim.api_id, "prod", region="eu-west-1", endpoint_url=sim.endpoint_url, max_attempts=1
            ),
            sim.clock,
        )
        try:
            topo = replace(await discover(home, sim.api_id, sim.stage), region="eu-west-1")
            p = ChangesPoller(away, sim.clock, topo, 60.0, tps=100.0)
            [u] = await p.poll()
            calls = away.meter.snapshot().calls_per_min
        finally:
            await home.aclose()
            await away.aclose()
    assert isinstance(u, ChangesUpdate) and u.window is not None
    detach = [c for c in u.changes if c.event_name == "DetachRolePolicy"]
    assert detach and detach[0].region == "us-east-1" and detach[0].kind == "iam-policy"
    assert "apigw-invoke-role" in " ".join(detach[0].resources)
    assert u.window.regions == ("eu-west-1", "us-east-1")
    assert calls.get("LookupEvents", 0) >= 2  # the regional lookup and the us-east-1 one
