"""Reading damaged journals: the rest is used with a warning per bad line, or one-line JournalError."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from apigw_cockpit.incident import JournalError, read_journal

Write = Callable[..., Path]

START = '{"v":1,"at":100.0,"kind":"session-start","api":"a1","stage":"prod","resumed":false}\n'
NOTE = '{"v":1,"at":101.0,"kind":"note","text":"keep me"}\n'


def test_truncated_last_line_is_skipped_with_its_line_number(write_lines: Write) -> None:
    read = read_journal(write_lines(START + NOTE + '{"v":1,"at":102.0,"kind":"no'))
    assert [e["kind"] for e in read.entries] == ["session-start", "note"]
    assert len(read.warnings) == 1 and read.warnings[0].line == 3
    assert "truncated" in str(read.warnings[0]) and str(read.warnings[0]).startswith("line 3:")


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"v":1,"at":"yesterday","kind":"note","text":"x"}', "'at'"),
        ('{"v":1,"at":1.0,"kind":"note","text":42}', "field 'text' should be str"),
        ('{"v":1,"at":1.0,"kind":"check","id":"x","verdict":"ok","summary":"s","evidence":[1]}', "evidence"),
        ('{"v":1,"at":1.0,"kind":"hypothesis","ranked":[{"root_cause":"x"}]}', "confidence"),
        ('{"v":1,"at":1.0,"kind":"impact","peak_5xx_per_min":true}', "peak_5xx_per_min"),
        ('{"v":1,"at":NaN,"kind":"note","text":"x"}', "'at'"),
        ('{"v":2,"at":1.0,"kind":"note","text":"from the future"}', "unsupported version 2"),
        ('{"v":"1","at":1.0,"kind":"note","text":"x"}', "unsupported version"),
        ('{"v":1,"at":1.0,"kind":"teleport"}', "unknown kind 'teleport'"),
        ('["v", 1]', "not a JSON object"),
        ('{"v":1,"at":1.0,"kind":"note","text":"x"', "not valid JSON"),
    ],
)
def test_bad_lines_in_the_middle_are_skipped_and_named(write_lines: Write, line: str, why: str) -> None:
    read = read_journal(write_lines(START + line + "\n" + NOTE))
    assert [e["kind"] for e in read.entries] == ["session-start", "note"]
    assert [w.line for w in read.warnings] == [2]
    assert why in read.warnings[0].message


def test_nul_padding_and_non_utf8_lines_are_skipped(write_lines: Write) -> None:
    read = read_journal(write_lines(START.encode() + b"\xff\xfe garbage\n" + NOTE.encode() + b"\x00" * 64))
    assert [e["kind"] for e in read.entries] == ["session-start", "note"]
    got = [(w.line, w.message.split(",")[0]) for w in read.warnings]
    assert got == [(2, "not UTF-8 text"), (4, "NUL bytes")]


def test_empty_file_is_a_warning_not_an_error(write_lines: Write) -> None:
    read = read_journal(write_lines(""))
    assert read.entries == [] and "empty journal" in str(read.warnings[0])


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"hello world\nthis is a README\n",
        (json.dumps({"level": "info", "msg": "other tool's JSON lines"}) + "\n").encode(),
    ],
    ids=["binary", "png", "text", "other-jsonl"],
)
def test_a_file_that_is_not_a_journal_is_a_one_line_error(write_lines: Write, content: bytes) -> None:
    with pytest.raises(JournalError) as e:
        read_journal(write_lines(content))
    assert "not an apigw-cockpit journal" in str(e.value) and "\n" not in str(e.value)


def test_missing_file_and_directory_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such journal file"):
        read_journal(tmp_path / "absent.jsonl")
    with pytest.raises(JournalError, match="is a directory"):
        read_journal(tmp_path)


def test_a_journal_whose_only_line_was_torn_is_still_a_journal(write_lines: Write) -> None:
    read = read_journal(write_lines('{"v":1,"at":1.0,"kind":"sess'))
    assert read.entries == [] and "truncated" in read.warnings[0].message


def test_deeply_nested_json_does_not_crash_the_reader(write_lines: Write) -> None:
    read = read_journal(write_lines(START + "[" * 100_000 + "\n" + NOTE))
    assert len(read.entries) == 2 and read.warnings[0].line == 2
