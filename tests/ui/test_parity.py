"""Every built-in scenario end to end, through the real stack (aws/ pollers → diagnose) on loopback.

One world per scenario, frozen clock (its backfill already holds the incident):
1. `check` names the scenario's root cause first;
2. parity: the running cockpit (Pilot, same world, same instant) shows what `check --json` says —
   the root cause, the ranked hypotheses (cause and confidence) and every finding's check id and
   verdict, both from the app's engine result and from the checks screen's text;
3. the drill: after the scenario's fix and 10 simulated minutes, verification V1–V6 passes.

One world serves all three because starting one (moto, a 1 h backfill) and its first `check`
round are most of the cost; two tests per scenario paid them twice.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from apigw_cockpit import paths
from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.commands.demo import sim_settings
from apigw_cockpit.config import Settings
from apigw_cockpit.demo.world import list_scenarios
from apigw_cockpit.diagnose.report import diagnosis_json, result_json
from apigw_cockpit.service.observe import check_once
from apigw_cockpit.service.verify import verify_once
from apigw_cockpit.ui.app import build_app
from apigw_cockpit.ui.screens.info import InfoScreen

from .conftest import screen_text

pytestmark = pytest.mark.sim

SCENARIOS = [s.id for s in list_scenarios()]
SIZE = (140, 50)  # tall enough for every finding on the checks screen
FIRST_ROUND_S = 90.0  # discovery and the first answer of every poller, on a loaded box
RECOVERY_S = 10 * 60  # simulated time after the fix before verifying (health checks, V2's periods)
_FINDING_LINE = re.compile(r"^\W*\s*(ok|warn|error|unknown) (\S+)\s", re.M)


def _essence(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "root_cause": doc["root_cause"],
        "onset": doc["onset"],
        "hypotheses": [(h["root_cause"], h["confidence"]) for h in doc["hypotheses"]],
        "findings": [(f["check_id"], f["verdict"]) for f in doc["findings"]],
    }


async def _until(condition: Any, pilot: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await pilot.pause(0.05)


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_scenario_end_to_end(scenario: str, sim_factory: Any, aws_env: Any) -> None:
    with sim_factory(scenario, frozen=True) as sim:
        settings = sim_settings(sim, live_tail=False, max_attempts=2)
        diagnosis, obs = await check_once(settings, sim.clock, deadline_s=FIRST_ROUND_S)
        expected = diagnosis_json(diagnosis, obs)
        ranked = [h.root_cause for h in diagnosis.hypotheses]
        cause = sim.scenario.root_cause
        if cause == "none":
            assert not ranked or ranked[0] == "none", ranked
        else:
            assert ranked and ranked[0] == cause, ranked

        feed = await open_feed(settings, sim.clock)
        builtin = paths.builtin_themes_dir()
        try:
            app = build_app(Settings(), feed, sim.clock, theme_dirs=[builtin] if builtin else [])
            app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=SIZE) as pilot:
                pollers = list(feed.pollers)
                await _until(
                    lambda: all(p.last_ok is not None or p.last_error for p in pollers),
                    pilot,
                    FIRST_ROUND_S,
                    "every poller's first round",
                )
                await pilot.pause()  # their last messages into the store
                result = await app.engine.settled()
                assert result is not None
                assert result.at == obs.now  # the same instant of the same world
                shown = result_json(result)
                assert _essence(shown) == _essence(expected)

                await pilot.press("c")
                await _until(lambda: isinstance(app.screen, InfoScreen), pilot, 5, "the checks screen")
                text = screen_text(app)
        finally:
            await feed.aclose()

        if cause != "none":  # the drill: fix, let the world recover, prove it
            sim.apply_fix()
            fixed_at = sim.clock.now()
            sim.advance(RECOVERY_S)
            steps, _ = await verify_once(settings, sim.clock, fixed_at, test_invoke=True, load=40)
            failed = [(s.id, s.status, s.evidence[:2]) for s in steps if s.status != "pass"]
            assert not failed, failed

    # What a person reads on the checks screen is that same answer.
    top = expected["root_cause"]
    if top is not None:
        assert f"suspect {top}" in text
    on_screen = [(m.group(2), m.group(1)) for m in _FINDING_LINE.finditer(text)]
    assert on_screen == _essence(expected)["findings"]
    if scenario == "sg-blocks-nlb-targets":
        # Issue 11's symptom: the cockpit said flow-logs "unknown (no data)" while `check` said error.
        flow = next(f for f in expected["findings"] if f["check_id"] == "flow-logs")
        assert flow["verdict"] == "error" and "REJECT" in flow["summary"]
        count = re.search(r"\d+ REJECT", flow["summary"])
        assert count is not None and count.group(0) in text
