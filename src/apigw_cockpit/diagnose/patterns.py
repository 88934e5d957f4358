"""Loads the execution-log pattern table (patterns.toml) once; the classifier is the engine."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class LinePattern:
    verdict: str
    status: int
    regex: re.Pattern[str]
    hints: tuple[str, ...]
    use_next: bool = False
    failure: bool = True
    priority: int = 0  # a later failure line of higher priority replaces an earlier one
    follow_up: bool = False  # only ever follows another line of the same request


@cache
def line_patterns() -> tuple[LinePattern, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("patterns.toml").read_text("utf-8"))
    return tuple(
        LinePattern(
            verdict=str(p["verdict"]),
            status=int(p["status"]),
            regex=re.compile(str(p["regex"])),
            hints=tuple(str(h) for h in p["hints"]),
            use_next=bool(p.get("use_next", False)),
            failure=bool(p.get("failure", True)),
            priority=int(p.get("priority", 0)),
            follow_up=bool(p.get("follow_up", False)),
        )
        for p in raw["pattern"]
    )


@cache
def _any_hint() -> re.Pattern[str]:
    # One alternation of literals: most lines of a trace contain none, and are done in one scan.
    hints = sorted({h for p in line_patterns() for h in p.hints}, key=len, reverse=True)
    return re.compile("|".join(re.escape(h) for h in hints))


def match_line(line: str) -> LinePattern | None:
    """The first pattern that matches `line` (already stripped of its prefix), or None."""
    if _any_hint().search(line) is None:
        return None
    for pattern in line_patterns():
        if any(h in line for h in pattern.hints) and pattern.regex.search(line):
            return pattern
    return None
