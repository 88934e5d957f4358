"""SimServer: moto behind our overlay on loopback, seeded from a scenario's world, plus an invoke URL.

    with SimServer("midnight-pager", speed=1.0) as sim:
        boto3.client("logs", endpoint_url=sim.endpoint_url, ...)

moto's backends are process-global: one SimServer at a time per process (start() resets them).
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from apigw_cockpit.demo.faults import Faults
from apigw_cockpit.demo.invoke import InvokeApp, InvokeServer
from apigw_cockpit.demo.mirror import Mirror
from apigw_cockpit.demo.overlay import ROUTES, Context, Overlay
from apigw_cockpit.model import Clock, FrozenClock, ScaledClock

REGION = "us-east-1"
ACCOUNT = "123456789012"
TICK_S = 0.25
_ONE_AT_A_TIME = threading.Lock()


class _MotoHandler(MotoRequestHandler):
    """moto's request handler (keeps underscored header names), without the access log."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def log_error(self, format: str, *args: Any) -> None:
        return


_MOTO_APP: DomainDispatcherApplication | None = None


def _moto_app() -> DomainDispatcherApplication:
    """One dispatcher per process: its per-service Flask apps hold no state (the backends do, and
    those are reset per SimServer), and building them costs ~70 ms per service."""
    global _MOTO_APP
    if _MOTO_APP is None:
        _MOTO_APP = DomainDispatcherApplication(create_backend_app)
    return _MOTO_APP


def _reset_moto(seed: int) -> None:
    # moto's EC2 backend loads ~1,300 sample AMIs on every reset (~0.4 s); nothing here uses them.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    from moto.moto_api._internal import mock_random
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    mock_random.seed(seed)  # moto's invented ids (sg-…, subnet-…, ARNs) repeat run to run


