"""Grouping log lines into per-request traces, and the bounded event buffer.

Pure (no AWS): the logs pollers feed it, the bench measures it.
"""

from __future__ import annotations

import re
from array import array
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from apigw_cockpit.model import LogEvent, RequestTrace

# Execution logs: every line starts "(<request-id>) ".
EXECUTION_ID = re.compile(r"^\(([0-9A-Za-z-]{8,64})\) ")
EXECUTION_DONE = ("Method completed with status", "Successfully completed execution")
# Lambda logs: "START RequestId: <id> …", "<time>\t<id>\tERROR\t…", "REPORT RequestId: <id> …".
LAMBDA_ID = re.compile(
    r"(?:RequestId: |^\S+\t)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
LAMBDA_DONE = ("REPORT RequestId:",)


@dataclass(frozen=True)
class Grouping:
    """How one kind of log names its request id and says a request is done."""

    pattern: re.Pattern[str] | None
    done_markers: tuple[str, ...] = ()
    strip_prefix: bool = False
    # Access logs: one line is one whole request; its id is the event's (the format decides
    # where `$context.requestId` sits, and aws/ does not parse formats: diagnose/ does).
    per_line: bool = False


EXECUTION = Grouping(EXECUTION_ID, EXECUTION_DONE, strip_prefix=True)
LAMBDA = Grouping(LAMBDA_ID, LAMBDA_DONE)
NONE = Grouping(None)
ACCESS = Grouping(None, per_line=True)


def request_id(message: str, grouping: Grouping = EXECUTION) -> str:
    if grouping.pattern is None:
        return ""
    m = grouping.pattern.search(message)
    return m.group(1) if m else ""


@dataclass
class _Building:
    first_ts: float
    last_seen: float
    group: str
    lines: list[tuple[float, int, str]] = field(default_factory=list)
    complete: bool = False


class TraceGrouper:
    """Lines → RequestTrace by request id.

    A trace is complete on a done marker or after `quiet_s` without a new line. It stays
    `linger_s` after completing so trailing lines (X-ray id, endpoint request id) still join
    it; at most `max_open` traces are kept (oldest evicted, counted in `evicted`).
    """

    def __init__(
        self,
        grouping: Grouping = EXECUTION,
        *,
        quiet_s: float = 30.0,
        linger_s: float = 10.0,
        max_open: int = 5000,
    ) -> None:
        self.grouping = grouping
        self.quiet_s = quiet_s
        self.linger_s = linger_s
        self.max_open = max_open
        self._open: OrderedDict[str, _Building] = OrderedDict()
        self._seq = 0
        self.evicted = 0

    def add(self, events: Iterable[LogEvent], now: float) -> list[RequestTrace]:
        """Feed new events; returns the traces extended, completed or timed out by them."""
        touched: dict[str, None] = {}
        out: list[RequestTrace] = []
        for ev in events:
            rid = ev.request_id
            if not rid:
                continue
            b = self._open.get(rid)
            if b is None:
                b = _Building(ev.timestamp, now, ev.log_group)
                self._open[rid] = b
                if len(self._open) > self.max_open:
                    old, gone = self._open.popitem(last=False)
                    if touched.pop(old, 0) is None:
                        out.append(self._trace(old, gone))  # its last state still goes out
                    self.evicted += 1
            b.first_ts = min(b.first_ts, ev.timestamp)
            b.last_seen = now
            self._seq += 1
            msg = ev.message
            if self.grouping.strip_prefix and self.grouping.pattern is not None:
                msg = self.grouping.pattern.sub("", msg, count=1)
            b.lines.append((ev.timestamp, self._seq, msg.rstrip("\n")))
            if self.grouping.per_line or any(marker in msg for marker in self.grouping.done_markers):
                b.complete = True
            touched[rid] = None
        out += [self._trace(rid, self._open[rid]) for rid in touched if rid in self._open]
        out += self.expire(now, exclude=touched)
        return out

    def expire(self, now: float, exclude: dict[str, None] | None = None) -> list[RequestTrace]:
        """Time out quiet traces (emitted complete) and forget completed ones past their linger."""
        out: list[RequestTrace] = []
        for rid in list(self._open):
            b = self._open[rid]
            idle = now - b.last_seen
            if b.complete and idle >= self.linger_s:
                del self._open[rid]
            elif not b.complete and idle >= self.quiet_s:
                b.complete = True
                del self._open[rid]
                if not exclude or rid not in exclude:
                    out.append(self._trace(rid, b))
        return out

    def _trace(self, rid: str, b: _Building) -> RequestTrace:
        ordered = sorted(b.lines)
        lines = tuple(m for _, _, m in ordered)
        times = tuple(t for t, _, _ in ordered)
        return RequestTrace(rid, b.first_ts, lines, b.group, b.complete, times)

    def __len__(self) -> int:
        return len(self._open)


class LogBuffer:
    """A bounded buffer of events for a consumer (pane, headless writer) with a dropped count."""

    def __init__(self, cap: int = 10_000) -> None:
        self.cap = cap
        self._events: deque[LogEvent] = deque(maxlen=cap)
        self.dropped = 0

    def extend(self, events: Iterable[LogEvent]) -> None:
        for ev in events:
            if len(self._events) == self.cap:
                self.dropped += 1
            self._events.append(ev)

    def __len__(self) -> int:
        return len(self._events)

    def snapshot(self) -> tuple[LogEvent, ...]:
        return tuple(self._events)


class SeenIds:
    """The event ids already delivered: dedupe across overlapping polls, bounded two ways.

    Ids older than the re-read window can never come back (the next query starts after
    them), so `prune_before(ts)` forgets them; `cap` is the hard ceiling for bursts. Ids are
    kept as 64-bit hashes: 56-digit CloudWatch ids as strings cost ~4x the memory.
    """

    def __init__(self, cap: int = 100_000) -> None:
        self.cap = cap
        # Parallel FIFOs (timestamps in a compact array, hashes shared with the set) instead of
        # a deque of tuples: a third less memory at the cap.
        self._ts: array[float] = array("d")
        self._ids: deque[int] = deque()
        self._head = 0
        self._set: set[int] = set()

    def add(self, event_id: str, ts: float = 0.0) -> bool:
        """True if new."""
        h = hash(event_id)
        if h in self._set:
            return False
        self._set.add(h)
        self._ids.append(h)
        self._ts.append(ts)
        if len(self._ids) > self.cap:
            self._pop()
        return True

    def _pop(self) -> None:
        self._set.discard(self._ids.popleft())
        self._head += 1
        if self._head > 4096 and self._head * 2 > len(self._ts):
            del self._ts[: self._head]  # compact now and then, amortised O(1)
            self._head = 0

    def prune_before(self, ts: float) -> None:
        # Arrival order is close to time order; stop at the first id still inside the window.
        while self._ids and self._ts[self._head] < ts:
            self._pop()

    def __len__(self) -> int:
        return len(self._set)
