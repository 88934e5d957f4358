"""An unexpected exception is a bug: one line, exit 70, the traceback in a file under the state dir.

Not "AWS unreachable" (exit 3): telling an on-call engineer to check their credentials for
our own TypeError sends them the wrong way. 70 is EX_SOFTWARE from sysexits.h ("an internal
software error has been detected"); see docs/EXIT-CODES.md.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import TextIO

from apigw_cockpit import safe_write
from apigw_cockpit.outbound import err_line, safe_text
from apigw_cockpit.paths import state_dir
from apigw_cockpit.service.exits import EXIT_BUG


def write_traceback(exc: BaseException, command: str, directory: Path | None = None) -> Path | None:
    """Write the traceback to `<state dir>/crashes/<UTC time>-<command>-<pid>.txt`; None if it cannot."""
    folder = (directory or state_dir()) / "crashes"
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = folder / f"{stamp}-{command}-{os.getpid()}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        # The argv and the exception's text can quote a token or a key: the file is an output
        # channel like any other (redacted), written 0600 and never through a symlink.
        safe_write.write_text(path, safe_text(f"apigw-cockpit {command}: {' '.join(sys.argv[1:])}\n{text}"))
    except OSError:
        return None
    return path


def report_bug(exc: BaseException, command: str, err: TextIO | None = None) -> int:
    """Say it is a bug in one line, where the traceback went, and return EXIT_BUG."""
    out = err or sys.stderr
    path = write_traceback(exc, command)
    detail = " ".join((str(exc).splitlines() or [""])[0].split())[:160]
    where = f"traceback: {path}" if path else "traceback could not be written"
    err_line(
        f"apigw-cockpit {command}: internal error (a bug, not AWS): {type(exc).__name__}: {detail} ({where})",
        out,
    )
    return EXIT_BUG
