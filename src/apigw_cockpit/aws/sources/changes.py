"""Recent changes: CloudTrail LookupEvents (mutating only) on resources in the topology.

LookupEvents allows 2 TPS per account and region, shared with everything else the user
runs: a token bucket keeps us at or under `tps`. CloudTrail delivers events minutes late,
so each poll re-reads an overlap window and dedupes by EventId.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from typing import Any

from apigw_cockpit.aws.sources.base import Poller
from apigw_cockpit.aws.sources.traces import SeenIds
from apigw_cockpit.model import Change, ChangesUpdate, Clock, Topology, Update

LOOKBACK_S = 3 * 3600.0
OVERLAP_S = 20 * 60.0  # CloudTrail typically delivers within ~5-15 min
MAX_PAGES = 20


class TokenBucket:
    """`rate` tokens per (simulated) second, burst `capacity`; `take()` waits for a token."""

    def __init__(self, clock: Clock, rate: float = 2.0, capacity: float = 2.0) -> None:
        self.clock, self.rate, self.capacity = clock, rate, capacity
        self._tokens = capacity
        self._last = clock.now()

    def _refill(self) -> None:
        now = self.clock.now()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    async def take(self) -> None:
        self._refill()
        while self._tokens < 1:
            await asyncio.sleep((1 - self._tokens) / self.rate / self.clock.speed)
            self._refill()
        self._tokens -= 1


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_SEP = re.compile(r"[/:\s,;=]+")


def match_ids(event: dict[str, Any], detail: dict[str, Any], ids: set[str]) -> list[str]:
    """Topology ids this event names: in Resources, or as a requestParameters value or token of one.

    Tokens, not substrings: ARNs and paths embed ids ("/restapis/a1b2c3/stages/prod"), but an
    API id may also be a substring of an unrelated SG id.
    """
    named = {r.get("ResourceName", "") for r in event.get("Resources", []) or []}
    named |= set(_strings(detail.get("requestParameters")))
    tokens = set(named)
    for value in named:
        tokens.update(_SEP.split(value))
    return sorted(ids & tokens)


def to_change(event: dict[str, Any], detail: dict[str, Any], hits: list[str]) -> Change:
    t = event.get("EventTime")
    when = t.timestamp() if isinstance(t, dt.datetime) else float(t or 0)
    user = event.get("Username") or detail.get("userIdentity", {}).get("arn", "")
    params = detail.get("requestParameters")
    return Change(
        event_id=event.get("EventId", ""),
        time=when,
        event_name=event.get("EventName", ""),
        event_source=event.get("EventSource", detail.get("eventSource", "")),
        user=user,
        resources=tuple(hits),
        request_parameters=json.dumps(params, separators=(",", ":"), sort_keys=True) if params else "",
        read_only=str(event.get("ReadOnly", "false")).lower() == "true",
    )


class ChangesPoller(Poller):
    name = "changes"

    def __init__(
        self,
        factory: Any,
        clock: Clock,
        topology: Topology,
        interval: float = 60.0,
        *,
        tps: float = 2.0,
        **kw: Any,
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        self.retarget(topology)
        self.bucket = TokenBucket(clock, tps, tps)
        self.seen = SeenIds(20_000)
        self._since: float | None = None

    def retarget(self, topology: Topology) -> None:
        # The stage name alone ("prod") would match every stage of every API.
        self.ids = topology.resource_ids() - {topology.stage.name}

    async def poll(self) -> list[Update]:
        ct = await self.factory.client("cloudtrail")
        now = self.clock.now()
        start = now - LOOKBACK_S if self._since is None else self._since - OVERLAP_S
        kwargs: dict[str, Any] = {
            "LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}],
            "StartTime": dt.datetime.fromtimestamp(start, dt.UTC),
            "EndTime": dt.datetime.fromtimestamp(now, dt.UTC),
            "MaxResults": 50,
        }
        found: list[Change] = []
        for _ in range(MAX_PAGES):
            await self.bucket.take()
            resp = await ct.lookup_events(**kwargs)
            for ev in resp.get("Events", []):
                eid = ev.get("EventId", "")
                if str(ev.get("ReadOnly", "false")).lower() == "true":
                    continue
                try:
                    detail = json.loads(ev.get("CloudTrailEvent") or "{}")
                except ValueError:
                    detail = {}
                if not isinstance(detail, dict):  # valid JSON, but not the event record
                    detail = {}
                hits = match_ids(ev, detail, self.ids)
                if hits and self.seen.add(eid):
                    found.append(to_change(ev, detail, hits))
            token = resp.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
        self._since = now
        found.sort(key=lambda c: c.time, reverse=True)
        return [ChangesUpdate(self.name, now, tuple(found))] if found or self.polls == 1 else []
