"""A stage's own access-log format string (`accessLogSettings.format`) → how to read its lines.

JSON formats map each key to the $context variable its value names ("sc": "$context.status"),
so keys the field table does not know still mean the right thing. Any other format (CLF, XML,
CSV or the user's own) becomes an anchored regex: literals verbatim, each `$context.x` a
capture up to the literal character after it, so no pattern backtracks badly on a long line.
Pure; `access_format` returns None for a string that names no $context variable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_VAR = re.compile(r"\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])")
_MAX_FORMAT = 10_000  # AWS's own limit on a format string is far below this


@dataclass(frozen=True)
class AccessFormat:
    """JSON: `json_keys` (flattened key → variable); otherwise `regex` with one group per `groups`."""

    json_keys: dict[str, str] = field(default_factory=dict)
    regex: re.Pattern[str] | None = None
    groups: tuple[str, ...] = ()


def flatten(obj: Mapping[str, object], prefix: str = "", depth: int = 0) -> dict[str, object]:
    """Nested JSON objects → one level, keys joined with "." (three levels deep at most)."""
    out: dict[str, object] = {}
    for k, v in obj.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and depth < 3:
            out.update(flatten(v, key, depth + 1))
        else:
            out[key] = v
    return out


def access_format(fmt: str) -> AccessFormat | None:
    text = fmt.strip()[:_MAX_FORMAT]
    if not _VAR.search(text):
        return None
    if text.startswith("{"):
        # Users also write unquoted numbers ("latency": $context.integrationLatency): quote them.
        quoted = re.sub(r'(?<!")(\$context\.[A-Za-z0-9_.]*[A-Za-z0-9_])(?!")', r'"\1"', text)
        try:
            obj = json.loads(quoted)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict):
            keys = {}
            for key, value in flatten(obj).items():
                m = _VAR.fullmatch(str(value).strip())
                if m:
                    keys[key] = m.group(1)
            return AccessFormat(json_keys=keys)
    parts = _VAR.split(text)  # literal, var, literal, var, …, literal
    pattern = ["^"]
    groups: list[str] = []
    for i in range(0, len(parts), 2):
        pattern.append(re.escape(parts[i]))
        if i + 1 < len(parts):
            nxt = parts[i + 2][:1] if i + 2 < len(parts) else ""
            pattern.append(f"([^{re.escape(nxt)}]*)" if nxt else "(.*)")
            groups.append(parts[i + 1])
    pattern.append("$")
    return AccessFormat(regex=re.compile("".join(pattern)), groups=tuple(groups))


def pairs_of(fmt: AccessFormat, text: str) -> dict[str, object] | None:
    """A line written with `fmt` → {variable or key: value}; None when it is not such a line."""
    if fmt.regex is not None:
        m = fmt.regex.match(text)
        return dict(zip(fmt.groups, m.groups(), strict=True)) if m else None
    if not text.startswith("{"):
        return None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict):
        return None
    return {fmt.json_keys.get(k, k): v for k, v in flatten(obj).items()}
