"""`apigw-cockpit explain`: classify execution-log and access-log lines read on stdin. Offline.

Access-log lines (JSON or the console's CLF, REST or HTTP API) are one request each and are
classified as they are read (diagnose/access_log.py); execution-log lines are grouped into
requests as below. Both may be mixed on stdin.

Accepts pasted lines (any prefixes), `aws logs filter-log-events` text output, or its JSON
(`{"events": [{"message": ...}, ...]}`, also a bare list of events or of strings).
Exit 0 with per-request verdicts; exit 2 with one line when nothing on stdin is parsable.

Text input is streamed: lines are read one at a time (an over-long line keeps its first
`MAX_LINE_BYTES`, the rest is skipped, so no line is ever split into two), and a request is
classified and printed once its `Method completed with status` line has been read. Memory
holds only requests still open; past `MAX_OPEN_LINES` such lines explain stops reading and
says at which line (exit 2), rather than guess. JSON input (`aws logs … --output json`) is one
document and is read whole, up to `MAX_JSON_INPUT`; beyond that it says so (exit 2).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Protocol, TextIO

from apigw_cockpit import outbound
from apigw_cockpit.diagnose import Classification, classify, group_lines
from apigw_cockpit.diagnose.access_format import AccessFormat, access_format
from apigw_cockpit.diagnose.access_log import classify_access, parse_access_line
from apigw_cockpit.diagnose.lines import MAX_LINE, parse_line
from apigw_cockpit.diagnose.vocabulary import VERDICT_CAUSES
from apigw_cockpit.outbound import err_line

EXIT_OK = 0
EXIT_USAGE = 2
MAX_JSON_INPUT = 256 * 1024 * 1024  # one JSON document is parsed whole; bigger: use text output
MAX_LINE_BYTES = 4 * MAX_LINE  # UTF-8: a MAX_LINE-character line; longer ones keep their head
BATCH_LINES = 20_000  # lines read between classifications of the requests that completed
MAX_OPEN_LINES = 500_000  # lines of requests still open (~ a few hundred MB at worst)
_HEADERS = ("Starting execution", "Execution log for")  # a request without an id begins here
_DONE = re.compile(r"Method completed with status: \d{3}")


class ByteReader(Protocol):
    """What explain reads: `sys.stdin.buffer`, or `_BytesOf` a text stdin."""

    def read(self, n: int = -1, /) -> bytes: ...
    def readline(self, n: int = -1, /) -> bytes: ...


def _messages_from_json(data: object) -> list[str] | None:
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        return None
    out = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("message"), str):
            out.extend(item["message"].splitlines())
        elif isinstance(item, str):
            out.extend(item.splitlines())
    return out


def read_lines(text: str) -> list[str]:
    """stdin text → log lines: JSON from `aws logs` when it parses as such, else text lines."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            messages = _messages_from_json(json.loads(stripped))
        except (ValueError, RecursionError):
            messages = None
        if messages is not None:
            return messages
    lines: list[str] = []
    for line in text.splitlines():
        # `--query 'events[].message' --output text` puts every message on one tab-separated line.
        parts = line.split("\t")
        if len(parts) > 1 and sum(p.startswith("(") for p in parts) > 1:
            lines.extend(parts)
        else:
            lines.append(line)
    return lines


def explain(lines: list[str], fmt: AccessFormat | None = None) -> list[Classification]:
    access: list[Classification] = []
    execution: list[str] = []
    for line in lines:
        record = parse_access_line(line, fmt)
        if record is not None:
            access.append(classify_access(record))
        else:
            execution.append(line)
    results = access + [classify(group) for group in group_lines(execution)]
    # A group we understood nothing of (no pattern, no status) is noise, not a request.
    return [r for r in results if r.evidence or r.status is not None or r.integration_latency_ms is not None]


def _latency(r: Classification) -> str:
    return f"{r.integration_latency_ms:.0f}ms" if r.integration_latency_ms is not None else "-"


def render_text(results: list[Classification], out: TextIO) -> None:
    for r in results:
        rid = (r.request_id or "-")[:36]
        status = str(r.status) if r.status is not None else "-"
        evidence = next((e for e in r.evidence if not e.startswith("Method completed")), "")
        where = f"{r.method} {r.path}".strip()
        out.write(
            f"{rid:<36}  {r.verdict:<24} {status:>3}  {_latency(r):>8}  {where}  {evidence}\n".rstrip() + "\n"
        )
    counts = Counter((r.verdict, r.status) for r in results)
    failed = sum(1 for r in results if r.failed)
    parts = ", ".join(f"{n} {v} ({s if s is not None else '-'})" for (v, s), n in counts.most_common())
    out.write(f"\n{len(results)} requests, {failed} failed: {parts}\n")


