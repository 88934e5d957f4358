"""The shared poller loop: interval, jitter, backoff, a per-poll deadline, status, never raising.

A poller is an async iterator of `model` updates. Subclasses implement `poll()` (one
round of AWS calls → updates) and may override `first_due()`/`next_due()` (metrics align
to the minute). Failures become `SourceStatus` updates, never exceptions: one broken
source must not stop another.

The status tells the truth within one poll:
- every poll has a deadline sized to the interval (`poll_deadline`): a poll that has had
  no successful answer for that long is cut and shows `stale` (or `throttled`, when botocore
  was retrying throttles) — a hung endpoint is stale after one poll, not after botocore's
  4 attempts × 15 s read timeout; a long poll that keeps receiving pages is not cut;
- only throttling backs off (AWS asks clients to slow down); denied, 5xx, resets and
  timeouts are retried at the normal interval, so the first poll after a fault is lifted
  succeeds and the source is `ok` again one interval later at most;
- an `ok` status carries no error text from an earlier failure.

Time: timestamps from the injected clock; sleeps in real seconds = simulated ÷ clock.speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import deque
from typing import TypedDict

from apigw_cockpit.aws import attempts
from apigw_cockpit.aws.errors import (
    DENIED_CODES,
    THROTTLE_CODES,
    ReadOnlyViolation,
    as_access_error,
    is_denied,
    is_throttle,
    short,
)
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.model import Clock, SourceState, SourceStatus, Topology, Update

# A poll may go without an answer for its interval, within these bounds (simulated seconds): a
# 2 s log poll still gets 10 s for a slow page, a 60 s metrics poll shows stale after 30 s.
MIN_DEADLINE_S = 10.0
MAX_DEADLINE_S = 30.0
# A round trip (and botocore's client-side rate limiter) takes real time whatever the simulated
# clock does: never cut a poll shorter than this many real seconds (matters only when sped up).
MIN_REAL_DEADLINE_S = 5.0
# Until a source has answered once, its polls read the backfill/lookback (the heaviest reads)
# and nothing stale can be shown anyway: they get at least this long (simulated seconds).
FIRST_DEADLINE_S = 30.0
# After a timed-out poll the next one may wait twice as long (up to 4×): a hung endpoint is
# stale after the first deadline, while a slow but working one still gets its answer through.
MAX_DEADLINE_GROWTH = 4.0
# Throttling backs off up to this many intervals (then stays there until a poll succeeds).
THROTTLE_BACKOFF_INTERVALS = 2.0


def poll_deadline(interval: float) -> float:
    """Simulated seconds one poll may take before it counts as failed (timed out)."""
    return min(MAX_DEADLINE_S, max(MIN_DEADLINE_S, interval))


class PollerLimits(TypedDict, total=False):
    """The knobs `build_pollers` hands every poller: tests and the fault sweep set them; the
    cockpit keeps the defaults."""

    max_backoff: float | None
    deadline: float | None
    rng: random.Random | None


class PollerOptions(PollerLimits, total=False):
    """What a `Poller` takes besides its interval (the metrics poller fixes its own jitter)."""

    jitter: float


class PollTimeout(Exception):
    """One poll ran past its deadline (the endpoint is slow or hung, or retries took too long).

    `code` is the error code of the last attempt botocore saw before the deadline, if any: a
    poll cut while botocore was retrying throttles is throttled, not merely stale.
    """

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class Poller:
    """Base class. `name` is the source name shown in the status bar ("metrics", "logs", …)."""

    name = "source"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        interval: float,
        *,
        jitter: float = 0.1,
        max_backoff: float | None = None,
        deadline: float | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.factory = factory
        self.clock = clock
        self.interval = interval
        self.jitter = jitter
        # Throttle backoff only, capped so a source recovers soon after throttling stops.
        self.max_backoff = (
            max_backoff if max_backoff is not None else max(interval * THROTTLE_BACKOFF_INTERVALS, 1.0)
        )
        self.deadline = deadline if deadline is not None else poll_deadline(interval)
        self._rng = rng or random.Random()
        self._pending: deque[Update] = deque()
        self._due: float | None = None
        self._closed = False
        self._wake = asyncio.Event()
        self.state = SourceState.STARTING
        self.last_ok: float | None = None
        self.last_error = ""
        self.throttles = 0
        self.failures = 0
        self.polls = 0
        self._asked = False  # poll_now() while a poll runs: poll again right after it
        self._timeouts = 0  # consecutive polls cut by the deadline

    # -- subclass hooks --------------------------------------------------------------------
    async def poll(self) -> list[Update]:
        raise NotImplementedError

    def first_due(self, now: float) -> float:
        return now

    def retarget(self, topology: Topology) -> None:
        """The configuration was read again: re-derive what this source watches (default: nothing)."""

    def next_due(self, now: float) -> float:
        return now + self.interval * (1 + self._rng.uniform(-self.jitter, self.jitter))

    def retry_due(self, now: float) -> float:
        """When to try again after a failed poll (not throttled): one normal period away at most."""
        return self.next_due(now)

    def healthy_state(self) -> SourceState:
        """The state after a poll that raised nothing (Live Tail says CONNECTING while it dials)."""
        return SourceState.OK

    # -- iteration -------------------------------------------------------------------------
    def __aiter__(self) -> Poller:
        return self

    async def __anext__(self) -> Update:
        if self.polls == 0 and self._due is None and not self._closed:
            # Say the source exists before its first (possibly slow) round trip.
            self._due = self.first_due(self.clock.now())
            return self.status()
        while not self._pending:
            if self._closed:
                raise StopAsyncIteration
            await self._sleep_until_due()
            if self._closed:
                raise StopAsyncIteration
            await self._run_once()
        return self._pending.popleft()

    def close(self) -> None:
        self._closed = True
        self._wake.set()

    def poll_now(self) -> None:
        """Ask for an immediate poll (a key in the UI; tests)."""
        self._asked = True
        self._due = self.clock.now()
        self._wake.set()

    async def _sleep_until_due(self) -> None:
        if self._due is None:
            self._due = self.first_due(self.clock.now())
        while not self._closed:
            remaining = (self._due - self.clock.now()) / self.clock.speed
            if remaining <= 0:
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=remaining)

    async def _run_once(self) -> None:
        self.polls += 1
        self._asked = False
        started = self.clock.now()
        seen = attempts.Attempts()
        token = attempts.CURRENT.set(seen)  # the poll's task copies this context: hooks fill `seen`
        try:
            updates = await self._watched_poll(seen)
        except asyncio.CancelledError:
            raise
        except TimeoutError:
            self._failed(_timeout(self.current_deadline, seen))
            self._timeouts += 1
            return
        except Exception as exc:  # never out of iteration: a status instead
            self._failed(exc)
            return
        finally:
            attempts.CURRENT.reset(token)
        now = self.clock.now()
        self.failures = 0  # backoff resets on the first success
        self._timeouts = 0
        # Period measured from the start of the poll, so slow calls do not stretch the interval.
        self._due = now if self._asked else self.next_due(started)
        self._pending.extend(updates)
        state = self.healthy_state()
        if state == SourceState.OK:
            self.last_ok = now
        self._set_state(state, "")

    async def _watched_poll(self, seen: attempts.Attempts) -> list[Update]:
        """`poll()`, cut (TimeoutError) once AWS has answered nothing for the deadline."""
        task = asyncio.ensure_future(self.poll())
        limit = self._real_deadline()
        try:
            while True:
                remaining = limit - (time.monotonic() - seen.answered_at)
                if remaining <= 0:
                    raise TimeoutError
                done, _ = await asyncio.wait({task}, timeout=remaining)
                if done:
                    return task.result()
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    def _real_deadline(self) -> float:
        growth = min(2.0**self._timeouts, MAX_DEADLINE_GROWTH)
        deadline = self.deadline if self.last_ok is not None else max(self.deadline, FIRST_DEADLINE_S)
        return max(deadline / self.clock.speed, MIN_REAL_DEADLINE_S) * growth

    @property
    def effective_deadline(self) -> float:
        """A poll's deadline once the source has answered, in simulated seconds, after the
        real-time floor (= `deadline` at speed 1)."""
        return max(self.deadline, MIN_REAL_DEADLINE_S * self.clock.speed)

    @property
    def current_deadline(self) -> float:
        """The deadline of the next (or running) poll, in simulated seconds."""
        return self._real_deadline() * self.clock.speed

    def _failed(self, exc: BaseException) -> None:
        now = self.clock.now()
        self.failures += 1
        # Retry at the normal period unless AWS asked us to slow down: a denied source is
        # re-tried one interval later (a policy fix must show at once), not after a backoff.
        due = self.retry_due(now)
        if isinstance(exc, ReadOnlyViolation):
            # Our own guard refused: nothing outside can change that, so no hurry.
            state, due = SourceState.DENIED, now + self.max_backoff
        elif is_throttle(exc) or (isinstance(exc, PollTimeout) and exc.code in THROTTLE_CODES):
            self.throttles += 1
            state, due = SourceState.THROTTLED, now + self._backoff()
        elif is_denied(exc) or (isinstance(exc, PollTimeout) and exc.code in DENIED_CODES):
            state = SourceState.DENIED
        elif as_access_error(exc) is not None and not _transient(exc):
            state = SourceState.ERROR
        else:
            state = SourceState.STALE if self.last_ok is not None else SourceState.ERROR
        self._due = due
        self._set_state(state, str(exc) if isinstance(exc, PollTimeout) else short(exc), force=True)

    def _backoff(self) -> float:
        # Full jitter between half and all of the exponential step, capped.
        step = min(self.max_backoff, self.interval * 2.0 ** (self.failures - 1))
        return float(step * self._rng.uniform(0.5, 1.0))

    def _set_state(self, state: SourceState, error: str, *, force: bool = False) -> None:
        changed = state != self.state or (force and error != self.last_error)
        self.state = state
        if error or state == SourceState.OK:
            # An ok source has no current error: never show the last failure's text beside "ok".
            self.last_error = error
        if changed:
            self._pending.append(self.status())

    def status(self) -> SourceStatus:
        return SourceStatus(
            source=self.name,
            state=self.state,
            at=self.clock.now(),
            last_ok=self.last_ok,
            last_error=self.last_error,
            throttles=self.throttles,
            next_poll=self._due,
        )


def _timeout(deadline: float, seen: attempts.Attempts) -> PollTimeout:
    if seen.last_error:
        return PollTimeout(f"timed out at {deadline:.0f} s while retrying: {seen.last_error}", seen.last_code)
    return PollTimeout(f"timed out: no answer within {deadline:.0f} s (endpoint slow or hung)")


def _transient(exc: BaseException) -> bool:
    """Endpoint-unreachable counts as transient for a running poller (the network may come back)."""
    return type(exc).__name__ in {"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"}
