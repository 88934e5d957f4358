"""A drill as a person runs it: the real cockpit on the real feed against the simulated world.

midnight-pager from the first screen to the right root cause in a handful of keystrokes, then the
drill's fix applied from the cockpit (its key, `X`), the fix marked (`F`), the world run on, `r`, and
the targets and hop map seen recovering. Everything
is condition-based: `pilot.pause()` in loops bounded by a deadline, never a fixed sleep.

    .venv/bin/pytest tests/ui/test_drill_pilot.py -s    # prints the time-to-root-cause
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from apigw_cockpit import paths
from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.commands.demo import sim_settings
from apigw_cockpit.config import Settings
from apigw_cockpit.ui.app import CockpitApp, build_app
from apigw_cockpit.ui.bindings import KEYS
from apigw_cockpit.ui.screens.info import InfoScreen

from .conftest import screen_text

pytestmark = pytest.mark.sim

SCENARIO = "midnight-pager"
ROOT_CAUSE = "sg-blocks-nlb-targets"
MAX_KEYS = 5
SIZE = (120, 36)
FIRST_DATA_S = 15.0  # discovery + the first round of every poller (loaded CI box)
ROOT_CAUSE_S = 10.0  # after the keystrokes: the checks run and the screen names the suspect
RECOVERY_S = 10 * 60  # simulated time after the fix: health checks pass, the NLB marks targets healthy
# On a frozen clock a sleeping poller re-checks the clock once per (real-time) interval: after
# `sim.advance` target health polls within its 10 s (+10 % jitter) even if `r` wakes nothing.
HEALTH_ROUND_S = 14.0


class Drill:
    """The pilot plus a keystroke counter and condition waits on what is on the screen."""

    def __init__(self, app: CockpitApp, pilot: Any, fixes: list[float]) -> None:
        self.app, self.pilot, self.fixes = app, pilot, fixes
        self.keys: list[str] = []

    async def press(self, *keys: str) -> None:
        self.keys.extend(keys)
        await self.pilot.press(*keys)

    def text(self) -> str:
        return screen_text(self.app)

    async def until(
        self, condition: Callable[[], object], timeout: float, what: str | Callable[[], str]
    ) -> float:
        """Seconds until `condition()` holds; fails with the screen when it does not in time."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while not condition():
            if loop.time() - start > timeout:
                said = what() if callable(what) else what
                raise AssertionError(f"{said}: not within {timeout:.0f} s\n{self.text()}")
            await self.pilot.pause(0.05)
        return loop.time() - start

    async def until_text(self, pattern: str, timeout: float) -> float:
        rx = re.compile(pattern)
        return await self.until(lambda: rx.search(self.text()), timeout, f"/{pattern}/ on screen")


@asynccontextmanager
async def cockpit(sim: Any) -> AsyncIterator[Drill]:
    """The cockpit as `apigw-cockpit demo` builds it (commands/demo.py `_tui`), under Pilot."""
    feed = await open_feed(sim_settings(sim, live_tail=False, max_attempts=2), sim.clock)
    fixes: list[float] = []

    def apply_fix() -> None:  # the world's fix, as demo wires it, counted
        fixes.append(sim.clock.now())
        sim.apply_fix()

    feed.apply_fix = apply_fix  # type: ignore[attr-defined]
    builtin = paths.builtin_themes_dir()
    try:
        app = build_app(Settings(), feed, sim.clock, theme_dirs=[builtin] if builtin else [])
        app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            yield Drill(app, pilot, fixes)
    finally:
        await feed.aclose()


def suspects(drill: Drill) -> list[str]:
    return re.findall(r"suspect (\S+)", drill.text())


