"""Injected time. Every layer asks a Clock, never `time.time()`, so the demo can run fast."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Wall-clock seconds since the epoch (UTC), possibly scaled."""

    def now(self) -> float: ...

    @property
    def speed(self) -> float: ...


class SystemClock:
    """Real time."""

    speed = 1.0

    def now(self) -> float:
        return time.time()


class ScaledClock:
    """Simulated time that starts at `start` and runs `speed` times faster than real time.

    Real-time intervals (poll periods, sleeps) are divided by `speed` by callers that
    need to sleep; `now()` is what every timestamp is taken from.
    """

    def __init__(self, start: float, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._start = start
        self._speed = speed
        self._real0 = time.monotonic()

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> float:
        return self._start + (time.monotonic() - self._real0) * self._speed


class FrozenClock:
    """A clock that moves only when told to (tests, snapshots)."""

    speed = 1.0

    def __init__(self, at: float) -> None:
        self._at = at

    def now(self) -> float:
        return self._at

    def advance(self, seconds: float) -> None:
        self._at += seconds

    def set(self, at: float) -> None:
        self._at = at
