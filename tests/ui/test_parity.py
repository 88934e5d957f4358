"""Parity: for every built-in scenario, the diagnosis the running cockpit shows equals what
`check --json` says on the same world at the same (frozen) time.

One world per scenario, frozen clock (its backfill already holds the incident), `check` first, then
the cockpit under Pilot on the same world: every poller's first round, the engine's answer, the
checks screen (`c`). Compared: the root cause, the ranked hypotheses (cause and confidence) and
every finding's check id and verdict, both from the app's engine result and from the screen text.
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
from apigw_cockpit.ui.app import build_app
from apigw_cockpit.ui.screens.info import InfoScreen

from .conftest import screen_text

pytestmark = pytest.mark.sim

SCENARIOS = [s.id for s in list_scenarios()]
SIZE = (140, 50)  # tall enough for every finding on the checks screen
FIRST_ROUND_S = 90.0  # discovery and the first answer of every poller, on a loaded box
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
async def test_cockpit_shows_what_check_says(scenario: str, sim_factory: Any, aws_env: Any) -> None:
    with sim_factory(scenario, frozen=True) as sim:
        settings = sim_settings(sim, live_tail=False, max_attempts=2)
        diagnosis, obs = await check_once(settings, sim.clock, deadline_s=FIRST_ROUND_S)
        expected = diagnosis_json(diagnosis, obs)

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
                result = await app.diagnosis_settled()
                assert result is not None
                assert result.at == obs.now  # the same instant of the same world
                shown = result_json(result)
                assert _essence(shown) == _essence(expected)

                await pilot.press("c")
                await _until(lambda: isinstance(app.screen, InfoScreen), pilot, 5, "the checks screen")
                text = screen_text(app)
        finally:
            await feed.aclose()

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
