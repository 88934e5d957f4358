"""Consume every poller of a set into one list, and wait on conditions over it (no sleeps)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.aws.sources.base import Poller
from apigw_cockpit.model import SourceStatus, Update


@dataclass
class Seen:
    real: float  # time.monotonic() when delivered
    sim: float  # clock time when delivered
    update: Update


class Collector:
    def __init__(self, pollers: list[Poller], clock: Any) -> None:
        self.pollers = pollers
        self.clock = clock
        self.seen: list[Seen] = []
        self._cond = asyncio.Condition()
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Collector:
        self._tasks = [asyncio.create_task(self._pump(p)) for p in self.pollers]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for p in self.pollers:
            p.close()
        for t in self._tasks:
            t.cancel()
            with contextlib.suppress(BaseException):
                await t

    async def _pump(self, p: Poller) -> None:
        async for u in p:
            async with self._cond:
                self.seen.append(Seen(time.monotonic(), self.clock.now(), u))
                self._cond.notify_all()

    async def wait(self, pred: Callable[[Seen], bool], *, after: int = 0, timeout: float = 5.0) -> Seen:
        """The first delivery at index ≥ `after` matching `pred`, waiting up to `timeout` real seconds."""

        def find() -> Seen | None:
            return next((s for s in self.seen[after:] if pred(s)), None)

        async with self._cond:
            await asyncio.wait_for(self._cond.wait_for(lambda: find() is not None), timeout)
        hit = find()
        assert hit is not None
        return hit


def is_data(source: str) -> Callable[[Seen], bool]:
    return lambda s: not isinstance(s.update, SourceStatus) and getattr(s.update, "source", "") == source


def is_status(source: str, state: str) -> Callable[[Seen], bool]:
    return lambda s: (
        isinstance(s.update, SourceStatus) and s.update.source == source and s.update.state == state
    )
