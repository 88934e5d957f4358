"""Run a loaded scenario briefly on a frozen clock, so a bad value fails at load, not mid-demo.

`parse_scenario` checks types and references; some values are only used when the world runs
(an action's `port = "eighty"`, a backend's status weights). `rehearse` builds the real World,
applies every timed action, runs a minute of traffic after the last one, applies the fix and
runs two more seconds: any failure becomes one ScenarioError line before a server starts.
About 15 ms per built-in scenario (traffic is bounded by `scenario.MAX_RATE_PER_MIN`).
"""

from __future__ import annotations

from apigw_cockpit.demo.world.engine import World
from apigw_cockpit.demo.world.errors import ScenarioError
from apigw_cockpit.demo.world.scenario import Scenario
from apigw_cockpit.model import FrozenClock

TRAFFIC_S = 60.0  # one minute: every per-second and per-minute path of the engine runs once


def rehearse(scenario: Scenario) -> None:
    last = max((float(a["at"]) for a in scenario.actions), default=0.0)
    clock = FrozenClock(scenario.start + max(last, 0.0) + TRAFFIC_S)
    try:
        world = World(scenario, clock, seed=0)
        world.backfill(TRAFFIC_S + 1)  # earlier actions are applied at the window's start
        world.apply_fix()
        clock.advance(2.0)
        world.advance()
    except ScenarioError:
        raise
    except Exception as exc:  # any crash here is a value the checks above did not catch
        detail = (str(exc).splitlines() or [""])[0]
        raise ScenarioError(
            scenario.path or scenario.id, "", f"fails when the world runs it: {type(exc).__name__}: {detail}"
        ) from None
