"""Property: any note text round-trips through the journal and cannot change the report's structure."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incident_fixtures import write_midnight_pager

from apigw_cockpit.incident import Journal, build_report, read_journal, redact, render_markdown
from apigw_cockpit.incident.markdown import clean

NASTY = [
    "```", "````", "~~~", "`", "# ", "## Root cause", "\n", "\r", "\r\n", "\n---\n", "\n===\n", "|", " | x |",
    "<script>alert(1)</script>", "<!--", "[x](javascript:alert(1))", "![i](http://x/y.png)", "$$", "*", "_",
    "\x1b[31m", "\x1b]0;title\x07", "\x00", "\x7f", "\u202e", "\u2028", "\x85", "    ", "> ", "1. ",
    "- ", "\\", "&amp;", "&#0;", "{{", ":::",
]  # fmt: skip
note_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(NASTY)), max_size=12).map("".join)

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})([^`]*)$")
_ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+|\*+|_+)\s*$")


def _structure(md: str) -> tuple[list[str], list[str]]:
    """Block structure outside code fences (headings verbatim), and each fence's content."""
    shape: list[str] = []
    blocks: list[str] = []
    fence: str | None = None
    body: list[str] = []
    for line in md.split("\n"):
        if fence is not None:
            stripped = line.strip()
            if (
                stripped
                and set(stripped) == {fence[0]}
                and len(stripped) >= len(fence)
                and not line.startswith("    ")
            ):
                blocks.append("\n".join(body))
                fence, body = None, []
                shape.append("fence-close")
            else:
                body.append(line)
            continue
        m = _FENCE_OPEN.match(line)
        if m:
            fence = m.group(1)
            shape.append("fence-open")
        elif _ATX.match(line):
            shape.append(line)
        elif _UNDERLINE.match(line):
            shape.append("rule")
        elif line.startswith("|"):
            shape.append("table")
        elif line.startswith("- "):
            shape.append("bullet")
        elif not line.strip():
            shape.append("blank")
        else:
            shape.append("text")
    assert fence is None, "a fence was left open"
    return shape, blocks


def _midnight_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as d:
        return write_midnight_pager(Path(d) / "j.jsonl").read_bytes()


MIDNIGHT = _midnight_bytes()  # written once; each example appends its note to a copy


def _report_with_note(text: str) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "j.jsonl"
        path.write_bytes(MIDNIGHT)
        with Journal.open(path, api="a1b2c3d4e5", stage="prod") as j:
            j.note(text, 1_795_653_000.0)  # 2026-11-26 00:30 UTC
        read = read_journal(path)
        assert read.warnings == []
        notes = [e["text"] for e in read.entries if e["kind"] == "note"]
        return notes[-1], render_markdown(build_report(read.entries, source="j.jsonl"))


BASELINE = _structure(_report_with_note("plain note")[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note_text)
def test_note_round_trips_and_cannot_break_the_markdown(text: str) -> None:
    stored, md = _report_with_note(text)
    assert stored == redact(text)  # verbatim, except a secret would be masked
    shape, blocks = _structure(md)
    assert shape == BASELINE[0]
    assert clean(stored).rstrip("\n") in blocks
