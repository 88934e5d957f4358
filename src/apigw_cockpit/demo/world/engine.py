"""The World: state + stores + traffic, driven by an injected clock. No threads, no I/O."""

from __future__ import annotations

import math
import random
import re
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apigw_cockpit.demo.world import actions_apigw, actions_world  # noqa: F401  (registers primitives)
from apigw_cockpit.demo.world.actions import APPLY, SPECS
from apigw_cockpit.demo.world.alarms import AlarmBook
from apigw_cockpit.demo.world.build import build_state
from apigw_cockpit.demo.world.evaluate import Outcome, evaluate
from apigw_cockpit.demo.world.gate import plan_key
from apigw_cockpit.demo.world.http_api import as_http
from apigw_cockpit.demo.world.iam import simulate
from apigw_cockpit.demo.world.lambda_invoke import lambda_key
from apigw_cockpit.demo.world.logstore import LogStore
from apigw_cockpit.demo.world.metricstore import MetricStore
from apigw_cockpit.demo.world.neighbours import NeighbourTraffic, load_neighbours
from apigw_cockpit.demo.world.network import HealthTracker, nlb_admitted
from apigw_cockpit.demo.world.recorder import Recorder, hash_hex
from apigw_cockpit.demo.world.scenario import Scenario
from apigw_cockpit.demo.world.testinvoke import test_invoke
from apigw_cockpit.demo.world.traces import execution_lines, flow_record, nlb_ip, request_id
from apigw_cockpit.demo.world.traffic import Route, Traffic
from apigw_cockpit.demo.world.trail import Trail

# Backfill writes full execution-log traces for its last FULL_TRACE_S seconds and for 1 request in
# SAMPLE_EVERY before that: metrics are always exact (every request is counted), the log history
# is thinner where nobody pages back to, and a 60-minute backfill stays well under a second.
FULL_TRACE_S = 15 * 60
SAMPLE_EVERY = 10


@dataclass
class SimResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    latency_ms: float
    integration_latency_ms: float
    request_id: str
    log_lines: list[str] = field(default_factory=list)


