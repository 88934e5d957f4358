"""The postmortem as data: journal entries -> `Report` (rendered by render_md / render_json).

Shaped like the seed's "Midnight Pager" story: impact, Timeline, Root cause, The fix,
Verification, The lesson. Pure: no I/O, no clock; the caller passes `generated_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.incident.entries import Entry
from apigw_cockpit.incident.lessons import Lesson, lesson_for
from apigw_cockpit.incident.timeline import TimelineRow, build_timeline

VERIFICATION_STEPS: dict[str, str] = {
    "V1": "Invoke URL returns the expected status",
    "V2": "5XXError is zero for consecutive periods after the fix",
    "V3": "Execution logs show success and no 'Execution failed' since the fix",
    "V4": "The method completes with the expected status",
    "V5": "TestInvokeMethod returns the expected status",
    "V6": "A bounded load test holds",
}
NOT_OK = ("error", "warn")


@dataclass(frozen=True)
class Impact:
    onset_at: float | None
    recovered_at: float | None
    duration_s: float | None
    peak_5xx_per_min: float | None
    error_rate: float | None
    requests: int | None
    requests_failed: int | None
    # The window the totals were computed over (onset → recovery, or → the last entry's time).
    window_start: float | None = None
    window_end: float | None = None
    window_ongoing: bool | None = None
    mean_5xx_per_min: float | None = None
    peak_error_rate: float | None = None
    traces: int | None = None
    failing_traces: int | None = None


@dataclass(frozen=True)
class CheckFinding:
    id: str
    verdict: str
    summary: str
    title: str
    evidence: tuple[str, ...]
    at: float


@dataclass(frozen=True)
class ChangeRef:
    event_id: str
    event_name: str
    user: str
    resources: tuple[str, ...]
    at: float
    request_parameters: str = ""


@dataclass(frozen=True)
class RootCause:
    root_cause: str | None
    confidence: float | None
    because: tuple[str, ...]
    findings: tuple[CheckFinding, ...]
    correlated_change: ChangeRef | None
    alternatives: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class FixMark:
    at: float
    text: str
    by: str


@dataclass(frozen=True)
class Fix:
    marks: tuple[FixMark, ...]
    change: ChangeRef | None
    other_changes: tuple[ChangeRef, ...]
    drills: tuple[Entry, ...]  # the drill entries' fields, as the journal holds them


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    status: str
    summary: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    at: float
    text: str


@dataclass(frozen=True)
class Screenshot:
    at: float
    path: str
    caption: str


@dataclass(frozen=True)
class Report:
    title: str
    api: str
    stage: str
    date: str
    source: str
    generated_at: float | None
    impact: Impact
    timeline: tuple[TimelineRow, ...]
    root_cause: RootCause
    fix: Fix
    verification_at: float | None
    verification: tuple[Step, ...]
    lesson: Lesson
    notes: tuple[Note, ...]
    screenshots: tuple[Screenshot, ...]
    warnings: tuple[str, ...]


def _of(entries: Sequence[Entry], kind: str) -> list[Entry]:
    return sorted((e for e in entries if e["kind"] == kind), key=lambda e: e["at"])


def _change(e: Entry) -> ChangeRef:
    return ChangeRef(
        e["event_id"],
        e["event_name"],
        e["user"],
        tuple(e.get("resources") or ()),
        e["at"],
        e.get("request_parameters") or "",
    )


def _onset(entries: Sequence[Entry]) -> float | None:
    for kind, pred in (
        ("onset", lambda e: True),
        ("alarm", lambda e: str(e["state"]).upper() == "ALARM"),
        ("check", lambda e: e["verdict"] == "error"),
    ):
        found = [e for e in _of(entries, kind) if pred(e)]
        if found:
            return float(found[0]["at"])
    return None


def _impact(entries: Sequence[Entry], onset: float | None) -> Impact:
    recoveries = [e["at"] for e in _of(entries, "recovery") if onset is None or e["at"] >= onset]
    recovered = float(recoveries[0]) if recoveries else None
    impacts = _of(entries, "impact")
    peaks = [e["peak_5xx_per_min"] for e in impacts if e.get("peak_5xx_per_min") is not None]
    # Each entry holds the totals from onset to its window_end: the latest one is the incident's.
    # (Fields are never mixed across entries: a total and its window belong together.)
    last: Entry = impacts[-1] if impacts else {}
    ongoing = last.get("ongoing")
    return Impact(
        onset_at=onset,
        recovered_at=recovered,
        duration_s=(recovered - onset) if onset is not None and recovered is not None else None,
        peak_5xx_per_min=max(peaks) if peaks else None,
        error_rate=last.get("error_rate"),
        requests=last.get("requests"),
        requests_failed=last.get("requests_failed"),
        window_start=last.get("window_start"),
        window_end=last.get("window_end"),
        window_ongoing=bool(ongoing) if ongoing is not None else None,
        mean_5xx_per_min=last.get("mean_5xx_per_min"),
        peak_error_rate=last.get("peak_error_rate"),
        traces=last.get("traces"),
        failing_traces=last.get("failing_traces"),
    )


def _root_cause(entries: Sequence[Entry], onset: float | None) -> RootCause:
    hyps = _of(entries, "hypothesis")
    ranked = sorted(hyps[-1]["ranked"], key=lambda h: -float(h["confidence"])) if hyps else []
    top = ranked[0] if ranked else None
    rc = top["root_cause"] if top else None
    linked = set(top.get("check_ids") or ()) if top else set()
    last_bad: dict[str, Entry] = {}
    for e in _of(entries, "check"):
        if e["verdict"] in NOT_OK:
            last_bad[e["id"]] = e
    chosen = [
        e
        for e in last_bad.values()
        if not top or e["id"] in linked or rc in (e.get("root_causes") or ()) or not linked
    ]
    order = list(top.get("check_ids") or ()) if top else []
    chosen.sort(key=lambda e: (order.index(e["id"]) if e["id"] in order else len(order), e["at"]))
    findings = tuple(
        CheckFinding(
            e["id"], e["verdict"], e["summary"], e.get("title") or "", tuple(e.get("evidence") or ()), e["at"]
        )
        for e in chosen
    )
    before = [e for e in _of(entries, "change") if onset is not None and e["at"] <= onset]
    return RootCause(
        root_cause=rc,
        confidence=float(top["confidence"]) if top else None,
        because=tuple(top.get("because") or ()) if top else (),
        findings=findings,
        correlated_change=_change(before[-1]) if before else None,
        alternatives=tuple((h["root_cause"], float(h["confidence"])) for h in ranked[1:]),
    )


def _fix(entries: Sequence[Entry], onset: float | None, recovered: float | None) -> Fix:
    marks = tuple(FixMark(e["at"], e.get("text") or "", e.get("by") or "") for e in _of(entries, "fix-mark"))
    after = [_change(e) for e in _of(entries, "change") if onset is not None and e["at"] > onset]
    primary: ChangeRef | None = None
    if after:
        # The change that ended it: nearest the first fix mark, else the last before recovery.
        if marks:
            primary = min(after, key=lambda c: abs(c.at - marks[0].at))
        else:
            cands = [c for c in after if recovered is None or c.at <= recovered]
            primary = cands[-1] if cands else None
    others = tuple(c for c in after if c is not primary)
    drills = tuple({k: v for k, v in e.items() if k not in ("v", "kind")} for e in _of(entries, "drill"))
    return Fix(marks, primary, others, drills)


def _verification(entries: Sequence[Entry]) -> tuple[float | None, tuple[Step, ...]]:
    runs = _of(entries, "verification")
    if not runs:
        return None, ()
    got = {s["id"]: s for s in runs[-1]["steps"]}
    ids: list[str] = list(VERIFICATION_STEPS) + sorted(set(got) - set(VERIFICATION_STEPS))
    steps = tuple(
        Step(
            sid,
            (got[sid].get("title") if sid in got else None) or VERIFICATION_STEPS.get(sid) or sid,
            got[sid]["status"] if sid in got else "not run",
            (got[sid].get("summary") or "") if sid in got else "",
            tuple(got[sid].get("evidence") or ()) if sid in got else (),
        )
        for sid in ids
    )
    return float(runs[-1]["at"]), steps


def _report_timeline(entries: Sequence[Entry]) -> tuple[TimelineRow, ...]:
    # Checks matter when they go bad and when they come back; "still ok" is noise.
    keep: list[Entry] = []
    last_verdict: dict[str, str] = {}
    for e in sorted(entries, key=lambda e: e["at"]):
        if e["kind"] == "check":
            prev = last_verdict.get(e["id"])
            last_verdict[e["id"]] = e["verdict"]
            if e["verdict"] == "ok" and prev in (None, "ok"):
                continue
        if e["kind"] in ("impact", "session-end"):
            continue
        keep.append(e)
    return tuple(build_timeline(keep))


def _date(epoch: float | None) -> str:
    return (
        dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat() if epoch is not None else "unknown date"
    )


def build_report(
    entries: Sequence[Entry],
    *,
    source: str = "",
    warnings: Sequence[str] = (),
    generated_at: float | None = None,
) -> Report:
    """Build the postmortem from validated journal entries (see `read_journal`)."""
    sessions = _of(entries, "session-start")
    api = next((s["api"] for s in sessions if s.get("api")), "") or "unknown API"
    name = next((s["api_name"] for s in sessions if s.get("api_name")), "")
    shown = f"{name} ({api})" if name and name != api else api
    stage = next((s["stage"] for s in sessions if s.get("stage")), "") or "unknown stage"
    onset = _onset(entries)
    impact = _impact(entries, onset)
    first = min((e["at"] for e in entries), default=None)
    date = _date(onset if onset is not None else first)
    root = _root_cause(entries, onset)
    ver_at, steps = _verification(entries)
    return Report(
        title=f"API Gateway 5XX on {shown} {stage}, {date}",
        api=api,
        stage=stage,
        date=date,
        source=source,
        generated_at=generated_at,
        impact=impact,
        timeline=_report_timeline(entries),
        root_cause=root,
        fix=_fix(entries, onset, impact.recovered_at),
        verification_at=ver_at,
        verification=steps,
        lesson=lesson_for(root.root_cause),
        notes=tuple(Note(e["at"], e["text"]) for e in _of(entries, "note")),
        screenshots=tuple(
            Screenshot(e["at"], e["path"], e.get("caption") or "") for e in _of(entries, "screenshot")
        ),
        warnings=tuple(str(w) for w in warnings),
    )
