"""Metrics: ONE GetMetricData call per minute for every series the topology implies.

Aligned to the minute (plus a settle delay, CloudWatch publishes late), backfills the last
hour on the first poll, then re-reads a short tail and merges by timestamp (late
datapoints replace earlier partial ones). Series are bounded to `history_s`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerLimits
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Clock, MetricKey, MetricSeries, MetricsUpdate, Topology, Update

MAX_QUERIES_PER_CALL = 500  # GetMetricData hard limit
PERIOD = 60
SETTLE_S = 5.0  # poll a few seconds after the minute so the last full minute is in
TAIL_S = 180.0  # re-read the last minutes each poll: CloudWatch fills them in late

# Statistics per metric, as each service's metric docs recommend:
# - AWS/ApiGateway (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html):
#   4XXError/5XXError "The Sum statistic represents this metric" (Average would be the rate);
#   Count: the docs name SampleCount; every request is one datapoint of 1, so Sum == SampleCount
#   and Sum keeps per-method and stage series additive; Latency/IntegrationLatency are
#   milliseconds distributions: percentiles (p50, p99) and Maximum.
_COUNT = ("Sum",)
_LATENCY = ("p50", "p99", "Maximum")
# - AWS/NetworkELB (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html):
#   HealthyHostCount/UnHealthyHostCount "The most useful statistics are Maximum and Minimum":
#   Minimum of healthy and Maximum of unhealthy show the worst moment of each minute.
_HEALTHY = "Minimum"
_UNHEALTHY = "Maximum"
# - AWS/Lambda (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
#   Invocations/Errors/Throttles are counts (Sum); Duration supports percentiles (p99, Maximum).
_LAMBDA_COUNTS = ("Errors", "Throttles", "Invocations")
_LAMBDA_DURATION = ("p99", "Maximum")
UNITS = {"Latency": "Milliseconds", "IntegrationLatency": "Milliseconds", "Duration": "Milliseconds"}


def metric_api_name(name: str, api_id: str) -> str:
    """The ApiName dimension value API Gateway publishes for a REST API name.

    "API Gateway removes non-ASCII characters from the ApiName dimension before sending
    metrics to CloudWatch. If the APIName contains no ASCII characters, the API ID is used
    as the ApiName." (API Gateway dimensions and metrics, link above.)
    """
    ascii_only = "".join(ch for ch in name if ord(ch) < 128)
    return ascii_only if ascii_only else api_id


def _dims(**kw: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(kw.items()))


def lb_dimension(arn: str) -> str:
    """`arn:…:loadbalancer/net/name/id` → `net/name/id` (the CloudWatch LoadBalancer dimension)."""
    return arn.split(":loadbalancer/", 1)[-1]


def tg_dimension(arn: str) -> str:
    """`arn:…:targetgroup/name/id` → `targetgroup/name/id`."""
    return arn.rsplit(":", 1)[-1]


def series_for(topo: Topology) -> list[MetricKey]:
    """Every series the cockpit charts for this topology (DESIGN section 4)."""
    keys: list[MetricKey] = []
    ns = "AWS/ApiGateway"
    api_name = metric_api_name(topo.api_name, topo.api_id)
    stage_dims = _dims(ApiName=api_name, Stage=topo.stage.name)
    errors5, errors4 = "5XXError", "4XXError"
    if topo.is_http:
        # HTTP APIs publish `5xx`/`4xx` (lower case) by {ApiId, Stage} (AWS-FACTS "Metrics").
        stage_dims = _dims(ApiId=topo.api_id, Stage=topo.stage.name)
        errors5, errors4 = "5xx", "4xx"
    for metric, stats in (
        (errors5, _COUNT),
        (errors4, _COUNT),
        ("Count", _COUNT),
        ("Latency", _LATENCY),
        ("IntegrationLatency", _LATENCY),
    ):
        keys += [MetricKey(ns, metric, stage_dims, s) for s in stats]
    # Per-method series exist only with detailed metrics on; asking anyway costs money.
    if topo.stage.metrics_enabled and not topo.is_http:  # HTTP per-route series: not yet
        for res, m in topo.methods():
            if m.http_method == "OPTIONS":
                continue
            d = _dims(ApiName=api_name, Stage=topo.stage.name, Method=m.http_method, Resource=res.path)
            keys += [MetricKey(ns, metric, d, "Sum") for metric in ("5XXError", "4XXError", "Count")]
            keys += [MetricKey(ns, metric, d, "p99") for metric in ("Latency", "IntegrationLatency")]
    for lb in topo.load_balancers:
        for tg in lb.target_groups:
            base = {"LoadBalancer": lb_dimension(lb.arn), "TargetGroup": tg_dimension(tg.arn)}
            zones = sorted({az for az, _ in lb.azs} | {t.az for t in tg.targets if t.az and t.az != "all"})
            for d in [_dims(**base)] + [_dims(AvailabilityZone=z, **base) for z in zones]:
                keys.append(MetricKey("AWS/NetworkELB", "HealthyHostCount", d, _HEALTHY))
                keys.append(MetricKey("AWS/NetworkELB", "UnHealthyHostCount", d, _UNHEALTHY))
    for fn in topo.lambdas:
        d = _dims(FunctionName=fn.name)
        keys += [MetricKey("AWS/Lambda", m, d, "Sum") for m in _LAMBDA_COUNTS]
        keys += [MetricKey("AWS/Lambda", "Duration", d, s) for s in _LAMBDA_DURATION]
    return keys


def queries(keys: list[MetricKey]) -> list[dict[str, object]]:
    return [
        {
            "Id": f"m{i}",
            "MetricStat": {
                "Metric": {
                    "Namespace": k.namespace,
                    "MetricName": k.metric,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in k.dimensions],
                },
                "Period": k.period,
                "Stat": k.stat,
            },
            "ReturnData": True,
        }
        for i, k in enumerate(keys)
    ]


class MetricsPoller(Poller):
    name = "metrics"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        topology: Topology,
        interval: float = 60.0,
        *,
        backfill_s: float = 3600.0,
        history_s: float = 24 * 3600.0,
        **kw: Unpack[PollerLimits],
    ) -> None:
        super().__init__(factory, clock, interval, jitter=0.0, **kw)
        self.keys = series_for(topology)
        self._queries = queries(self.keys)
        self.backfill_s = backfill_s
        self.history_s = history_s
        self._points: dict[MetricKey, dict[float, float]] = {k: {} for k in self.keys}
        self._fetched_to: float | None = None
        self.calls = 0

    def first_due(self, now: float) -> float:
        return now

    def next_due(self, now: float) -> float:
        # The next minute boundary (+ settle) at least half an interval away.
        step = max(self.interval, 1.0)
        nxt = math.floor(now / step) * step + step + min(SETTLE_S, step / 10)
        return nxt if nxt - now >= step / 2 else nxt + step

    def retry_due(self, now: float) -> float:
        # After a failure, the very next minute boundary (+ settle): recovery within one interval.
        step = max(self.interval, 1.0)
        return math.floor(now / step) * step + step + min(SETTLE_S, step / 10)

    async def poll(self) -> list[Update]:
        if not self.keys:
            return []
        now = self.clock.now()
        end = math.floor(now / PERIOD) * PERIOD + PERIOD  # include the current, partial minute
        backfill = self._fetched_to is None
        start = end - self.backfill_s
        if self._fetched_to is not None:
            start = max(start, self._fetched_to - TAIL_S)
        cw = await self.factory.client("cloudwatch")
        for i in range(0, len(self._queries), MAX_QUERIES_PER_CALL):
            chunk = self._queries[i : i + MAX_QUERIES_PER_CALL]
            await self._fetch(cw, chunk, i, start, end)
        self._fetched_to = end
        self._trim(now)
        series = tuple(
            MetricSeries(k, tuple(sorted(self._points[k].items())), UNITS.get(k.metric, "Count"))
            for k in self.keys
        )
        return [MetricsUpdate(self.name, now, series, backfill=backfill)]

    async def _fetch(
        self, cw: Client, chunk: list[dict[str, object]], offset: int, start: float, end: float
    ) -> None:
        token: str | None = None
        fresh: dict[int, dict[float, float]] = {}
        while True:
            kwargs: dict[str, object] = {
                "MetricDataQueries": chunk,
                "StartTime": dt.datetime.fromtimestamp(start, dt.UTC),
                "EndTime": dt.datetime.fromtimestamp(end, dt.UTC),
                "ScanBy": "TimestampAscending",
            }
            if token:
                kwargs["NextToken"] = token
            self.calls += 1
            resp = await cw.get_metric_data(**kwargs)
            for r in resp.get("MetricDataResults", []):
                idx = int(r["Id"][1:])
                pts = fresh.setdefault(idx, {})
                for ts, v in zip(r.get("Timestamps", []), r.get("Values", []), strict=False):
                    t = ts.timestamp() if isinstance(ts, dt.datetime) else float(ts)
                    pts[t] = float(v)
            token = resp.get("NextToken")
            if not token:
                break
        # Merge only after the whole window arrived: a failed poll leaves the old data intact.
        for idx, pts in fresh.items():
            self._points[self.keys[idx]].update(pts)

    def _trim(self, now: float) -> None:
        cutoff = now - self.history_s
        for pts in self._points.values():
            for t in [t for t in pts if t < cutoff]:
                del pts[t]
