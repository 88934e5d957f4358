"""The feed: discovery + pollers + meter + probes for one API stage (UI and headless commands)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Unpack

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.meter import CallMeter
from apigw_cockpit.aws.probes import Probes
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.alarms import AlarmsPoller
from apigw_cockpit.aws.sources.base import Poller, PollerLimits
from apigw_cockpit.aws.sources.changes import ChangesPoller
from apigw_cockpit.aws.sources.flow_logs import flow_logs_poller
from apigw_cockpit.aws.sources.lambda_logs import lambda_logs_poller
from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.metrics import MetricsPoller
from apigw_cockpit.aws.sources.target_health import TargetHealthPoller
from apigw_cockpit.aws.sources.topology import TopologyPoller
from apigw_cockpit.aws.sources.traces import ACCESS
from apigw_cockpit.model import ChangesUpdate, Clock, Topology, TopologyUpdate, Update


def build_pollers(
    factory: ClientFactory, clock: Clock, topo: Topology, settings: AwsSettings, **kw: Unpack[PollerLimits]
) -> list[Poller]:
    """One poller per signal the topology has. `kw` (e.g. max_backoff) goes to every poller."""
    iv = settings.intervals
    pollers: list[Poller] = [
        MetricsPoller(factory, clock, topo, iv.metrics, backfill_s=settings.backfill_s,
                      history_s=settings.history_s, **kw),
    ]  # fmt: skip
    if topo.access_is_request_log:
        # An HTTP API writes no execution log, and a REST stage with execution logging off writes
        # none either: the stage's access log is then the per-request evidence.
        pollers.append(
            LogsPoller(factory, clock, [topo.log_groups.access], iv.logs, name="access_logs",
                       grouping=ACCESS, **kw)
        )  # fmt: skip
    # A REST stage's execution log, polled even when OFF (the level can change live).
    if not topo.is_http and settings.live_tail:
        pollers.append(
            LiveTailPoller(factory, clock, [topo.log_groups.execution], iv.logs, account=topo.account,
                           region=topo.region, meter=getattr(factory, "meter", None), **kw)
        )  # fmt: skip
    elif not topo.is_http:
        pollers.append(LogsPoller(factory, clock, [topo.log_groups.execution], iv.logs, **kw))
    if topo.log_groups.lambdas:
        pollers.append(
            lambda_logs_poller(factory, clock, list(topo.log_groups.lambdas), iv.lambda_logs, **kw)
        )
    if topo.log_groups.flow_logs:
        pollers.append(flow_logs_poller(factory, clock, list(topo.log_groups.flow_logs), **kw))
    if topo.target_groups():
        pollers.append(TargetHealthPoller(factory, clock, topo, iv.target_health, **kw))
    pollers.append(ChangesPoller(factory, clock, topo, iv.changes, **kw))
    pollers.append(AlarmsPoller(factory, clock, topo, iv.alarms, **kw))
    pollers.append(TopologyPoller(factory, clock, topo, settings.stage, iv.topology, **kw))
    return pollers


class Feed:
    def __init__(
        self,
        settings: AwsSettings,
        clock: Clock,
        factory: ClientFactory,
        topology: Topology,
        pollers: list[Poller],
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.factory = factory
        self.topology = topology
        self.pollers = pollers
        self.meter: CallMeter = factory.meter
        self.probes = Probes(factory, clock, topology, settings.invoke_url)
        # The demo's drill key applies the scenario's fix to the simulated world; against real
        # AWS there is none (None: the UI offers no such key, ui/feed.can_apply_fix).
        self.apply_fix: Callable[[], None] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def updates(self) -> AsyncIterator[Update]:
        """Every poller's updates merged into one stream (one task per poller: none blocks another)."""
        queue: asyncio.Queue[Update] = asyncio.Queue(maxsize=1000)

        async def pump(p: Poller) -> None:
            async for u in p:
                await queue.put(u)

        self._tasks = [asyncio.create_task(pump(p), name=f"poll:{p.name}") for p in self.pollers]
        try:
            while True:
                update = await queue.get()
                self.observe(update)
                yield update
        finally:
            await self._stop_tasks()

    def observe(self, update: Update) -> None:
        """Live configuration: a change on the path asks for rediscovery; a new topology is
        handed to every poller and to the probes (consumers see the same TopologyUpdate)."""
        if isinstance(update, ChangesUpdate) and update.changes:
            newest = update.changes[0]
            for p in self.pollers:
                if isinstance(p, TopologyPoller):
                    p.poke(f"change: {newest.event_name} {', '.join(newest.resources)}".rstrip())
        elif isinstance(update, TopologyUpdate):
            self._adopt(update.topology)

    def _adopt(self, topology: Topology) -> None:
        self.topology = topology
        self.probes.topology = topology
        for p in self.pollers:
            p.retarget(topology)

    async def rediscover(self) -> Topology:
        """Discovery again now (on demand); every poller and the probes adopt the result."""
        self._adopt(await discover(self.factory, self.topology.api_id, self.settings.stage))
        return self.topology

    async def _stop_tasks(self) -> None:
        for p in self.pollers:
            p.close()
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(BaseException):
                await t
        self._tasks = []

    async def aclose(self) -> None:
        await self._stop_tasks()
        for p in self.pollers:
            if isinstance(p, LiveTailPoller):
                await p.aclose()
        await self.factory.aclose()


async def open_feed(settings: AwsSettings, clock: Clock, **poller_kw: Unpack[PollerLimits]) -> Feed:
    """Discover the stage and build its pollers. Raises ConfigError (exit 2) / AwsAccessError (exit 3)."""
    factory = ClientFactory(settings, clock)
    try:
        topo = await discover(factory, settings.api_id, settings.stage)
    except BaseException:
        await factory.aclose()
        raise
    return Feed(settings, clock, factory, topo, build_pollers(factory, clock, topo, settings, **poller_kw))
