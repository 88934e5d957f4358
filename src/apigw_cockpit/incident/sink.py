"""The cockpit's side of the incident journal: one writer thread, so fsync never runs on the UI loop.

Every write is a job on a queue consumed by a single daemon thread, which keeps the
journal's order equal to the order the UI submitted things in. The journal is opened in
that thread too (reading a long journal to resume it is I/O). Any failure (unwritable
directory, disk full, a bad entry) is reported once through `on_error` and the cockpit
carries on without its record: losing the journal must never take the screen down.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from apigw_cockpit import safe_write
from apigw_cockpit.incident import (
    Journal,
    build_report,
    journal_path,
    read_journal,
    render_markdown,
)
from apigw_cockpit.model import Clock, Topology

Job = Callable[[Journal], object]  # what a job returns is not used


class _Task:
    """Queued work that does not need an open journal (the report reads the file itself)."""

    def __init__(self, fn: Callable[[], None]) -> None:
        self.fn = fn


CLOSE_TIMEOUT_S = 5.0


def default_path(api: str, stage: str, clock: Clock, directory: Path | None = None) -> Path:
    """`$XDG_STATE_HOME/apigw-cockpit/incidents/<api>-<stage>-<UTC date>.jsonl`."""
    day = dt.datetime.fromtimestamp(clock.now(), dt.UTC).date()
    return journal_path(api, stage, day, directory)


def write_atomic(target: Path, data: str) -> None:
    # Regular files only, atomic, 0600: the one policy in `safe_write` (screenshots, reports).
    safe_write.write_text(target, data)


class JournalSink:
    """Owns the `Journal` for one cockpit session; all of its methods are safe on the UI thread."""

    def __init__(
        self,
        path: Path,
        *,
        api: str,
        stage: str,
        clock: Clock,
        session: Mapping[str, object] | None = None,
    ) -> None:
        self.path = Path(path)
        self.api, self.stage, self.clock = api, stage, clock
        self.session = dict(session or {})
        self.on_error: Callable[[str], None] = lambda message: None
        self.on_done: Callable[[Callable[[], None]], None] = lambda fn: fn()
        self.entries_at_open: list[dict[str, Any]] = []
        self.error: str | None = None
        self._queue: queue.Queue[Job | _Task | threading.Event | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._journal: Journal | None = None

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def report_path(self) -> Path:
        return self.path.with_suffix(".md")

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    def close(self, reason: str = "exit") -> None:
        """Drain what is queued, write `session-end`, and wait (bounded) for the writer."""
        if self._closed:
            return
        self._closed = True
        if self._thread is None:
            return
        self._queue.put(lambda j: j.close(reason))
        self._queue.put(None)
        self._thread.join(CLOSE_TIMEOUT_S)

    def flush(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """Block until everything submitted so far is written (tests, the report)."""
        done = threading.Event()
        if self._thread is None or self._closed:
            return False
        self._queue.put(done)
        return done.wait(timeout)

    # -- writing -----------------------------------------------------------------------
    def submit(self, job: Job) -> None:
        """Queue one journal operation (dropped after close; skipped if the journal never opened)."""
        if not self._closed:
            self._queue.put(job)

    def append(self, kind: str, at: float | None = None, **data: object) -> None:
        self.submit(lambda j: j.append(kind, at, **data))

    def _run(self) -> None:
        try:
            self._journal = Journal.open(
                self.path, api=self.api, stage=self.stage, clock=self.clock, session=self.session
            )
            self.entries_at_open = list(read_journal(self.path).entries)
        except Exception as exc:  # unwritable dir, not a journal, ...: the cockpit goes on without it
            self._fail(f"journal off: {_why(exc)}")
        while True:
            job = self._queue.get()
            if job is None:
                return
            if isinstance(job, threading.Event):
                job.set()
                continue
            if isinstance(job, _Task):
                job.fn()
                continue
            if self._journal is None or self._journal.closed:
                continue
            try:
                job(self._journal)
            except Exception as exc:
                self._fail(f"journal write failed: {_why(exc)}")

    def _fail(self, message: str) -> None:
        first = self.error is None
        self.error = self.error or message
        if first:
            self.on_error(message)

    # -- things the cockpit asks for -----------------------------------------------------
    def write_screenshot(self, svg: str, name: str, caption: str, at: float) -> Path:
        """Queue an SVG (already rendered on the UI thread) into the journal's directory, then journal it."""
        target = self.directory / name

        def job(j: Journal) -> None:
            write_atomic(target, svg)
            j.note_screenshot(target, caption, at)

        self.submit(job)
        return target

    def write_report(self, done: Callable[[Path | None, str], None]) -> None:
        """After every queued entry: the postmortem Markdown at `report_path`; `done(path, error)`."""
        target = self.report_path

        def task() -> None:
            if self._journal is None:
                self.on_done(lambda: done(None, self.error or "the journal is not open"))
                return
            try:
                read = read_journal(self.path)
                report = build_report(
                    read.entries,
                    source=str(self.path),
                    warnings=[str(w) for w in read.warnings],
                    generated_at=time.time(),
                )
                write_atomic(target, render_markdown(report, link_base=target.parent))
            except Exception as exc:
                why = _why(exc)
                self.on_done(lambda: done(None, why))
                return
            self.on_done(lambda: done(target, ""))

        if self._closed:
            done(None, "the journal is closed")
        else:
            self._queue.put(_Task(task))


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def sink_for(
    journal: str | os.PathLike[str] | None,
    topology: Topology,
    clock: Clock,
    **session: object,
) -> JournalSink:
    """The session's sink: `--journal PATH`, else the default XDG path for this api/stage/date."""
    api, stage = str(topology.api_id), str(topology.stage.name)
    path = Path(journal) if journal else default_path(api, stage, clock)
    info = {"api_name": topology.api_name, "region": topology.region, **session}
    return JournalSink(path, api=api, stage=stage, clock=clock, session=info)
