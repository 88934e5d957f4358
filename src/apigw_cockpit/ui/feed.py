"""What the UI needs from a feed: the seam to `aws.Feed` (duck-typed) and to test fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from apigw_cockpit.model import LoadTestResult, ProbeResult, TestInvokeResult, Topology, Update


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


class Probes(Protocol):
    """`aws.probes.Probes` as the verification screen drives it (V1, V5, V6)."""

    async def invoke_url(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        note: str = "",
    ) -> ProbeResult: ...

    async def test_invoke(
        self,
        resource_id: str,
        method: str,
        confirmed: bool = False,
        *,
        path_with_query: str | None = None,
        body: str = "",
        headers: Mapping[str, str] | None = None,
        note: str = "",
    ) -> TestInvokeResult: ...

    async def load_test(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        concurrency: int = 10,
        rate_per_s: float = 20.0,
        duration_s: float = 10.0,
        max_requests: int = 1000,
        on_progress: Callable[[int, int], None] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        note: str = "",
    ) -> LoadTestResult: ...


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


def probes_of(feed: Feed) -> Probes | None:
    """The feed's probes (aws/ feeds have them; fakes and read-only viewers may not)."""
    found: Probes | None = getattr(feed, "probes", None)
    return found


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
