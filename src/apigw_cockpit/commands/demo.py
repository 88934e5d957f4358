"""`apigw-cockpit demo`: the cockpit (or a headless run) against the embedded simulated AWS world.

Headless JSON shape (stable): `{"scenario", "root_cause_expected", "summary": {...world summary...},
"diagnosis": {...same shape as `check --json`...}}`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar, Unpack

from apigw_cockpit import quick_exit
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_USAGE

# The simulated account takes any credentials; never let a real profile or token leak into it.
_SIM_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
if TYPE_CHECKING:  # at run time imported inside the functions, like every layer `demo` uses
    from apigw_cockpit.aws.feed import Feed
    from apigw_cockpit.aws.settings import AwsSettings, Intervals
    from apigw_cockpit.config import Settings
    from apigw_cockpit.demo.server import SimServer
    from apigw_cockpit.demo.world import Scenario
    from apigw_cockpit.diagnose.observations import Observations
    from apigw_cockpit.diagnose.pipeline import Diagnosis, EngineResult
    from apigw_cockpit.diagnose.report import DiagnosisJson
    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.startup import FeedOpener, Opened

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


class SimOptions(TypedDict, total=False):
    """The AwsSettings fields callers of `sim_settings` set."""

    live_tail: bool
    max_attempts: int
    intervals: Intervals


def sim_settings(sim: SimServer, **kw: Unpack[SimOptions]) -> AwsSettings:
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
def open_demo_feed(scenario: str | Scenario, speed: float = 1.0) -> Iterator[tuple[Feed, Clock]]:
    """(feed, clock) on a running simulated world, for callers that run their own app loop
    (`screenshot`): discovery runs here, the clients reopen lazily in the caller's loop."""
    from apigw_cockpit.demo.server import SimServer

    async def _open(sim: SimServer) -> Feed:
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


async def headless_observe(sim: SimServer) -> tuple[Diagnosis, Observations]:
    """One round of every poller against the world, then the checks and the ranking: (Diagnosis, obs)."""
    from apigw_cockpit.service.observe import check_once

    return await check_once(sim_settings(sim, max_attempts=2), sim.clock)


async def headless_diagnosis(sim: SimServer) -> DiagnosisJson:
    """One round of every poller against the world, then the checks and the ranking."""
    from apigw_cockpit.diagnose.report import diagnosis_json

    d, obs = await headless_observe(sim)
    return diagnosis_json(d, obs)


def demo_journal(journal: str | None, scenario_id: str) -> Path:
    """`--journal PATH`, else a new file under the demo folder for this scenario and run."""
    from apigw_cockpit.incident.paths import demo_journal_path

    return Path(journal) if journal else demo_journal_path(scenario_id, time.time())


def _write_journal(path: Path, sim: SimServer, result: EngineResult) -> str:
    """The headless run's journal (one engine answer); '' or one line saying why it failed."""
    from apigw_cockpit.incident import Journal, JournalError
    from apigw_cockpit.service.record import journal_result

    topo = result.obs.topology
    session = {"api_name": topo.api_name, "region": topo.region, "scenario": sim.scenario.id}
    try:
        with Journal.open(
            path, api=topo.api_id, stage=topo.stage.name, clock=sim.clock, session=session
        ) as journal:
            journal_result(journal, result)
    except (JournalError, OSError) as e:
        return str(e)
    return ""


def _headless(args: argparse.Namespace, scenario: Scenario) -> int:
    from apigw_cockpit.demo.server import SimServer
    from apigw_cockpit.demo.summary import summarize
    from apigw_cockpit.diagnose.report import diagnosis_json

    fix_at = getattr(args, "fix_at", None)
    if fix_at is not None and not 0 <= fix_at <= float(args.headless):
        err_line("apigw-cockpit demo: --fix-at must be within the --headless run (0..SECONDS)")
        return EXIT_USAGE
    with sim_environment(), SimServer(scenario, frozen=True) as sim:
        fix_time = None if fix_at is None else sim.clock.now() + fix_at
        if fix_time is not None:
            sim.world.schedule_fix(fix_time)  # a drill: the fix lands mid-run, as the on-call would
        summary = summarize(sim, float(args.headless))
        d, obs = asyncio.run(headless_observe(sim))
        result = None
        if fix_time is not None or args.journal:
            import dataclasses

            from apigw_cockpit.diagnose import pipeline

            # The same observations through the engine with the fix time: verification, recovery.
            result = pipeline.run(dataclasses.replace(obs, fix_time=fix_time))
            d = result.diagnosis
        diagnosis = diagnosis_json(d, obs)
        if args.journal:
            assert result is not None
            problem = _write_journal(Path(args.journal), sim, result)
            if problem:
                err_line(f"apigw-cockpit demo: journal not written: {problem}")
                return EXIT_USAGE
            err_line(f"apigw-cockpit demo: journal written: {args.journal}")
    doc = {
        "scenario": scenario.id,
        "root_cause_expected": scenario.root_cause,
        "summary": summary,
        "diagnosis": diagnosis,
    }
    from apigw_cockpit import outbound

    sys.stdout.write(outbound.dumps(doc, indent=2, default=str) + "\n")
    return 0


# On the way out nothing is waited for longer than this: the feed's in-flight polls, the
# world's servers. The process is leaving; what is not closed by then goes with it.
CLOSE_BOUND_S = 0.5


