"""The postmortem: golden Markdown for the midnight-pager drill, JSON shape, lessons, edge cases."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from incident_fixtures import SG, at

from apigw_cockpit.incident import build_report, lessons, read_journal, render_json, render_markdown
from apigw_cockpit.model.vocabulary import ROOT_CAUSES

GOLDEN = Path(__file__).parent / "golden" / "midnight-pager.md"


def _markdown(journal: Path) -> str:
    read = read_journal(journal)
    # Normalised: a fixed source name and no generation time, so the golden file is stable.
    return render_markdown(build_report(read.entries, source="midnight-pager.jsonl"))


def _section(md: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    assert m, f"no section {heading!r}"
    return m.group(1)


def test_midnight_pager_report_matches_golden(midnight_journal: Path) -> None:
    md = _markdown(midnight_journal)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(md)
    assert md == GOLDEN.read_text(), "report changed; review and rerun with UPDATE_GOLDEN=1"


def test_midnight_pager_report_tells_the_story(midnight_journal: Path) -> None:
    md = _markdown(midnight_journal)
    assert md.startswith("# API Gateway 5XX on a1b2c3d4e5 prod, 2026-11-26\n")
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings[:6] == ["Impact", "Timeline", "Root cause", "The fix", "Verification", "The lesson"]
    timeline = _section(md, "Timeline")
    sg_change = timeline.index("**00:10** RevokeSecurityGroupIngress")
    assert sg_change < timeline.index("**00:12** Incident onset") < timeline.index("**00:40** Fix applied")
    assert timeline.index("**00:40** Fix applied") < timeline.index("**00:45** Recovered")
    assert "2 min before onset" in timeline
    root = _section(md, "Root cause")
    assert "`sg-blocks-nlb-targets` (confidence 90%)" in root and "0/4 healthy" in root
    assert "pinned near the 29 s timeout" in root and "Target.FailedHealthChecks" in root
    assert "exec-log-errors" not in root  # not among the hypothesis's checks
    fix = _section(md, "The fix")
    assert "AuthorizeSecurityGroupIngress" in fix and "`e-authorize-0040`" in fix
    assert "fix marked by alex" in fix
    ver = _section(md, "Verification")
    assert ver.count("✅ pass") == 6 and "| V6 |" in ver
    assert "UnHealthyHostCount" in _section(md, "The lesson")
    assert "![Cockpit after the fix](screens/midnight-pager-0046.svg)" in md
    impact = _section(md, "Impact")
    assert "| Duration | 33 min |" in impact and "| Peak 5XX | 150 per minute |" in impact


def test_secrets_never_reach_the_report(midnight_journal: Path) -> None:
    read = read_journal(midnight_journal)
    entries = [*read.entries, {"v": 1, "at": at(0, 30), "kind": "note", "text": "token Bearer s3cr3tT0ken"}]
    report = build_report(entries)
    for text in (render_markdown(report), render_json(report)):
        assert "s3cr3tT0ken" not in text and "secretpart" not in text


def test_json_report_is_stable_and_complete(midnight_journal: Path) -> None:
    read = read_journal(midnight_journal)
    data = json.loads(render_json(build_report(read.entries, source="j.jsonl", generated_at=at(1, 0))))
    assert data["schema"] == "apigw-cockpit.report/1"
    assert list(data) == ["schema", "title", "api", "stage", "date", "source", "generated_at", "impact",
                          "timeline", "root_cause", "fix", "verification", "lesson", "notes", "screenshots",
                          "warnings"]  # fmt: skip
    assert data["impact"]["duration_s"] == 33 * 60 and data["impact"]["onset_iso"] == "2026-11-26T00:12:00Z"
    assert data["root_cause"]["id"] == "sg-blocks-nlb-targets"
    assert data["root_cause"]["correlated_change"]["resources"] == [SG]
    assert [f["check_id"] for f in data["root_cause"]["findings"]] == ["target-health", "security-groups",
                                                                        "latency-shape"]  # fmt: skip
    assert data["fix"]["change"]["event_name"] == "AuthorizeSecurityGroupIngress"
    assert [s["status"] for s in data["verification"]["steps"]] == ["pass"] * 6
    assert data["timeline"][0]["evidence_ref"] == ["change", "e-revoke-0010"]
    # Deterministic: the same journal gives byte-identical JSON.
    again = render_json(build_report(read.entries, source="j.jsonl", generated_at=at(1, 0)))
    assert json.loads(again) == data


@pytest.mark.parametrize("root_cause", ROOT_CAUSES)
def test_every_root_cause_has_a_concrete_lesson(root_cause: str) -> None:
    lesson = lessons()[root_cause]
    assert lesson.summary and lesson.guards and all(len(g) > 20 for g in lesson.guards)
    assert all(d.startswith("https://docs.aws.amazon.com/") for d in lesson.docs)


def test_lesson_table_has_no_unknown_ids() -> None:
    assert set(lessons()) == set(ROOT_CAUSES)


def test_a_journal_with_only_a_session_still_reports_honestly() -> None:
    entries = [{"v": 1, "at": at(3, 0), "kind": "session-start", "api": "x", "stage": "s", "resumed": False}]
    md = render_markdown(build_report(entries))
    assert "Not identified" in md and "No fix was recorded" in md and "No verification was run" in md
    assert "| Onset | — |" in md


def test_missing_verification_steps_show_as_not_run_and_failures_fail() -> None:
    entries = [
        {"v": 1, "at": 1.0, "kind": "verification",
         "steps": [{"id": "V1", "status": "pass"}, {"id": "V2", "status": "fail", "summary": "5XX 3 | 4"}]},
    ]  # fmt: skip
    md = render_markdown(build_report(entries))
    assert "| V2 | 5XXError is zero for consecutive periods after the fix | ❌ fail | 5XX 3 \\| 4 |" in md
    assert md.count("— not run") == 4


def test_incident_across_midnight_shows_dates_in_times() -> None:
    entries = [
        {"v": 1, "at": at(-1, 50), "kind": "onset"},
        {"v": 1, "at": at(0, 20), "kind": "recovery"},
    ]
    md = render_markdown(build_report(entries))
    assert "**11-25 23:50** Incident onset" in md and "| Duration | 30 min |" in md


def test_screenshot_links_are_relative_to_the_output_and_quoted(tmp_path: Path) -> None:
    shot = tmp_path / "shots" / "after fix (1).svg"
    entries = [{"v": 1, "at": 1.0, "kind": "screenshot", "path": str(shot), "caption": "after [fix]"}]
    md = render_markdown(build_report(entries), link_base=tmp_path)
    assert "![after \\[fix\\]](shots/after%20fix%20%281%29.svg)" in md


def test_title_names_the_api_when_the_session_knows_it() -> None:
    entries = [{"v": 1, "at": at(0, 15), "kind": "session-start", "api": "a1b2c3d4e5", "stage": "prod",
                "api_name": "orders-api", "region": "us-east-1"}]  # fmt: skip
    assert build_report(entries).title == "API Gateway 5XX on orders-api (a1b2c3d4e5) prod, 2026-11-26"
