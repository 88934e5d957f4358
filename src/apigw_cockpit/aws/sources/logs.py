"""Log pollers: incremental FilterLogEvents with overlap, paging and dedupe by eventId.

The execution-log poller groups lines into request traces; `lambda_logs.py` and
`flow_logs.py` reuse it with another group and grouping. Each poll reads from the last
seen timestamp minus an overlap window (events can land late: ingestion is not ordered),
pages with nextToken, and drops ids it has already delivered.

The overlap is what costs: every event in it is read again on every poll (a fixed 60 s
overlap at a 2 s interval reads each event ~30 times). So there are two windows:
- every poll re-reads a short overlap that follows the largest ingestion lag
  (ingestionTime - timestamp) seen recently, plus a margin, never under MIN_OVERLAP_S;
- every SWEEP_S a sweep re-reads OVERLAP_S + SWEEP_S, so an event up to OVERLAP_S late is
  still found even when nothing before it was late enough to widen the short window (lags
  are not predictable from the events already seen: a late event is only seen if read).
Until a lag has been seen (no ingestionTime in the answers) every poll reads OVERLAP_S.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from apigw_cockpit.aws.sources.base import Poller
from apigw_cockpit.aws.sources.traces import EXECUTION, Grouping, SeenIds, TraceGrouper, request_id
from apigw_cockpit.model import Clock, LogEvent, LogsUpdate, Update

# Re-read this much before the newest event seen: CloudWatch Logs ingestion is not ordered and
# usually lands within seconds; an event later than this is missed. Dedupe is exact while
# (lines/s x OVERLAP_S) stays under the seen-id cap: 300,000 / 60 s = 5,000 lines/s sustained.
OVERLAP_S = 60.0
LOOKBACK_S = 300.0  # the first poll shows the last 5 minutes (a busy API writes ~10k lines/min)
MAX_PAGES = 10  # per poll; the query resumes where it stopped on the next poll (bounded work per tick)
PAGE_LIMIT = 10_000  # FilterLogEvents max
MIN_OVERLAP_S = 5.0  # never less: ingestion order and clocks are not exact
LAG_MARGIN_S = 2.0
LAG_SAMPLES = 2048  # the recent lags the overlap follows (a lag spike widens it at once)
SWEEP_S = 30.0  # the wide re-read for late events: at most this much later than they could be


class LogsPoller(Poller):
    name = "logs"

    def __init__(
        self,
        factory: Any,
        clock: Clock,
        log_groups: list[str] | str,
        interval: float = 2.0,
        *,
        name: str | None = None,
        pattern: str = "",
        grouping: Grouping = EXECUTION,
        overlap_s: float = OVERLAP_S,
        lookback_s: float = LOOKBACK_S,
        max_events_per_update: int = 20_000,
        seen_cap: int = 300_000,
        **kw: Any,
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        if name:
            self.name = name
        self.log_groups = [log_groups] if isinstance(log_groups, str) else list(log_groups)
        self.pattern = pattern
        self.grouping = grouping
        self.overlap_s = overlap_s
        self.lookback_s = lookback_s
        self.max_events = max_events_per_update
        self.seen = SeenIds(seen_cap)
        self.grouper = TraceGrouper(grouping)
        self._newest: dict[str, float] = {}
        self._resume: dict[str, dict[str, Any]] = {}
        self._lags: deque[float] = deque(maxlen=LAG_SAMPLES)
        self._swept: dict[str, float] = {}
        self.dropped = 0
        self.delivered = 0
        self.read = 0  # events FilterLogEvents returned, re-reads included (bench: read per written)

    def window_overlap(self) -> float:
        """Seconds re-read before the newest event seen: the recent ingestion lag, bounded."""
        if not self._lags:
            return self.overlap_s
        return min(self.overlap_s, max(MIN_OVERLAP_S, max(self._lags) + LAG_MARGIN_S))

    async def poll(self) -> list[Update]:
        logs = await self.factory.client("logs")
        now = self.clock.now()
        fresh: list[LogEvent] = []
        for group in self.log_groups:
            fresh += await self._poll_group(logs, group, now)
        if len(self._newest) == len(self.log_groups) and not self._resume:
            # Nothing older than the next re-read window can be returned again.
            self.seen.prune_before(min(self._newest.values()) - self.overlap_s - SWEEP_S - 1.0)
        return self.emit(fresh, now)

    def emit(self, fresh: list[LogEvent], now: float) -> list[Update]:
        """Order, bound and group new events into one LogsUpdate (shared with Live Tail)."""
        fresh.sort(key=lambda e: (e.timestamp, e.event_id))
        dropped = 0
        if len(fresh) > self.max_events:
            # Keep the newest: an operator wants now, and the dropped count says what was lost.
            dropped = len(fresh) - self.max_events
            fresh = fresh[dropped:]
        self.dropped += dropped
        traces = self.grouper.add(fresh, now)
        if not fresh and not traces and not dropped:
            return []
        self.delivered += len(fresh)
        return [LogsUpdate(self.name, now, tuple(fresh), tuple(traces), dropped)]

    async def _poll_group(self, logs: Any, group: str, now: float) -> list[LogEvent]:
        newest = self._newest.get(group)
        if newest is None:
            start = now - self.lookback_s
            self._swept[group] = now
        elif now - self._swept.get(group, now) >= SWEEP_S:
            start = newest - self.overlap_s - SWEEP_S
            self._swept[group] = now
        else:
            start = newest - self.window_overlap()
        kwargs: dict[str, Any] = {
            "logGroupName": group,
            "startTime": int(start * 1000),
            "limit": PAGE_LIMIT,
        }
        if self.pattern:
            kwargs["filterPattern"] = self.pattern
        # A poll that hit MAX_PAGES continues the same query where it stopped.
        kwargs = self._resume.pop(group, kwargs)
        out: list[LogEvent] = []
        top = newest if newest is not None else start
        for _ in range(MAX_PAGES):
            resp = await logs.filter_log_events(**kwargs)
            events = resp.get("events", [])
            self.read += len(events)
            for e in events:
                ts = e.get("timestamp", 0) / 1000.0
                top = max(top, ts)
                if e.get("ingestionTime"):
                    self._lags.append(max(0.0, e["ingestionTime"] / 1000.0 - ts))
                eid = (
                    e.get("eventId")
                    or f"{e.get('logStreamName', '')}/{e.get('timestamp')}/{hash(e.get('message'))}"
                )
                if not self.seen.add(eid, ts):
                    continue
                msg = e.get("message", "")
                out.append(
                    LogEvent(
                        event_id=eid,
                        timestamp=ts,
                        log_group=group,
                        stream=e.get("logStreamName", ""),
                        message=msg,
                        ingestion_time=e.get("ingestionTime", 0) / 1000.0,
                        request_id=eid if self.grouping.per_line else request_id(msg, self.grouping),
                    )
                )
            token = resp.get("nextToken")
            if not token:
                break
            kwargs["nextToken"] = token
        else:
            self._resume[group] = dict(kwargs)
        # Advance only after the pages were read: a failed poll re-reads the same window.
        self._newest[group] = top
        return out
