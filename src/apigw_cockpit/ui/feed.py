"""What the UI needs from a feed: the seam to `aws.Feed` (duck-typed) and to test fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol, runtime_checkable

from apigw_cockpit.model import Topology, Update


@runtime_checkable
class Poller(Protocol):
    name: str

    def __aiter__(self) -> AsyncIterator[Update]: ...


class MeterSnapshotLike(Protocol):
    calls_per_min: dict[str, float]
    throttles: int
    errors: int
    cost_per_hour_usd: float


class Meter(Protocol):
    def snapshot(self) -> MeterSnapshotLike: ...


class Feed(Protocol):
    """`probes` and `apply_fix()` are optional: the UI checks with getattr."""

    topology: Topology
    pollers: Sequence[Poller]
    meter: Meter


def probes_of(feed: Feed) -> Any | None:
    return getattr(feed, "probes", None)


def observer_of(feed: Feed) -> Any | None:
    """The feed's live-configuration hook (`aws.feed.Feed.observe`): every update passes it, so a
    change on the path triggers rediscovery and a new topology reaches every poller."""
    found = getattr(feed, "observe", None)
    return found if callable(found) else None


def can_apply_fix(feed: Feed) -> bool:
    return callable(getattr(feed, "apply_fix", None))
