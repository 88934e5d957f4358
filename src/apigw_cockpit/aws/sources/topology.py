"""Live configuration: discovery again, when CloudTrail shows a change on the path and slowly anyway.

A fix is a configuration change; checks that read the configuration (security groups,
permissions, stage variables, timeouts, VPC link) must see it without a restart. The feed
pokes this source when the changes source reports a new event on a topology resource; a
periodic refresh (default 5 min) catches what CloudTrail has not delivered yet (it may take
~5 min) or does not record. A rediscovery that lost parts the previous one had (throttled,
denied) is not published: a partial read must not replace a good one and flip checks to
unknown; the source goes stale with the reason instead. A part that answered "not found" is
adopted: that is the configuration now.
"""

from __future__ import annotations

from typing import Unpack

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerOptions
from apigw_cockpit.model import Clock, SourceState, Topology, TopologyUpdate, Update

REFRESH_S = 300.0
# A part that answered "not found" is the configuration as it now is (deleted); any other part
# error is a read that failed (denied, throttled, invalid, AWS or the network failing).
_GONE = ("notfound", "nosuch", "not found", "does not exist")


class PartialRediscovery(Exception):
    """Discovery could not ask AWS for parts the current topology has."""


def failed_calls(new: Topology, old: Topology) -> list[str]:
    """Parts the new read lost because a call failed (not because the answer changed)."""
    had = {e.part for e in old.errors}
    return sorted(
        e.part
        for e in new.errors
        if e.part not in had and (e.denied or not any(w in e.error.lower() for w in _GONE))
    )


def changed_parts(old: Topology, new: Topology) -> tuple[str, ...]:
    """Top-level topology fields that differ (what a timeline entry says was re-read)."""
    names = [f for f in old.__dataclass_fields__ if getattr(old, f) != getattr(new, f)]
    return tuple(n for n in names if n != "errors")


class TopologyPoller(Poller):
    name = "topology"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        topology: Topology,
        stage: str,
        interval: float = REFRESH_S,
        **kw: Unpack[PollerOptions],
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        self.topology = topology
        self.stage = stage
        self._reason = "periodic"
        # Discovery has just read the configuration: the source is fresh, not "starting".
        self.state, self.last_ok = SourceState.OK, clock.now()

    def first_due(self, now: float) -> float:
        return now + self.interval  # discovery just ran at start-up

    def poke(self, reason: str) -> None:
        """A change on the path was seen: read the configuration again now."""
        self._reason = reason
        self.poll_now()

    async def poll(self) -> list[Update]:
        reason, self._reason = self._reason, "periodic"
        new = await discover(self.factory, self.topology.api_id, self.stage)
        lost = failed_calls(new, self.topology)
        if lost:
            shown = ", ".join(p[:60] for p in lost[:3]) + (f" (+{len(lost) - 3})" if len(lost) > 3 else "")
            raise PartialRediscovery(f"rediscovery could not read {shown}; kept the last configuration")
        if new == self.topology:
            return []
        parts = changed_parts(self.topology, new)
        self.topology = new
        return [TopologyUpdate(self.name, self.clock.now(), new, reason, parts)]
