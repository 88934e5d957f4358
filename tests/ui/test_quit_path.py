"""`q` gives the prompt back at once (issue 15): nothing on the way out waits on slow things.

No timing is asserted (bench/quit_time.py measures it); these check that the exit path does
not *wait* on an in-flight poll, a hanging feed close or a world still starting. Each await
has a generous guard so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from apigw_cockpit import cli, quick_exit
from apigw_cockpit.commands import demo
from apigw_cockpit.model import Update

from .conftest import wait_for
from .fakes import FakeFeed, midnight_pager, topology

GUARD_S = 20.0  # far above the close bound: only a wait-forever trips it


class InFlightPoller:
    """A poll that never answers (a request stuck in flight), recording that it was cancelled."""

    name = "logs"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.cancelled = False

    async def __aiter__(self) -> AsyncIterator[Update]:  # type: ignore[override]
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        yield  # pragma: no cover - makes this an async generator


async def test_quit_cancels_the_in_flight_poll_instead_of_awaiting_it(make_app: Callable[..., Any]) -> None:
    stuck = InFlightPoller()
    feed = midnight_pager()
    feed.pollers.append(stuck)  # type: ignore[arg-type]
    app = make_app(feed)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(stuck.started.is_set, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running and stuck.cancelled


class HangingFeed(FakeFeed):
    """A feed whose close waits on its in-flight polls forever."""

    def __init__(self) -> None:
        super().__init__(topology(), [])
        self.close_cancelled = False

    async def aclose(self) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.close_cancelled = True
            raise


class SlowSimServer:
    """A SimServer whose start takes until the test says so (moto, seeding, backfill)."""

    release = threading.Event()
    entered = threading.Event()
    stopped = threading.Event()

    def __init__(self, *_: Any, **__: Any) -> None:
        pass

    def __enter__(self) -> SlowSimServer:
        SlowSimServer.entered.set()
        SlowSimServer.release.wait(GUARD_S)
        return self

    def __exit__(self, *_: object) -> None:
        SlowSimServer.stopped.set()


@pytest.fixture
def slow_world(monkeypatch: pytest.MonkeyPatch) -> type[SlowSimServer]:
    import apigw_cockpit.demo.server as server

    for flag in (SlowSimServer.release, SlowSimServer.entered, SlowSimServer.stopped):
        flag.clear()
    monkeypatch.setattr(server, "SimServer", SlowSimServer)
    yield SlowSimServer
    SlowSimServer.release.set()


async def test_leaving_mid_start_does_not_wait_for_the_world_or_the_feed(
    slow_world: type[SlowSimServer],
) -> None:
    world = demo._World("midnight-pager", 1.0)
    starting = asyncio.ensure_future(world.start())
    assert await asyncio.to_thread(slow_world.entered.wait, GUARD_S)
    starting.cancel()  # the app quit: its opener's await is cancelled (the start is shielded)
    feed = HangingFeed()
    await asyncio.wait_for(demo.close_bounded([feed], world), GUARD_S)
    assert feed.close_cancelled  # given up on, not awaited
    assert not slow_world.stopped.is_set()  # the start is still under way: nobody waited for it
    # When it finishes, the starting thread stops the world it made (no one else will).
    slow_world.release.set()
    assert await asyncio.to_thread(slow_world.stopped.wait, GUARD_S)


async def test_a_started_world_is_stopped_on_the_way_out(slow_world: type[SlowSimServer]) -> None:
    slow_world.release.set()
    world = demo._World("midnight-pager", 1.0)
    assert isinstance(await asyncio.wait_for(world.start(), GUARD_S), SlowSimServer)
    await asyncio.wait_for(demo.close_bounded([], world), GUARD_S)
    assert await asyncio.to_thread(slow_world.stopped.wait, GUARD_S)


def test_quick_exit_only_when_armed(monkeypatch: pytest.MonkeyPatch) -> None:
    exits: list[int] = []

    class Left(Exception):
        pass

    def fake_exit(code: int) -> None:
        exits.append(code)
        raise Left

    monkeypatch.setattr(quick_exit.os, "_exit", fake_exit)
    quick_exit.disarm()
    assert quick_exit.leave(3) == 3 and exits == []
    quick_exit.arm()
    try:
        with pytest.raises(Left):
            quick_exit.leave(0)
        assert exits == [0]
        # In-process callers pass argv: cli.main hands the code back even when armed.
        assert cli.main(["scenarios"]) == 0 and exits == [0]
    finally:
        quick_exit.disarm()


async def test_quit_with_live_pollers_waiting_for_their_next_poll(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(hold=True))  # every poller delivered and now waits, like a live one
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: len(app.state.rows) == 8, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
