"""CloudWatch Logs in memory: groups -> events, time-indexed, with late arrival and a cap per group.

Each group keeps one list of events sorted by (timestamp, seq) so `filter` is a bisect plus a
scan; streams are a field of the event. Events carry an ingestion time: an event is invisible
to `filter` until the clock reaches it, which is how "late" events (a few per cent arrive up to
~5 s after their timestamp) reach the pollers, as in CloudWatch.
"""

from __future__ import annotations

import base64
import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# An event as stored: (timestamp_ms, seq, ingestion_ms, stream, message). Tuples keep a day of
# logs small; `seq` is global so (timestamp_ms, seq) is a total, stable order.
Row = tuple[int, int, int, str, str]


@dataclass(frozen=True)
class StoredEvent:
    event_id: str
    timestamp_ms: int
    ingestion_ms: int
    stream: str
    message: str


def _event_id(row: Row) -> str:
    # CloudWatch event ids are long digit strings; ours sort like the store does.
    return f"{row[0]:016d}{row[1]:020d}"


def _key(row: Row) -> tuple[int, int]:
    return (row[0], row[1])


class _Group:
    __slots__ = ("cap", "rows", "streams")

    def __init__(self, cap: int = 0) -> None:
        self.cap = cap
        self.rows: list[Row] = []
        self.streams: dict[str, list[int]] = {}  # name -> [first_ts, last_ts, count]


class FilterPattern:
    """The subset of CloudWatch filter syntax people type for text logs.

    `"Execution failed"` (quoted phrase), `timeout error` (all terms), `?a ?b` (any),
    `-term` (exclude); empty matches everything. Matching is case-sensitive like CloudWatch.
    """

    _TOKEN = re.compile(r'([?-]?)"([^"]*)"|([?-]?)(\S+)')

    def __init__(self, pattern: str | None) -> None:
        self.all: list[str] = []
        self.any: list[str] = []
        self.none: list[str] = []
        for m in self._TOKEN.finditer(pattern or ""):
            prefix = m.group(1) if m.group(2) is not None else m.group(3)
            term = m.group(2) if m.group(2) is not None else m.group(4)
            if not term:
                continue
            {"?": self.any, "-": self.none}.get(prefix, self.all).append(term)

    def matches(self, message: str) -> bool:
        if any(t in message for t in self.none):
            return False
        if not all(t in message for t in self.all):
            return False
        return not self.any or any(t in message for t in self.any)


def _encode_token(group: str, key: tuple[int, int], end_ms: int) -> str:
    raw = f"{key[0]}:{key[1]}:{end_ms}:{group}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_token(token: str) -> tuple[str, tuple[int, int]]:
    try:
        ts, seq, _end, group = base64.urlsafe_b64decode(token.encode()).decode().split(":", 3)
        return group, (int(ts), int(seq))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("The specified nextToken is invalid.") from exc


