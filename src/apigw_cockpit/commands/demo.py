"""`apigw-cockpit demo`: the cockpit (or a headless run) against the embedded simulated AWS world.

Headless JSON shape (stable): `{"scenario", "root_cause_expected", "summary": {...world summary...},
"diagnosis": {...same shape as `check --json`...}}`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

EXIT_USAGE = 2

# The simulated account takes any credentials; never let a real profile or token leak into it.
_SIM_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
_DROP_ENV = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL")


@contextlib.contextmanager
def sim_environment() -> Iterator[None]:
    """Fake credentials for the loopback world, restored afterwards."""
    saved = {k: os.environ.get(k) for k in (*_SIM_ENV, *_DROP_ENV, "AWS_CONFIG_FILE")}
    os.environ.update(_SIM_ENV)
    os.environ["AWS_CONFIG_FILE"] = os.devnull  # a user's profile config must not steer the demo
    for k in _DROP_ENV:
        os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def sim_settings(sim: Any, **kw: Any) -> Any:
    """AwsSettings pointing the real aws/ layer at the simulated world."""
    from apigw_cockpit.aws.settings import AwsSettings

    return AwsSettings(
        api_id=sim.api_id,
        stage=sim.stage,
        region=sim.region,
        endpoint_url=sim.endpoint_url,
        invoke_url=sim.invoke_url,
        **kw,
    )


@contextlib.contextmanager
def open_demo_feed(scenario: Any, speed: float = 1.0) -> Iterator[tuple[Any, Any]]:
    """(feed, clock) on a running simulated world, for callers that run their own app loop
    (`screenshot`): discovery runs here, the clients reopen lazily in the caller's loop."""
    from apigw_cockpit.demo.server import SimServer

    async def _open(sim: Any) -> Any:
        from apigw_cockpit.aws.feed import open_feed

        feed = await open_feed(sim_settings(sim), sim.clock)
        await feed.factory.release()  # aiohttp sessions are bound to the loop that made them
        return feed

    with sim_environment(), SimServer(scenario, speed=speed) as sim:
        feed = asyncio.run(_open(sim))
        feed.apply_fix = sim.apply_fix
        try:
            yield feed, sim.clock
        finally:
            with contextlib.suppress(Exception):
                asyncio.run(feed.aclose())


async def headless_diagnosis(sim: Any) -> dict[str, Any]:
    """One round of every poller against the world, then the checks and the ranking."""
    from apigw_cockpit.commands.check import check_once
    from apigw_cockpit.diagnose.report import diagnosis_json

    d, obs = await check_once(sim_settings(sim, max_attempts=2), sim.clock)
    return diagnosis_json(d, obs)


def _headless(args: argparse.Namespace, scenario: Any) -> int:
    from apigw_cockpit.demo.server import SimServer
    from apigw_cockpit.demo.summary import summarize

    with sim_environment(), SimServer(scenario, frozen=True) as sim:
        summary = summarize(sim, float(args.headless))
        diagnosis = asyncio.run(headless_diagnosis(sim))
    doc = {
        "scenario": scenario.id,
        "root_cause_expected": scenario.root_cause,
        "summary": summary,
        "diagnosis": diagnosis,
    }
    json.dump(doc, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


async def _tui(args: argparse.Namespace, sim: Any) -> int:
    from apigw_cockpit.aws.feed import open_feed
    from apigw_cockpit.commands.watch import aws_intervals
    from apigw_cockpit.config import ConfigError, load_settings
    from apigw_cockpit.ui.app import DrillSpec, build_app
    from apigw_cockpit.ui.journal_sink import sink_for

    try:
        settings = load_settings(args)
    except ConfigError as exc:
        print(f"apigw-cockpit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    feed = await open_feed(sim_settings(sim, live_tail=False, intervals=aws_intervals(settings)), sim.clock)
    feed.apply_fix = sim.apply_fix  # demo drills: a key applies the scenario's fix to the world
    scenario = sim.scenario
    journal = None
    if not settings.read_only:
        journal = sink_for(args.journal, feed.topology, sim.clock, scenario=scenario.id)
    # The drill's answer goes to the app, never onto the screen: it only grades the drill.
    drill = DrillSpec(scenario.id, scenario.root_cause)
    app = build_app(settings, feed, sim.clock, journal=journal, drill=drill)
    try:
        await app.run_async()
        return app.return_code or 0
    finally:
        if journal is not None:
            journal.close(app.exit_reason)  # no-op when the app closed it at unmount
        await feed.aclose()


def run(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        print("apigw-cockpit demo: --speed must be positive", file=sys.stderr)
        return EXIT_USAGE
    from apigw_cockpit.commands.scenarios import load_or_exit

    scenario = load_or_exit(args.scenario)
    if args.headless is not None:
        return _headless(args, scenario)
    from apigw_cockpit.demo.server import SimServer

    with sim_environment(), SimServer(scenario, speed=args.speed) as sim:
        return asyncio.run(_tui(args, sim))
