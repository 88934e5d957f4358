"""One round of every source, then the engine: what `check`, `verify` and `demo --headless` run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from apigw_cockpit.aws.feed import Feed, open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.pipeline import Diagnosis
from apigw_cockpit.model import Clock, SourceState, SourceStatus

ROUND_DEADLINE_S = 30.0  # real seconds to wait for every poller's first answer


async def collect_round(feed: Feed, deadline_s: float = ROUND_DEADLINE_S) -> ObservationBuilder:
    """Consume the feed until every poller has answered once (data or error), or the deadline."""
    builder = ObservationBuilder(feed.topology)
    waiting = {p.name for p in feed.pollers}
    end = time.monotonic() + deadline_s
    it = feed.updates().__aiter__()
    try:
        while waiting:
            remaining = end - time.monotonic()
            if remaining <= 0:
                break
            try:
                update = await asyncio.wait_for(it.__anext__(), remaining)
            except (TimeoutError, StopAsyncIteration):
                break
            builder.add(update)
            if isinstance(update, SourceStatus) and update.state == SourceState.STARTING:
                continue
            waiting.discard(getattr(update, "source", ""))
    finally:
        await it.aclose()  # type: ignore[attr-defined]
    return builder


def all_sources_failed(obs: Observations) -> str:
    """One line when nothing could be read at all (exit 3), else ''."""
    bad = [s for s in obs.sources if s.state in (SourceState.DENIED, SourceState.ERROR)]
    has_data = obs.metrics or obs.traces or obs.target_health or obs.changes
    if bad and not has_data and len(bad) == len(obs.sources):
        return f"every source failed; first: {bad[0].source}: {bad[0].last_error or bad[0].state.value}"
    return ""


async def observe_once(
    settings: AwsSettings, clock: Clock, deadline_s: float = ROUND_DEADLINE_S
) -> Observations:
    """Open the feed, collect one round from every poller, close it: the Observations of now."""
    feed = await open_feed(settings, clock)
    try:
        builder = await collect_round(feed, deadline_s)
    finally:
        await feed.aclose()
    return builder.build(clock.now())


async def check_once(
    settings: AwsSettings,
    clock: Clock,
    ids: Iterable[str] | None = None,
    deadline_s: float = ROUND_DEADLINE_S,
) -> tuple[Diagnosis, Observations]:
    """What `check` does: one round, then the engine (the checks `ids`, or all)."""
    obs = await observe_once(settings, clock, deadline_s)
    return pipeline.run(obs, list(ids) if ids else None).diagnosis, obs
