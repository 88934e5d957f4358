"""One round of every source, then the engine: what `check`, `verify` and `demo --headless` run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path

from apigw_cockpit.aws.feed import Feed, open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.observations import Observations, Probe
from apigw_cockpit.diagnose.pipeline import Diagnosis
from apigw_cockpit.diagnose.verification import VerifyStep, probe_target
from apigw_cockpit.model import Clock, SourceState, SourceStatus, Topology

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


async def _probes(
    feed: Feed, *, test_invoke: bool, load: int, allow_remote: bool, k6: str | None
) -> tuple[Probe, ...]:
    probes = feed.probes
    resource_id, method, path = probe_target(feed.topology)
    out: list[Probe] = [await probes.invoke_url(path, method)]
    if test_invoke and resource_id:
        out.append(await probes.test_invoke(resource_id, method, confirmed=True))
    if load:
        n = max(1, int(load))
        out.append(
            await probes.load_test(
                path, method, max_requests=n, duration_s=max(5.0, n / 20), allow_remote=allow_remote
            )
        )
    if k6:
        Path(k6).write_text(probes.k6_script(path, method), encoding="utf-8")
    return tuple(out)


async def verify_once(
    settings: AwsSettings,
    clock: Clock,
    since: float,
    *,
    test_invoke: bool = False,
    load: int = 0,
    allow_remote: bool = False,
    k6: str | None = None,
) -> tuple[list[VerifyStep], Topology]:
    """What `verify` does: one round plus the probes asked for, then the engine's checklist."""
    feed = await open_feed(settings, clock)
    try:
        builder = await collect_round(feed)
        probes = await _probes(feed, test_invoke=test_invoke, load=load, allow_remote=allow_remote, k6=k6)
    finally:
        await feed.aclose()
    obs = builder.build(clock.now(), probes=probes, fix_time=since)
    return list(pipeline.run(obs).diagnosis.verification), feed.topology
