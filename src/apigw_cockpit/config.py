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

import argparse
import math
import os
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from apigw_cockpit import paths
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.safe_write import RefusedPath, read_regular

DEFAULT_INTERVALS: dict[str, float] = {
    "metrics": 60.0,
    "logs": 2.0,
    "target_health": 10.0,
    "changes": 60.0,
    "alarms": 60.0,
    "topology": 300.0,
}

_TOP_KEYS = {"theme", "refresh", "ascii", "log_buffer", "presenter", "keys", "intervals", "verify"}
_VERIFY_KEYS = {"invoke_url", "requests"}
_REQUEST_KEYS = {"path", "query", "headers", "body"}
MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few lines; anything bigger is not one

# Sane ranges (finite): below them the cockpit spins, above them it is not watching any more.
REFRESH_RANGE = (0.05, 60.0)
LOG_BUFFER_RANGE = (10, 1_000_000)  # rows kept in memory; 1e300 would be a MemoryError later
INTERVAL_RANGE = (0.1, 86_400.0)

# Key names a terminal can send (Textual's names), as data: `[keys]` refuses anything else,
# so no binding (quit included) can be remapped to a key nobody can press.
_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED_KEYS = {
    "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert",
    "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
    *(f"f{i}" for i in range(1, 25)),
}  # fmt: skip
# Textual names punctuation by its Unicode name, with these shorter spellings.
_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_CHAR_NAMES = {
    _NAME_REPLACEMENTS.get(n, n)
    for n in (unicodedata.name(chr(c)).lower().replace(" ", "_").replace("-", "_") for c in range(33, 127))
}


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


def _number(where: str, key: str, value: object, *, minimum: float, maximum: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ConfigError(f"{where}: {key} must be a finite number, got {value!r}")
    if value < minimum:
        raise ConfigError(f"{where}: {key} must be >= {minimum:g}, got {value!r}")
    if value > maximum:
        raise ConfigError(f"{where}: {key} must be <= {maximum:g}, got {value!r}")
    return float(value)


def typable_key(key: str) -> bool:
    """True if `key` (one Textual key name, e.g. `q`, `ctrl+r`, `question_mark`, `f5`) can be typed."""
    *mods, base = key.strip().split("+")
    if any(m not in _MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _NAMED_KEYS or base in _CHAR_NAMES


def _keys(where: str, keys: object) -> dict[str, str]:
    if not isinstance(keys, dict):
        raise ConfigError(f"{where}: [keys] must be a table mapping binding ids to key names")
    for binding, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f'{where}: keys.{binding} must be a key name like "q" or "ctrl+r"')
        # Textual takes "a,b" for several keys; every one of them must be typable.
        bad = [k for k in value.split(",") if not typable_key(k)]
        if bad:
            raise ConfigError(
                f"{where}: keys.{binding}: {bad[0].strip()!r} is not a key that can be typed "
                "(use a character, a name like space/escape/f5, or ctrl+/shift+/alt+ one)"
            )
    return dict(keys)


def _from_table(data: Mapping[str, object], where: str, base: Settings) -> Settings:
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
        lo, hi = REFRESH_RANGE
        out = replace(out, refresh=_number(where, "refresh", data["refresh"], minimum=lo, maximum=hi))
    for flag in ("ascii", "presenter"):
        if flag in data:
            value = data[flag]
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {flag} must be true or false")
            out = replace(out, ascii=value) if flag == "ascii" else replace(out, presenter=value)
    if "log_buffer" in data:
        lo_n, hi_n = LOG_BUFFER_RANGE
        rows = _number(where, "log_buffer", data["log_buffer"], minimum=lo_n, maximum=hi_n)
        if rows != int(rows):
            raise ConfigError(f"{where}: log_buffer must be a whole number of rows, got {rows!r}")
        out = replace(out, log_buffer=int(rows))
    if "keys" in data:
        out = replace(out, keys={**out.keys, **_keys(where, data["keys"])})
    if "intervals" in data:
        iv = data["intervals"]
        if not isinstance(iv, dict):
            raise ConfigError(f"{where}: [intervals] must be a table")
        merged = dict(out.intervals)
        for name, value in iv.items():
            lo, hi = INTERVAL_RANGE
            merged[name] = _number(where, f"intervals.{name}", value, minimum=lo, maximum=hi)
        out = replace(out, intervals=merged)
    if "verify" in data:
        out = _verify_table(data["verify"], where, out)
    return out


def _verify_table(table: object, where: str, out: Settings) -> Settings:
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
        # Regular files only (a FIFO would block start-up), bounded, UTF-8 as TOML requires.
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return base
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except RefusedPath as exc:
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return replace(_from_table(data, str(path), base), config_path=path)


def _from_env(env: Mapping[str, str], base: Settings) -> Settings:
    data: dict[str, object] = {}
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


def load_settings(args: argparse.Namespace | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults < file < env < flags. `args` is an argparse namespace (missing attributes are fine)."""
    env = os.environ if env is None else env
    args = argparse.Namespace() if args is None else args
    explicit = getattr(args, "config", None)
    path = Path(explicit) if explicit else paths.config_file(env)
    if explicit and path.is_dir():
        raise ConfigError(f"--config {path}: is a directory, not a config file")
    if explicit and not path.exists():
        raise ConfigError(f"--config {path}: config file not found")
    settings = _from_env(env, read_file(path))
    flags: dict[str, object] = {}
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