class World:
    def __init__(self, scenario: Scenario, clock: Any, seed: int = 0) -> None:
        self.scenario = scenario
        self.clock = clock
        self.seed = seed
        self.state = build_state(scenario.topology, scenario.path or scenario.id)
        self.logs = LogStore(lambda: int(self.clock.now() * 1000))
        self.metrics = MetricStore()
        self.trail = Trail(self.state.api.region, self.state.api.account)
        self.health = HealthTracker(self.state)
        self.traffic = Traffic(scenario.traffic, self.state, scenario.start, seed)
        self.recorder = Recorder(self.state, self.metrics, self.logs)
        self.alarm_book = AlarmBook(self.state, self.metrics)
        # The account's other APIs (the front door's choice): their metrics only, no traces.
        self.neighbours = load_neighbours()
        self._neighbour_traffic = NeighbourTraffic(self.neighbours, self.metrics, seed)
        self._subs: list[Callable[[dict[str, Any]], None]] = []
        self._pending = [dict(a, at=scenario.start + a["at"]) for a in scenario.actions]
        self._cursor: int | None = None
        self._full_from = -math.inf
        self._rate: dict[str, float] = defaultdict(float)  # requests/s per backend (EMA)
        self._sec_count: dict[str, int] = defaultdict(int)
        self._flows: dict[tuple[str, bool], int] = defaultdict(int)
        self._lock = threading.RLock()

    # -- ids ------------------------------------------------------------------------------------
    def _collections(self) -> list[dict[str, Any]]:
        s = self.state
        return [
            s.security_groups,
            s.subnets,
            s.nlbs,
            s.target_groups,
            s.vpc_links,
            s.roles,
            s.vpc_endpoints,
            s.authorizers,
            s.usage_plans,
        ]

    def bind_ids(self, mapping: dict[str, str]) -> None:
        """Logical name -> real id/ARN (targets: their ENI id; "vpc": the VPC id; "api": the API id)."""
        with self._lock:
            for name, real in mapping.items():
                if name == "vpc":
                    self.state.vpc.id = real
                elif name == "api":
                    self.state.api.id = real
                elif name in self.state.targets:
                    self.state.targets[name].eni = real
                elif name in self.state.roles:
                    self.state.roles[name].arn = real
                else:
                    obj = next((c[name] for c in self._collections() if name in c), None)
                    if obj is None:
                        raise KeyError(f"unknown logical name {name!r}")
                    obj.id = real
            self.recorder.create_groups()  # the execution-log group is named after the API id

    def id_of(self, logical: str) -> str:
        if logical == "vpc":
            return self.state.vpc.id
        if logical == "api":
            return self.state.api.id
        if logical in self.state.targets:
            return self.state.targets[logical].eni
        if logical in self.state.roles:
            return self.state.roles[logical].arn
        if logical in self.state.lambdas:
            return self.state.lambdas[logical].arn
        if logical in self.state.resources:
            return self.state.resources[logical].id
        if logical in self.state.backends:
            return logical
        for c in self._collections():
            if logical in c:
                return str(c[logical].id)
        raise KeyError(f"unknown logical name {logical!r}")

    # -- actions --------------------------------------------------------------------------------
    def subscribe(self, cb: Callable[[dict[str, Any]], None]) -> None:
        self._subs.append(cb)

    def apply_action(
        self, action: dict[str, Any], user: str | None = None, at: float | None = None
    ) -> dict[str, Any]:
        """Apply one primitive now (or at `at`), record it in the trail, tell subscribers."""
        with self._lock:
            do = action.get("do")
            if do not in SPECS:
                raise ValueError(f"unknown action {do!r} (known: {', '.join(sorted(SPECS))})")
            t = self.clock.now() if at is None else at
            params = dict(action.get("params", {}))
            call = APPLY[do](self.state, params)
            who = user or str(action.get("user", "oncall"))
            ev = (  # a silent primitive (no AWS API call) leaves no CloudTrail event
                self.trail.record(
                    t,
                    call.event_name,
                    call.event_source,
                    who,
                    call.resources,
                    call.request_parameters,
                    call.response_elements,
                )
                if call.event_name
                else None
            )
            self.health.update(t)
            self.recorder._handles.clear()  # detailed metrics may have been switched
            event = {
                "action": do,
                "params": params,
                "user": who,
                "time": t,
                "trail": ev,
                "ids": {p: self.id_of(params[p]) for p in SPECS[do].refs if p in params},
            }
            for cb in self._subs:
                cb(event)
            return event

    def apply_fix(self, user: str = "oncall") -> list[dict[str, Any]]:
        return [self.apply_action(a, user) for a in self.scenario.fix]

    def schedule_fix(self, at: float, user: str = "drill") -> None:
        """The scenario's fix as timed actions at `at` (a headless drill: `demo --headless --fix-at`)."""
        with self._lock:
            self._pending.extend(dict(a, at=at, user=user) for a in self.scenario.fix)
            self._pending.sort(key=lambda a: float(a["at"]))

    # -- time -----------------------------------------------------------------------------------
    def backfill(self, seconds: float = 3600) -> None:
        """History [now - seconds, now) with the scenario's past actions applied at their times."""
        with self._lock:
            now = self.clock.now()
            start = int(now - seconds)
            self._full_from = now - FULL_TRACE_S
            self._begin(start)
            self._run_until(now)
            self._full_from = -math.inf

    def advance(self) -> None:
        """Traffic and due actions up to clock.now(); calling it twice changes nothing."""
        with self._lock:
            now = self.clock.now()
            if self._cursor is None:
                self._begin(int(now))
            self._run_until(now)

    def _begin(self, start: int) -> None:
        # Actions scheduled before the window shape the initial state; their trail time is kept.
        while self._pending and self._pending[0]["at"] <= start:
            a = self._pending.pop(0)
            self.apply_action(a, a["user"], at=a["at"])
        self.health.reset(start)
        self._cursor = start

    def _run_until(self, now: float) -> None:
        assert self._cursor is not None
        end = math.floor(now)
        s = self._cursor
        while s < end:
            while self._pending and self._pending[0]["at"] <= s:
                a = self._pending.pop(0)
                self.apply_action(a, a["user"], at=a["at"])
            if s % 60 == 0:
                self._minute(s)
            self._second(s)
            s += 1
        self._cursor = end
        self.recorder.flush()
        self.recorder.release(int(now * 1000))

    def _minute(self, s: int) -> None:
        """Per-minute samples: NLB host counts, flow-log records of the minute before, alarms, trim."""
        ws = self.state
        for tg_name, tg in ws.target_groups.items():
            nlb = ws.nlb_of_tg(tg_name)
            if nlb is None or nlb.deleted:
                continue
            per_az: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for tgt in ws.targets_of(tg_name):
                st = self.health.at(tgt.name, s).state
                if st in ("healthy", "unhealthy"):
                    per_az[tgt.az][0 if st == "healthy" else 1] += 1
            base = {"LoadBalancer": nlb.dims_value, "TargetGroup": tg.id.split(":", 5)[-1]}
            self.metrics.put(
                "AWS/NetworkELB", "HealthyHostCount", base, s, sum(v[0] for v in per_az.values())
            )
            self.metrics.put(
                "AWS/NetworkELB", "UnHealthyHostCount", base, s, sum(v[1] for v in per_az.values())
            )
            for az, (h, u) in per_az.items():
                self.metrics.put("AWS/NetworkELB", "HealthyHostCount", {**base, "AvailabilityZone": az}, s, h)
                self.metrics.put(
                    "AWS/NetworkELB", "UnHealthyHostCount", {**base, "AvailabilityZone": az}, s, u
                )
        self._flow_minute(s - 60)
        self._neighbour_traffic.minute(s)
        self.alarm_book.tick(s)
        self.metrics.freeze_before(s)
        if s % 600 == 0:
            self.metrics.trim(s)

    def _flow_minute(self, start: int) -> None:
        ws = self.state
        group = ws.vpc.flow_log_group
        if not group:
            return
        rng = random.Random(self.seed + start)
        for tgt in ws.targets.values():
            nlb = ws.nlb_of_tg(tgt.target_group)
            if nlb is None or nlb.deleted or not nlb.subnets or not tgt.registered:
                continue
            sub = next((x for x in nlb.subnets if ws.subnets[x].az == tgt.az), nlb.subnets[0])
            src = nlb_ip(ws, sub)
            ok = nlb_admitted(ws, nlb, tgt, tgt.port)
            recs = [
                flow_record(
                    ws,
                    tgt.eni,
                    src,
                    tgt.ip,
                    rng.randint(1024, 65535),
                    tgt.port,
                    6,
                    start,
                    "ACCEPT" if ok else "REJECT",
                )
            ]
            for accepted in (True, False):
                n = self._flows.pop((tgt.name, accepted), 0)
                if n:
                    recs.append(
                        flow_record(
                            ws,
                            tgt.eni,
                            src,
                            tgt.ip,
                            rng.randint(1024, 65535),
                            tgt.port,
                            n * (8 if accepted else 3),
                            start,
                            "ACCEPT" if accepted else "REJECT",
                        )
                    )
            self.logs.put_many(group, f"{tgt.eni}-all", [(start * 1000 + 60_000, r) for r in recs], 90_000)

    def _second(self, s: int) -> None:
        self.recorder.release(s * 1000)
        rng, reqs = self.traffic.second(s)
        full = s >= self._full_from
        stream = hash_hex(f"{self.state.api.id}:{self.seed}:{s // 3600}")
        for b in set(self._rate) | set(self._sec_count):
            self._rate[b] = 0.7 * self._rate[b] + 0.3 * self._sec_count.get(b, 0)
        self._sec_count.clear()
        inflight = self._inflight()
        for t, route, rpath in reqs:
            o, rid = self._one(route, rpath, t, rng, inflight)
            self.recorder.metrics_for(o, route.verb, route.path, t)
            if full or rng.randrange(SAMPLE_EVERY) == 0:
                self.recorder.logs_for(o, rid, route.verb, route.path, rpath, t, rng, stream)

    def _inflight(self) -> dict[str, float]:
        """In-flight requests per target per backend (Little's law on the recent request rate)."""
        out = {}
        for name, b in self.state.backends.items():
            n = sum(1 for t in self.state.targets.values() if t.backend == name) or 1
            out[name] = self._rate.get(name, 0.0) * b.latency_ms / 1000.0 / n
        out.update((k, r) for k, r in self._rate.items() if k.startswith(("lambda:", "plan:")))  # req/s
        return out

    def _one(
        self, route: Route, rpath: str, t: float, rng: random.Random, inflight: dict[str, float]
    ) -> tuple[Outcome, str]:
        rid = request_id(rng)
        o = evaluate(self.state, self.health, route.resource, route.verb, rpath, t, rng, inflight)
        if self.state.is_http:
            o = as_http(o)
        if o.lambda_call is not None:  # demand per function and per usage plan (throttling)
            self._sec_count[lambda_key(o.lambda_call.function)] += 1
        if o.usage_plan is not None:
            self._sec_count[plan_key(o.usage_plan.name)] += 1
        if o.flow is not None:
            tgt, ok = o.flow
            self._flows[(tgt.name, ok)] += 1
            self._sec_count[tgt.backend] += 1
        return o, rid

    # -- the invoke URL ---------------------------------------------------------------------------
    def match(self, verb: str, path: str) -> tuple[Route, str] | None:
        for r in self.state.resources.values():
            rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(r.path)) + "/?$"
            if re.match(rx, path):
                if verb.upper() in r.methods:
                    return Route(verb.upper(), r.path, r.name), path
                if "ANY" in r.methods:
                    return Route("ANY", r.path, r.name), path
        return None

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> SimResponse:
        with self._lock:
            self.advance()
            t = self.clock.now()
            rng = random.Random(zlib.crc32(f"{self.seed}:{t}:{path}:{method}".encode()))
            stage, _, rest = path.lstrip("/").partition("/")
            rid = request_id(rng)
            hit = self.match(method, "/" + rest) if stage == self.state.stage.name else None
            if hit is None:
                return SimResponse(
                    403,
                    {
                        "x-amzn-RequestId": rid,
                        "x-amzn-ErrorType": "MissingAuthenticationTokenException",
                        "content-type": "application/json",
                    },
                    b'{"message":"Missing Authentication Token"}',
                    5.0,
                    0.0,
                    rid,
                )
            route, rpath = hit
            o, _ = self._one(route, rpath, t, rng, self._inflight())
            self.recorder.metrics_for(o, route.verb, route.path, t)
            self.recorder.flush()
            stream = hash_hex(f"{self.state.api.id}:{self.seed}:{int(t) // 3600}")
            self.recorder.logs_for(o, rid, route.verb, route.path, rpath, t, rng, stream)
            self.recorder.release_all()  # a lone request: nothing to keep in order with
            lines = [
                txt
                for _, txt, _ in execution_lines(self.state, o, rid, route.verb, route.path, rpath, t, rng)
            ]
            hdrs = {"x-amzn-RequestId": rid, "content-type": "application/json"}
            if o.error_type:
                hdrs["x-amzn-ErrorType"] = o.error_type
            return SimResponse(
                o.status, hdrs, o.body, o.integration_latency_ms + 6.0, o.integration_latency_ms, rid, lines
            )

    def test_invoke(
        self,
        resource_id: str,
        http_method: str,
        path_with_query: str = "",
        body: str = "",
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            return test_invoke(self, resource_id, http_method, path_with_query)

    # -- read models the server answers from ------------------------------------------------------
    def target_health(self, tg_logical_or_arn: str) -> list[dict[str, Any]]:
        ws = self.state
        name = (
            tg_logical_or_arn
            if tg_logical_or_arn in ws.target_groups
            else next((n for n, tg in ws.target_groups.items() if tg.id == tg_logical_or_arn), None)
        )
        if name is None:
            raise KeyError(tg_logical_or_arn)
        return self.health.describe(name, self.clock.now())

    def simulate_principal_policy(
        self, role_arn: str, actions: list[str], resources: list[str]
    ) -> list[dict[str, Any]]:
        return simulate(self.state, role_arn, actions, resources)

    def alarms(self) -> list[dict[str, Any]]:
        return self.alarm_book.describe(self.clock.now())
