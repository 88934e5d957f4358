"""Incident journal numbers: durable appends per second, and read + report time for 10,000 entries.

    .venv/bin/python bench/incident_journal.py [--dir DIR] [--entries N]

--dir picks the filesystem measured (fsync cost depends on it; default: a temp dir).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from apigw_cockpit.incident import (
    Journal,
    build_report,
    build_timeline,
    read_journal,
    render_json,
    render_markdown,
)
from apigw_cockpit.model import Change, Finding, FrozenClock, Verdict

R = TypeVar("R")
T0 = 1_795_651_800.0  # 2026-11-26 00:10 UTC


def bench_appends(directory: Path, count: int) -> float:
    clock = FrozenClock(T0)
    j = Journal.open(directory / "appends.jsonl", api="a1b2c3d4e5", stage="prod", clock=clock)
    start = time.perf_counter()
    for i in range(count):
        j.note(f"note {i}: still seeing 502s on /orders, p99 28.9 s")
    elapsed = time.perf_counter() - start
    j.close()
    return count / elapsed


def write_big_journal(path: Path, entries: int) -> None:
    """A long incident: mostly checks flapping and changes, some notes, hypotheses, verifications."""
    clock = FrozenClock(T0)
    j = Journal.open(path, api="a1b2c3d4e5", stage="prod", clock=clock)
    j.mark_onset(T0 + 120)
    i = 0
    while j.written < entries:
        clock.advance(2.0)
        i += 1
        verdict = Verdict.ERROR if (i // 7) % 2 else Verdict.OK
        j.note_findings(
            [Finding(f"check-{i % 20}", "t", verdict, f"summary {i}", evidence=(f"line {i}",) * 3)]
        )
        if i % 5 == 0:
            j.note_changes(
                [Change(f"e{i}", clock.now(), "AuthorizeSecurityGroupIngress", "ec2", "alex", ("sg-1",))]
            )
        if i % 11 == 0:
            j.note(f"note {i}\nwith `code` and | pipes")
        if i % 50 == 0:
            j.note_verification(
                [{"id": f"V{k}", "status": "pass" if (i // 50 + k) % 3 else "fail"} for k in range(1, 7)]
            )
    j.close()


def timed(fn: Callable[[], R], repeat: int = 3) -> tuple[float, R]:
    """Best of `repeat` wall-clock runs, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--appends", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        directory = Path(d)
        rate = bench_appends(directory, args.appends)
        print(f"appends with fsync: {rate:,.0f}/s ({1000 / rate:.2f} ms each; {args.appends} in {directory})")
        big = directory / "big.jsonl"
        write_big_journal(big, args.entries)
        size = big.stat().st_size
        t_read, read = timed(lambda: read_journal(big))
        entries = read.entries
        t_timeline, _ = timed(lambda: build_timeline(entries))
        t_build, report = timed(lambda: build_report(entries, source=str(big)))
        t_md, md = timed(lambda: render_markdown(report))
        t_json, _ = timed(lambda: render_json(report))
        t_resume, _ = timed(lambda: Journal.open(big, api="a1b2c3d4e5", stage="prod").close(), repeat=1)
        print(f"journal: {len(entries):,} entries, {size / 1e6:.1f} MB")
        print(f"read_journal: {t_read * 1000:.0f} ms; build_timeline: {t_timeline * 1000:.0f} ms")
        print(
            f"build_report: {t_build * 1000:.0f} ms; "
            f"render md: {t_md * 1000:.0f} ms ({len(md) / 1e3:.0f} kB); "
            f"render json: {t_json * 1000:.0f} ms"
        )
        total = t_read + t_build + t_md
        print(f"report end to end (read + build + md): {total * 1000:.0f} ms")
        print(f"reopen (resume, rebuild dedupe state): {t_resume * 1000:.0f} ms")


if __name__ == "__main__":
    main()
