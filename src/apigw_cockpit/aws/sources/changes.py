"""Recent changes: CloudTrail LookupEvents (mutating only) on resources in the topology.

LookupEvents allows 2 TPS per account and region, shared with everything else the user
runs: a token bucket per region keeps us at or under `tps`. CloudTrail delivers events
minutes late, so each poll re-reads an overlap window and dedupes by EventId, and every
update carries a `TrailWindow` saying what the poll can vouch for (delivery delay, page cap).

IAM events are recorded only in us-east-1: for an API elsewhere a second, rate-limited
lookup per global event source runs there and is merged in. The numbers, the global sources
and the change kinds on the path are data: cloudtrail.toml.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerOptions
from apigw_cockpit.aws.sources.traces import SeenIds
from apigw_cockpit.aws.untyped import Raw
from apigw_cockpit.model import Change, ChangesUpdate, Clock, SourceStatus, Topology, TrailWindow, Update


@dataclass(frozen=True)
class GlobalLookup:
    region: str
    event_source: str
    max_pages: int


@dataclass(frozen=True)
class Kind:
    id: str
    source: str
    names: tuple[str, ...]
    response: bool = False


@dataclass(frozen=True)
class TrailConfig:
    delivery_delay_s: float
    lookback_s: float
    overlap_s: float
    max_pages: int
    tps: float
    globals: tuple[GlobalLookup, ...]
    kinds: tuple[Kind, ...]


@cache
def trail_config() -> TrailConfig:
    raw = tomllib.loads(resources.files("apigw_cockpit.aws.sources").joinpath("cloudtrail.toml").read_text())
    return TrailConfig(
        delivery_delay_s=float(raw["delivery_delay_s"]),
        lookback_s=float(raw["lookback_s"]),
        overlap_s=float(raw["overlap_s"]),
        max_pages=int(raw["max_pages"]),
        tps=float(raw["tps"]),
        globals=tuple(
            GlobalLookup(g["region"], g["event_source"], int(g["max_pages"])) for g in raw["global"]
        ),
        kinds=tuple(
            Kind(k["id"], k["source"], tuple(k["names"]), bool(k.get("response", False))) for k in raw["kind"]
        ),
    )


_CFG = trail_config()
LOOKBACK_S = _CFG.lookback_s
OVERLAP_S = _CFG.overlap_s
MAX_PAGES = _CFG.max_pages
DELIVERY_DELAY_S = _CFG.delivery_delay_s
_VERSION_SUFFIX = re.compile(r"^\d{8}(v\d+)?$")
# Lambda's (and a few other services') event names end in the API version: a date, maybe "vN".
_API_VERSION_AT_END = re.compile(r"(?<=[a-z])(20\d{6}(?:v\d+)?)$")


def split_event_name(name: str) -> tuple[str, str]:
    """("UpdateFunctionConfiguration", "20150331v2") from "UpdateFunctionConfiguration20150331v2";
    a name without a version comes back whole, with "". People read the operation; the version is
    kept for an exact LookupEvents query."""
    m = _API_VERSION_AT_END.search(name)
    return (name[: m.start()], m.group(1)) if m else (name, "")


def kind_of(event_source: str, event_name: str) -> Kind | None:
    """The path-change kind of an event: exact name, or name + Lambda's API-version suffix."""
    for k in trail_config().kinds:
        if k.source != event_source:
            continue
        for n in k.names:
            if event_name == n or (event_name.startswith(n) and _VERSION_SUFFIX.match(event_name[len(n) :])):
                return k
    return None


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


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_SEP = re.compile(r"[/:\s,;=]+")


def match_ids(event: Raw, detail: Raw, ids: set[str], *, response: bool = False) -> list[str]:
    """Topology ids this event names: in Resources, or as a requestParameters value or token of one
    (and of responseElements, for kinds whose resources only the answer names).

    Tokens, not substrings: ARNs and paths embed ids ("/restapis/a1b2c3/stages/prod"), but an
    API id may also be a substring of an unrelated SG id.
    """
    named = {r.get("ResourceName", "") for r in event.get("Resources", []) or []}
    named |= set(_strings(detail.get("requestParameters")))
    if response:
        named |= set(_strings(detail.get("responseElements")))
    tokens = set(named)
    for value in named:
        tokens.update(_SEP.split(value))
    return sorted(ids & tokens)


def to_change(event: Raw, detail: Raw, hits: list[str], kind: str = "", region: str = "") -> Change:
    t = event.get("EventTime")
    when = t.timestamp() if isinstance(t, dt.datetime) else float(t or 0)
    user = event.get("Username") or detail.get("userIdentity", {}).get("arn", "")
    params = detail.get("requestParameters")
    name, api_version = split_event_name(event.get("EventName", ""))
    source = event["EventSource"] if "EventSource" in event else detail.get("eventSource", "")
    return Change(
        event_id=event.get("EventId", ""),
        time=when,
        event_name=name,
        api_version=api_version,
        event_source=source,
        user=user,
        resources=tuple(hits),
        request_parameters=json.dumps(params, separators=(",", ":"), sort_keys=True) if params else "",
        read_only=str(event.get("ReadOnly", "false")).lower() == "true",
        kind=kind,
        region=detail.get("awsRegion", "") or region,
    )


