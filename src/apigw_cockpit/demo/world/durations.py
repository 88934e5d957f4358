"""Scenario time offsets: "-5m", "+2m", "30s", "1h30m", "0"."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str | int | float) -> float:
    """Seconds for an offset string; raises ValueError with a reason a person can act on."""
    if isinstance(text, bool):
        raise ValueError(f"expected a duration like '-5m', got {text!r}")
    if isinstance(text, int | float):
        return float(text)
    s = text.strip().replace(" ", "")
    if s == "":
        raise ValueError("empty duration")
    sign = 1.0
    if s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
        if not s:
            raise ValueError(f"bad duration {text!r} (a sign needs a number)")
    if s == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(s):
        m = _PART.match(s, pos)
        if not m:
            raise ValueError(f"bad duration {text!r} (use e.g. '-5m', '+2m', '30s', '1h30m')")
        total += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
    return sign * total
