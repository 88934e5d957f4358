"""Run the real commands in-process and collect what they print or write."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from apigw_cockpit.cli import main


@contextlib.contextmanager
def _stdio(stdin: bytes) -> Iterator[io.StringIO]:
    out = io.StringIO()
    saved = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = out
    try:
        yield out
    finally:
        sys.stdin, sys.stdout = saved


@contextlib.contextmanager
def capture() -> Iterator[io.StringIO]:
    with _stdio(b"") as out:
        yield out


def run_cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str]:
    """`apigw-cockpit ARGV` through cli.main, stdout captured (stdin given)."""
    with _stdio(stdin) as out:
        code = main(argv)
    return code, out.getvalue()


def report_outputs(journal: Path) -> dict[str, str]:
    """The journal file as written, and the report from it as Markdown and JSON."""
    outputs = {"journal file": journal.read_text(encoding="utf-8")}
    for fmt in ("md", "json"):
        code, text = run_cli(["report", "--journal", str(journal), "--format", fmt])
        assert code == 0, f"report --format {fmt} exited {code}"
        outputs[f"report {fmt}"] = text
    return outputs
