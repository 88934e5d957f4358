"""Small helpers shared by the handlers: read fields from the world's records whatever their type."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from typing import Any


def field(obj: Any, *names: str, default: Any = None) -> Any:
    """First present of `names` on a dict or an object (the engine may hand us either)."""
    for name in names:
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default


def as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return dict(vars(obj))


def to_datetime(value: Any) -> Any:
    """Epoch seconds (or ms, if implausibly large) -> aware datetime; others unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000.0 if value > 1e11 else float(value)
        return datetime.fromtimestamp(seconds, UTC)
    return value


def datetimes(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    out = dict(record)
    for key in keys:
        if key in out:
            out[key] = to_datetime(out[key])
    return out