class LogStore:
    """Bounded in-memory log groups; `now_ms` tells which events have been ingested yet."""

    def __init__(self, now_ms: Callable[[], int], cap_per_group: int = 80_000) -> None:
        self._now_ms = now_ms
        self._cap = cap_per_group
        self._groups: dict[str, _Group] = {}
        self._seq = 0

    # -- writing -----------------------------------------------------------------------
    def create_group(self, group: str, cap: int | None = None) -> None:
        """Make an (empty) group; `cap` overrides the store's per-group event cap."""
        g = self._groups.setdefault(group, _Group())
        if cap is not None:
            g.cap = cap

    def put(self, group: str, stream: str, timestamp_ms: int, message: str, ingestion_ms: int = 0) -> None:
        self.put_many(group, stream, [(timestamp_ms, message)], ingestion_ms - timestamp_ms)

    def put_many(
        self, group: str, stream: str, events: Iterable[tuple[int, str]], ingestion_delay_ms: int = 0
    ) -> None:
        """Append events of one stream; they may be older than the group's newest (insort)."""
        g = self._groups.get(group)
        if g is None:
            g = self._groups[group] = _Group()
        rows = g.rows
        seq = self._seq
        delay = max(0, ingestion_delay_ms)
        new: list[Row] = [(ts, seq + i, ts + delay, stream, msg) for i, (ts, msg) in enumerate(events, 1)]
        if not new:
            return
        self._seq = seq + len(new)
        new.sort()  # already sorted in practice: timsort makes that one C-speed pass
        if not rows or new[0][0] >= rows[-1][0]:
            rows.extend(new)
        else:
            for row in new:
                ts, sq = row[0], row[1]
                if ts >= rows[-1][0]:
                    rows.append(row)
                    continue
                # Out-of-order rows land near the end: search the tail first.
                lo = max(0, len(rows) - 512)
                if lo and _key(rows[lo]) > (ts, sq):
                    lo = 0
                rows.insert(bisect.bisect_right(rows, (ts, sq), lo=lo, key=_key), row)
        st = g.streams.get(stream)
        if st is None:
            g.streams[stream] = [new[0][0], new[-1][0], len(new)]
        else:
            st[0] = min(st[0], new[0][0])
            st[1] = max(st[1], new[-1][0])
            st[2] += len(new)
        cap = g.cap or self._cap
        if len(rows) > cap + cap // 10:
            # Drop in chunks so appends stay amortised O(1): the oldest 10 % go at once.
            del rows[: len(rows) - cap]

    # -- reading -----------------------------------------------------------------------
    def groups(self) -> list[str]:
        return sorted(self._groups)

    def has_group(self, group: str) -> bool:
        return group in self._groups

    def streams(self, group: str) -> list[dict[str, object]]:
        """DescribeLogStreams-like rows: logStreamName, firstEventTimestamp, lastEventTimestamp."""
        g = self._groups.get(group)
        if g is None:
            return []
        return [
            {"logStreamName": name, "firstEventTimestamp": s[0], "lastEventTimestamp": s[1], "count": s[2]}
            for name, s in sorted(g.streams.items())
        ]

    def count(self, group: str) -> int:
        g = self._groups.get(group)
        return len(g.rows) if g else 0

    def filter(
        self,
        group: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
        pattern: str | None = None,
        next_token: str | None = None,
        limit: int = 10_000,
        stream_names: Iterable[str] | None = None,
    ) -> tuple[list[StoredEvent], str | None]:
        """Events in [start_ms, end_ms] (inclusive, as FilterLogEvents), ingested by now.

        Raises KeyError for an unknown group (the server maps it to ResourceNotFoundException)
        and ValueError for a token that is not ours.
        """
        g = self._groups.get(group)
        if g is None:
            raise KeyError(group)
        lo_ts = start_ms if start_ms is not None else 0
        hi_ts = end_ms if end_ms is not None else 2**62
        if next_token:
            tok_group, after = _decode_token(next_token)
            if tok_group != group:
                raise ValueError("The specified nextToken is invalid.")
            i = bisect.bisect_right(g.rows, after, key=_key)
        else:
            i = bisect.bisect_left(g.rows, (lo_ts, -1), key=_key)
        j = bisect.bisect_right(g.rows, (hi_ts, 2**62), key=_key)
        now = self._now_ms()
        fp = FilterPattern(pattern)
        wanted = set(stream_names) if stream_names else None
        out: list[StoredEvent] = []
        rows = g.rows
        limit = max(1, min(limit, 10_000))
        k = i
        while k < j:
            row = rows[k]
            k += 1
            if row[2] > now or (wanted is not None and row[3] not in wanted):
                continue
            if fp.matches(row[4]):
                out.append(StoredEvent(_event_id(row), row[0], row[2], row[3], row[4]))
                if len(out) >= limit:
                    break
        token = _encode_token(group, _key(rows[k - 1]), hi_ts) if len(out) >= limit and k < j else None
        return out, token
