"""The log poller's re-read window follows the ingestion lag: cheap when logs are prompt, lossless
when they are late (the window widens from the lags it sees)."""

from __future__ import annotations

from fake_aws import FakeFactory, FakeWorld, LogRecord

from apigw_cockpit.aws.sources.logs import MIN_OVERLAP_S, OVERLAP_S, LogsPoller
from apigw_cockpit.model import FrozenClock, LogsUpdate

T0 = 1_780_000_000.0
GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"


def _write(world: FakeWorld, start: float, seconds: float, per_s: int, lag: float, tag: str) -> None:
    for i in range(int(seconds * per_s)):
        ts = start + i / per_s
        msg = f"(req-{tag}{i:06d}) Method completed with status: 200"
        world.logs.append(LogRecord(int(ts * 1000), f"{tag}{i:06d}", "s", msg, ts + lag))


async def _run(poller: LogsPoller, clock: FrozenClock, until: float) -> list[str]:
    got: list[str] = []
    while clock.now() < until:
        for u in await poller.poll():
            assert isinstance(u, LogsUpdate)
            got += [e.event_id for e in u.events]
        clock.advance(2.0)
    return got


async def test_prompt_logs_are_read_about_once_not_thirty_times() -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 600, 20, lag=1.0, tag="a")
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10)
    got = await _run(poller, clock, T0 + 620)
    assert sorted(got) == sorted({r.event_id for r in world.logs})  # none lost, none twice
    assert poller.window_overlap() == MIN_OVERLAP_S
    # A fixed 60 s overlap re-reads each event ~31 times at a 2 s interval. Here: 14 polls of
    # (2 s + 5 s floor) and one 90 s sweep per 30 s, ~6.3 reads per event written.
    assert poller.read / len(world.logs) < 7.0


async def test_a_lag_spike_widens_the_window_and_loses_nothing() -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 120, 10, lag=1.0, tag="a")
    _write(world, T0 + 120, 120, 10, lag=25.0, tag="b")  # delivery falls behind by 25 s
    _write(world, T0 + 240, 120, 10, lag=1.0, tag="c")
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10)
    got = await _run(poller, clock, T0 + 400)
    assert sorted(got) == sorted({r.event_id for r in world.logs})


async def test_without_ingestion_times_the_window_is_the_full_overlap() -> None:
    poller = LogsPoller(FakeFactory(FakeWorld(FrozenClock(T0))), FrozenClock(T0), GROUP, 2.0)
    assert poller.window_overlap() == OVERLAP_S
