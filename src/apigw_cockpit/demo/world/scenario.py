"""Scenario files: TOML with a topology (inline or a template + overrides), traffic, timed actions, fix."""

from __future__ import annotations

import copy
import math
import os
import stat
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigw_cockpit.demo.world import actions_apigw  # noqa: F401  (registers the API Gateway/ELB primitives)
from apigw_cockpit.demo.world.actions import SPECS
from apigw_cockpit.demo.world.aws_faults import AwsFault, parse_aws_faults
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
    "aws_faults",
}


MAX_FILE_BYTES = 4 * 1024 * 1024  # a scenario is a page of TOML
# The world simulates every request in Python: 6000/min (100 req/s) is 30x the built-in
# scenarios and still runs in real time; 1e12 hung the demo.
MAX_RATE_PER_MIN = 6000.0
MAX_NUMBER = 1e12  # any number in a scenario (an account id is ~1e11); beyond: a typo
MAX_OFFSET_S = 30 * 86_400.0  # an action's `at`, a phase's from/to: within a month of t=0
# Action parameters the world does arithmetic with: (lowest, highest).
PARAM_RANGES: dict[str, tuple[float, float]] = {
    "port": (0, 65535),
    "from_port": (-1, 65535),
    "to_port": (-1, 65535),
    "ms": (0, 900_000),
    "duration_ms": (0, 900_000),
    "seconds": (1, 900),
}


