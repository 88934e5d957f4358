"""The typed settings object: defaults < config file < environment < flags.

Pure stdlib (tomllib) so headless commands can read it without importing textual.
The file lives at `$XDG_CONFIG_HOME/apigw-cockpit/config.toml`:

    theme = "cockpit-dark"
    refresh = 1.0            # seconds between screen updates
    ascii = false
    log_buffer = 2000

    [keys]                   # binding id -> key(s), e.g. pause = "space"
    pause = "space"

    [intervals]              # poll interval per source, seconds
    logs = 2

    [verify]                 # verification probes (V1, V5, V6)
    invoke_url = "https://api.example.com/orders-v1"   # custom domain, vpce-… URL, loopback sim

    [verify.requests."POST /orders"]   # what a real client sends on this route
    path = "/orders"                   # a concrete path for templated routes ("/orders/o-1")
    query = "source=cockpit"
    headers = { "Content-Type" = "application/json" }
    body = '{"sku": "A-1", "qty": 1}'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from apigw_cockpit import paths

DEFAULT_INTERVALS: dict[str, float] = {
    "metrics": 60.0,
    "logs": 2.0,
    "target_health": 10.0,
    "changes": 60.0,
    "alarms": 60.0,
}

_TOP_KEYS = {"theme", "refresh", "ascii", "log_buffer", "presenter", "keys", "intervals", "verify"}
_VERIFY_KEYS = {"invoke_url", "requests"}
_REQUEST_KEYS = {"path", "query", "headers", "body"}


class ConfigError(ValueError):
    """A malformed config; `str()` is one line naming the file and the key."""


@dataclass(frozen=True)
class Settings:
    theme: str = "cockpit-dark"
    refresh: float = 1.0
    ascii: bool = False
    presenter: bool = False
    read_only: bool = False
    log_buffer: int = 2000
    keys: Mapping[str, str] = field(default_factory=dict)
    intervals: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    config_path: Path | None = None
    invoke_url: str = ""  # [verify] invoke_url: where probes go instead of the execute-api URL
    # [verify.requests."METHOD /path"]: {"path", "query", "headers": {...}, "body"} per route
    sample_requests: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def _number(where: str, key: str, value: Any, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, got {value!r}")
    if value < minimum:
        raise ConfigError(f"{where}: {key} must be >= {minimum}, got {value!r}")
    return float(value)


def _from_table(data: Mapping[str, Any], where: str, base: Settings) -> Settings:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})"
        )
    out = base
    if "theme" in data:
        if not isinstance(data["theme"], str) or not data["theme"]:
            raise ConfigError(f"{where}: theme must be a non-empty string")
        out = replace(out, theme=data["theme"])
    if "refresh" in data:
        out = replace(out, refresh=_number(where, "refresh", data["refresh"], minimum=0.05))
    for flag in ("ascii", "presenter"):
        if flag in data:
            if not isinstance(data[flag], bool):
                raise ConfigError(f"{where}: {flag} must be true or false")
            out = replace(out, **{flag: data[flag]})
    if "log_buffer" in data:
        out = replace(out, log_buffer=int(_number(where, "log_buffer", data["log_buffer"], minimum=10)))
    if "keys" in data:
        keys = data["keys"]
        if not isinstance(keys, dict) or not all(isinstance(v, str) and v for v in keys.values()):
            raise ConfigError(f"{where}: [keys] must map binding ids to key strings")
        out = replace(out, keys={**out.keys, **keys})
    if "intervals" in data:
        iv = data["intervals"]
        if not isinstance(iv, dict):
            raise ConfigError(f"{where}: [intervals] must be a table")
        merged = dict(out.intervals)
        for name, value in iv.items():
            merged[name] = _number(where, f"intervals.{name}", value, minimum=0.1)
        out = replace(out, intervals=merged)
    if "verify" in data:
        out = _verify_table(data["verify"], where, out)
    return out


def _verify_table(table: Any, where: str, out: Settings) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [verify] must be a table")
    unknown = set(table) - _VERIFY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key verify.{sorted(unknown)[0]} (known: invoke_url, requests)")
    if "invoke_url" in table:
        url = table["invoke_url"]
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ConfigError(f"{where}: verify.invoke_url must be an http(s):// URL, got {url!r}")
        out = replace(out, invoke_url=url)
    requests = table.get("requests", {})
    if not isinstance(requests, dict):
        raise ConfigError(f"{where}: [verify.requests] must be a table of routes")
    samples: dict[str, Mapping[str, Any]] = dict(out.sample_requests)
    for route, req in requests.items():
        parts = str(route).split()
        if len(parts) != 2 or not parts[0].isalpha() or not parts[1].startswith("/"):
            raise ConfigError(f'{where}: verify.requests key {route!r} must be "METHOD /path"')
        key = f"verify.requests.{route!r}"
        if not isinstance(req, dict) or set(req) - _REQUEST_KEYS:
            raise ConfigError(f"{where}: {key} must be a table of {', '.join(sorted(_REQUEST_KEYS))}")
        for name in ("path", "query", "body"):
            if name in req and not isinstance(req[name], str):
                raise ConfigError(f"{where}: {key}.{name} must be a string")
        headers = req.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise ConfigError(f"{where}: {key}.headers must map header names to strings")
        samples[f"{parts[0].upper()} {parts[1]}"] = {**req, "headers": dict(headers)}
    return replace(out, sample_requests=samples)


def read_file(path: Path, base: Settings | None = None) -> Settings:
    base = base or Settings()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return base
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return replace(_from_table(data, str(path), base), config_path=path)


def _from_env(env: Mapping[str, str], base: Settings) -> Settings:
    data: dict[str, Any] = {}
    if env.get("APIGW_COCKPIT_THEME"):
        data["theme"] = env["APIGW_COCKPIT_THEME"]
    if env.get("APIGW_COCKPIT_REFRESH"):
        try:
            data["refresh"] = float(env["APIGW_COCKPIT_REFRESH"])
        except ValueError:
            raise ConfigError(
                f"APIGW_COCKPIT_REFRESH: not a number: {env['APIGW_COCKPIT_REFRESH']!r}"
            ) from None
    if env.get("APIGW_COCKPIT_ASCII"):
        data["ascii"] = env["APIGW_COCKPIT_ASCII"].lower() in {"1", "true", "yes", "on"}
    out = _from_table(data, "environment", base)
    # Set by `serve` for the process it spawns (the demo/watch parsers have no such flags).
    if env.get("APIGW_COCKPIT_PRESENTER") == "1":
        out = replace(out, presenter=True)
    if env.get("APIGW_COCKPIT_READ_ONLY") == "1":
        out = replace(out, read_only=True)
    return out


def load_settings(args: Any = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults < file < env < flags. `args` is an argparse namespace (missing attributes are fine)."""
    env = os.environ if env is None else env
    explicit = getattr(args, "config", None)
    path = Path(explicit) if explicit else paths.config_file(env)
    if explicit and not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    settings = _from_env(env, read_file(path))
    flags: dict[str, Any] = {}
    if getattr(args, "theme", None):
        flags["theme"] = args.theme
    if getattr(args, "refresh", None) is not None:
        flags["refresh"] = args.refresh
    if getattr(args, "ascii", False):
        flags["ascii"] = True
    if getattr(args, "presenter", False):
        flags["presenter"] = True
    settings = _from_table(flags, "command line", settings)
    if getattr(args, "read_only", False):
        settings = replace(settings, read_only=True)
    return settings
