"""Every built-in scenario, end to end through the real stack (aws/ pollers → diagnose) on loopback:
the diagnosis names the scenario's root cause first, and after the drill's fix the verification
checklist V1–V6 passes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from apigw_cockpit.commands.demo import sim_settings
from apigw_cockpit.demo.world import list_scenarios
from apigw_cockpit.service.observe import check_once
from apigw_cockpit.service.verify import verify_once
from world_pending import AWAITING_WORLD

pytestmark = pytest.mark.sim  # every test here starts the simulated world

SCENARIOS = [s.id for s in list_scenarios()]
RECOVERY_S = 10 * 60  # simulated time after the fix before verifying (health checks, V2's periods)


def test_every_root_cause_has_a_scenario() -> None:
    from apigw_cockpit.diagnose import ROOT_CAUSES

    covered = {s.root_cause for s in list_scenarios()}
    assert set(ROOT_CAUSES) - AWAITING_WORLD <= covered


@pytest.mark.xfail(strict=True, reason="built-in scenarios for these come with the world half of issue 13")
def test_new_root_causes_have_built_in_scenarios() -> None:
    covered = {s.root_cause for s in list_scenarios()}
    assert covered >= AWAITING_WORLD


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_drill_diagnoses_then_verifies_fix(scenario: str, sim_factory: Any, aws_env: Any) -> None:
    with sim_factory(scenario, frozen=True) as sim:
        settings = sim_settings(sim, max_attempts=2)
        diagnosis, _ = asyncio.run(check_once(settings, sim.clock, deadline_s=20))
        ranked = [h.root_cause for h in diagnosis.hypotheses]
        expected = sim.scenario.root_cause
        if expected == "none":
            assert not ranked or ranked[0] == "none", ranked
            return
        assert ranked and ranked[0] == expected, ranked

        sim.apply_fix()
        fixed_at = sim.clock.now()
        sim.advance(RECOVERY_S)
        steps, _ = asyncio.run(verify_once(settings, sim.clock, fixed_at, test_invoke=True, load=40))
        failed = [(s.id, s.status, s.evidence[:2]) for s in steps if s.status != "pass"]
        assert not failed, failed
