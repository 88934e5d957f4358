"""The loop an on-call engineer runs: verify fails during the outage → the fix is made with the
AWS API (what `aws ec2 authorize-security-group-ingress …` sends, not a world primitive) → the
diagnosis says the incident is over → `verify --since <fix>` passes.

`check` and `verify` run in-process on the world's clock (a frozen clock the test moves), so the
minutes a recovery needs (health-check thresholds, complete metric periods, the integration
timeout) take seconds; the README shows the same loop against the standalone server by hand.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from helpers import client

from apigw_cockpit.commands.verify import verify_run
from apigw_cockpit.service.observe import check_once

pytestmark = pytest.mark.sim


def _settings(sim: Any) -> Any:
    from apigw_cockpit.aws import AwsSettings

    return AwsSettings(
        api_id=sim.api_id, stage=sim.stage, region=sim.region, endpoint_url=sim.endpoint_url,
        invoke_url=sim.invoke_url,
    )  # fmt: skip


def test_break_fix_verify_through_the_aws_api(sim_factory: Any, aws_env: Any) -> None:
    with sim_factory("midnight-pager", frozen=True, backfill=1800) as sim:
        settings = _settings(sim)
        before, _, _ = asyncio.run(verify_run(settings, sim.clock, sim.clock.now() - 600, load=20))
        failing = {s.id for s in before if s.status == "fail"}
        assert {"V1", "V6"} <= failing, [(s.id, s.status, s.evidence[:1]) for s in before]

        fix_at = sim.clock.now()
        ec2 = client(sim, "ec2")
        group = sim.world.state.security_groups["tasks-sg"].id
        ec2.authorize_security_group_ingress(
            GroupId=group, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="10.0.0.0/16"
        )
        ec2.revoke_security_group_ingress(
            GroupId=group, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="10.20.0.0/16"
        )
        sim.advance(900)

        diagnosis, _ = asyncio.run(check_once(settings, sim.clock))
        assert diagnosis.root_cause in ("none", "recovered"), diagnosis.root_cause
        after, _, _ = asyncio.run(verify_run(settings, sim.clock, fix_at, load=20))
        assert all(s.status == "pass" for s in after if s.id != "V5"), [
            (s.id, s.status, s.evidence[:1]) for s in after
        ]
        # V5 (TestInvokeMethod) waits for a confirmation that was not given: pending, not a pass.
        assert next(s for s in after if s.id == "V5").status == "pending"
