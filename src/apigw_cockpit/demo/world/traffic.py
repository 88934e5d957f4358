"""The traffic profile: how many requests arrive each second and where they go (deterministic per seed)."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.demo.world.durations import parse_duration
from apigw_cockpit.demo.world.state import WorldState


@dataclass(frozen=True)
class Route:
    verb: str
    path: str  # resource path template, e.g. /orders/{id}
    resource: str  # logical resource name


class Traffic:
    def __init__(self, cfg: dict[str, Any], ws: WorldState, start: float, seed: int) -> None:
        self.seed = seed
        self._noise: dict[int, float] = {}
        self.rate = float(cfg.get("rate_per_min", 190))
        self.jitter = float(cfg.get("jitter", 0.15))
        by_path = {(v, r.path): r.name for r in ws.resources.values() for v in r.methods}
        mix = cfg.get("mix") or {f"{v} {p}": 1.0 for (v, p) in by_path}
        self.routes: list[Route] = []
        cum: list[float] = []
        total = 0.0
        for key, w in mix.items():
            if w <= 0:
                continue
            verb, _, path = key.partition(" ")
            self.routes.append(Route(verb.upper(), path, by_path[(verb.upper(), path)]))
            total += float(w)
            cum.append(total)
        self._cum = [c / total for c in cum] if total else []
        self.phases: list[tuple[float, float, float]] = []
        # Per-route phases: (from, to, index into routes, that route's own rate per minute).
        self.route_phases: list[tuple[float, float, int, float]] = []
        keys = [f"{r.verb} {r.path}" for r in self.routes]
        for p in cfg.get("phases", []):
            lo = start + parse_duration(p.get("from", "-100d"))
            hi = start + parse_duration(p.get("to", "100d"))
            if "route" in p:
                verb, _, path = str(p["route"]).partition(" ")
                key = f"{verb.upper()} {path}"
                if key not in keys:  # scenario.py checks it names a method; the mix must send it traffic
                    raise ValueError(f"phase route {p['route']!r} is not in the traffic mix")
                self.route_phases.append((lo, hi, keys.index(key), float(p["rate_per_min"])))
            else:
                self.phases.append((lo, hi, float(p["rate_per_min"])))

    def rate_at(self, t: float) -> float:
        """Requests per minute at time t (the last matching phase wins)."""
        r = self.rate
        for lo, hi, rate in self.phases:
            if lo <= t < hi:
                r = rate
        return r

    def _route_weights(self, sec: float, rate: float) -> tuple[list[float], float]:
        """Each route's rate (its share of `rate`, or its phase's own rate): cumulative shares, total."""
        rates = [(c - p) * rate for c, p in zip(self._cum, [0.0, *self._cum[:-1]], strict=True)]
        for lo, hi, i, r in self.route_phases:
            if lo <= sec < hi:
                rates[i] = r
        total = sum(rates)
        if total <= 0:
            return self._cum, 0.0
        acc, cum = 0.0, []
        for r in rates:
            acc += r
            cum.append(acc / total)
        return cum, total

    def second(self, sec: int) -> tuple[random.Random, list[tuple[float, Route, str]]]:
        """The requests of second `sec` and the RNG that decides their fate (same each call)."""
        rng = random.Random(self.seed * 1_000_003 + sec)
        if not self._cum:
            return rng, []
        minute_noise = self._noise.get(sec // 60)
        if minute_noise is None:
            if len(self._noise) > 1000:
                self._noise.clear()
            minute_noise = random.Random(self.seed * 7919 + sec // 60).uniform(-self.jitter, self.jitter)
            self._noise[sec // 60] = minute_noise
        cum, rate = self._cum, self.rate_at(sec)
        if self.route_phases:
            cum, rate = self._route_weights(sec, rate)
        lam = rate / 60.0 * (1.0 + minute_noise)
        n = int(lam) + (1 if rng.random() < lam - int(lam) else 0)
        out = []
        for _ in range(n):
            route = (
                self.routes[bisect.bisect_left(cum, rng.random())] if len(self.routes) > 1 else self.routes[0]
            )
            rpath = (
                route.path.replace("{id}", f"o-{rng.randint(1000, 99999)}")
                if "{" in route.path
                else route.path
            )
            out.append((sec + rng.random(), route, rpath))
        out.sort(key=lambda x: x[0])
        return rng, out
