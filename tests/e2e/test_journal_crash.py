"""A journaling process killed mid-run (SIGHUP, SIGTERM, SIGKILL) loses nothing it reported flushed.

The writer is a child Python process using the journal API. It prints the number of each
entry on stdout only after `append` returned (i.e. after fsync), so every number the test
receives is an entry that must survive. When `apigw-cockpit demo` can journal headlessly,
add it to WRITERS (it must print one line per flushed entry, or the test can fall back to
synchronising on the file size alone) — the rest of the test does not change.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

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
}
TIMEOUT = 30.0


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


@pytest.mark.parametrize("writer", list(WRITERS))
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
