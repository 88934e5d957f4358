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
        self.phases = [
            (
                start + parse_duration(p.get("from", "-100d")),
                start + parse_duration(p.get("to", "100d")),
                float(p["rate_per_min"]),
            )
            for p in cfg.get("phases", [])
        ]

    def rate_at(self, t: float) -> float:
        """Requests per minute at time t (the last matching phase wins)."""
        r = self.rate
        for lo, hi, rate in self.phases:
            if lo <= t < hi:
                r = rate
        return r

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
        lam = self.rate_at(sec) / 60.0 * (1.0 + minute_noise)
        n = int(lam) + (1 if rng.random() < lam - int(lam) else 0)
        out = []
        for _ in range(n):
            route = (
                self.routes[bisect.bisect_left(self._cum, rng.random())]
                if len(self.routes) > 1
                else self.routes[0]
            )
            rpath = (
                route.path.replace("{id}", f"o-{rng.randint(1000, 99999)}")
                if "{" in route.path
                else route.path
            )
            out.append((sec + rng.random(), route, rpath))
        out.sort(key=lambda x: x[0])
        return rng, out
