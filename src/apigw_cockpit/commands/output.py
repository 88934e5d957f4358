"""Writing a command's answer to stdout: JSON or text, and a reader that went away is no error."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO


def emit(write: Callable[[TextIO], None]) -> bool:
    """Write to stdout; a reader that went away (`| head`) is not an error. False if it did."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return False
    return True


def write_json(doc: Any) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        json.dump(doc, out, indent=2)
        out.write("\n")

    return write
