"""The boundary every output channel passes: secrets redacted, control characters made harmless.

One sanitiser for the whole program (the screen's `ui.sanitize` builds on it) so that text from
backends we do not control can never repaint the operator's terminal: C0 and C1 controls
(ESC, BEL, the one-byte CSI `\\x9b` and OSC `\\x9d`, …) and whole escape sequences are removed
or shown as U+FFFD. JSON needs no control stripping (every writer here escapes non-ASCII), only
redaction. Stdlib only, so every layer may import it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any, TextIO

from apigw_cockpit.redact import redact, redact_value

# CSI / OSC / other ESC sequences (7-bit and the 8-bit C1 forms), then any remaining C0/C1
# control character except tab (and newline where a multi-line text keeps its lines).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROLS_KEEP_NL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi overrides and isolates ("Trojan Source"): they reorder what the reader sees.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str | bytes, *, keep_newlines: bool = False) -> str:
    """Escape sequences removed, other controls shown as U+FFFD, tabs as spaces (one-line
    text) or kept (multi-line text, `keep_newlines`)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    # Lone surrogates from a bad decode cannot be encoded for the terminal.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _BIDI.sub("", _ESCAPES.sub("", text))
    if keep_newlines:
        return _CONTROLS_KEEP_NL.sub("\N{REPLACEMENT CHARACTER}", text)
    return _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", text).replace("\t", " ")


def safe_text(text: str | bytes) -> str:
    """Multi-line text for a terminal or a file: controls gone, secrets masked, lines kept."""
    return redact(strip_controls(text, keep_newlines=True))


def safe_line(text: str | bytes) -> str:
    """One line for a terminal: controls (newlines included) made harmless, secrets masked."""
    return redact(strip_controls(text))


def err_line(text: str, err: TextIO | None = None) -> None:
    """Print one message line on stderr (or `err`) through the same sanitiser as stdout.

    Error text quotes what the user or AWS gave us (a config value, an AWS error message, a
    URL), so a secret in it must be masked here too; every stderr line of the CLI comes here.
    """
    print(safe_line(text), file=err if err is not None else sys.stderr)


class SafeFormatter(logging.Formatter):
    """Log records for a terminal (serve's stderr log): formatted, then sanitised like stdout."""

    def format(self, record: logging.LogRecord) -> str:
        return safe_text(super().format(record))


def safe_value(value: object) -> object:
    """JSON-like data with every secret masked (strings, and whole values of secret-named keys)."""
    return redact_value(value)


def dumps(value: object, **kw: Any) -> str:
    """`json.dumps` of the redacted value; ASCII-escaped so no control byte reaches a terminal."""
    kw.setdefault("ensure_ascii", True)
    return json.dumps(redact_value(value), **kw)


def dump(value: object, out: TextIO, **kw: Any) -> None:
    out.write(dumps(value, **kw))


class SafeWriter:
    """A text stream wrapper: whole lines are sanitised as they complete (a secret split over
    two `write` calls is still seen whole); the rest on `flush`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        head, sep, tail = self._pending.rpartition("\n")
        if sep:
            self.out.write(safe_text(head + sep))
            self._pending = tail
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.out.write(safe_text(self._pending))
            self._pending = ""
        self.out.flush()
