"""`apigw-cockpit report` as a user runs it: damaged input warns, or is one line and exit 2; no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from incident_fixtures import API, write_midnight_pager

CLI = str(Path(sys.executable).with_name("apigw-cockpit"))
START = '{"v":1,"at":100.0,"kind":"session-start","api":"a1","stage":"prod","resumed":false}\n'


def _run(*args: str, state: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    env["XDG_STATE_HOME"] = str(state) if state else "/nonexistent-apigw-cockpit-state"
    return subprocess.run(
        [CLI, "report", *args], capture_output=True, text=True, env=env, timeout=60, cwd=cwd
    )


def _one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        (START + '{"v":1,"at":101.0,"kind":"note","te', "line 2: truncated entry"),
        (START + '{"v":1,"at":"noon","kind":"note","text":"x"}\n', "line 2: field 'at'"),
        (START + '{"v":7,"at":1.0,"kind":"note","text":"x"}\n', "line 2: unsupported version 7"),
        (START + "\x00\x00\x00\n", "line 2: NUL bytes"),
    ],
    ids=["truncated-last-line", "wrong-types", "unknown-version", "nul-padding"],
)
def test_damaged_journal_warns_and_reports_the_rest(tmp_path: Path, content: str, warning: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    p = _run("--journal", str(bad))
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert warning in p.stderr and str(bad) in p.stderr
    assert p.stdout.startswith("# API Gateway 5XX on a1 prod")
    assert warning in p.stdout  # listed in the report's footer too


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "not an apigw-cockpit journal"),
        (b"", "no usable entries"),
        (b'{"v":1,"at":1.0,"kind":"no', "no usable entries"),
    ],
    ids=["binary-garbage", "empty-file", "only-a-torn-line"],
)
def test_unusable_journal_is_one_line_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    assert message in _one_line_error(_run("--journal", str(bad)))


def test_missing_journal_and_empty_state_dir_are_one_line_errors(tmp_path: Path) -> None:
    assert "no such journal file" in _one_line_error(_run("--journal", str(tmp_path / "nope.jsonl")))
    assert "no incident journal found" in _one_line_error(_run(state=tmp_path))
    assert "is a directory" in _one_line_error(_run("--journal", str(tmp_path)))


def test_finds_newest_journal_for_api_stage_and_writes_json(tmp_path: Path) -> None:
    incidents = tmp_path / "apigw-cockpit" / "incidents"
    incidents.mkdir(parents=True)
    write_midnight_pager(incidents / f"{API}-prod-2026-11-26.jsonl")
    other = incidents / "zz9-prod-2026-11-27.jsonl"
    other.write_text(START)
    out = tmp_path / "report.json"
    p = _run("--api-id", API, "--stage", "prod", "--format", "json", "--out", str(out), state=tmp_path)
    assert p.returncode == 0, p.stderr
    data = json.loads(out.read_text())
    assert data["root_cause"]["id"] == "sg-blocks-nlb-targets" and data["source"].endswith("2026-11-26.jsonl")
    # Without --api-id: the newest journal overall.
    p = _run("--format", "json", state=tmp_path)
    assert json.loads(p.stdout)["api"] == "a1"


def test_markdown_out_file_links_screenshots_relative_to_it(tmp_path: Path) -> None:
    journal = write_midnight_pager(tmp_path / "j.jsonl")
    out_dir = tmp_path / "postmortems"
    out_dir.mkdir()
    p = _run("--journal", str(journal), "--out", str(out_dir / "pm.md"), cwd=tmp_path)
    assert p.returncode == 0 and p.stdout == ""
    md = (out_dir / "pm.md").read_text()
    assert "## Root cause" in md and "](screens/midnight-pager-0046.svg)" in md
    assert [f.name for f in out_dir.iterdir()] == ["pm.md"]  # no temp file left behind


def test_unwritable_out_is_one_line_error(tmp_path: Path) -> None:
    journal = write_midnight_pager(tmp_path / "j.jsonl")
    line = _one_line_error(_run("--journal", str(journal), "--out", str(tmp_path / "no" / "dir" / "pm.md")))
    assert "cannot write" in line
