"""Demo journals live apart and a headless demo writes one whose numbers are the incident's.

Issue 12: drills wrote into the journal a real incident on that API id would use and resumed
each other (9 × "session resumed" in one report); `demo --headless --journal J` wrote nothing;
and the record kept the first check run while 73–80 % of requests failed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigw_cockpit.cli import main
from apigw_cockpit.commands.demo import demo_journal
from apigw_cockpit.incident import latest_journal, read_journal
from apigw_cockpit.incident.paths import incidents_dir

HEADLESS_S = 420


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return incidents_dir()


def test_demo_runs_journal_apart_and_never_resume_each_other(state: Path) -> None:
    first = demo_journal(None, "midnight-pager")
    first.parent.mkdir(parents=True)
    first.write_text("")  # that run's file exists now
    second = demo_journal(None, "midnight-pager")
    assert first.parent == second.parent == state / "demo"
    assert first != second and first.name.startswith("midnight-pager-")
    # The real incidents' lookup (what `report` uses without --journal) never picks a demo run.
    assert latest_journal(state) is None and latest_journal(state, "a1b2c3d4e5", "prod") is None
    assert demo_journal(str(state / "mine.jsonl"), "midnight-pager") == state / "mine.jsonl"


@pytest.mark.sim
def test_headless_demo_writes_a_journal_whose_report_has_the_window_numbers(
    state: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "drill.jsonl"
    assert main(["demo", "--headless", str(HEADLESS_S), "--journal", str(journal)]) == 0
    doc = json.loads(capsys.readouterr().out)
    entries = read_journal(journal).entries
    kinds = [e["kind"] for e in entries]
    assert kinds[0] == "session-start" and entries[0]["scenario"] == "midnight-pager"
    assert not entries[0]["resumed"] and {"onset", "check", "hypothesis", "impact"} <= set(kinds)
    assert not list(state.glob("*.jsonl"))  # nothing in the path a real incident would use

    assert main(["report", "--journal", str(journal), "--format", "json"]) == 0
    impact = json.loads(capsys.readouterr().out)["impact"]
    window = doc["diagnosis"]["window"]
    # The report states the engine's window totals, not the first sample.
    assert impact["requests"] == window["requests"] and impact["requests_failed"] == window["errors_5xx"]
    assert impact["failing_traces"] == window["failing_traces"] > 100
    assert impact["window"]["start"] == doc["diagnosis"]["onset"]["at"] and impact["window"]["ongoing"]
    # ... and those are the world's own numbers: its metric store over the run says the same rate.
    world = doc["summary"]["requests"]
    assert abs(impact["error_rate"] - world["5xx"] / world["count"]) < 0.05
    assert impact["error_rate"] > 0.7 and impact["peak_5xx_per_min"] >= window["mean_5xx_per_min"]


def test_fix_at_outside_the_run_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--headless", "60", "--fix-at", "120"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--fix-at" in err[0]


@pytest.mark.sim
def test_a_headless_drill_with_its_fix_gives_a_full_postmortem(
    state: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "drill.jsonl"
    assert main(["demo", "--headless", "900", "--fix-at", "300", "--journal", str(journal)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["diagnosis"]["state"] == "recovered"
    assert main(["report", "--journal", str(journal), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    impact = report["impact"]
    # The window closed at the recovery, and its totals are the incident's (onset → recovery).
    assert impact["recovered_at"] is not None and impact["window"]["ongoing"] is False
    assert impact["window"]["end"] == impact["recovered_at"] == doc["diagnosis"]["window"]["end"]
    assert impact["error_rate"] > 0.7
    assert impact["requests_failed"] == doc["diagnosis"]["window"]["errors_5xx"]
    # The fix's own CloudTrail events (the scenario's fix re-authorizes and revokes rules) are in it.
    marks, change = report["fix"]["marks"], report["fix"]["change"]
    assert marks and change is not None and change["at"] == marks[0]["at"]
    assert change["event_name"] in ("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress")
    steps = {s["id"]: s["status"] for s in report["verification"]["steps"]}
    assert steps["V2"] == "pass" and steps["V3"] == "pass"
    md_rc = main(["report", "--journal", str(journal)])
    md = capsys.readouterr().out
    assert md_rc == 0 and "(onset → recovery)" in md and "0 of 0" not in md
