"""Log pollers: incremental FilterLogEvents that reads each event about once, pages, dedupes by eventId.

The execution-log poller groups lines into request traces; `lambda_logs.py` and
`flow_logs.py` reuse it with another group and grouping.

CloudWatch Logs ingestion is not ordered: an event stamped t can become visible seconds later.
Re-reading an overlap before the newest event on every poll finds the late ones but reads every
event (1 + hold / interval) times. At quiet traffic that is cheap and keeps lines on screen within
a second of landing, so the poller does it (*fresh*: up to now, then again from `hold` before the
newest line). From READ_ONCE_RATE lines/s, where re-reading is what costs and throttles first, it
reads a *settled* window instead:
- each poll reads [cursor, now - hold] once (startTime/endTime), where `hold` is the largest
  ingestion lag (ingestionTime - timestamp) seen recently plus a margin: an event older than that
  has landed, so reading it once is enough. What it costs is freshness: an event reaches the
  screen `hold` seconds after it happened (the lag CloudWatch has anyway; `--live-tail` for
  sub-second);
- a lag larger than the hold widens it at once and moves the cursor back by the difference, so the
  not-yet-landed span is read again when it has landed;
- a sampled sweep re-reads the OVERLAP_S before the cursor, at first every SWEEP_MIN_S and, while
  sweeps find nothing, half as often down to every SWEEP_MAX_S. A sweep that finds a late event
  teaches the hold its lag and sweeps often again;
- a read that finds far fewer events than the reads before it (the lag jumped past the hold, or
  the traffic stopped) sweeps at once and every SWEEP_MIN_S after, so a lag spike under
  OVERLAP_S - SWEEP_MIN_S loses nothing. A lone late event between two sampled sweeps can be
  missed: the price of reading once (Live Tail has none).
Until a lag has been seen (no ingestionTime in the answers) the hold is OVERLAP_S; the very first
read goes up to now, so the first frame has the newest lines.
"""

from __future__ import annotations

from collections import deque
from typing import NotRequired, TypedDict, Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerOptions
from apigw_cockpit.aws.sources.traces import EXECUTION, Grouping, SeenIds, TraceGrouper, request_id
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Clock, LogEvent, LogsUpdate, Update

# Re-read this much before the newest event seen: CloudWatch Logs ingestion is not ordered and
# usually lands within seconds; an event later than this is missed. Dedupe is exact while
# (lines/s x OVERLAP_S) stays under the seen-id cap: 300,000 / 60 s = 5,000 lines/s sustained.
OVERLAP_S = 60.0
LOOKBACK_S = 300.0  # the first poll shows the last 5 minutes (a busy API writes ~10k lines/min)
MAX_PAGES = 10  # per poll; the query resumes where it stopped on the next poll (bounded work per tick)
PAGE_LIMIT = 10_000  # FilterLogEvents max


MIN_HOLD_S = 3.0  # never less: ingestion order and clocks are not exact
MAX_HOLD_S = 900.0  # flow logs land minutes late; beyond this an event counts as lost
LAG_MARGIN_S = 2.0
LAG_SAMPLES = 2048  # the recent lags the hold follows (a lag spike widens it at once)
READ_ONCE_RATE = 300.0  # lines/s (~1,500 req/min) from which each event is read once, a hold late
RATE_DROP = 0.3  # a read with under this share of the recent events per second triggers a sweep
RATE_FLOOR = 2.0  # below this many events per second there is no rate to drop from
STARVED_SWEEPS = 10  # empty quick sweeps after a drop before the lower rate is the new normal
SWEEP_MIN_S = 30.0  # a sampled re-read of the OVERLAP_S before the cursor, this often at first
SWEEP_MAX_S = 600.0  # and at least this often while sweeps find nothing late (cost OVERLAP_S / this)


class FilterQuery(TypedDict):
    """One FilterLogEvents request as this poller builds it; `nextToken` while paging."""

    logGroupName: str
    startTime: int  # epoch ms
    endTime: int
    limit: int
    filterPattern: NotRequired[str]
    nextToken: NotRequired[str]