class SimServer:
    """The simulated AWS account. See module docstring; attributes are set by start()."""

    def __init__(
        self,
        scenario: Any = "midnight-pager",
        speed: float = 1.0,
        backfill: float = 3600,
        seed: int = 0,
        port: int = 0,
        invoke_port: int = 0,
        clock: Clock | None = None,
        tick: bool = True,
        frozen: bool = False,
    ) -> None:
        """`frozen=True`: a FrozenClock at the scenario's start that only `advance()` moves (tests,
        headless runs); otherwise a ScaledClock at `speed`, or the `clock` given."""
        self._scenario_arg = scenario
        self.speed = speed
        self.backfill_s = backfill
        self.seed = seed
        self._port = port
        self._invoke_port = invoke_port
        self._clock_arg = clock
        self._tick_enabled = tick
        self._frozen = frozen
        self.region, self.account = REGION, ACCOUNT
        self.faults = Faults()
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: BaseWSGIServer | None = None
        self._invoke: InvokeServer | None = None
        self._mirror: Mirror | None = None
        self._held = False
        self.timings: dict[str, float] = {}
        self.endpoint_url = self.invoke_url = self.api_id = self.stage = ""

    # -- life cycle ----------------------------------------------------------------------
    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> SimServer:
        from apigw_cockpit.demo.world import World, load_scenario

        t0 = time.perf_counter()
        if not _ONE_AT_A_TIME.acquire(blocking=False):
            raise RuntimeError("another SimServer is running in this process (moto state is global)")
        self._held = True
        try:
            self.scenario = (
                load_scenario(self._scenario_arg)
                if isinstance(self._scenario_arg, str)
                else self._scenario_arg
            )
            if self._clock_arg is not None:
                self.clock: Clock = self._clock_arg
            elif self._frozen:
                self.clock = FrozenClock(self.scenario.start)
            else:
                self.clock = ScaledClock(self.scenario.start, self.speed)
            self.world = World(self.scenario, self.clock, seed=self.seed)
            self.api_id, self.stage = self.world.state.api.id, self.world.state.stage.name
            # The account lives where its topology says (an API in eu-west-1 is asked for there).
            self.region = self.world.state.api.region or REGION
            _reset_moto(self.seed)
            ctx = Context(self.world, self.lock, self.region, self.account)
            self.overlay = Overlay(_moto_app(), ctx, self.faults, ROUTES)
            self._server = make_server(
                "127.0.0.1", self._port, self.overlay, threaded=True, request_handler=_MotoHandler
            )
            self.port = int(self._server.server_address[1])
            self.endpoint_url = f"http://127.0.0.1:{self.port}"
            self._spawn(self._server.serve_forever, "sim-aws", poll_interval=0.05)
            self.timings["server"] = time.perf_counter() - t0
            self._mirror = Mirror(self.endpoint_url, self.region)
            self._mirror.seed(self.world.state, self._log_groups(), self.world.neighbours)
            self.world.bind_ids(self._mirror.bindings())
            self.timings["seed"] = time.perf_counter() - t0 - self.timings["server"]
            # Subscribe before backfill: scenario actions inside the window (the revoke 5 min before
            # onset) are applied during backfill and must reach moto too.
            self.world.subscribe(self._mirror.on_event)
            with self.lock:
                self.world.backfill(self.backfill_s)
            self.timings["backfill"] = (
                time.perf_counter() - t0 - self.timings["server"] - self.timings["seed"]
            )
            # A frozen clock does not move while a response is held, so holding would only stall.
            hold_speed = (
                (lambda: float("inf")) if isinstance(self.clock, FrozenClock) else (lambda: self.clock.speed)
            )
            invoke_app = InvokeApp(self.world, self.lock, self.stage, hold_speed, self._stop)
            self._invoke = InvokeServer(invoke_app, self._invoke_port)
            self._invoke.start()
            self.invoke_url = f"http://127.0.0.1:{self._invoke.port}/{self.stage}"
            # The scenario's own AWS API faults, after seeding: the mirror's writes must land.
            for fault in self.scenario.aws_faults:
                self.faults.set(fault.operation, fault.kind, count=fault.count)
            if self._tick_enabled and not isinstance(self.clock, FrozenClock):
                self._spawn(self._ticker, "sim-ticker")
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = time.perf_counter() - t0
        return self

    def stop(self) -> None:
        self._stop.set()
        if hasattr(self, "overlay"):
            self.overlay.stop()
        if self._invoke is not None:
            self._invoke.stop()
            self._invoke = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()
        if self._mirror is not None:
            self._mirror.close()
            self._mirror = None
        if self._held:
            self._held = False
            _ONE_AT_A_TIME.release()

    def _spawn(self, target: Any, name: str, **kwargs: Any) -> None:
        t = threading.Thread(target=target, kwargs=kwargs, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def _ticker(self) -> None:
        while not self._stop.wait(TICK_S):
            with self.lock:
                self.world.advance()

    def _log_groups(self) -> list[str]:
        st = self.world.state
        groups = [st.execution_log_group(), *(fn.log_group for fn in st.lambdas.values())]
        if st.vpc.flow_log_group:
            groups.append(st.vpc.flow_log_group)
        groups.extend(self.world.logs.groups())
        return groups

    # -- driving the world ---------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Move a FrozenClock on by `seconds` (in one-minute steps) and run the world to it."""
        if not isinstance(self.clock, FrozenClock):
            raise TypeError("advance() needs a SimServer built with clock=FrozenClock(...)")
        remaining = seconds
        while remaining > 0:
            step = min(60.0, remaining)
            with self.lock:
                self.clock.advance(step)
                self.world.advance()
            remaining -= step

    def apply_fix(self, user: str = "oncall") -> None:
        with self.lock:
            self.world.apply_fix(user=user)

    def apply_action(self, action: dict[str, Any], user: str = "oncall") -> None:
        with self.lock:
            self.world.apply_action(action, user)

    def env(self) -> dict[str, str]:
        """Environment for a client process pointed at this world."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": self.region,
        }


def _status_line(sim: SimServer) -> str:
    """One line: simulated time, last minute's traffic and errors, target health, active faults."""
    with sim.lock:
        world, st = sim.world, sim.world.state
        now = sim.clock.now()
        minute = now // 60 * 60 - 60
        dims = {"ApiName": st.api.name, "Stage": st.stage.name}

        def last(metric: str, stat: str) -> float:
            pts = world.metrics.query("AWS/ApiGateway", metric, dims, stat, minute, minute + 60, 60)
            return pts[-1][1] if pts else 0.0

        healthy = total = 0
        for tg in st.target_groups.values():
            for d in world.target_health(tg.id):
                total += 1
                healthy += d["TargetHealth"]["State"] == "healthy"
    faults = ",".join(f"{f.operation}:{f.kind}" for f in sim.faults.active()) or "none"
    clock = time.strftime("%H:%M:%S", time.gmtime(now))
    return (
        f"{clock} UTC  req/min {last('Count', 'Sum'):.0f}  5XX/min {last('5XXError', 'Sum'):.0f}  "
        f"IntegrationLatency p99 {last('IntegrationLatency', 'p99') / 1000:.1f} s  "
        f"targets {healthy}/{total} healthy  faults {faults}"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m apigw_cockpit.demo.server --scenario X [--speed S] [--port P]`."""
    import argparse
    import signal
    import sys

    from apigw_cockpit.demo.world import ScenarioError, load_scenario

    p = argparse.ArgumentParser(prog="python -m apigw_cockpit.demo.server", description=__doc__)
    p.add_argument("--scenario", default="midnight-pager")
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--port", type=int, default=0, help="AWS endpoint port (default: a free one)")
    p.add_argument("--invoke-port", type=int, default=0)
    p.add_argument("--backfill", type=float, default=3600, help="simulated seconds of history")
    p.add_argument(
        "--story-time",
        action="store_true",
        help="keep the scenario's own wall clock (e.g. 00:15) instead of starting it now",
    )
    args = p.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as e:
        print(f"apigw-cockpit: bad scenario: {e}", file=sys.stderr)
        return 2
    if not args.story_time:
        # Outside tools (the AWS CLI, `apigw-cockpit watch/check`) ask for "the last hour" by the
        # system clock: t=0 must be now for them to see the incident.
        scenario = dataclasses.replace(scenario, start=float(int(time.time()) // 60 * 60))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    sim = SimServer(
        scenario, speed=args.speed, backfill=args.backfill, port=args.port, invoke_port=args.invoke_port
    )
    with sim:
        env = " ".join(f"{k}={v}" for k, v in sim.env().items())
        print(f"scenario   {scenario.id}: {scenario.title}")
        print(
            f"endpoint   {sim.endpoint_url}   (all AWS services, region {sim.region}, account {sim.account})"
        )
        print(f"invoke URL {sim.invoke_url}")
        print(f"api id     {sim.api_id}   stage {sim.stage}   started in {sim.timings['total']:.2f} s")
        print(f"\nexport {env}")
        print(f"apigw-cockpit watch --api-id {sim.api_id} --stage {sim.stage}\n")
        interactive = sys.stdout.isatty()
        while not stop.wait(1.0):
            line = _status_line(sim)
            print(f"\r\x1b[2K{line}" if interactive else line, end="" if interactive else "\n", flush=True)
        print("\nstopping", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
