"""Normalising raw execution-log lines: prefixes, timestamps, control characters.

Lines reach us from FilterLogEvents (prefixed "(<request-id>) "), from TestInvokeMethod's
`log` field (prefixed "Tue May 30 01:22:45 UTC 2023 : "), from `aws logs` text output
(tab-separated columns) and from a terminal paste (CRLF, ANSI colours, anything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE = 8192  # longer lines are cut: no execution-log line that matters is longer

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ISO_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+")
_TAIL_STREAM = re.compile(r"^[^\s(]+ (?=\()")  # `aws logs tail`: "<ts> <stream> (<id>) …"
# Any id without spaces or parentheses: FilterLogEvents gives UUIDs, but pasted and redacted
# logs carry short ones ("(a1) …", "(***) …") that must still keep a trace together.
_REQ_PREFIX = re.compile(r"^\(([^()\s]{1,80})\)(?:\s|$)")
_TI_PREFIX = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d\d:\d\d:\d\d [A-Z]{2,5} \d{4} : ?")
_TI_HEADER = re.compile(r"^Execution log for request (\S+)")
_START = re.compile(r"^Starting execution for request: (\S+)")


@dataclass(frozen=True)
class ParsedLine:
    text: str  # the message without prefixes
    request_id: str = ""  # from the "(<id>) " prefix or a header line
    test_invoke: bool = False  # had the TestInvokeMethod timestamp prefix / header
    starts_request: bool = False  # "Starting execution…" or "Execution log for request…"
    prefixed: bool = False  # the id came from a "(<id>) " prefix, not from a header line


def clean(raw: str) -> str:
    """Strip terminal escapes and control characters; cut absurdly long lines."""
    text = raw[:MAX_LINE] if len(raw) > MAX_LINE else raw
    if text.isprintable():  # the common case: nothing to strip
        return text.strip()
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    return text.strip()


def _from_text_output(text: str) -> str:
    # `aws logs filter-log-events --output text`: EVENTS <id> <ingest> <stream> <message> <ts>
    if not text.startswith("EVENTS"):
        return text
    fields = text.split("\t")[1:]
    prefixed = [f for f in fields if _REQ_PREFIX.match(f)]
    return prefixed[0] if prefixed else max(fields, key=len, default="")


def parse_line(raw: str) -> ParsedLine:
    text = _from_text_output(clean(raw))
    if text[:1].isdigit():
        text, n = _ISO_TS.subn("", text, count=1)
        if n and not text.startswith("("):
            text = _TAIL_STREAM.sub("", text, count=1)
    request_id = ""
    test_invoke = prefixed = False
    if text.startswith("("):
        m = _REQ_PREFIX.match(text)
        if m:
            request_id = m.group(1)
            prefixed = True
            text = text[m.end() :]
    if " : " in text[:40]:
        m = _TI_PREFIX.match(text)
        if m:
            test_invoke = True
            text = text[m.end() :].strip()
    starts = False
    if text.startswith("Execution log for request"):
        header = _TI_HEADER.match(text)
        if header:
            test_invoke = starts = True
            request_id = request_id or header.group(1).rstrip(":,")
    elif text.startswith("Starting execution"):
        start = _START.match(text)
        if start:
            starts = True
            request_id = request_id or start.group(1)
    return ParsedLine(
        text=text, request_id=request_id, test_invoke=test_invoke, starts_request=starts, prefixed=prefixed
    )
