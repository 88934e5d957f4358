"""The timeline: merged, time-ordered rows with references the UI can jump to."""

from __future__ import annotations

from pathlib import Path

from incident_fixtures import SG, at

from apigw_cockpit.incident import build_timeline, read_journal


def test_rows_are_time_ordered_with_the_change_before_onset(midnight_journal: Path) -> None:
    rows = build_timeline(read_journal(midnight_journal).entries)
    assert [r.at for r in rows] == sorted(r.at for r in rows)
    first_two = [(r.kind, r.at) for r in rows[:2]]
    assert first_two == [("change", at(0, 10)), ("onset", at(0, 12))]
    assert rows[0].title == f"RevokeSecurityGroupIngress on {SG} by alex"
    assert rows[0].evidence_ref == ("change", "e-revoke-0010")


def test_rows_carry_evidence_references(midnight_journal: Path) -> None:
    rows = build_timeline(read_journal(midnight_journal).entries)
    refs = {r.kind: r.evidence_ref for r in rows if r.evidence_ref}
    assert refs["hypothesis"] == ("hypothesis", "sg-blocks-nlb-targets")
    assert refs["verification"] == ("verification", "V1")
    assert refs["screenshot"] == ("screenshot", "screens/midnight-pager-0046.svg")
    assert refs["alarm"] == ("alarm", "orders-prod-5xx")
    checks = [r for r in rows if r.kind == "check" and r.at == at(0, 16)]
    assert ("check", "target-health") in {r.evidence_ref for r in checks}
    assert "Target.FailedHealthChecks" in checks[0].detail


def test_a_failing_check_with_request_ids_points_at_the_trace() -> None:
    entry = {"v": 1, "at": 5.0, "kind": "check", "id": "exec-log-errors", "verdict": "error",
             "summary": "timeouts", "request_ids": ["7f3a-1", "7f3a-2"]}  # fmt: skip
    (row,) = build_timeline([entry])
    assert row.evidence_ref == ("trace", "7f3a-1")


def test_ties_keep_journal_order_and_kinds_filter() -> None:
    entries = [
        {"v": 1, "at": 10.0, "kind": "note", "text": "second\nmore"},
        {"v": 1, "at": 5.0, "kind": "note", "text": "first"},
        {"v": 1, "at": 10.0, "kind": "fix-mark", "text": "revert"},
        {"v": 1, "at": 1.0, "kind": "future-kind"},
    ]
    rows = build_timeline(entries)
    assert [r.title for r in rows] == ["Note: first", "Note: second", "Fix applied: revert"]
    assert rows[1].detail == "second\nmore" and rows[1].evidence_ref == ("note", "0")
    assert [r.kind for r in build_timeline(entries, kinds={"fix-mark"})] == ["fix-mark"]
