"""Scenario files: TOML with a topology (inline or a template + overrides), traffic, timed actions, fix."""

from __future__ import annotations

import copy
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigw_cockpit.demo.world import actions_apigw  # noqa: F401  (registers the API Gateway/ELB primitives)
from apigw_cockpit.demo.world.actions import SPECS
from apigw_cockpit.demo.world.build import build_state
from apigw_cockpit.demo.world.durations import parse_duration
from apigw_cockpit.demo.world.errors import ScenarioError
from apigw_cockpit.model.vocabulary import ROOT_CAUSES

_DEMO = Path(__file__).resolve().parent.parent
SCENARIO_DIR = _DEMO / "scenarios"
TOPOLOGY_DIR = _DEMO / "topologies"
_TOP_KEYS = {
    "id",
    "title",
    "story",
    "root_cause",
    "topology",
    "overrides",
    "traffic",
    "actions",
    "fix",
    "start_time",
    "start",
}


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario. `start` is the wall-clock epoch of t=0 ("the cockpit opens")."""

    id: str
    title: str
    story: str
    root_cause: str
    fix: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    start: float
    raw: dict[str, Any]
    topology: dict[str, Any] = field(repr=False, default_factory=dict)
    traffic: dict[str, Any] = field(repr=False, default_factory=dict)
    path: str = ""


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (arrays included) replaces."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _start(raw: dict[str, Any], file: str, now: float) -> float:
    """t=0: `start_time = "HH:MM"` is its latest past occurrence (UTC); default: now, to the minute."""
    hhmm = raw.get("start_time")
    if hhmm is None:
        return float(int(now // 60) * 60)
    try:
        h, m = (int(x) for x in str(hhmm).split(":"))
        if not (0 <= h < 24 and 0 <= m < 60):
            raise ValueError
    except ValueError:
        raise ScenarioError(file, "start_time", f"expected 'HH:MM' (UTC), got {hhmm!r}") from None
    day = int(now // 86400) * 86400
    t = day + h * 3600 + m * 60
    return float(t if t <= now else t - 86400)


def _actions(raw: Any, key: str, file: str, timed: bool, topo: dict[str, Any]) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ScenarioError(file, key, "must be an array of tables ([[{key}]])")
    out = []
    for i, a in enumerate(raw):
        k = f"{key}[{i}]"
        if not isinstance(a, dict):
            raise ScenarioError(file, k, "must be a table")
        unknown_keys = set(a) - {"at", "do", "params", "user", "note"}
        if unknown_keys:
            raise ScenarioError(
                file, k, f"unknown keys {sorted(unknown_keys)} (allowed: at, do, params, user, note)"
            )
        do = a.get("do")
        if do not in SPECS:
            raise ScenarioError(file, f"{k}.do", f"unknown action {do!r} (known: {', '.join(sorted(SPECS))})")
        params = a.get("params", {})
        if not isinstance(params, dict):
            raise ScenarioError(file, f"{k}.params", "must be a table")
        spec = SPECS[do]
        for p in spec.required:
            if p not in params:
                raise ScenarioError(
                    file, f"{k}.params.{p}", f"missing (action {do!r} needs {', '.join(spec.required)})"
                )
        extra = set(params) - set(spec.required) - set(spec.optional)
        if extra:
            allowed = ", ".join((*spec.required, *spec.optional)) or "none"
            raise ScenarioError(
                file, f"{k}.params", f"unknown params {sorted(extra)} for {do!r} (allowed: {allowed})"
            )
        for p, kind in spec.refs.items():
            if p in params and params[p] not in topo.get(kind, {}):
                known = ", ".join(sorted(topo.get(kind, {}))) or "none"
                raise ScenarioError(
                    file,
                    f"{k}.params.{p}",
                    f"reference to undefined {kind[:-1].replace('_', ' ')} {params[p]!r} (defined: {known})",
                )
        if "resource" in params and "method" in params:
            methods = topo["resources"][params["resource"]].get("methods", {})
            if str(params["method"]).upper() not in {m.upper() for m in methods}:
                raise ScenarioError(
                    file,
                    f"{k}.params.method",
                    f"resource {params['resource']!r} has no method {params['method']!r}",
                )
        for p in ("subnets",):
            for j, s in enumerate(params.get(p, []) if do == "set_nlb_subnets" else []):
                if s not in topo.get("subnets", {}):
                    raise ScenarioError(
                        file, f"{k}.params.subnets[{j}]", f"reference to undefined subnet {s!r}"
                    )
        act: dict[str, Any] = {"do": do, "params": dict(params), "user": str(a.get("user", "oncall"))}
        if timed:
            if "at" not in a:
                raise ScenarioError(file, f"{k}.at", 'missing (e.g. at = "-5m")')
            try:
                act["at"] = parse_duration(a["at"])
            except ValueError as exc:
                raise ScenarioError(file, f"{k}.at", str(exc)) from None
        out.append(act)
    return sorted(out, key=lambda x: x.get("at", 0.0)) if timed else out


def _traffic(raw: Any, file: str, topo: dict[str, Any]) -> dict[str, Any]:
    t = dict(raw or {})
    rate = t.get("rate_per_min", 190)
    if not isinstance(rate, int | float) or isinstance(rate, bool) or rate < 0:
        raise ScenarioError(file, "traffic.rate_per_min", f"must be a number >= 0, got {rate!r}")
    paths = {
        (verb.upper(), r["path"]) for r in topo.get("resources", {}).values() for verb in r.get("methods", {})
    }
    for route, w in t.get("mix", {}).items():
        verb, _, path = str(route).partition(" ")
        if (verb.upper(), path) not in paths:
            raise ScenarioError(file, f"traffic.mix.{route!r}", "no such method in the topology")
        if not isinstance(w, int | float) or w < 0:
            raise ScenarioError(file, f"traffic.mix.{route!r}", "weight must be a number >= 0")
    for i, ph in enumerate(t.get("phases", [])):
        for k in ("from", "to"):
            if k in ph:
                try:
                    parse_duration(ph[k])
                except ValueError as exc:
                    raise ScenarioError(file, f"traffic.phases[{i}].{k}", str(exc)) from None
    return t


def parse_scenario(raw: dict[str, Any], file: str, now: float | None = None) -> Scenario:
    now = time.time() if now is None else now
    for k in raw:
        if k not in _TOP_KEYS:
            raise ScenarioError(file, k, f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
    for k in ("id", "title", "story"):
        if not isinstance(raw.get(k), str) or not raw[k].strip():
            raise ScenarioError(file, k, "missing (a non-empty string)")
    rc = raw.get("root_cause")
    if rc is None:
        raise ScenarioError(file, "root_cause", f"missing (one of: {', '.join(ROOT_CAUSES)})")
    if rc not in ROOT_CAUSES:
        raise ScenarioError(
            file, "root_cause", f"unknown root cause {rc!r} (known: {', '.join(ROOT_CAUSES)})"
        )
    topo_raw = raw.get("topology")
    if isinstance(topo_raw, str):
        tpath = TOPOLOGY_DIR / f"{topo_raw}.toml"
        if not tpath.is_file():
            known = ", ".join(sorted(p.stem for p in TOPOLOGY_DIR.glob("*.toml")))
            raise ScenarioError(file, "topology", f"unknown topology template {topo_raw!r} (known: {known})")
        with tpath.open("rb") as fh:
            topo = tomllib.load(fh)
    elif isinstance(topo_raw, dict):
        topo = topo_raw
    else:
        raise ScenarioError(file, "topology", "missing (a template name or an inline table)")
    topo = _merge(topo, raw.get("overrides", {}))
    traffic = _merge(topo.pop("traffic", {}), raw.get("traffic", {}))
    build_state(topo, file)  # validates references; the World builds its own copy
    actions = _actions(raw.get("actions"), "actions", file, True, topo)
    fix = _actions(raw.get("fix"), "fix", file, False, topo)
    return Scenario(
        id=raw["id"],
        title=raw["title"],
        story=" ".join(raw["story"].split()),
        root_cause=rc,
        fix=fix,
        actions=actions,
        start=_start(raw, file, now) if "start" not in raw else float(raw["start"]),
        raw=raw,
        topology=topo,
        traffic=_traffic(traffic, file, topo),
        path=file,
    )


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(_DEMO))
    except ValueError:
        return str(path)


def load_scenario(name_or_path: str, now: float | None = None) -> Scenario:
    """A built-in scenario by id, or a .toml file by path."""
    p = Path(name_or_path)
    if not (p.suffix == ".toml" or p.is_file()):
        p = SCENARIO_DIR / f"{name_or_path}.toml"
        if not p.is_file():
            known = ", ".join(sorted(x.stem for x in SCENARIO_DIR.glob("*.toml")))
            raise ScenarioError(name_or_path, "", f"no such scenario (known: {known})")
    file = _display(p)
    try:
        with p.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(file, "", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(file, "", f"invalid TOML: {exc}") from None
    return parse_scenario(raw, file, now)


def list_scenarios(now: float | None = None) -> list[Scenario]:
    return sorted((load_scenario(str(p), now) for p in SCENARIO_DIR.glob("*.toml")), key=lambda s: s.id)
