"""check/verify over the real feed against the simulated world (one scenario, frozen clock)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from apigw_cockpit.service.observe import check_once
from apigw_cockpit.service.verify import verify_once

pytestmark = pytest.mark.sim


def _settings(sim: Any) -> Any:
    from apigw_cockpit.aws import AwsSettings

    return AwsSettings(
        api_id=sim.api_id,
        stage=sim.stage,
        region=sim.region,
        endpoint_url=sim.endpoint_url,
        invoke_url=sim.invoke_url,
        max_attempts=1,
    )


def test_midnight_pager_check_then_fix_then_verify(sim_factory: Any, aws_env: dict[str, str]) -> None:
    with sim_factory("midnight-pager", frozen=True, backfill=1800) as sim:
        settings = _settings(sim)
        diagnosis, _obs = asyncio.run(check_once(settings, sim.clock, deadline_s=30))
        assert diagnosis.root_cause == "sg-blocks-nlb-targets", diagnosis.hypotheses[:2]
        assert diagnosis.has_errors
        failing = {f.check_id for f in diagnosis.findings if f.verdict == "error"}
        assert {"security-groups", "target-health", "exec-log-errors"} <= failing

        sim.apply_fix()
        fix_time = sim.clock.now()
        sim.advance(6 * 60)
        steps, _ = asyncio.run(verify_once(settings, sim.clock, fix_time))
        status = {s.id: s.status for s in steps}
        assert status["V1"] == "pass", steps[0].evidence[:2]
        assert status["V2"] == "pass", steps[1]
        assert status["V3"] == "pass", steps[2]
        assert status["V5"] == "pending" and status["V6"] == "pending"
