"""Where journals live: `$XDG_STATE_HOME/apigw-cockpit/incidents/<api>-<stage>-<YYYY-MM-DD>.jsonl`.

Demo and drill journals live apart, in `incidents/demo/<scenario>-<run>.jsonl` (one file per
run, never reused): a drill must not write into the file a real incident on that API id would
use, nor resume the previous drill. `latest_journal` never looks into `demo/`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from apigw_cockpit.paths import state_dir

_UNSAFE = re.compile(r"[^A-Za-z0-9_.]+")
_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2})\.jsonl$")


def incidents_dir(env: Mapping[str, str] | None = None) -> Path:
    """The incidents directory: `incidents/` under the one state dir (`apigw_cockpit.paths`)."""
    return state_dir(env) / "incidents"


def _safe(part: str) -> str:
    # '-' separates the name parts, so it is replaced too; ids never contain it anyway.
    return _UNSAFE.sub("_", part).strip("_") or "_"


def journal_name(api: str, stage: str, date: dt.date) -> str:
    return f"{_safe(api)}-{_safe(stage)}-{date.isoformat()}.jsonl"


def journal_path(api: str, stage: str, date: dt.date, directory: Path | None = None) -> Path:
    return (directory or incidents_dir()) / journal_name(api, stage, date)


def demo_dir(directory: Path | None = None) -> Path:
    return (directory or incidents_dir()) / "demo"


def demo_journal_path(scenario: str, started: float, directory: Path | None = None) -> Path:
    """A new journal for one demo run: `demo/<scenario>-<UTC start>[-n].jsonl`, never an existing file.

    `started` is wall-clock time (the simulated clock replays the scenario's own date, so every
    run of a scenario would share it): the run key is when this run began.
    """
    folder = demo_dir(directory)
    stamp = dt.datetime.fromtimestamp(started, dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario).strip("_.") or "_"  # a scenario id keeps its '-'
    base = f"{name}-{stamp}"
    path, n = folder / f"{base}.jsonl", 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}.jsonl"
    return path


def utc_date(epoch: float) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def latest_journal(
    directory: Path | None = None, api: str | None = None, stage: str | None = None
) -> Path | None:
    """The newest journal (by date in the name, then mtime), for one api/stage if given."""
    directory = directory or incidents_dir()
    prefix = ""
    if api:
        prefix = f"{_safe(api)}-"
        if stage:
            prefix += f"{_safe(stage)}-"
    try:
        candidates = [p for p in directory.iterdir() if p.name.startswith(prefix) and _DATED.search(p.name)]
    except OSError:
        return None
    if api and not stage:
        # "<api>-<stage>-<date>": the stage part must not swallow another api's prefix.
        candidates = [p for p in candidates if p.name[len(prefix) :].count("-") == 3]

    def key(p: Path) -> tuple[str, float]:
        m = _DATED.search(p.name)
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (m.group(1) if m else "", mtime)

    return max(candidates, key=key, default=None)
