"""Giving the prompt back at once after a full-screen session (issue 15: `q` took 6.5–7.5 s).

Once the cockpit has left the alternate screen, the journal is closed and the feed is closed
(bounded), nothing the process still holds matters: the simulated world, hundreds of MB of
moto state, idle executor threads. Tearing them down object by object (the interpreter's
finalisation) costs 0.5–1 s on the 2-core VM, and a world still starting would be waited for.

So a full-screen command `arm()`s this once its session is closed, and the console entry
point (`cli.main` called without argv) ends the process with `os._exit` after flushing what
the user can see (stdout, stderr, log handlers). In-process callers (tests) are never armed
by argv-less calls of their own, and `disarm()` puts things back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

_armed = False


def arm() -> None:
    """The session is closed: what is left may be dropped without finalisation."""
    global _armed
    _armed = True


def disarm() -> None:
    global _armed
    _armed = False


def armed() -> bool:
    return _armed


def leave(code: int) -> int:
    """End the process now if armed (after flushing); otherwise hand `code` back."""
    if not _armed:
        return code
    logging.shutdown()  # the handlers' buffers: the one atexit job that writes something
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
