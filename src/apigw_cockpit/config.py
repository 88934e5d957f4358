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
    "topology": 300.0,
}

_TOP_KEYS = {"theme", "refresh", "ascii", "log_buffer", "presenter", "keys", "intervals"}


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
    return out


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
