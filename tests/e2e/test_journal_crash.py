"""A journaling process killed mid-run (SIGHUP, SIGTERM, SIGKILL) loses nothing it reported flushed.

The API writer is a child Python process using the journal API. It prints the number of each
entry on stdout only after `append` returned (i.e. after fsync), so every number the test
receives is an entry that must survive.

The cockpit writer is the real `apigw-cockpit demo --journal PATH` on a pseudo-terminal (its
stdout is the screen, so it cannot report): the test synchronises on the journal file itself
(a `change` entry = mid-incident), takes what is on disk then as "flushed", kills it, and
checks that prefix survived whole; a restarted cockpit continues the same journal.
"""

from __future__ import annotations

import json
import os
import pty
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit.incident import Journal, read_journal

pytestmark = pytest.mark.e2e

CHILD = """
import sys
from apigw_cockpit.incident import Journal, close_on_signals
path, handlers = sys.argv[1], sys.argv[2] == "1"
journal = Journal.open(path, api="a1b2c3d4e5", stage="prod", session={"writer": "crash-test"})
if handlers:
    close_on_signals(journal)
i = 0
while True:
    journal.note(f"entry {i} " + "x" * (i * 37 % 400))
    print(i, flush=True)
    i += 1
"""

WRITERS: dict[str, Callable[[Path, bool], list[str]]] = {
    "python-journal-api": lambda path, handlers: [
        sys.executable,
        "-c",
        CHILD,
        str(path),
        "1" if handlers else "0",
    ],
    # The real cockpit: it handles SIGHUP/SIGTERM itself (session-end with the signal's name).
    "apigw-cockpit-demo": lambda path, handlers: [
        sys.executable,
        "-m",
        "apigw_cockpit",
        "demo",
        "--journal",
        str(path),
    ],
}
ON_A_TERMINAL = {"apigw-cockpit-demo"}  # these draw a screen: run on a pty, synchronise on the file
TIMEOUT = 30.0
# The cockpit on a pty starts a simulated world first (moto, a 1 h backfill): on a loaded
# 2-core box that alone took over 30 s in CI-like runs. A deadline, not a wait.
TERMINAL_TIMEOUT = 90.0