class _World:
    """The SimServer started off the UI loop (it is synchronous and thread-based), stopped once.

    It starts in a daemon thread: quitting while it starts (seconds of moto, seeding and
    backfill) must not wait for it, and a daemon thread does not hold the process open.
    """

    def __init__(self, scenario: Scenario, speed: float) -> None:
        self.scenario, self.speed = scenario, speed
        self.server: SimServer | None = None  # set once started: a failed start stops itself
        self.starting: asyncio.Future[SimServer] | None = None
        self._stopping = False
        self._lock = threading.Lock()  # hands the started server to exactly one stopper

    async def start(self) -> SimServer:
        from apigw_cockpit.demo.server import SimServer  # moto: imported after the first frame

        loop = asyncio.get_running_loop()
        done: asyncio.Future[SimServer] = loop.create_future()
        self.starting = done

        def enter() -> None:
            try:
                server = SimServer(self.scenario, speed=self.speed).__enter__()
            except BaseException as exc:
                with contextlib.suppress(RuntimeError):  # the app already left: nobody waits
                    loop.call_soon_threadsafe(_settle, done, exc)
                return
            with self._lock:
                quitting = self._stopping
                self.server = None if quitting else server
            if quitting:  # quit while starting: stop it here, nobody waits for it
                server.__exit__(None, None, None)
                return
            try:
                loop.call_soon_threadsafe(_settle, done, server)
            except RuntimeError:  # the loop closed meanwhile: stop what nobody will use
                server.__exit__(None, None, None)

        threading.Thread(target=enter, name="sim-start", daemon=True).start()
        # Shielded: the app quitting mid-start cancels this await, not the start itself.
        return await asyncio.shield(done)

    async def stop(self) -> None:
        """Stop the world, bounded; a start still under way is told to stop itself, not waited for."""
        with self._lock:
            self._stopping = True
            server, self.server = self.server, None
        if server is None:
            return
        loop = asyncio.get_running_loop()
        stopped: asyncio.Future[None] = loop.create_future()

        def stop() -> None:
            try:
                server.__exit__(None, None, None)
            finally:
                with contextlib.suppress(RuntimeError):  # the loop may be gone: nobody waits
                    loop.call_soon_threadsafe(_settle, stopped, None)

        # Its own daemon thread, not the loop's executor: asyncio.run waits for executor threads.
        threading.Thread(target=stop, name="sim-stop", daemon=True).start()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped, CLOSE_BOUND_S)


_T = TypeVar("_T")


def _settle(future: asyncio.Future[_T], outcome: _T | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


async def close_bounded(feeds: list[Feed], world: _World) -> None:
    """The feeds (in-flight polls cancelled, not awaited) and the world, at once, bounded together."""
    closing = [asyncio.ensure_future(feed.aclose()) for feed in feeds]
    closing.append(asyncio.ensure_future(world.stop()))
    _, late = await asyncio.wait(closing, timeout=CLOSE_BOUND_S)
    for task in late:
        task.cancel()  # asyncio.run would otherwise wait for it at the end
    for task in closing:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: a failed close is not worth a warning on the way out


def _opener(args: argparse.Namespace, settings: Settings, world: _World, feeds: list[Feed]) -> FeedOpener:
    """The app's FeedOpener: world, discovery, journal; the app draws its first frame meanwhile."""

    async def opener(say: Callable[[str], None]) -> Opened:
        from apigw_cockpit.incident.sink import sink_for
        from apigw_cockpit.ui.startup import Opened

        say(f"starting the simulated AWS world ({world.scenario.id})…")
        sim = await world.start()
        say(f"discovering API {sim.api_id} stage {sim.stage}…")
        from apigw_cockpit.aws.feed import open_feed
        from apigw_cockpit.service.settings import aws_intervals

        feed = await open_feed(
            sim_settings(sim, live_tail=False, intervals=aws_intervals(settings)), sim.clock
        )
        feeds.append(feed)
        feed.apply_fix = sim.apply_fix  # demo drills: a key applies the scenario's fix to the world
        journal = None
        if not settings.read_only:
            # Demo journals live apart, one per run: never the real path for this API id.
            path = demo_journal(args.journal, sim.scenario.id)
            journal = sink_for(path, feed.topology, sim.clock, scenario=sim.scenario.id)
        # Start-up's objects (moto, the world's backfill, botocore's models) live as long as the
        # process: out of the full collections that would otherwise stall the UI ~0.5 s each.
        gc.freeze()
        return Opened(feed, sim.clock, journal)

    return opener


async def _tui(args: argparse.Namespace, scenario: Scenario) -> int:
    from apigw_cockpit.config import load_settings
    from apigw_cockpit.errors import ConfigError
    from apigw_cockpit.ui.app import DrillSpec, build_app
    from apigw_cockpit.ui.startup import finish

    try:
        settings = load_settings(args)
    except ConfigError as exc:
        err_line(f"apigw-cockpit: {exc}")
        return EXIT_USAGE
    world = _World(scenario, args.speed)
    feeds: list[Feed] = []  # the opener appends the feed it opened
    # The drill's answer goes to the app, never onto the screen: it only grades the drill.
    drill = DrillSpec(scenario.id, scenario.root_cause)
    opener = _opener(args, settings, world, feeds)
    starting = f"starting the simulated AWS world ({scenario.id})…"
    app = build_app(settings, None, None, opener=opener, starting=starting, drill=drill)
    try:
        await app.run_async()
    finally:
        if app.journal is not None:
            app.journal.close(app.signals.reason)  # no-op when the app closed it at unmount
        await close_bounded(feeds, world)
    code = finish(app)
    quick_exit.arm()  # journal and feed closed: the entry point may end the process at once
    return code


def run(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        err_line("apigw-cockpit demo: --speed must be positive")
        return EXIT_USAGE
    from apigw_cockpit.extras import require_demo_extra

    refused = require_demo_extra("demo")
    if refused is not None:
        return refused
    from apigw_cockpit.commands.scenarios import load_or_exit

    scenario = load_or_exit(args.scenario)
    if args.headless is not None:
        return _headless(args, scenario)
    with sim_environment():
        return asyncio.run(_tui(args, scenario))
