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
    use_next: bool = False
    failure: bool = True


@cache
def line_patterns() -> tuple[LinePattern, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("patterns.toml").read_text("utf-8"))
    return tuple(
        LinePattern(
            verdict=str(p["verdict"]),
            status=int(p["status"]),
            regex=re.compile(str(p["regex"])),
            use_next=bool(p.get("use_next", False)),
            failure=bool(p.get("failure", True)),
        )
        for p in raw["pattern"]
    )


@cache
def _any_pattern() -> re.Pattern[str]:
    # One alternation as a cheap pre-filter: most lines of a trace match nothing.
    return re.compile("|".join(f"(?:{p.regex.pattern})" for p in line_patterns()))


def match_line(line: str) -> LinePattern | None:
    """The first pattern that matches `line` (already stripped of its prefix), or None."""
    if not _any_pattern().search(line):
        return None
    for pattern in line_patterns():
        if pattern.regex.search(line):
            return pattern
    return None