def to_json(results: list[Classification]) -> dict[str, object]:
    counts = Counter(r.verdict for r in results)
    return {
        "requests": [_request_json(r) for r in results],
        "summary": {
            "requests": len(results),
            "failed": sum(1 for r in results if r.failed),
            "by_verdict": dict(counts.most_common()),
        },
    }


class InputStopped(Exception):
    """explain stopped reading; `str()` says where and why (one line)."""


def stdin_lines(stream: ByteReader, first: bytes = b"") -> Iterator[str]:
    """Whole lines of `stream` (after `first`), decoded leniently; never a line cut in two."""
    pending = first
    while True:
        raw = stream.readline(MAX_LINE_BYTES)
        if pending:
            raw, pending = pending + raw, b""
        if not raw:
            return
        if not raw.endswith(b"\n"):
            rest = raw
            while len(rest) >= MAX_LINE_BYTES and not rest.endswith(b"\n"):  # skip the over-long tail
                rest = stream.readline(MAX_LINE_BYTES)
            raw = raw[:MAX_LINE_BYTES]
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        yield from _split_tabs(text)


def _split_tabs(line: str) -> list[str]:
    # `--query 'events[].message' --output text` puts every message on one tab-separated line.
    parts = line.split("\t")
    if len(parts) > 1 and sum(p.startswith("(") for p in parts) > 1:
        return parts
    return [line]


class Batcher:
    """Holds lines until their request is complete, then hands the complete ones out."""

    def __init__(self) -> None:
        self.by_id: dict[str, list[str]] = {}
        self.closed: list[str] = []
        self.loose: list[str] = []
        self.held = 0

    def add(self, line: str) -> None:
        self.held += 1
        try:
            parsed = parse_line(line)
        except Exception:  # classify skips what it cannot parse; so do we
            self.held -= 1
            return
        if parsed.request_id and not parsed.test_invoke:
            lines = self.by_id.setdefault(parsed.request_id, [])
            lines.append(line)
            if _DONE.search(parsed.text):
                self.closed.append(parsed.request_id)
            return
        self.loose.append(line)

    def take(self, final: bool) -> list[str]:
        """Lines of every complete request (all lines when `final`), in input order per request."""
        out: list[str] = []
        ids = list(self.by_id) if final else list(dict.fromkeys(self.closed))
        for rid in ids:
            out.extend(self.by_id.pop(rid, []))
        self.closed = []
        if final:
            out.extend(self.loose)
            self.loose = []
        elif self.loose:
            # Loose lines (no request id): cut before the last request header, keep the rest.
            cut = max(
                (
                    i
                    for i, ln in enumerate(self.loose)
                    if "Starting execution" in ln or "Execution log for" in ln
                ),
                default=0,
            )
            out.extend(self.loose[:cut])
            self.loose = self.loose[cut:]
        self.held = sum(len(v) for v in self.by_id.values()) + len(self.loose)
        return out


def classify_stream(lines: Iterator[str], fmt: AccessFormat | None = None) -> Iterator[Classification]:
    """Per-request verdicts as their requests complete; InputStopped when too much is open."""
    batch = Batcher()
    since = 0
    for n, line in enumerate(lines, 1):
        record = parse_access_line(line, fmt)
        if record is not None:  # one access-log line is one whole request
            yield classify_access(record)
            continue
        batch.add(line)
        since += 1
        if since >= BATCH_LINES:
            since = 0
            yield from explain(batch.take(final=False), fmt)
            if batch.held > MAX_OPEN_LINES:
                raise InputStopped(
                    f"stopped at line {n}: more than {MAX_OPEN_LINES} lines of requests without a "
                    "'Method completed with status' line; results above cover the requests before it"
                )
    yield from explain(batch.take(final=True), fmt)