class LogsPoller(Poller):
    name = "logs"

    def __init__(
        self,
        factory: ClientFactory,
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
        read_once_above: float = READ_ONCE_RATE,
        **kw: Unpack[PollerOptions],
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
        self._quiet_s = self.grouper.quiet_s
        self._cursor: dict[str, int] = {}  # ms: the main pass's next startTime per group
        self._resume: dict[str, FilterQuery] = {}
        self._lags: deque[float] = deque(maxlen=LAG_SAMPLES)
        self._sweep_at: dict[str, float] = {}
        self._sweep_every: dict[str, float] = {}
        self._forgot = float("-inf")  # seen ids before this are pruned: never read from before it
        self._top: dict[str, float] = {}  # the newest timestamp read per group
        self.read_once_above = read_once_above
        self._rate: dict[str, float] = {}
        self._starved: dict[
            str, int
        ] = {}  # groups whose reads dropped: empty sweeps since  # events per main read, smoothed
        self.late_found = 0  # events only a sweep found (later than the hold when first read)
        self.dropped = 0
        self.delivered = 0
        self.read = 0  # events FilterLogEvents returned, re-reads included (bench: read per written)

    def hold(self) -> float:
        """Seconds an event may still be in flight: the recent ingestion lag plus a margin, bounded."""
        if not self._lags:
            return self.overlap_s
        return min(MAX_HOLD_S, max(MIN_HOLD_S, max(self._lags) + LAG_MARGIN_S))

    async def poll(self) -> list[Update]:
        logs = await self.factory.client("logs")
        now = self.clock.now()
        fresh: list[LogEvent] = []
        for group in self.log_groups:
            fresh += await self._poll_group(logs, group, now)
        if len(self._cursor) == len(self.log_groups) and not self._resume:
            # Nothing older than the next sweep's window can be returned again.
            forget = min(self._cursor.values()) / 1000.0 - self.overlap_s - 1.0
            self._forgot = max(self._forgot, forget)  # a widened hold moves cursors back, not this
            self.seen.prune_before(self._forgot)
        # A trace's lines can be read up to a hold apart (a lag spike widens it between two
        # reads): it is quiet only after longer than that, or it would be cut in two.
        self.grouper.quiet_s = max(self._quiet_s, self.hold() + 2 * self.interval)
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

    async def _poll_group(self, logs: Client, group: str, now: float) -> list[LogEvent]:
        out: list[LogEvent] = []
        kwargs = self._resume.pop(group, None)
        if kwargs is None:
            cursor = self._cursor.setdefault(group, int((now - self.lookback_s) * 1000))
            # Fresh (quiet traffic, or no lag known yet): read up to now and again from a hold
            # before the newest line next time. Read once (busy): stop a hold short of now.
            end = int((now - self.hold()) * 1000) if self.reads_once(group) else int(now * 1000)
            if end < cursor:
                return out
            kwargs = self._query(group, cursor, end)
        before = self.read
        if await self._read(logs, group, kwargs, out):
            span = max(1.0, (kwargs["endTime"] - kwargs["startTime"]) / 1000.0)
            self._watch_rate(group, (self.read - before) / span, now)
            # Advance only after the pages were read: a failed poll re-reads the same window. A
            # wider hold than the window was read with moves the cursor back over what had not landed.
            edge = self._top.get(group, now) if not self.reads_once(group) else now
            back = max(edge - self.hold(), self._forgot)  # never behind what dedupe still knows
            self._cursor[group] = min(kwargs["endTime"] + 1, int(back * 1000))
        else:
            self._resume[group] = kwargs
        if group not in self._sweep_at:
            self._sweep_at[group] = now + SWEEP_MIN_S
            self._sweep_every[group] = SWEEP_MIN_S
        elif now >= self._sweep_at[group] and group in self._cursor:
            out += await self._sweep(logs, group, now)
        return out

    def _floor_ms(self, ms: int) -> int:
        """Never read from before what dedupe still remembers (a re-read there would repeat lines)."""
        return ms if self._forgot == float("-inf") else max(ms, int(self._forgot * 1000) + 1)

    def reads_once(self, group: str) -> bool:
        """Busy enough that re-reading the hold every poll is what costs (or throttles)."""
        return bool(self._lags) and self._rate.get(group, 0.0) >= self.read_once_above

    def _watch_rate(self, group: str, n: float, now: float) -> None:
        """`n`: events per second of the window just read. Sweep at once when that is far under
        what recent reads found: either the traffic stopped (a sweep is then cheap) or the lag
        jumped past the hold (the sweep finds the late events). While reads stay that low, sweeps
        come every SWEEP_MIN_S over OVERLAP_S (tiled: a spike under OVERLAP_S - SWEEP_MIN_S loses
        nothing); after STARVED_SWEEPS empty ones the lower rate is taken as the traffic's."""
        avg = self._rate.get(group)
        starved = avg is not None and avg >= RATE_FLOOR and n < RATE_DROP * avg
        if group in self._starved and not starved:
            del self._starved[group]
        if starved and group in self._sweep_at:
            if group not in self._starved:
                self._starved[group] = 0
                self._sweep_at[group] = min(self._sweep_at[group], now)
            if self._starved[group] < STARVED_SWEEPS:
                return  # the reference rate stays what it was before the drop
            del self._starved[group]
            self._rate[group] = n
            return
        self._rate[group] = n if avg is None else 0.8 * avg + 0.2 * n

    async def _sweep(self, logs: Client, group: str, now: float) -> list[LogEvent]:
        cursor = self._cursor[group]
        late: list[LogEvent] = []
        hold = self.hold()
        await self._read(
            logs,
            group,
            self._query(group, self._floor_ms(cursor - int(self.overlap_s * 1000)), cursor - 1),
            late,
        )
        self.late_found += len(late)
        if group in self._starved and not late:
            self._starved[group] += 1
        quick = late or group in self._starved
        every = SWEEP_MIN_S if quick else min(SWEEP_MAX_S, self._sweep_every[group] * 2)
        self._sweep_every[group] = every
        self._sweep_at[group] = now + every
        self._rewind(group, now, hold)
        return late

    def _rewind(self, group: str, now: float, hold_before: float) -> None:
        """A wider hold than the window was read with: read the span that had not landed again."""
        hold = self.hold()
        if hold > hold_before and group in self._cursor:
            self._cursor[group] = min(self._cursor[group], int(max(now - hold, self._forgot) * 1000))

    def _query(self, group: str, start_ms: int, end_ms: int) -> FilterQuery:
        kwargs: FilterQuery = {
            "logGroupName": group,
            "startTime": max(0, start_ms),  # epoch ms, min 0 (botocore's model)
            "endTime": max(0, end_ms),  # inclusive (FilterLogEvents)
            "limit": PAGE_LIMIT,
        }
        if self.pattern:
            kwargs["filterPattern"] = self.pattern
        return kwargs

    async def _read(self, logs: Client, group: str, kwargs: FilterQuery, out: list[LogEvent]) -> bool:
        """Page through one query (at most MAX_PAGES); True when it was read to the end."""
        for _ in range(MAX_PAGES):
            resp = await logs.filter_log_events(**kwargs)
            events = resp.get("events", [])
            self.read += len(events)
            for e in events:
                ts = e.get("timestamp", 0) / 1000.0
                self._top[group] = max(self._top.get(group, ts), ts)
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
                kwargs.pop("nextToken", None)
                return True
            kwargs["nextToken"] = token
        return False
