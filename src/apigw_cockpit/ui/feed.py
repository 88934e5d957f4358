"""What the UI needs from a feed: the seam to `aws.Feed` (duck-typed) and to test fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from apigw_cockpit.model import Topology, Update


@runtime_checkable
class Poller(Protocol):
    @property
    def name(self) -> str: ...

    def __aiter__(self) -> AsyncIterator[Update]: ...


class MeterSnapshotLike(Protocol):
    # Read-only (properties): a frozen snapshot matches, and so does any object that has them.
    @property
    def calls_per_min(self) -> Mapping[str, float]: ...
    @property
    def throttles(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def cost_per_hour_usd(self) -> float: ...


class Meter(Protocol):
    def snapshot(self) -> MeterSnapshotLike: ...


class Feed(Protocol):
    """`probes` and `apply_fix()` are optional: the UI asks through `probes_of` / `fix_of`.

    Members are read-only properties: a Protocol's plain attributes are mutable, so mypy would
    compare them invariantly and `aws.feed.Feed` (its own poller and meter types, matching
    structurally) would not count as one."""

    @property
    def topology(self) -> Topology: ...
    @property
    def pollers(self) -> Sequence[Poller]: ...
    @property
    def meter(self) -> Meter: ...


def probes_of(feed: Feed) -> Any | None:
    return getattr(feed, "probes", None)


def observer_of(feed: Feed) -> Callable[[Update], object] | None:
    """The feed's live-configuration hook (`aws.feed.Feed.observe`): every update passes it, so a
    change on the path triggers rediscovery and a new topology reaches every poller."""
    found = getattr(feed, "observe", None)
    return found if callable(found) else None


def fix_of(feed: Feed) -> Callable[[], object] | None:
    """The demo world's fix (`Feed.apply_fix`), or None where there is none (real AWS, fakes)."""
    found = getattr(feed, "apply_fix", None)
    return found if callable(found) else None


def meter_snapshot(feed: Feed) -> MeterSnapshotLike | None:
    """The status bar's API-call meter; None if the feed cannot say (the bar shows no meter)."""
    try:
        return feed.meter.snapshot()
    except Exception:
        return None
