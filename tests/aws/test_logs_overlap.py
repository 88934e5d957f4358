"""The log poller reads a settled window once: cheap when logs are prompt (about one read per event
written), lossless when a lag spike comes (the hold widens from the lags it sees and the span that
had not landed is read again)."""

from __future__ import annotations

import pytest
from fake_aws import FakeFactory, FakeWorld, LogRecord

from apigw_cockpit.aws.sources.logs import LAG_MARGIN_S, MIN_HOLD_S, OVERLAP_S, READ_ONCE_RATE, LogsPoller
from apigw_cockpit.model import FrozenClock, LogsUpdate

T0 = 1_780_000_000.0
GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"


def _write(world: FakeWorld, start: float, seconds: float, per_s: int, lag: float, tag: str) -> None:
    for i in range(int(seconds * per_s)):
        ts = start + i / per_s
        msg = f"(req-{tag}{i:06d}) Method completed with status: 200"
        world.logs.append(LogRecord(int(ts * 1000), f"{tag}{i:06d}", "s", msg, ts + lag))


async def _run(poller: LogsPoller, clock: FrozenClock, until: float) -> dict[str, float]:
    """Event id -> when the poller delivered it."""
    got: dict[str, float] = {}
    while clock.now() < until:
        for u in await poller.poll():
            assert isinstance(u, LogsUpdate)
            for e in u.events:
                assert e.event_id not in got, "delivered twice"
                got[e.event_id] = clock.now()
        clock.advance(2.0)
    return got


async def test_busy_logs_are_read_about_once() -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 1200, 20, lag=1.0, tag="a")
    # "Busy" from 10 lines/s here (the default is READ_ONCE_RATE): the fake world's scan is
    # linear, so the mechanism is driven at a rate it can serve.
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10, read_once_above=10)
    got = await _run(poller, clock, T0 + 1220)
    assert set(got) == {r.event_id for r in world.logs}  # none lost
    assert poller.reads_once(GROUP) and poller.hold() == MIN_HOLD_S
    # The old overlap re-read (a 5 s floor every 2 s, a 90 s sweep every 30 s) cost ~6.3 reads
    # per event; reading once plus a sampled 60 s sweep (every 30, 60, ... up to 600 s) and the
    # fresh reads before the rate is known: 1.31 over these 20 min, -> 1.1 over hours.
    assert poller.read / len(world.logs) < 1.35
    # Freshness is the price, and bounded: an event is delivered within hold + one interval.
    late = max(got[r.event_id] - r.ts_ms / 1000 for r in world.logs)
    assert late <= MIN_HOLD_S + 2.0 + 0.001


async def test_quiet_logs_are_fresh_and_cheaper_than_the_old_overlap() -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 600, 20, lag=1.0, tag="a")
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10)
    got = await _run(poller, clock, T0 + 620)
    assert set(got) == {r.event_id for r in world.logs}
    assert not poller.reads_once(GROUP)  # 20 lines/s is far under READ_ONCE_RATE
    # On screen at the first poll after it landed (lag 1 s, polls every 2 s).
    assert max(got[r.event_id] - r.visible_at for r in world.logs) <= 2.0 + 0.001
    assert poller.read / len(world.logs) < 3.0  # 1 + hold / interval, plus the sampled sweeps


@pytest.mark.parametrize("read_once_above", [5.0, READ_ONCE_RATE])
async def test_a_lag_spike_widens_the_hold_and_loses_nothing(read_once_above: float) -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 120, 10, lag=1.0, tag="a")
    _write(world, T0 + 120, 120, 10, lag=25.0, tag="b")  # delivery falls behind by 25 s
    _write(world, T0 + 240, 120, 10, lag=1.0, tag="c")
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10, read_once_above=read_once_above)
    got = await _run(poller, clock, T0 + 400)
    assert set(got) == {r.event_id for r in world.logs}
    if poller.reads_once(GROUP):
        assert poller.late_found > 0  # the sweep is what noticed the spike
    assert poller.hold() == MIN_HOLD_S  # prompt again: the hold came back down (fresh again)


async def test_reads_stay_near_once_through_a_lag_spike() -> None:
    clock = FrozenClock(T0)
    world = FakeWorld(clock)
    _write(world, T0, 300, 20, lag=1.0, tag="a")
    _write(world, T0 + 300, 300, 20, lag=25.0, tag="b")
    poller = LogsPoller(FakeFactory(world), clock, GROUP, 2.0, lookback_s=10, read_once_above=5)
    got = await _run(poller, clock, T0 + 640)
    assert set(got) == {r.event_id for r in world.logs}
    assert poller.hold() == 25.0 + LAG_MARGIN_S  # the spike taught the hold its lag
    assert poller.read / len(world.logs) < 2.0


async def test_without_ingestion_times_the_hold_is_the_full_overlap() -> None:
    poller = LogsPoller(FakeFactory(FakeWorld(FrozenClock(T0))), FrozenClock(T0), GROUP, 2.0)
    assert poller.hold() == OVERLAP_S
