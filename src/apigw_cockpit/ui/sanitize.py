"""Make untrusted log text safe to show: no control sequences, no secrets, never markup.

Log lines come from backends we do not control; they may carry ANSI escapes that
would repaint the terminal, Rich markup that would restyle it, and credentials.
"""

from __future__ import annotations

import re

from rich.text import Text

from apigw_cockpit.outbound import strip_controls
from apigw_cockpit.redact import redact as redact_secrets

_ACCOUNT_IN_ARN = re.compile(r"(arn:aws[\w-]*:[\w-]*:[\w-]*:)(\d{12})(:)")
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")

REDACTED = "***"

__all__ = ["clean", "clean_lines", "one_line", "redact_identity", "safe_text", "strip_controls"]
_NEWLINES = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


def redact_identity(text: str) -> str:
    """Presenter mode: account ids (also inside ARNs) and IP addresses."""
    text = _ACCOUNT_IN_ARN.sub(lambda m: m.group(1) + "************" + m.group(3), text)
    text = _ACCOUNT.sub("************", text)
    return _IPV4.sub("x.x.x.x", text)


def clean(text: str | bytes, *, presenter: bool = False) -> str:
    out = redact_secrets(strip_controls(text))
    return redact_identity(out) if presenter else out


def one_line(text: str, *, newline: str = "\N{RETURN SYMBOL}", presenter: bool = False) -> str:
    """`clean` for a line of text that may hold line breaks: each shows as ` ⏎ ` (or a space
    when `newline` is one), not as the U+FFFD `clean` puts in place of a control character."""
    mark = f" {newline.strip()} " if newline.strip() else " "
    return clean(_NEWLINES.sub(mark, text), presenter=presenter)


def clean_lines(text: str, *, presenter: bool = False) -> str:
    """`clean` for multi-line text: its lines stay lines."""
    return "\n".join(clean(line, presenter=presenter) for line in text.splitlines())


def safe_text(text: str | bytes, *, presenter: bool = False, style: str = "") -> Text:
    """A Rich Text built from plain characters: markup like `[bold]` stays literal."""
    return Text(clean(text, presenter=presenter), style=style, no_wrap=True, overflow="ellipsis")