def _numbers(value: Any, file: str, key: str) -> None:
    """Every number in the file is finite and not absurd; names the first bad one."""
    if isinstance(value, dict):
        for k, v in value.items():
            _numbers(v, file, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _numbers(v, file, f"{key}[{i}]")
    elif isinstance(value, float | int) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ScenarioError(file, key, f"must be a finite number, got {value!r}")
        if abs(value) > MAX_NUMBER:
            raise ScenarioError(file, key, f"{value!r} is out of range (at most {MAX_NUMBER:g})")


def _offset(value: Any, file: str, key: str) -> float:
    try:
        seconds = parse_duration(value)
    except (ValueError, AttributeError) as exc:  # AttributeError: not a string or number
        msg = str(exc) if isinstance(exc, ValueError) else f"expected a duration like '-5m', got {value!r}"
        raise ScenarioError(file, key, msg) from None
    if not math.isfinite(seconds) or abs(seconds) > MAX_OFFSET_S:
        raise ScenarioError(file, key, f"{value!r} is more than 30 days from t=0")
    return seconds


def _param_ranges(params: dict[str, Any], file: str, key: str) -> None:
    for name, (lo, hi) in PARAM_RANGES.items():
        if name not in params:
            continue
        v = params[name]
        if isinstance(v, str) and v.strip().lstrip("-").isdigit():
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ScenarioError(file, f"{key}.{name}", f"must be a number, got {v!r}")
        if not lo <= v <= hi:
            raise ScenarioError(file, f"{key}.{name}", f"must be {lo:g}..{hi:g}, got {v!r}")


# Topology tables of named entries: `[subnets.a]` etc. Each entry must itself be a table.
COLLECTIONS = (
    "subnets", "security_groups", "backends", "target_groups", "nlbs", "targets",
    "vpc_links", "roles", "lambdas", "resources", "vpc_endpoints", "alarms",
)  # fmt: skip


def _shape(topo: dict[str, Any], file: str) -> None:
    for kind in ("api", "stage", "vpc", *COLLECTIONS):
        value = topo.get(kind)
        if value is not None and not isinstance(value, dict):
            raise ScenarioError(file, f"topology.{kind}", f"must be a table, got {value!r}")
    for kind in COLLECTIONS:
        for name, entry in (topo.get(kind) or {}).items():
            if not isinstance(entry, dict):
                raise ScenarioError(file, f"topology.{kind}.{name}", f"must be a table, got {entry!r}")


def _table(raw: dict[str, Any], key: str, file: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(file, key, f"must be a table ([{key}]), got {type(value).__name__} {value!r}")
    return value


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
    aws_faults: tuple[AwsFault, ...] = ()  # AWS API calls that fail from t=0


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
        _param_ranges(params, file, f"{k}.params")
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
            act["at"] = _offset(a["at"], file, f"{k}.at")
        out.append(act)
    return sorted(out, key=lambda x: x.get("at", 0.0)) if timed else out


def _rate(rate: Any, file: str, key: str) -> None:
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= MAX_RATE_PER_MIN:
        raise ScenarioError(file, key, f"must be a number 0..{MAX_RATE_PER_MIN:g}, got {rate!r}")


def _traffic(raw: Any, file: str, topo: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ScenarioError(file, "traffic", f"must be a table ([traffic]), got {raw!r}")
    t = dict(raw)
    _rate(t.get("rate_per_min", 190), file, "traffic.rate_per_min")
    jitter = t.get("jitter", 0.15)
    if not isinstance(jitter, int | float) or isinstance(jitter, bool) or not 0 <= jitter <= 1:
        raise ScenarioError(file, "traffic.jitter", f"must be a number 0..1, got {jitter!r}")
    if not isinstance(t.get("mix", {}), dict):
        raise ScenarioError(file, "traffic.mix", 'must be a table of "VERB /path" = weight')
    if not isinstance(t.get("phases", []), list):
        raise ScenarioError(file, "traffic.phases", "must be an array of tables ([[traffic.phases]])")
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
        if not isinstance(ph, dict):
            raise ScenarioError(file, f"traffic.phases[{i}]", "must be a table")
        if "rate_per_min" not in ph:
            raise ScenarioError(file, f"traffic.phases[{i}].rate_per_min", "missing")
        _rate(ph["rate_per_min"], file, f"traffic.phases[{i}].rate_per_min")
        for k in ("from", "to"):
            if k in ph:
                _offset(ph[k], file, f"traffic.phases[{i}].{k}")
        if "route" in ph:  # a per-route phase: that route's own rate while it lasts
            verb, _, path = str(ph["route"]).partition(" ")
            if (verb.upper(), path) not in paths:
                raise ScenarioError(file, f"traffic.phases[{i}].route", f"no such method {ph['route']!r}")
            if "mix" in t and not t["mix"].get(ph["route"]):
                raise ScenarioError(file, f"traffic.phases[{i}].route", "not in traffic.mix (weight 0)")
    return t


def parse_scenario(raw: dict[str, Any], file: str, now: float | None = None) -> Scenario:
    now = time.time() if now is None else now
    for k in raw:
        if k not in _TOP_KEYS:
            raise ScenarioError(file, k, f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
    _numbers(raw, file, "")
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
    topo = _merge(topo, _table(raw, "overrides", file))
    traffic = _merge(_table(topo, "traffic", file), _table(raw, "traffic", file))
    topo.pop("traffic", None)
    _shape(topo, file)
    try:
        build_state(topo, file)  # validates references; the World builds its own copy
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as exc:
        if isinstance(exc, ScenarioError):
            raise
        # A value of the wrong shape deep in the topology (a string where a table belongs).
        detail = (str(exc).splitlines() or [""])[0]
        raise ScenarioError(file, "topology", f"malformed: {type(exc).__name__}: {detail}") from None
    start = _start(raw, file, now)
    if "start" in raw:
        if isinstance(raw["start"], bool) or not isinstance(raw["start"], int | float):
            raise ScenarioError(file, "start", f"must be an epoch number, got {raw['start']!r}")
        start = float(raw["start"])
    actions = _actions(raw.get("actions"), "actions", file, True, topo)
    fix = _actions(raw.get("fix"), "fix", file, False, topo)
    return Scenario(
        id=raw["id"],
        title=raw["title"],
        story=" ".join(raw["story"].split()),
        root_cause=rc,
        fix=fix,
        actions=actions,
        start=start,
        raw=raw,
        topology=topo,
        traffic=_traffic(traffic, file, topo),
        path=file,
        aws_faults=parse_aws_faults(raw.get("aws_faults"), file),
    )


def _read_file(p: Path, file: str) -> bytes:
    """A regular file's bytes, bounded (demo/ imports model at most, so not safe_write's copy)."""
    st = os.stat(p)  # FileNotFoundError / IsADirectoryError are worded by the caller
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(p))
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError(file, "", "not a regular file (a FIFO or device); refusing to read it")
    with open(os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(file, "", f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: not a scenario")
    return data


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(_DEMO))
    except ValueError:
        return str(path)


def load_scenario(name_or_path: str, now: float | None = None, *, rehearse: bool = True) -> Scenario:
    """A built-in scenario by id, or a .toml file by path; `rehearse` also runs it briefly."""
    p = Path(name_or_path)
    if p.is_dir():
        raise ScenarioError(name_or_path, "", "is a directory, not a scenario file")
    if not (p.suffix == ".toml" or p.is_file()):
        p = SCENARIO_DIR / f"{name_or_path}.toml"
        if not p.is_file():
            known = ", ".join(sorted(x.stem for x in SCENARIO_DIR.glob("*.toml")))
            raise ScenarioError(name_or_path, "", f"no such scenario (known: {known})")
    file = _display(p)
    try:
        raw = tomllib.loads(_read_file(p, file).decode("utf-8"))
    except FileNotFoundError:
        raise ScenarioError(file, "", "file not found") from None
    except IsADirectoryError:
        raise ScenarioError(file, "", "is a directory, not a scenario file") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(file, "", f"not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(file, "", f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise ScenarioError(file, "", f"cannot read: {exc.strerror or exc}") from None
    scenario = parse_scenario(raw, file, now)
    if rehearse:
        from apigw_cockpit.demo.world.rehearse import rehearse as run_briefly  # imports the engine

        run_briefly(scenario)
    return scenario


def list_scenarios(now: float | None = None) -> list[Scenario]:
    return sorted(
        (load_scenario(str(p), now, rehearse=False) for p in SCENARIO_DIR.glob("*.toml")), key=lambda s: s.id
    )
