"""`apigw-cockpit explain`: classify execution-log lines read on stdin. Fully offline.

Accepts pasted lines (any prefixes), `aws logs filter-log-events` text output, or its JSON
(`{"events": [{"message": ...}, ...]}`, also a bare list of events or of strings).
Exit 0 with per-request verdicts; exit 2 with one line when nothing on stdin is parsable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from typing import Any, TextIO

from apigw_cockpit import outbound
from apigw_cockpit.diagnose import Classification, classify, group_lines
from apigw_cockpit.diagnose.vocabulary import VERDICT_CAUSES

EXIT_OK = 0
EXIT_USAGE = 2
MAX_INPUT = 64 * 1024 * 1024  # bytes read from stdin at most


def _messages_from_json(data: Any) -> list[str] | None:
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


def explain(lines: list[str]) -> list[Classification]:
    results = [classify(group) for group in group_lines(lines)]
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


def to_json(results: list[Classification]) -> dict[str, Any]:
    counts = Counter(r.verdict for r in results)
    return {
        "requests": [
            {
                "request_id": r.request_id,
                "verdict": r.verdict,
                "status": r.status,
                "integration_latency_ms": r.integration_latency_ms,
                "method": r.method,
                "path": r.path,
                "evidence": list(r.evidence),
                "suggests": list(VERDICT_CAUSES.get(r.verdict, ())),
            }
            for r in results
        ],
        "summary": {
            "requests": len(results),
            "failed": sum(1 for r in results if r.failed),
            "by_verdict": dict(counts.most_common()),
        },
    }


def run(args: argparse.Namespace) -> int:
    if sys.stdin is None:
        print("apigw-cockpit explain: no stdin", file=sys.stderr)
        return EXIT_USAGE
    if sys.stdin.isatty():
        print("paste execution-log lines, then Ctrl-D", file=sys.stderr)
    raw = sys.stdin.buffer.read(MAX_INPUT) if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    results = explain(read_lines(raw.decode("utf-8", errors="replace")))
    if not results:
        print("apigw-cockpit explain: no execution-log lines found on stdin", file=sys.stderr)
        return EXIT_USAGE
    try:
        # The output boundary: pasted lines carry tokens and terminal escapes verbatim.
        if getattr(args, "json", False):
            sys.stdout.write(outbound.dumps(to_json(results), indent=2) + "\n")
            sys.stdout.flush()
        else:
            out = outbound.SafeWriter(sys.stdout)
            render_text(results, out)  # type: ignore[arg-type]
            out.flush()
    except BrokenPipeError:  # `explain | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK
