"""Make untrusted log text safe to show: no control sequences, no secrets, never markup.

Log lines come from backends we do not control; they may carry ANSI escapes that
would repaint the terminal, Rich markup that would restyle it, and credentials.
"""

from __future__ import annotations

import re

from rich.text import Text

from apigw_cockpit.redact import redact as redact_secrets

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character except tab.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")

_ACCOUNT_IN_ARN = re.compile(r"(arn:aws[\w-]*:[\w-]*:[\w-]*:)(\d{12})(:)")
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")

REDACTED = "***"


def strip_controls(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    # Lone surrogates from a bad decode cannot be encoded for the terminal.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", text).replace("\t", " ")


def redact_identity(text: str) -> str:
    """Presenter mode: account ids (also inside ARNs) and IP addresses."""
    text = _ACCOUNT_IN_ARN.sub(lambda m: m.group(1) + "************" + m.group(3), text)
    text = _ACCOUNT.sub("************", text)
    return _IPV4.sub("x.x.x.x", text)


def clean(text: str | bytes, *, presenter: bool = False) -> str:
    out = redact_secrets(strip_controls(text))
    return redact_identity(out) if presenter else out


def safe_text(text: str | bytes, *, presenter: bool = False, style: str = "") -> Text:
    """A Rich Text built from plain characters: markup like `[bold]` stays literal."""
    return Text(clean(text, presenter=presenter), style=style, no_wrap=True, overflow="ellipsis")
