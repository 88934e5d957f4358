"""`apigw-cockpit report`: the postmortem from an incident journal, as Markdown or JSON.

Without --journal, the newest journal for --api-id/--stage in the state dir (or the newest
overall). Any problem with the journal or the output file is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from apigw_cockpit import safe_write
from apigw_cockpit.incident import (
    JournalError,
    build_report,
    incidents_dir,
    latest_journal,
    read_journal,
    render_json,
    render_markdown,
)
from apigw_cockpit.incident.entries import Entry
from apigw_cockpit.outbound import err_line

EXIT_OK = 0
EXIT_USAGE = 2
MAX_WARNINGS_SHOWN = 20


def _fail(message: str) -> int:
    err_line(f"apigw-cockpit report: {message}")
    return EXIT_USAGE


def _find_journal(args: argparse.Namespace) -> Path | None:
    if args.journal:
        return Path(args.journal)
    return latest_journal(incidents_dir(), getattr(args, "api_id", None), getattr(args, "stage", None))


def _write(text: str, out: str | None) -> None:
    if not out:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # Regular files only, atomic, 0600 (safe_write): a failed run never leaves half a report,
    # and a FIFO, device or planted symlink at --out is refused, never replaced.
    safe_write.write_text(out, text)


def _render(entries: Sequence[Entry], warnings: list[str], path: Path, args: argparse.Namespace) -> str:
    report = build_report(entries, source=str(path), warnings=warnings, generated_at=time.time())
    if args.format == "json":
        return render_json(report)
    base = Path(args.out).resolve().parent if args.out else Path.cwd()
    return render_markdown(report, link_base=base)


def run(args: argparse.Namespace) -> int:
    if args.out:
        try:  # refuse a bad --out before reading a large journal
            safe_write.writable_target(args.out)
        except safe_write.RefusedPath as e:
            return _fail(f"cannot write --out {e}")
    path = _find_journal(args)
    if path is None:
        where = incidents_dir()
        scope = f" for {args.api_id} {args.stage or ''}".rstrip() if getattr(args, "api_id", None) else ""
        demo = "; demo runs journal under demo/, pass one with --journal" if (where / "demo").is_dir() else ""
        return _fail(f"no incident journal found{scope} in {where} (use --journal PATH{demo})")
    try:
        read = read_journal(path)
    except JournalError as e:
        return _fail(str(e))
    if not read.entries:
        why = f" ({read.warnings[0]})" if read.warnings else ""
        return _fail(f"{path}: the journal has no usable entries{why}")
    for w in read.warnings[:MAX_WARNINGS_SHOWN]:
        err_line(f"apigw-cockpit report: warning: {path}: {w}")
    if len(read.warnings) > MAX_WARNINGS_SHOWN:
        err_line(f"apigw-cockpit report: warning: {len(read.warnings) - MAX_WARNINGS_SHOWN} more")
    try:
        text = _render(read.entries, [str(w) for w in read.warnings], path, args)
    except Exception as e:  # a bug must still not greet a stressed user with a traceback
        detail = (str(e).splitlines() or [""])[0]
        return _fail(f"internal error while writing the report from {path}: {type(e).__name__}: {detail}")
    try:
        _write(text, args.out)
    except BrokenPipeError:
        # `report | head`: the reader left; not an error worth a traceback at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except safe_write.RefusedPath as e:
        return _fail(f"cannot write --out {e}")
    except OSError as e:
        return _fail(f"cannot write {args.out or 'stdout'}: {e.strerror or e}")
    return EXIT_OK
