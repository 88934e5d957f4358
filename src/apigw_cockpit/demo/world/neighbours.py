"""The neighbouring APIs of every simulated account (`demo/neighbours.toml`) and their metrics.

Data first: the table says which APIs exist, their stages, traffic and 5XX share; this module
only loads it and writes each minute's Count and 5XX the way API Gateway publishes them.
Deterministic: the counts of a minute depend on the world's seed and the minute only.
"""

from __future__ import annotations

import random
import tomllib
import zlib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from apigw_cockpit.demo.world.metricstore import MetricStore

INCIDENT = "@incident"
_NAMESPACE = "AWS/ApiGateway"


@dataclass(frozen=True)
class NeighbourStage:
    name: str
    rpm: float
    error_rate: float


@dataclass(frozen=True)
class Neighbour:
    type: str  # "rest" | "http"
    id: str
    name: str
    stages: tuple[NeighbourStage, ...]
    endpoint_type: str = "REGIONAL"


@dataclass(frozen=True)
class Mapping:
    base_path: str  # "" for the domain root
    api: str  # an api id, or INCIDENT
    stage: str  # a stage name, or INCIDENT


@dataclass(frozen=True)
class Domain:
    name: str
    mappings: tuple[Mapping, ...]


@dataclass(frozen=True)
class Neighbourhood:
    apis: tuple[Neighbour, ...]
    domains: tuple[Domain, ...]


def load_neighbours(text: str | None = None) -> Neighbourhood:
    if text is None:
        text = resources.files("apigw_cockpit.demo").joinpath("neighbours.toml").read_text()
    raw: dict[str, Any] = tomllib.loads(text)
    apis = tuple(
        Neighbour(
            type=str(a["type"]),
            id=str(a["id"]),
            name=str(a["name"]),
            endpoint_type=str(a.get("endpoint_type", "REGIONAL")),
            stages=tuple(
                NeighbourStage(str(s["name"]), float(s.get("rpm", 0)), float(s.get("error_rate", 0)))
                for s in a.get("stages", [])
            ),
        )
        for a in raw.get("api", [])
    )
    domains = tuple(
        Domain(
            str(d["name"]),
            tuple(
                Mapping(str(m.get("base_path", "")), str(m["api"]), str(m["stage"]))
                for m in d.get("mappings", [])
            ),
        )
        for d in raw.get("domain", [])
    )
    return Neighbourhood(apis, domains)


class NeighbourTraffic:
    """Writes each neighbour stage's per-minute Count and 5XX into the world's metric store."""

    def __init__(self, hood: Neighbourhood, metrics: MetricStore, seed: int) -> None:
        self.hood = hood
        self.seed = seed
        self._series = []
        for api in hood.apis:
            for st in api.stages:
                if api.type == "rest":
                    dims, errors = {"ApiName": api.name, "Stage": st.name}, "5XXError"
                else:
                    dims, errors = {"ApiId": api.id, "Stage": st.name}, "5xx"
                self._series.append(
                    (
                        api.id,
                        st,
                        metrics.series(_NAMESPACE, "Count", dims),
                        metrics.series(_NAMESPACE, errors, dims),
                    )
                )

    def minute(self, s: int) -> None:
        """The minute starting at `s` (seconds)."""
        m = s // 60
        for api_id, st, count, errors in self._series:
            rng = random.Random(zlib.crc32(f"{self.seed}:{api_id}:{st.name}:{m}".encode()))
            n = max(0, round(st.rpm * rng.uniform(0.8, 1.2)))
            bad = sum(1 for _ in range(n) if rng.random() < st.error_rate)
            count.add_counts(m, n, 0)
            errors.add_counts(m, bad, n - bad)
