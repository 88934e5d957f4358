"""Execution logs over CloudWatch Logs Live Tail (`--live-tail`), falling back to polling.

A background task reads the StartLiveTail event stream into a list; each poll drains it
through the same dedupe/grouping as the polling path. When the session fails (denied,
15-session quota, 3-hour limit, endpoint without Live Tail) the poller switches to
FilterLogEvents for good and says so in its status.

Until StartLiveTail has answered the source is `connecting`, not `ok`: an empty pane while
botocore retries the call is "no data yet", never "no failures". A session that has not
connected within the poll deadline is given up for polling too.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from apigw_cockpit.aws.errors import short
from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import request_id
from apigw_cockpit.model import LogEvent, SourceState, Update


class LiveTailPoller(LogsPoller):
    def __init__(self, *args: Any, account: str = "", region: str = "", meter: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.account, self.region, self.meter = account, region, meter
        self._buffer: list[LogEvent] = []
        self._task: asyncio.Task[None] | None = None
        self.live = True
        self.connected = False
        self._dial_started: float | None = None
        self.fallback_reason = ""

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
                for r in (event.get("sessionUpdate") or {}).get("sessionResults", []):
                    msg = r.get("message", "")
                    ts = r.get("timestamp", 0) / 1000.0
                    stream = r.get("logStreamName", "")
                    # Live Tail events carry no eventId: stream+time+text is unique enough to dedupe.
                    eid = f"lt:{stream}:{r.get('timestamp')}:{hash(msg)}"
                    if not self.seen.add(eid, ts):
                        continue
                    group = r.get("logGroupIdentifier", "").split(":log-group:")[-1]
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
        return await super().poll()

    def close(self) -> None:
        super().close()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def aclose(self) -> None:
        self.close()
        if self._task is not None:
            with contextlib.suppress(BaseException):
                await self._task
