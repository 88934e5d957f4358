"""Execution logs over CloudWatch Logs Live Tail (`--live-tail`), falling back to polling.

A background task reads the StartLiveTail event stream into a list; each poll drains it
through the same grouping as the polling path. When the session fails (denied,
15-session quota, 3-hour limit, endpoint without Live Tail) the poller switches to
FilterLogEvents for good and says so in its status.

Semantics (CloudWatch Logs StartLiveTail, botocore logs model):
- `sessionUpdate.sessionMetadata.sampled` is true when more than 500 events/s matched and
  Live Tail is dropping some: the status carries a note while it lasts.
- Live Tail events have no eventId and a session never repeats one, so two identical lines
  (same stream, millisecond and text) are two events: each gets its own id (an occurrence
  count), never merged.
- At handover the FilterLogEvents poll starts just before the newest line Live Tail
  delivered, and lines Live Tail already delivered (same group, stream, ms, text; counted)
  are not repeated.

Until StartLiveTail has answered the source is `connecting`, not `ok`: an empty pane while
botocore retries the call is "no data yet", never "no failures". A session that has not
connected within the poll deadline is given up for polling too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import replace
from typing import Unpack

from apigw_cockpit.aws.errors import short
from apigw_cockpit.aws.meter import CallMeter
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import PollerOptions
from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import request_id
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Clock, LogEvent, SourceState, SourceStatus, Update


class LiveTailPoller(LogsPoller):
    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        log_groups: list[str] | str,
        interval: float = 2.0,
        *,
        account: str = "",
        region: str = "",
        meter: CallMeter | None = None,
        **kw: Unpack[PollerOptions],
    ) -> None:
        super().__init__(factory, clock, log_groups, interval, **kw)
        self.account, self.region, self.meter = account, region, meter
        self._buffer: list[LogEvent] = []
        self._task: asyncio.Task[None] | None = None
        self.live = True
        self.connected = False
        self._dial_started: float | None = None
        self.fallback_reason = ""
        self.sampled = False
        # (group, stream, ms, message) -> times delivered by Live Tail (for ids and handover).
        self._delivered: Counter[tuple[str, str, int, str]] = Counter()

    def _arn(self, group: str) -> str:
        return f"arn:aws:logs:{self.region}:{self.account}:log-group:{group}"

    async def _stream(self) -> None:
        logs = await self.factory.client("logs")
        resp = await logs.start_live_tail(logGroupIdentifiers=[self._arn(g) for g in self.log_groups])
        self.connected = True
        if self.meter is not None:
            self.meter.live_tail_sessions += 1
        try:
            async for event in resp["responseStream"]:
                update = event.get("sessionUpdate") or {}
                sampled = bool((update.get("sessionMetadata") or {}).get("sampled", False))
                if sampled != self.sampled:
                    self.sampled = sampled
                    self._pending.append(self.status())
                for r in update.get("sessionResults", []) or []:
                    msg = r.get("message", "")
                    ms = int(r.get("timestamp", 0) or 0)
                    stream = r.get("logStreamName", "")
                    group = r.get("logGroupIdentifier", "").split(":log-group:")[-1]
                    key = (group, stream, ms, msg)
                    self._delivered[key] += 1
                    n = self._delivered[key]
                    eid = f"lt:{stream}:{ms}:{hash(msg)}:{n}"
                    ts = ms / 1000.0
                    self.seen.add(eid, ts)
                    # At handover polling starts one overlap before the newest line shown live.
                    back = ms - int(self.overlap_s * 1000)
                    self._cursor[group] = max(self._cursor.get(group, back), back)
                    self._buffer.append(
                        LogEvent(eid, ts, group, stream, msg, r.get("ingestionTime", 0) / 1000.0,
                                 request_id(msg, self.grouping))
                    )  # fmt: skip
        finally:
            if self.meter is not None:
                self.meter.live_tail_sessions -= 1

    def healthy_state(self) -> SourceState:
        return SourceState.CONNECTING if self.live and not self.connected else SourceState.OK

    async def poll(self) -> list[Update]:
        if not self.live:
            return await super().poll()
        now = self.clock.now()
        if self._task is None:
            self._dial_started = now
            self._task = asyncio.create_task(self._stream())
        if self._task.done():
            exc = self._task.exception() if not self._task.cancelled() else None
            return await self._fall_back(f"live tail ended ({short(exc) if exc else 'session closed'})")
        if not self.connected:
            if self._dial_started is not None and now - self._dial_started > self.deadline:
                self._task.cancel()
                return await self._fall_back(f"live tail did not connect within {self.deadline:.0f} s")
            return []  # still dialling (botocore may be retrying): CONNECTING, not ok
        fresh, self._buffer = self._buffer, []
        return self.emit(fresh, now)

    async def _fall_back(self, why: str) -> list[Update]:
        self.live = False
        self.fallback_reason = f"{why}; polling instead"
        # Say so once, as an ok status (polling works): the next ok status carries no text.
        self.state, self.last_error = SourceState.OK, self.fallback_reason
        self._pending.append(self.status())
        # Lines the session delivered before it ended come first, then the polled ones.
        fresh, self._buffer = self._buffer, []
        live = self.emit(fresh, self.clock.now()) if fresh else []
        return live + await super().poll()

    async def _poll_group(self, logs: Client, group: str, now: float) -> list[LogEvent]:
        """FilterLogEvents after the handover, minus the lines Live Tail already delivered."""
        got = await super()._poll_group(logs, group, now)
        if not self._delivered:
            return got
        out = []
        for e in got:
            key = (e.log_group, e.stream, round(e.timestamp * 1000), e.message)
            if self._delivered.get(key, 0) > 0:
                self._delivered[key] -= 1  # shown live: one occurrence accounted for
                continue
            out.append(e)
        return out

    def status(self) -> SourceStatus:
        base = super().status()
        if self.live and self.sampled:
            return replace(base, note="live tail sampled: above 500 lines/s some lines are dropped")
        return base

    def close(self) -> None:
        super().close()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def aclose(self) -> None:
        self.close()
        if self._task is not None:
            with contextlib.suppress(BaseException):
                await self._task
