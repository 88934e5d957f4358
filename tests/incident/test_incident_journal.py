"""The journal writer: durability, dedupe, resume, redaction, thread safety, paths."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest
from incident_fixtures import API, SG, at

from apigw_cockpit.incident import (
    Journal,
    JournalError,
    incidents_dir,
    journal_path,
    latest_journal,
    read_journal,
)
from apigw_cockpit.model import Alarm, Change, Finding, FrozenClock, Hypothesis, Verdict


def _lines(p: Path) -> list[dict]:
    return [json.loads(line) for line in p.read_text().splitlines()]


def _change(eid: str, when: float = 0.0) -> Change:
    return Change(eid, when or at(0, 10), "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex", (SG,))


def test_each_append_is_one_fsynced_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    p = tmp_path / "j.jsonl"
    j = Journal.open(p, api=API, stage="prod", clock=FrozenClock(at(0, 15)))
    before = len(synced)
    assert j.append("note", at(0, 16), text="paged")
    # On disk (and fsynced) before append returned: another reader sees it now.
    assert len(synced) == before + 1
    entries = _lines(p)
    assert [e["kind"] for e in entries] == ["session-start", "note"]
    assert entries[1] == {"v": 1, "at": at(0, 16), "kind": "note", "text": "paged"}
    assert list(entries[1])[:3] == ["v", "at", "kind"]
    j.close()


def test_file_is_opened_append_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flags: list[int] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, fl, *a: (flags.append(fl), real_open(path, fl, *a))[1])
    Journal.open(tmp_path / "j.jsonl", api=API, stage="prod").close()
    assert flags and flags[0] & os.O_APPEND
    assert (tmp_path / "j.jsonl").stat().st_mode & 0o077 == 0


def test_reobserved_facts_are_written_once(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    j = Journal.open(p, api=API, stage="prod", clock=FrozenClock(at(0, 15)))
    assert j.note_changes([_change("e1"), _change("e2")]) == 2
    assert j.note_changes([_change("e1"), _change("e2"), _change("e3")]) == 1
    err = Finding("target-health", "t", Verdict.ERROR, "0/4 healthy")
    assert j.note_findings([err]) == 1
    assert j.note_findings([err]) == 0  # the same result again
    # Same verdict, new numbers: written, so the record is not frozen at the first run.
    assert j.note_findings([Finding("target-health", "t", Verdict.ERROR, "1/4 healthy")]) == 1
    assert j.note_findings([Finding("target-health", "t", Verdict.OK, "4/4 healthy")]) == 1
    assert j.note_findings([err]) == 1  # flapped back: a new fact
    hyp = [Hypothesis("sg-blocks-nlb-targets", 0.9, ("x",)), Hypothesis("none", 0.1)]
    assert j.note_hypotheses(hyp) and not j.note_hypotheses(hyp)
    assert j.note_hypotheses([Hypothesis("sg-blocks-nlb-targets", 0.95, ("x",))])
    assert j.note_hypotheses([Hypothesis("sg-blocks-nlb-targets", 0.95, ("y",))])  # new evidence
    alarm = Alarm("5xx", "ALARM")
    assert j.note_alarms([alarm, alarm]) == 1
    steps = [{"id": "V1", "status": "pass"}]
    assert j.note_verification(steps) and not j.note_verification(steps)
    assert j.note_verification([{"id": "V1", "status": "fail"}])
    # Notes are the user's words: never deduplicated.
    assert j.note("same") and j.note("same")
    j.close()
    kinds = [e["kind"] for e in _lines(p)]
    assert kinds.count("change") == 3 and kinds.count("check") == 4 and kinds.count("note") == 2
    assert kinds.count("hypothesis") == 3 and kinds.count("alarm") == 1 and kinds.count("verification") == 2


def test_change_is_journaled_at_its_event_time(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    with Journal.open(p, api=API, stage="prod", clock=FrozenClock(at(0, 30))) as j:
        j.note_changes([_change("e1", at(0, 10))])
    change = next(e for e in _lines(p) if e["kind"] == "change")
    assert change["at"] == at(0, 10) and change["resources"] == [SG] and change["user"] == "alex"


def test_reopening_continues_the_incident_with_dedupe_state(tmp_path: Path) -> None:
    clock = FrozenClock(at(0, 15))
    j = Journal.open(api=API, stage="prod", state_dir=tmp_path, clock=clock)
    assert j.path == tmp_path / f"{API}-prod-2026-11-26.jsonl" and not j.resumed
    j.note_changes([_change("e1")])
    j.note_findings([Finding("target-health", "t", Verdict.ERROR, "0/4")])
    j.note("before the SSH session dropped")
    j.close("SIGHUP")
    clock.advance(600)
    j2 = Journal.open((API, "prod", tmp_path, None), clock=clock)
    assert j2.path == j.path and j2.resumed
    assert j2.note_changes([_change("e1")]) == 0
    assert j2.note_findings([Finding("target-health", "t", Verdict.ERROR, "0/4")]) == 0
    j2.close()
    entries = _lines(j.path)
    starts = [e for e in entries if e["kind"] == "session-start"]
    assert [s["resumed"] for s in starts] == [False, True]
    assert starts[1]["api"] == API
    assert [e["text"] for e in entries if e["kind"] == "note"] == ["before the SSH session dropped"]


def test_a_torn_last_line_is_sealed_before_the_next_entry(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    Journal.open(p, api=API, stage="prod").close()
    with p.open("ab") as f:
        f.write(b'{"v":1,"at":1.0,"kind":"note","te')  # died mid-write
    j = Journal.open(p, api=API, stage="prod")
    j.note("after restart")
    j.close()
    read = read_journal(p)
    assert [w.line for w in read.warnings] == [3]
    assert [e["text"] for e in read.entries if e["kind"] == "note"] == ["after restart"]


def test_secrets_are_redacted_on_write_but_the_note_survives(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    with Journal.open(p, api=API, stage="prod") as j:
        j.note("tried curl -H 'Authorization: Bearer abc.def.ghi' — still 502, keep going")
        j.append(
            "check",
            None,
            id="exec-log-errors",
            verdict="error",
            summary="x",
            evidence=["Method request headers: {x-api-key=k3y, Cookie=sid=42; t=1, Host=h}"],
        )
    raw = p.read_text()
    for secret in ("abc.def.ghi", "k3y", "sid=42"):
        assert secret not in raw
    note = next(e for e in _lines(p) if e["kind"] == "note")
    assert note["text"].startswith("tried curl -H 'Authorization: Bearer [REDACTED]' — still")
    assert note["text"].endswith("— still 502, keep going")


def test_invalid_entries_are_refused_not_written(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    j = Journal.open(p, api=API, stage="prod")
    size = p.stat().st_size
    with pytest.raises(ValueError, match="missing field 'text'"):
        j.append("note", None)
    with pytest.raises(ValueError, match="unknown kind"):
        j.append("bogus", None)
    with pytest.raises(ValueError, match="may not set"):
        j.append("note", None, text="x", v=2)
    assert p.stat().st_size == size
    j.close()
    with pytest.raises(ValueError, match="closed"):
        j.note("late")
    j.close()  # idempotent


def test_never_appends_to_a_file_that_is_not_a_journal(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("my shopping list\n")
    with pytest.raises(JournalError, match="not an apigw-cockpit journal"):
        Journal.open(p, api=API, stage="prod")
    assert p.read_text() == "my shopping list\n"


def test_concurrent_appends_from_threads_stay_whole_lines(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    j = Journal.open(p, api=API, stage="prod")
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        start.wait(timeout=10)
        for i in range(50):
            j.note(f"worker {n} line {i} " + "x" * 500)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    j.close()
    read = read_journal(p)
    assert read.warnings == []
    assert sum(e["kind"] == "note" for e in read.entries) == 200


def test_paths_follow_xdg_state_home(tmp_path: Path) -> None:
    assert incidents_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "apigw-cockpit" / "incidents"
    assert incidents_dir({"XDG_STATE_HOME": "relative"}).parts[-4:] == (
        ".local",
        "state",
        "apigw-cockpit",
        "incidents",
    )
    assert journal_path("a/b", "prod", dt.date(2026, 1, 2), tmp_path).name == "a_b-prod-2026-01-02.jsonl"


def test_latest_journal_prefers_newest_date_and_filters_by_api_stage(tmp_path: Path) -> None:
    for name in (
        "api1-prod-2026-11-25.jsonl",
        "api1-prod-2026-11-26.jsonl",
        "api1-dev-2026-11-27.jsonl",
        "api2-prod-2026-11-28.jsonl",
        "unrelated.txt",
    ):
        (tmp_path / name).write_text("")
    assert latest_journal(tmp_path).name == "api2-prod-2026-11-28.jsonl"
    assert latest_journal(tmp_path, "api1", "prod").name == "api1-prod-2026-11-26.jsonl"
    assert latest_journal(tmp_path, "api1").name == "api1-dev-2026-11-27.jsonl"
    assert latest_journal(tmp_path, "nope", "prod") is None
    assert latest_journal(tmp_path / "missing") is None


def test_note_diagnosis_journals_only_what_changed(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from apigw_cockpit.diagnose.verification import VerifyStep

    p = tmp_path / "j.jsonl"
    j = Journal.open(p, api=API, stage="prod", clock=FrozenClock(at(0, 20)))
    pending = [VerifyStep("V1", "Invoke URL returns 200", "pending", ("not run",))]
    d = SimpleNamespace(
        findings=(Finding("target-health", "t", Verdict.ERROR, "0/4 healthy"),),
        hypotheses=(Hypothesis("sg-blocks-nlb-targets", 0.9, ("0/4 healthy",)),),
        verification=tuple(pending),
    )
    assert j.note_diagnosis(d) == 2  # a check and a hypothesis; all-pending verification is noise
    assert j.note_diagnosis(d) == 0
    done = (VerifyStep("V1", "Invoke URL returns 200", "pass", ("GET /orders → 200", "< HTTP/1.1 200")),)
    assert j.note_diagnosis(SimpleNamespace(**{**vars(d), "verification": done}), at(0, 46)) == 1
    j.close()
    ver = next(e for e in _lines(p) if e["kind"] == "verification")
    assert ver["at"] == at(0, 46)
    assert ver["steps"] == [{"id": "V1", "status": "pass", "summary": "GET /orders → 200",
                             "evidence": ["GET /orders → 200", "< HTTP/1.1 200"],
                             "title": "Invoke URL returns 200"}]  # fmt: skip
