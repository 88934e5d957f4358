"""The verification screen runs the probes a person must start: V1 (invoke URL) and V6 (bounded
load test, with progress) on `P`, V5 (TestInvokeMethod) on `T` only after a yes. Real cockpit, real
feed, the simulated world after the drill's fix; waits are condition-based with deadlines."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_cockpit.model import LoadTestResult, ProbeResult
from apigw_cockpit.model import TestInvokeResult as InvokeResult  # not a test class for pytest
from apigw_cockpit.ui.screens.verification import LOAD_REQUESTS, VerificationScreen

from .test_drill_pilot import FIRST_DATA_S, SCENARIO, cockpit

pytestmark = pytest.mark.sim

PROBE_S = 30.0


async def test_probes_from_the_verification_screen(sim_factory: Any, aws_env: Any) -> None:
    with sim_factory(SCENARIO, frozen=True) as sim:
        sim.apply_fix()
        sim.advance(10 * 60)  # the world has recovered before the cockpit opens
        async with cockpit(sim) as drill:
            await drill.until(lambda: drill.app.state.metrics, FIRST_DATA_S, "first data")
            await drill.press("F", "v")
            await drill.until(lambda: isinstance(drill.app.screen, VerificationScreen), 5, "verification")
            state = drill.app.state

            await drill.press("T", "n")  # declined: nothing is sent
            await drill.pilot.pause()
            assert not any(isinstance(p, InvokeResult) for p in state.probe_results)

            await drill.press("P")
            await drill.until(
                lambda: any(isinstance(p, LoadTestResult) for p in state.probe_results), PROBE_S, "load test"
            )
            probe = next(p for p in state.probe_results if isinstance(p, ProbeResult))
            load = next(p for p in state.probe_results if isinstance(p, LoadTestResult))
            assert probe.status == 200 and load.requests == LOAD_REQUESTS and load.errors == 0

            await drill.press("T", "y")
            await drill.until(
                lambda: any(isinstance(p, InvokeResult) for p in state.probe_results), PROBE_S, "V5"
            )
            await drill.until_text(r"pass A request through the invoke URL", 5)
            await drill.until_text(r"pass TestInvokeMethod returns", 5)
            await drill.until_text(r"pass A bounded load test holds", 5)
