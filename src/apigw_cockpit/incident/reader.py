"""Reading a journal back: tolerant of everything a crash or a careless editor leaves behind.

A journal is evidence written under stress, so the reader never gives up on the whole
file for one bad line: a truncated last line (the session died mid-write), NUL padding
(the filesystem extended the file but the data never landed), a line with wrong types or
an unknown version is skipped with a warning naming its line number. Only a file that is
not a journal at all (no line looks like an entry) is an error, one line long.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigw_cockpit.incident.entries import validate
from apigw_cockpit.safe_write import RefusedPath, read_regular

# A journal is one line per entry; a day-long incident is a few MB. Anything past this is
# not a journal (`--journal /dev/zero`-like input must not read until MemoryError).
MAX_JOURNAL_BYTES = 256 * 1024 * 1024


class JournalError(Exception):
    """A journal that cannot be used at all; `str()` is one line for the user."""


@dataclass(frozen=True)
class JournalWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class JournalRead:
    """Valid entries in file order, and one warning per line that was skipped."""

    entries: list[dict[str, Any]]
    warnings: list[JournalWarning] = field(default_factory=list)
    path: Path | None = None


def read_journal(path: str | os.PathLike[str]) -> JournalRead:
    p = Path(path)
    try:
        data = read_regular(p, MAX_JOURNAL_BYTES)
    except RefusedPath as e:
        raise JournalError(str(e)) from None
    except FileNotFoundError:
        raise JournalError(f"{p}: no such journal file") from None
    except IsADirectoryError:
        raise JournalError(f"{p}: is a directory, not a journal file") from None
    except OSError as e:
        raise JournalError(f"{p}: cannot read journal: {e.strerror or e}") from None
    read = parse_journal(data, str(p))
    return JournalRead(read.entries, read.warnings, p)


def _looks_like_entry(text: str, obj: object) -> bool:
    if isinstance(obj, dict):
        return "v" in obj and "kind" in obj
    # Our writer always starts a line with the version key, even when the rest was lost.
    return text.lstrip().startswith('{"v":')


def parse_journal(data: bytes, source: str = "journal") -> JournalRead:
    entries: list[dict[str, Any]] = []
    warnings: list[JournalWarning] = []
    lines = data.split(b"\n")
    ends_with_newline = data.endswith(b"\n")
    last_index = max((i for i, raw in enumerate(lines) if raw.strip()), default=-1)
    journal_like = 0
    non_empty = 0
    for i, raw in enumerate(lines):
        lineno = i + 1
        if not raw.strip():
            continue
        non_empty += 1
        if not raw.strip(b"\x00 \t\r"):
            warnings.append(JournalWarning(lineno, "NUL bytes, skipped (data lost before it reached disk)"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            warnings.append(JournalWarning(lineno, "not UTF-8 text, skipped"))
            continue
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as e:
            if _looks_like_entry(text, None):
                journal_like += 1
            if i == last_index and not ends_with_newline:
                why = "truncated entry, skipped (the session ended while writing it)"
            else:
                why = f"not valid JSON ({getattr(e, 'msg', 'too deeply nested')}), skipped"
            warnings.append(JournalWarning(lineno, why))
            continue
        if _looks_like_entry(text, obj):
            journal_like += 1
        problem = validate(obj)
        if problem:
            warnings.append(JournalWarning(lineno, f"{problem}, skipped"))
            continue
        entries.append(obj)
    if non_empty and not journal_like:
        raise JournalError(f"{source}: not an apigw-cockpit journal (no line is a journal entry)")
    if not non_empty:
        warnings.append(JournalWarning(0, "empty journal (no entries)"))
    return JournalRead(entries, warnings)