def _results(stream: ByteReader, fmt: AccessFormat | None = None) -> Iterator[Classification]:
    head = stream.read(1)
    while head and head in b" \t\r\n":
        head = stream.read(1)
    if head == b"{":
        # One access-log JSON object per line (NDJSON) is streamed like text; anything else
        # that opens with "{" is one `aws logs … --output json` document.
        head += stream.readline(MAX_LINE_BYTES)
        if (
            head.endswith(b"\n")
            and parse_access_line(head.decode("utf-8", errors="replace"), fmt) is not None
        ):
            first = head.decode("utf-8", errors="replace").rstrip("\r\n")
            yield from classify_stream(itertools.chain([first], stdin_lines(stream)), fmt)
            return
    if head[:1] in (b"{", b"["):
        data = head + stream.read(MAX_JSON_INPUT)
        if len(data) > MAX_JSON_INPUT:
            raise InputStopped(
                f"stopped after {MAX_JSON_INPUT // (1024 * 1024)} MiB of JSON on stdin: pipe "
                "`aws logs filter-log-events --output text` instead (it is streamed)"
            )
        yield from explain(read_lines(data.decode("utf-8", errors="replace")), fmt)
        return
    yield from classify_stream(stdin_lines(stream, head), fmt)


def _text_row(r: Classification) -> str:
    rid = (r.request_id or "-")[:36]
    status = str(r.status) if r.status is not None else "-"
    evidence = next((e for e in r.evidence if not e.startswith("Method completed")), "")
    where = f"{r.method} {r.path}".strip()
    return f"{rid:<36}  {r.verdict:<24} {status:>3}  {_latency(r):>8}  {where}  {evidence}".rstrip() + "\n"


def _request_json(r: Classification) -> dict[str, object]:
    return {
        "request_id": r.request_id,
        "verdict": r.verdict,
        "status": r.status,
        "integration_latency_ms": r.integration_latency_ms,
        "method": r.method,
        "path": r.path,
        "evidence": list(r.evidence),
        "suggests": list(VERDICT_CAUSES.get(r.verdict, ())),
    }


def run(args: argparse.Namespace) -> int:
    if sys.stdin is None:
        err_line("apigw-cockpit explain: no stdin")
        return EXIT_USAGE
    if sys.stdin.isatty():
        err_line("paste execution-log or access-log lines, then Ctrl-D")
    stream: ByteReader = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else _BytesOf(sys.stdin)
    as_json = bool(getattr(args, "json", False))
    fmt: AccessFormat | None = None
    if getattr(args, "access_format", None) is not None:
        fmt = access_format(str(args.access_format))
        if fmt is None:
            err_line("apigw-cockpit explain: --access-format names no $context variable")
            return EXIT_USAGE
    # The output boundary: pasted lines carry tokens and terminal escapes verbatim.
    out: TextIO | outbound.SafeWriter = sys.stdout if as_json else outbound.SafeWriter(sys.stdout)
    counts: Counter[tuple[str, int | None]] = Counter()
    verdicts: Counter[str] = Counter()
    total = failed = 0
    stopped = ""
    try:
        for r in _results(stream, fmt):
            # Output streams too: rows (or JSON array items) as requests complete. A broken pipe
            # or a full disk propagates to cli.main, which ends quietly / in one line.
            if as_json:
                out.write('{\n  "requests": [\n' if total == 0 else ",\n")
                out.write(_indent(outbound.dumps(_request_json(r), indent=2), 4))
            else:
                out.write(_text_row(r))
            total += 1
            failed += r.failed
            counts[(r.verdict, r.status)] += 1
            verdicts[r.verdict] += 1
    except InputStopped as exc:
        stopped = str(exc)
    if not total:
        nothing = "no execution-log lines found on stdin (nor access-log lines)"
        err_line(f"apigw-cockpit explain: {stopped or nothing}")
        return EXIT_USAGE
    if as_json:
        summary = {"requests": total, "failed": failed, "by_verdict": dict(verdicts.most_common())}
        out.write('\n  ],\n  "summary": ' + _indent(outbound.dumps(summary, indent=2), 2).lstrip() + "\n}\n")
    else:
        parts = ", ".join(f"{n} {v} ({s if s is not None else '-'})" for (v, s), n in counts.most_common())
        out.write(f"\n{total} requests, {failed} failed: {parts}\n")
    out.flush()
    if stopped:
        err_line(f"apigw-cockpit explain: {stopped}")
        return EXIT_USAGE
    return EXIT_OK


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line for line in text.splitlines())


class _BytesOf:
    """A text stdin (tests replace sys.stdin with StringIO) seen as bytes."""

    def __init__(self, text: TextIO) -> None:
        import io

        self._b = io.BytesIO(text.read().encode("utf-8", errors="replace"))

    def read(self, n: int = -1) -> bytes:
        return self._b.read(n)

    def readline(self, n: int = -1) -> bytes:
        return self._b.readline(n)
