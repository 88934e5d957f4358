"""The incident journal: append-only JSON lines, each entry on disk before `append` returns.

Durability model: the file is opened O_APPEND; each entry is one `os.write` of one
complete line followed by `os.fsync`. A dropped SSH session, SIGHUP, SIGTERM, SIGKILL or
a crash therefore loses at most the entry being written, and the reader skips that
half line with a warning. Reopening the same file continues the incident
(`session-start` with `"resumed": true`); a half line left by the previous session is
sealed with a newline first so it cannot swallow the next entry.

Re-observations are deduplicated so a long session does not bloat the file: the same
CloudTrail event id, the same check result (verdict and summary), the same alarm state,
the same ranking and evidence, the same verification results are written once (state is
rebuilt from the file on resume). A check whose numbers grew under the same verdict is
written again, so the record is not frozen at the first run ("1 of 100 requests failed");
the cockpit paces those refreshes (ui/journal_watch.py). User notes are never deduplicated
or rewritten; secrets are redacted on write.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import signal
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Protocol

from apigw_cockpit.incident import record
from apigw_cockpit.incident.entries import RESERVED, VERSION, Entry, validate
from apigw_cockpit.incident.paths import journal_path, utc_date
from apigw_cockpit.incident.reader import JournalError, read_journal
from apigw_cockpit.model import Alarm, Change, Clock, Finding, Hypothesis, SystemClock
from apigw_cockpit.redact import redact_mapping
from apigw_cockpit.safe_write import RefusedPath, open_append

JournalKey = tuple[str, str, "Path | str | None", "dt.date | None"]


class DiagnosisLike(Protocol):
    """diagnose.Diagnosis as the journal reads it (no `diagnose` import)."""

    @property
    def findings(self) -> Iterable[Finding]: ...
    @property
    def hypotheses(self) -> Iterable[Hypothesis]: ...
    @property
    def verification(self) -> Iterable[record.StepLike]: ...


def _jsonable(value: object) -> object:
    # Non-finite floats are not JSON; a metric gap becomes null rather than a crash.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class _Dedupe:
    """What has been written already, keyed the way re-observations repeat."""

    def __init__(self) -> None:
        self.change_ids: set[str] = set()
        self.check_results: dict[str, tuple[str, str]] = {}  # id -> (verdict, summary)
        self.alarm_states: dict[str, str] = {}
        self.ranking: tuple[object, ...] | None = None
        self.steps: tuple[tuple[str, str], ...] | None = None

    @staticmethod
    def _ranking(entry: Entry) -> tuple[object, ...]:
        # The evidence counts too: the same order with grown numbers is a new, truer record.
        return tuple(
            (h["root_cause"], round(float(h["confidence"]), 2), tuple(h.get("because") or ()))
            for h in entry["ranked"]
        )

    @staticmethod
    def _steps(entry: Entry) -> tuple[tuple[str, str], ...]:
        return tuple((s["id"], s["status"]) for s in entry["steps"])

    def seen(self, e: Entry) -> bool:
        kind = e["kind"]
        if kind == "change":
            return e["event_id"] in self.change_ids
        if kind == "check":
            return self.check_results.get(e["id"]) == (e["verdict"], e["summary"])
        if kind == "alarm":
            return bool(self.alarm_states.get(e["name"]) == e["state"])
        if kind == "hypothesis":
            return self.ranking == self._ranking(e)
        if kind == "verification":
            return self.steps == self._steps(e)
        return False

    def remember(self, e: Entry) -> None:
        kind = e["kind"]
        if kind == "change":
            self.change_ids.add(e["event_id"])
        elif kind == "check":
            self.check_results[e["id"]] = (e["verdict"], e["summary"])
        elif kind == "alarm":
            self.alarm_states[e["name"]] = e["state"]
        elif kind == "hypothesis":
            self.ranking = self._ranking(e)
        elif kind == "verification":
            self.steps = self._steps(e)


class Journal:
    """One incident's journal file. Thread-safe: UI workers may append concurrently."""

    def __init__(self, path: Path, fd: int, clock: Clock, dedupe: _Dedupe, resumed: bool) -> None:
        self.path = path
        self.resumed = resumed
        self.written = 0
        self._fd = fd
        self._clock = clock
        self._dedupe = dedupe
        self._lock = threading.RLock()
        self._closed = False

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | JournalKey | None = None,
        *,
        api: str | None = None,
        stage: str | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        date: dt.date | None = None,
        clock: Clock | None = None,
        at: float | None = None,
        session: Mapping[str, object] | None = None,
    ) -> Journal:
        """Open (or continue) a journal and write `session-start`.

        `target` is a path, or `(api, stage, state_dir, date)`; without a path the file is
        `<state_dir>/<api>-<stage>-<date>.jsonl` (date: UTC date of `clock.now()`).
        Raises JournalError when the file exists but is not a journal (never appends to it).
        """
        clock = clock or SystemClock()
        if isinstance(target, tuple):
            api, stage, state_dir, date = target
            target = None
        if target is None:
            if not api or not stage:
                raise ValueError("Journal.open needs a path or an api and stage")
            day = date or utc_date(clock.now())
            path = journal_path(api, stage, day, Path(state_dir) if state_dir else None)
        else:
            path = Path(target)
        dedupe, resumed, last_session = _prime(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            created = not path.exists()
            fd = open_append(path)  # regular files only: never a FIFO, device or planted symlink
        except RefusedPath as e:
            raise JournalError(str(e)) from None
        except OSError as e:
            raise JournalError(f"{path}: cannot open journal for writing: {e.strerror or e}") from None
        if created:
            _fsync_dir(path.parent)
        _seal_partial_line(fd, path)
        journal = cls(path, fd, clock, dedupe, resumed)
        info = {
            "api": api or last_session.get("api", ""),
            "stage": stage or last_session.get("stage", ""),
            "resumed": resumed,
            "pid": os.getpid(),
            **(session or {}),
        }
        journal.append("session-start", at, **info)
        return journal

    # -- writing ---------------------------------------------------------------

    def append(self, kind: str, at: float | None = None, /, **data: object) -> bool:
        """Write one entry durably; False when it repeats what is already journaled."""
        if RESERVED & data.keys():
            raise ValueError(f"entry data may not set {sorted(RESERVED & data.keys())}")
        when = self._clock.now() if at is None else float(at)
        entry: dict[str, object] = {"v": VERSION, "at": when, "kind": kind}
        redacted = redact_mapping(data)
        entry.update({str(k): _jsonable(v) for k, v in redacted.items()})
        problem = validate(entry)
        if problem:
            raise ValueError(f"invalid journal entry: {problem}")
        line = (json.dumps(entry, ensure_ascii=True, separators=(",", ":"), allow_nan=False) + "\n").encode()
        with self._lock:
            if self._closed:
                raise ValueError(f"journal {self.path} is closed")
            if self._dedupe.seen(entry):
                return False
            _write_all(self._fd, line)
            os.fsync(self._fd)
            self._dedupe.remember(entry)
            self.written += 1
        return True

    def note(self, text: str, at: float | None = None) -> bool:
        return self.append("note", at, text=text)

    def mark_onset(self, at: float | None = None, source: str = "user", detail: str = "") -> bool:
        return self.append("onset", at, source=source, detail=detail)

    def mark_fix(self, text: str = "", at: float | None = None, by: str = "") -> bool:
        return self.append("fix-mark", at, text=text, by=by)

    def mark_recovery(self, at: float | None = None, source: str = "user", detail: str = "") -> bool:
        return self.append("recovery", at, source=source, detail=detail)

    def note_changes(self, changes: Iterable[Change]) -> int:
        """Journal CloudTrail changes at their event time; an event id is written once."""
        return sum(self.append("change", c.time, **record.change_fields(c)) for c in changes)

    def note_findings(self, findings: Iterable[Finding], at: float | None = None) -> int:
        """Journal check results; a check is written again only when its verdict or summary changes."""
        return sum(
            self.append("check", at if at is not None else (f.at or None), **record.check_fields(f))
            for f in findings
        )

    def note_hypotheses(self, ranked: Sequence[Hypothesis], at: float | None = None) -> bool:
        return self.append("hypothesis", at, **record.hypothesis_fields(ranked)) if ranked else False

    def note_alarms(self, alarms: Iterable[Alarm]) -> int:
        return sum(self.append("alarm", a.updated or None, **record.alarm_fields(a)) for a in alarms)

    def note_verification(
        self, steps: Iterable[record.StepLike | Mapping[str, object]], at: float | None = None
    ) -> bool:
        return self.append("verification", at, steps=[record.step_fields(s) for s in steps])

    def note_diagnosis(self, diagnosis: DiagnosisLike, at: float | None = None) -> int:
        """Journal what changed in a diagnose.Diagnosis-like object (findings, hypotheses,
        verification); verification only once some step has a result. Returns entries written."""
        written = self.note_findings(diagnosis.findings, at)
        written += self.note_hypotheses(tuple(diagnosis.hypotheses), at)
        steps = [record.step_fields(s) for s in diagnosis.verification]
        if any(s["status"] in ("pass", "fail") for s in steps):
            written += self.append("verification", at, steps=steps)
        return written

    def note_screenshot(
        self, path: str | os.PathLike[str], caption: str = "", at: float | None = None
    ) -> bool:
        return self.append("screenshot", at, path=str(path), caption=caption)

    def note_impact(self, at: float | None = None, **summary: object) -> bool:
        return self.append("impact", at, **summary)

    def note_rediscovery(self, flip: record.FlipLike) -> bool:
        """A verdict a rediscovery changed (diagnose.flips.VerdictFlip-like), at the read's time."""
        return self.append("rediscovery", flip.at, **record.flip_fields(flip))

    def note_drill(self, scenario: str, at: float | None = None, **result: object) -> bool:
        return self.append("drill", at, scenario=scenario, **result)

    # -- lifecycle -------------------------------------------------------------

    def close(self, reason: str = "exit", at: float | None = None) -> None:
        """Write `session-end` and close the file (idempotent)."""
        with self._lock:
            if self._closed:
                return
            try:
                self.append("session-end", at, reason=reason)
            finally:
                self._closed = True
                os.close(self._fd)

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close("error" if exc[0] is not None else "exit")


def _prime(path: Path) -> tuple[_Dedupe, bool, Entry]:
    dedupe = _Dedupe()
    last_session: Entry = {}
    try:
        if path.stat().st_size == 0:
            return dedupe, False, last_session
    except FileNotFoundError:
        return dedupe, False, last_session
    except OSError as e:
        raise JournalError(f"{path}: cannot read journal: {e.strerror or e}") from None
    read = read_journal(path)
    for entry in read.entries:
        dedupe.remember(entry)
        if entry["kind"] == "session-start":
            last_session = entry
    return dedupe, bool(read.entries), last_session


def _seal_partial_line(fd: int, path: Path) -> None:
    """If the previous session died mid-line, end that line so the next entry stands alone."""
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return
        with open(path, "rb") as f:
            f.seek(size - 1)
            last = f.read(1)
    except OSError:
        return
    if last != b"\n":
        _write_all(fd, b"\n")
        os.fsync(fd)


def _fsync_dir(directory: Path) -> None:
    """Make a new file's directory entry durable too (else a crash can lose the whole file)."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the data fsyncs still hold
    finally:
        os.close(dfd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def close_on_signals(journal: Journal, signals: Sequence[int] = (signal.SIGHUP, signal.SIGTERM)) -> None:
    """Write `session-end` (reason = signal name) on these signals, then die of the signal.

    Main thread only (Python's rule for signal handlers). The journal is already durable
    without this; it only records *why* the session ended.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        try:
            with journal._lock:
                if not journal.closed:
                    journal.append("session-end", None, reason=signal.Signals(signum).name)
        finally:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    for sig in signals:
        signal.signal(sig, handler)