@dataclass
class _Lookup:
    """One LookupEvents query: its region, attribute, page cap; what it read this poll."""

    region: str
    attribute: dict[str, str]
    max_pages: int
    truncated_before: float | None = None


class ChangesPoller(Poller):
    name = "changes"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        topology: Topology,
        interval: float = 60.0,
        *,
        tps: float | None = None,
        **kw: Unpack[PollerOptions],
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        cfg = trail_config()
        self.retarget(topology)
        rate = cfg.tps if tps is None else tps
        self.region = topology.region
        self.lookups = [
            _Lookup(self.region, {"AttributeKey": "ReadOnly", "AttributeValue": "false"}, MAX_PAGES)
        ]
        self.lookups += [
            _Lookup(g.region, {"AttributeKey": "EventSource", "AttributeValue": g.event_source}, g.max_pages)
            for g in cfg.globals
            if g.region != self.region  # the regional lookup already has them
        ]
        # The 2 TPS limit is per account *and region*: one bucket each.
        self.buckets = {lk.region: TokenBucket(clock, rate, rate) for lk in self.lookups}
        self.bucket = self.buckets[self.region]
        self.seen = SeenIds(20_000)
        self._since: float | None = None
        self._first_start: float | None = None
        self._gap_before: float | None = None  # sticky: events older than this were not all read
        self._gap_said = False

    def status(self) -> SourceStatus:
        base = super().status()
        if self._gap_before is None:
            return base
        when = dt.datetime.fromtimestamp(self._gap_before, dt.UTC).strftime("%H:%M:%S")
        return replace(base, note=f"truncated: page cap hit, events before {when} UTC not read")

    def retarget(self, topology: Topology) -> None:
        # The stage name alone ("prod") would match every stage of every API.
        self.ids = topology.resource_ids() - {topology.stage.name}

    async def poll(self) -> list[Update]:
        now = self.clock.now()
        start = now - LOOKBACK_S if self._since is None else self._since - OVERLAP_S
        if self._first_start is None:
            self._first_start = start
        found: list[Change] = []
        for lk in self.lookups:
            found += await self._lookup(lk, start, now)
            if lk.truncated_before is not None:
                self._gap_before = max(self._gap_before or lk.truncated_before, lk.truncated_before)
        self._since = now
        if self._gap_before is not None and not self._gap_said:
            self._gap_said = True
            self._pending.append(self.status())  # the status bar says the window is cut
        found.sort(key=lambda c: c.time, reverse=True)
        window = TrailWindow(
            start=self._first_start,
            now=now,
            settled_until=now - DELIVERY_DELAY_S,
            delivery_delay_s=DELIVERY_DELAY_S,
            truncated_before=self._gap_before,
            regions=tuple(sorted({lk.region for lk in self.lookups})),
        )
        return [ChangesUpdate(self.name, now, tuple(found), window)]

    async def _lookup(self, lk: _Lookup, start: float, now: float) -> list[Change]:
        ct = await (
            self.factory.client("cloudtrail")
            if lk.region == self.region
            else self.factory.client("cloudtrail", region=lk.region)
        )
        kwargs: dict[str, object] = {
            "LookupAttributes": [lk.attribute],
            "StartTime": dt.datetime.fromtimestamp(start, dt.UTC),
            "EndTime": dt.datetime.fromtimestamp(now, dt.UTC),
            "MaxResults": 50,
        }
        found: list[Change] = []
        oldest: float | None = None
        lk.truncated_before = None
        for _ in range(lk.max_pages):
            await self.buckets[lk.region].take()
            resp = await ct.lookup_events(**kwargs)
            for ev in resp.get("Events", []):
                t = ev.get("EventTime")
                when = t.timestamp() if isinstance(t, dt.datetime) else float(t or 0)
                oldest = when if oldest is None else min(oldest, when)
                if str(ev.get("ReadOnly", "false")).lower() == "true":
                    continue
                try:
                    detail = json.loads(ev.get("CloudTrailEvent") or "{}")
                except ValueError:
                    detail = {}
                if not isinstance(detail, dict):  # valid JSON, but not the event record
                    detail = {}
                source = ev.get("EventSource", "") or detail.get("eventSource", "")
                kind = kind_of(source, ev.get("EventName", ""))
                hits = match_ids(ev, detail, self.ids, response=bool(kind and kind.response))
                if hits and self.seen.add(ev.get("EventId", "")):
                    found.append(to_change(ev, detail, hits, kind.id if kind else "", lk.region))
            token = resp.get("NextToken")
            if not token:
                return found
            kwargs["NextToken"] = token
        # Page cap hit with pages left: LookupEvents answers newest first, so what was
        # dropped is everything older than the oldest event read. Say so.
        lk.truncated_before = oldest if oldest is not None else now
        return found
