"""Writing a command's answer to stdout: JSON or text, and a reader that went away is no error.

The output boundary of `check` and `verify`, text and JSON: evidence quotes log lines and probe
answers, so everything passes the redactor and the control-character sanitiser (`outbound`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from apigw_cockpit import outbound


def emit(write: Callable[[TextIO], None]) -> bool:
    """Write to stdout; a reader that went away (`| head`) is not an error. False if it did."""
    try:
        out = outbound.SafeWriter(sys.stdout)
        write(out)  # type: ignore[arg-type]
        out.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return False
    return True


def write_json(doc: object) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        out.write(outbound.dumps(doc, indent=2) + "\n")

    return write
