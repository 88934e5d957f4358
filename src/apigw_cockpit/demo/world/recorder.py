"""Writes what one request leaves in CloudWatch: metrics, execution logs, Lambda logs."""

from __future__ import annotations

import heapq
import random

from apigw_cockpit.demo.world.evaluate import Outcome
from apigw_cockpit.demo.world.http_api import access_line
from apigw_cockpit.demo.world.logstore import LogStore
from apigw_cockpit.demo.world.metricstore import Dist, MetricStore, Series
from apigw_cockpit.demo.world.outcome import LambdaCall
from apigw_cockpit.demo.world.state import WorldState
from apigw_cockpit.demo.world.traces import execution_lines, lambda_lines

APIGW = "AWS/ApiGateway"
_API_METRICS = ("Count", "4XXError", "5XXError", "Latency", "IntegrationLatency")
_HTTP_METRICS = ("Count", "4xx", "5xx", "Latency", "IntegrationLatency")  # apigatewayv2, by ApiId


class _Acc:
    __slots__ = ("count", "e4", "e5", "integration", "latency", "minute")

    def __init__(self, minute: int) -> None:
        self.minute = minute
        self.count = self.e4 = self.e5 = 0
        self.latency = Dist()
        self.integration = Dist()


class Recorder:
    def __init__(self, ws: WorldState, metrics: MetricStore, logs: LogStore) -> None:
        self.ws = ws
        self.metrics = metrics
        self.logs = logs
        self._handles: dict[tuple[str, str, bool], list[tuple[Series, ...]]] = {}
        self._fn_handles: dict[str, tuple[Series, ...]] = {}
        self._acc: dict[tuple[str, str], _Acc] = {}
        self._late: list[tuple[int, int, str, str, int, list[tuple[int, str]]]] = []
        self._seq = 0
        self.create_groups()

    def create_groups(self) -> None:
        ws, logs = self.ws, self.logs
        logs.create_group(ws.execution_log_group())
        # Lambda and flow-log groups matter less to the cockpit than the execution log: smaller caps
        # keep a simulated day flat in memory.
        for fn in ws.lambdas.values():
            logs.create_group(fn.log_group, cap=20_000)
        if ws.vpc.flow_log_group:
            logs.create_group(ws.vpc.flow_log_group, cap=20_000)
        if ws.stage.access_log_group:
            logs.create_group(ws.stage.access_log_group)

    def _series(self, verb: str, path: str) -> list[tuple[Series, ...]]:
        """Cached series handles (one tuple per dimension set) so the hot path skips key building."""
        detailed = self.ws.stage.metrics_enabled
        key = (verb, path, detailed)
        h = self._handles.get(key)
        if h is None:
            api, stage = self.ws.api.name, self.ws.stage.name
            names = _API_METRICS
            dimsets: list[dict[str, str]] = [{"ApiName": api}, {"ApiName": api, "Stage": stage}]
            if detailed:
                dimsets.append({"ApiName": api, "Method": verb, "Resource": path, "Stage": stage})
            if self.ws.is_http:
                names, api_id = _HTTP_METRICS, self.ws.api.id
                dimsets = [{"ApiId": api_id}, {"ApiId": api_id, "Stage": stage}]
                if detailed:
                    dimsets.append({"ApiId": api_id, "Stage": stage, "Route": f"{verb} {path}"})
            h = [tuple(self.metrics.series(APIGW, m, d) for m in names) for d in dimsets]
            self._handles[key] = h
        return h

    def metrics_for(self, o: Outcome, verb: str, path: str, t: float) -> None:
        """Accumulate per route and minute; `flush` writes the minute into every dimension set.

        Per request this is two histogram adds instead of fifteen, which is most of the backfill.
        """
        minute = int(t // 60)
        key = (verb, path)
        acc = self._acc.get(key)
        if acc is None:
            acc = self._acc[key] = _Acc(minute)
        elif acc.minute != minute:
            self._flush_one(key, acc)
            acc = self._acc[key] = _Acc(minute)
        acc.count += 1
        if o.status >= 500:
            acc.e5 += 1
        elif o.status >= 400:
            acc.e4 += 1
        acc.latency.add(o.integration_latency_ms + 6.0)
        acc.integration.add(o.integration_latency_ms)
        for c in (o.lambda_call, o.authorizer_call):
            if c is not None:
                self._lambda_metrics(c, t)

    def _lambda_metrics(self, c: LambdaCall, t: float) -> None:
        h = self._fn_handles.get(c.function)
        if h is None:
            dims = {"FunctionName": c.function}
            h = self._fn_handles[c.function] = tuple(
                self.metrics.series("AWS/Lambda", m, dims)
                for m in ("Invocations", "Errors", "Duration", "Throttles")
            )
        if c.throttled:  # a throttled request is no invocation (AWS/Lambda Throttles only)
            h[3].add(t, 1.0)
            return
        h[0].add(t, 1.0)
        h[1].add(t, 1.0 if (c.error or c.timed_out) else 0.0)
        h[2].add(t, c.duration_ms)
        h[3].add(t, 0.0)

    def flush(self) -> None:
        for key, acc in list(self._acc.items()):
            self._flush_one(key, acc)
        self._acc.clear()

    def _flush_one(self, key: tuple[str, str], acc: _Acc) -> None:
        m = acc.minute
        for count, s4, s5, latency, il in self._series(*key):
            count.add_counts(m, acc.count, 0)
            s4.add_counts(m, acc.e4, acc.count - acc.e4)
            s5.add_counts(m, acc.e5, acc.count - acc.e5)
            latency.merge_minute(m, acc.latency)
            il.merge_minute(m, acc.integration)
        acc.count = acc.e4 = acc.e5 = 0
        acc.latency, acc.integration = Dist(), Dist()

    def logs_for(
        self,
        o: Outcome,
        rid: str,
        verb: str,
        path: str,
        rpath: str,
        t: float,
        rng: random.Random,
        stream: str,
    ) -> None:
        level = self.ws.stage.logging_level
        ms0 = int(t * 1000)
        # A few per cent of requests reach CloudWatch late (up to ~5 s): pollers must re-read.
        delay = rng.randint(1000, 5000) if rng.random() < 0.03 else rng.randint(50, 400)
        st = self.ws.stage
        if st.access_log_group:  # written when the response is sent: the request's end
            ip = f"203.0.113.{rng.randint(1, 254)}"
            line = access_line(st.access_log_format, o, rid, verb, path, t, ip, self.ws.is_http)
            end = ms0 + int(o.integration_latency_ms) + 6
            self._put(st.access_log_group, stream, [(end, line)], delay)
        if level != "OFF" and not self.ws.is_http:  # HTTP APIs write no execution log
            lines = execution_lines(self.ws, o, rid, verb, path, rpath, t, rng)
            if level == "ERROR":
                lines = [x for x in lines if x[2]]
            prefix = f"({rid}) "
            self._put(
                self.ws.execution_log_group(),
                stream,
                [(ms0 + int(off * 1000), prefix + txt) for off, txt, _ in lines],
                delay,
            )
        for c in (o.authorizer_call, o.lambda_call):
            if c is None or c.throttled:
                continue
            fn = self.ws.lambdas[c.function]
            lstream = f"{_day(t)}/[$LATEST]{(hash_hex(fn.name + stream))}"
            self._put(
                fn.log_group,
                lstream,
                [(ms0 + int(off * 1000), txt) for off, txt in lambda_lines(fn, o, t, c)],
                delay,
            )

    def _put(self, group: str, stream: str, events: list[tuple[int, str]], delay: int) -> None:
        """Write what has happened; hold lines stamped more than a second later (a timeout's last
        lines come 29 s after its first) until `release` passes them. They are invisible until
        then anyway (ingestion time > now), and this keeps the store's appends in order."""
        horizon = events[0][0] + 1000 if events else 0
        now_part = [e for e in events if e[0] <= horizon]
        if now_part:
            self.logs.put_many(group, stream, now_part, delay)
        if len(now_part) < len(events):
            self._seq += 1
            heapq.heappush(
                self._late,
                (events[-1][0], self._seq, group, stream, delay, [e for e in events if e[0] > horizon]),
            )

    def release(self, upto_ms: int) -> None:
        late = self._late
        while late and late[0][0] <= upto_ms:
            _, _, group, stream, delay, events = heapq.heappop(late)
            self.logs.put_many(group, stream, events, delay)

    def release_all(self) -> None:
        self.release(2**62)


def _day(t: float) -> str:
    import time

    return time.strftime("%Y/%m/%d", time.gmtime(t))


def hash_hex(s: str) -> str:
    import hashlib

    return hashlib.md5(s.encode()).hexdigest()
