"""CloudWatch metrics as per-minute distributions, bounded in memory.

Per series (namespace, metric, sorted dimensions) and minute we keep count, sum, min, max and
a sparse log-scale histogram (2 % wide buckets), which is enough to answer Sum / Average /
Minimum / Maximum / SampleCount and any pNN the way CloudWatch does (percentiles are estimates
there too). Minutes older than `retention_s` are dropped (default 6 h: the cockpit looks back
an hour or two and the report reads the journal), so memory is flat once a run is older.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable, Mapping

_GROWTH = 1.02
_K = 1.0 / math.log(_GROWTH)
_ZERO = -(10**9)  # bucket for values <= 0
_PCT = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")

DimKey = tuple[tuple[str, str], ...]


def _bucket(v: float) -> int:
    return _ZERO if v <= 0 else math.floor(math.log(v) * _K)


def _bucket_value(b: int) -> float:
    return 0.0 if b == _ZERO else math.exp((b + 0.5) / _K)


class Dist:
    """One minute of one series. Closed minutes are frozen into two compact arrays (~12 bytes
    per bucket instead of ~100 in a dict), which is what keeps a simulated day small."""

    __slots__ = ("buckets", "count", "frozen", "max", "min", "sum")

    def __init__(self) -> None:
        self.count = 0.0
        self.sum = 0.0
        self.min = math.inf
        self.max = -math.inf
        self.buckets: dict[int, float] = {}
        self.frozen: tuple[array[int], array[float]] | None = None

    def _thaw(self) -> None:
        if self.frozen is not None:
            self.buckets = dict(zip(self.frozen[0], self.frozen[1], strict=True))
            self.frozen = None

    def freeze(self) -> None:
        if self.frozen is None:
            keys = sorted(self.buckets)
            self.frozen = (array("i", keys), array("d", (self.buckets[k] for k in keys)))
            self.buckets = _EMPTY

    def items(self) -> Iterable[tuple[int, float]]:
        if self.frozen is not None:
            return zip(self.frozen[0], self.frozen[1], strict=True)
        return sorted(self.buckets.items())

    def add(self, v: float, n: float = 1.0) -> None:
        if self.frozen is not None:
            self._thaw()
        self.count += n
        self.sum += v * n
        if v < self.min:
            self.min = v
        if v > self.max:
            self.max = v
        b = _bucket(v)
        self.buckets[b] = self.buckets.get(b, 0.0) + n

    def merge(self, o: Dist) -> None:
        if not o.count:
            return
        if self.frozen is not None:
            self._thaw()
        self.count += o.count
        self.sum += o.sum
        self.min = min(self.min, o.min)
        self.max = max(self.max, o.max)
        for b, n in o.items():
            self.buckets[b] = self.buckets.get(b, 0.0) + n

    def percentile(self, q: float) -> float:
        if self.count <= 0:
            return math.nan
        rank = q / 100.0 * self.count
        seen = 0.0
        for b, n in self.items():
            seen += n
            if seen >= rank - 1e-9:
                return min(max(_bucket_value(b), self.min), self.max)
        return self.max


_EMPTY: dict[int, float] = {}


class Series:
    """A handle the engine caches per route so hot paths skip the key lookup."""

    __slots__ = ("minutes",)

    def __init__(self) -> None:
        self.minutes: dict[int, Dist] = {}

    def merge_minute(self, minute: int, d: Dist) -> None:
        cur = self.minutes.get(minute)
        if cur is None:
            cur = self.minutes[minute] = Dist()
        cur.merge(d)

    def add_counts(self, minute: int, ones: float, zeros: float) -> None:
        """`ones` samples of 1 and `zeros` samples of 0 (Count / 4XXError / 5XXError style metrics)."""
        d = self.minutes.get(minute)
        if d is None:
            d = self.minutes[minute] = Dist()
        if ones:
            d.add(1.0, ones)
        if zeros:
            d.add(0.0, zeros)

    def add(self, ts: float, v: float, n: float = 1.0) -> None:
        m = int(ts // 60)
        d = self.minutes.get(m)
        if d is None:
            d = self.minutes[m] = Dist()
        d.add(v, n)


def dims_key(dims: Mapping[str, str]) -> DimKey:
    return tuple(sorted(dims.items()))


class MetricStore:
    def __init__(self, retention_s: float = 6 * 3600) -> None:
        self._series: dict[tuple[str, str, DimKey], Series] = {}
        self._retention_min = int(retention_s // 60)
        self._newest_min = 0

    def series(self, namespace: str, metric: str, dims: Mapping[str, str]) -> Series:
        key = (namespace, metric, dims_key(dims))
        s = self._series.get(key)
        if s is None:
            s = self._series[key] = Series()
        return s

    def put(self, namespace: str, metric: str, dims: Mapping[str, str], ts: float, value: float) -> None:
        self.series(namespace, metric, dims).add(ts, value)

    def list_metrics(self) -> list[tuple[str, str, dict[str, str]]]:
        """(namespace, metric, dims) of every series (ListMetrics)."""
        return [(ns, m, dict(d)) for (ns, m, d) in sorted(self._series)]

    def freeze_before(self, now: float) -> None:
        """Compact every series' minutes that closed more than two minutes ago (called each minute)."""
        m = int(now // 60) - 2
        for s in self._series.values():
            d = s.minutes.get(m)
            if d is not None:
                d.freeze()

    def trim(self, now: float) -> None:
        """Forget minutes older than the retention window (called by the engine each minute)."""
        cutoff = int(now // 60) - self._retention_min
        for s in self._series.values():
            old = [m for m in s.minutes if m < cutoff]
            for m in old:
                del s.minutes[m]

    def query(
        self,
        namespace: str,
        metric: str,
        dims: Mapping[str, str],
        stat: str,
        start: float,
        end: float,
        period: int = 60,
    ) -> list[tuple[float, float]]:
        """[(period start, value)] for periods in [start, end) that have data, oldest first."""
        if period < 60 or period % 60:
            raise ValueError("period must be a multiple of 60")
        fn = _stat_fn(stat)
        s = self._series.get((namespace, metric, dims_key(dims)))
        if s is None:
            return []
        per_min = period // 60
        first, last = math.floor(start / 60), math.ceil(end / 60)
        buckets: dict[int, Dist] = {}
        if last - first < len(s.minutes):
            items = ((m, s.minutes.get(m)) for m in range(first, last))
        else:
            items = ((m, d) for m, d in s.minutes.items() if first <= m < last)
        for m, d in items:
            if d is None:
                continue
            p = (m // per_min) * per_min
            acc = buckets.get(p)
            if acc is None:
                acc = buckets[p] = Dist()
            acc.merge(d)
        return [(float(p * 60), fn(buckets[p])) for p in sorted(buckets)]


def _stat_fn(stat: str):  # type: ignore[no-untyped-def]
    simple = {
        "Sum": lambda d: d.sum,
        "Average": lambda d: d.sum / d.count if d.count else math.nan,
        "Minimum": lambda d: d.min,
        "Maximum": lambda d: d.max,
        "SampleCount": lambda d: d.count,
    }
    if stat in simple:
        return simple[stat]
    m = _PCT.match(stat)
    if m:
        q = float(m.group(1))
        return lambda d: d.percentile(q)
    raise ValueError(f"unsupported statistic {stat!r}")