async def test_midnight_pager_root_cause_then_fix_recovers(sim_factory: Any, aws_env: Any) -> None:
    t0 = time.perf_counter()
    with sim_factory(SCENARIO, frozen=True) as sim:
        assert sim.scenario.root_cause == ROOT_CAUSE
        sim_start = time.perf_counter() - t0
        async with cockpit(sim) as drill:
            app = drill.app
            # What a person sees first: the outage on the cockpit, before any key.
            await drill.until_text(r"0/4 healthy", FIRST_DATA_S)
            await drill.until_text(r"5XX\w*.*\b[1-9]\d*/min", FIRST_DATA_S)
            first_data = time.perf_counter() - t0

            # The keystrokes: the checks screen names the suspect root cause first.
            await drill.press("c")
            after_keys = await drill.until(
                lambda: isinstance(app.screen, InfoScreen) and ROOT_CAUSE in " ".join(suspects(drill)),
                ROOT_CAUSE_S,
                f"{ROOT_CAUSE} among the suspects on the checks screen",
            )
            to_root_cause = time.perf_counter() - t0
            keys, ranked = list(drill.keys), suspects(drill)
            message = (
                f"{SCENARIO}: first suspect {ranked[0]} after {len(keys)} keystroke(s) {keys}; "
                f"{to_root_cause:.1f} s from start (world up {sim_start:.1f} s, first data "
                f"{first_data:.1f} s, {after_keys:.1f} s after the last key)"
            )
            print(f"\n{message}")
            assert ranked[0] == ROOT_CAUSE, message
            assert len(keys) <= MAX_KEYS, message

            # The drill's fix, from the cockpit: its key if one is bound, else the command palette.
            await drill.press("escape")
            await drill.until(lambda: not isinstance(app.screen, InfoScreen), 5, "back on the cockpit")
            assert app.can_apply_fix
            fix_key = next((k.key.split(",")[0] for k in KEYS if k.action == "apply_fix"), None)
            if fix_key is not None:
                await drill.press(fix_key)
            else:
                print("no key bound to apply_fix: using the command palette")
                await drill.press("ctrl+p")
                await drill.until_text(r"Search for commands", 5)
                await drill.press(*"apply scenario fix")
                await drill.until_text(r"Apply scenario fix \(demo drill\)", 5)
                await drill.press("enter")
            await drill.until(
                lambda: any("scenario fix applied" in str(n.message) for n in app._notifications),
                5,
                "the fix-applied notification",
            )
            assert drill.fixes == [sim.clock.now()], "the fix was not applied exactly once"

            await drill.press("F")
            await drill.until(lambda: app.state.fix_time == sim.clock.now(), 5, "the fix time marked")

            # Let the world run with the fix in (health checks pass), then ask for fresh data.
            await asyncio.to_thread(sim.advance, RECOVERY_S)
            await drill.press("r")
            waited = await drill.until(
                lambda: "4/4 healthy" in (t := drill.text()) and re.search(r"→ TG ✓", t) is not None,
                HEALTH_ROUND_S,
                "targets and hop map recovered",
            )
            text = drill.text()
            assert "orders-tg ✓✓✓✓ 4/4 healthy" in text
            assert "0/4 healthy" not in text and "✗ TG" not in text
            print(
                f"recovery on screen {waited:.1f} s after `r`; {len(drill.keys) - len(keys)} more keys "
                f"for fix + mark + refresh; test wall {time.perf_counter() - t0:.1f} s"
            )


async def test_refresh_key_polls_every_source_now(sim_factory: Any, aws_env: Any) -> None:
    """`r` ("poll all sources now") makes every source poll again at once. Deterministic: on a
    frozen clock nothing is ever due again, so without `r` no source polls a second time."""
    with sim_factory(SCENARIO, frozen=True) as sim:
        async with cockpit(sim) as drill:
            pollers = list(drill.app.feed.pollers)
            # Every first round finished (a poke while a round is in flight is overtaken by it).
            await drill.until(
                lambda: all(p.last_ok is not None for p in pollers), FIRST_DATA_S, "every first poll done"
            )
            before = {p.name: p.polls for p in pollers}
            await drill.press("r")
            await drill.until(
                lambda: all(p.polls > before[p.name] for p in pollers),
                5,
                lambda: f"every source polled again after `r`: {[(p.name, p.polls) for p in pollers]}",
            )