class Child:
    """The writer process, with its stdout reports delivered to a queue as they arrive."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.reports: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.reports.put(line.strip())
        self.reports.put(None)

    def next_report(self) -> int:
        line = self.reports.get(timeout=TIMEOUT)
        if line is None:
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            pytest.fail(f"writer exited early: {stderr}")
        return int(line)

    def kill_and_drain(self, sig: int) -> list[int]:
        """Send `sig`, wait for death, and return every report it managed to print."""
        self.proc.send_signal(sig)
        self.proc.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)
        rest = []
        while (line := self.reports.get_nowait()) is not None:
            rest.append(int(line))
        if self.proc.stderr:
            self.proc.stderr.close()
        return rest


@pytest.mark.parametrize("writer", [w for w in WRITERS if w not in ON_A_TERMINAL])
@pytest.mark.parametrize(
    ("sig", "handlers"),
    [(signal.SIGHUP, False), (signal.SIGKILL, False), (signal.SIGTERM, False), (signal.SIGHUP, True)],
    ids=["sighup", "sigkill", "sigterm", "sighup-with-handler"],
)
def test_killed_writer_loses_nothing_it_reported(
    tmp_path: Path, writer: str, sig: int, handlers: bool
) -> None:
    path = tmp_path / "incident.jsonl"
    child = Child(WRITERS[writer](path, handlers))
    reported = [child.next_report() for _ in range(50)]
    # Kill while it is demonstrably still writing: the file grows between two reports.
    size = path.stat().st_size
    while path.stat().st_size <= size:  # each report is an event; a backlog drains instantly
        reported.append(child.next_report())
    reported += child.kill_and_drain(sig)
    assert child.proc.returncode == -sig

    raw_lines = path.read_bytes().split(b"\n")
    if raw_lines[-1] == b"":
        raw_lines.pop()
    for line in raw_lines[:-1]:
        json.loads(line)  # every line but possibly the last is whole
    read = read_journal(path)
    assert len(read.warnings) <= 1 and all(w.line == len(raw_lines) for w in read.warnings)
    noted = [int(e["text"].split()[1]) for e in read.entries if e["kind"] == "note"]
    assert noted == list(range(len(noted))), "entries out of order or missing"
    assert set(reported) <= set(noted), f"lost flushed entries: {sorted(set(reported) - set(noted))[:5]}"
    ends = [e.get("reason") for e in read.entries if e["kind"] == "session-end"]
    assert ends == (["SIGHUP"] if handlers else [])

    # The next session continues the same incident.
    with Journal.open(path, api="a1b2c3d4e5", stage="prod") as again:
        again.note("after the restart")
    after = read_journal(path)
    starts = [e for e in after.entries if e["kind"] == "session-start"]
    assert [s["resumed"] for s in starts] == [False, True]
    assert after.entries[-2]["text"] == "after the restart" and after.entries[-1]["kind"] == "session-end"
    assert len(after.entries) == len(read.entries) + 3


class Terminal:
    """A writer on a pseudo-terminal (120x36) in an isolated HOME; the screen output is drained."""

    def __init__(self, argv: list[str], home: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XDG_", "APIGW_COCKPIT_"))}
        env.update(
            HOME=str(home),
            XDG_STATE_HOME=str(home / "state"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_CACHE_HOME=str(home / "cache"),
            TERM="xterm-256color",
            COLUMNS="120",
            LINES="36",
        )
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: exec at once (nothing else is safe after fork in a threaded parent)
            os.execve(argv[0], argv, env)
        self.screen = bytearray()
        self._drain = threading.Thread(target=self._read, daemon=True)
        self._drain.start()

    def _read(self) -> None:
        # A terminal nobody reads blocks the app on its next frame: keep reading until EOF/EIO.
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.screen += chunk[-4096:]

    def wait_for(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + TERMINAL_TIMEOUT
        while not condition():
            exited, _ = os.waitpid(self.pid, os.WNOHANG)
            if exited or time.monotonic() > deadline:
                tail = bytes(self.screen[-400:]).decode(errors="replace")
                pytest.fail(
                    f"{what}: not within {TERMINAL_TIMEOUT:.0f} s (exited: {bool(exited)}); screen: {tail!r}"
                )
            time.sleep(0.05)  # polling a file for a condition, with a deadline

    def kill(self, sig: int) -> int:
        """Send `sig`; the wait status decoded like Popen.returncode (-N when killed by N)."""
        os.kill(self.pid, sig)
        _, status = os.waitpid(self.pid, 0)
        self._drain.join(timeout=TIMEOUT)
        os.close(self.fd)
        return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)

    def cleanup(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _entries(path: Path) -> list[dict[str, Any]]:
    try:
        return list(read_journal(path).entries) if path.exists() else []
    except Exception:
        return []


def _has(path: Path, kind: str, **match: Any) -> bool:
    return any(e["kind"] == kind and all(e.get(k) == v for k, v in match.items()) for e in _entries(path))


@pytest.mark.sim
@pytest.mark.parametrize("writer", sorted(ON_A_TERMINAL))
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGKILL], ids=["sighup", "sigkill"])
def test_killed_cockpit_keeps_its_journal_and_resumes(tmp_path: Path, writer: str, sig: int) -> None:
    path = tmp_path / "incident.jsonl"
    argv = WRITERS[writer](path, False)
    first = Terminal(argv, tmp_path / "home")
    try:
        first.wait_for("a change entry (mid-incident)", lambda: _has(path, "change"))
        flushed = path.read_bytes()
        flushed = flushed[: flushed.rfind(b"\n") + 1]  # whole lines on disk = entries append returned
        code = first.kill(sig)
    finally:
        first.cleanup()
    # SIGHUP is a dropped SSH session: the cockpit leaves like `q`; SIGKILL gives it no say.
    assert code == (0 if sig == signal.SIGHUP else -sig)

    data = path.read_bytes()
    assert data.startswith(flushed), "a flushed entry was lost or rewritten"
    raw_lines = data.split(b"\n")
    if raw_lines[-1] == b"":
        raw_lines.pop()
    for line in raw_lines[:-1]:
        json.loads(line)  # every line but possibly the last is whole
    read = read_journal(path)
    assert len(read.warnings) <= 1 and all(w.line == len(raw_lines) for w in read.warnings)
    kinds = [e["kind"] for e in read.entries]
    assert kinds[0] == "session-start" and "change" in kinds
    ends = [e.get("reason") for e in read.entries if e["kind"] == "session-end"]
    assert ends == (["SIGHUP"] if sig == signal.SIGHUP else [])

    # The next cockpit continues the same incident: resumed, and nothing journaled twice.
    again = Terminal(argv, tmp_path / "home")
    try:
        again.wait_for("the resumed session-start", lambda: _has(path, "session-start", resumed=True))
        # Resumed from a half line, if the kill left one: the next entry must stand alone.
        again.wait_for("an entry after the resume", lambda: _entries(path)[-1]["kind"] != "session-start")
        assert again.kill(signal.SIGKILL) == -signal.SIGKILL  # quick: the clean exit is covered above
    finally:
        again.cleanup()
    after = read_journal(path)
    assert after.entries[: len(read.entries)] == read.entries
    assert len(after.warnings) <= len(read.warnings) + 1
    starts = [e["resumed"] for e in after.entries if e["kind"] == "session-start"]
    assert starts == [False, True]
    change_ids = [e["event_id"] for e in after.entries if e["kind"] == "change"]
    assert len(change_ids) == len(set(change_ids)), "a CloudTrail event was journaled twice"
    onsets = [e for e in after.entries if e["kind"] == "onset"]
    assert len(onsets) <= 1, "the resumed cockpit wrote a second onset"
