"""Journal entries -> one merged, time-ordered timeline (pure; the UI renders it on `t`).

`evidence_ref` tells the UI where to jump: ("change", event_id), ("check", check id),
("trace", request id), ("hypothesis", root cause), ("verification", step id),
("screenshot", path), ("alarm", name), ("note", entry index) — or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Entry = Mapping[str, Any]
EvidenceRef = tuple[str, str] | None


@dataclass(frozen=True)
class TimelineRow:
    at: float
    kind: str
    title: str
    detail: str = ""
    evidence_ref: EvidenceRef = None


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _minutes(seconds: float) -> str:
    s = round(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s" if s % 60 else f"{s // 60} min"


def _session_start(e: Entry, i: int) -> TimelineRow:
    what = "Cockpit session resumed" if e.get("resumed") else "Cockpit session started"
    where = " ".join(p for p in (e.get("api", ""), e.get("stage", "")) if p)
    return TimelineRow(e["at"], "session-start", f"{what} on {where}" if where else what)


def _session_end(e: Entry, i: int) -> TimelineRow:
    return TimelineRow(e["at"], "session-end", f"Cockpit session ended ({e.get('reason') or 'exit'})")


def _onset(e: Entry, i: int) -> TimelineRow:
    src = e.get("source") or ""
    return TimelineRow(
        e["at"], "onset", "Incident onset" + (f" ({src})" if src else ""), e.get("detail") or ""
    )


def _recovery(e: Entry, i: int) -> TimelineRow:
    src = e.get("source") or ""
    return TimelineRow(e["at"], "recovery", "Recovered" + (f" ({src})" if src else ""), e.get("detail") or "")


def _alarm(e: Entry, i: int) -> TimelineRow:
    return TimelineRow(
        e["at"], "alarm", f"Alarm {e['name']} → {e['state']}", e.get("reason") or "", ("alarm", e["name"])
    )


def _change(e: Entry, i: int) -> TimelineRow:
    resources = ", ".join(e.get("resources") or [])
    title = f"{e['event_name']}" + (f" on {resources}" if resources else "") + f" by {e['user'] or 'unknown'}"
    return TimelineRow(e["at"], "change", title, e.get("request_parameters") or "", ("change", e["event_id"]))


def _check(e: Entry, i: int) -> TimelineRow:
    request_ids = e.get("request_ids") or []
    ref: EvidenceRef = (
        ("trace", request_ids[0]) if request_ids and e["verdict"] != "ok" else ("check", e["id"])
    )
    title = f"Check {e['id']}: {e['verdict']} — {_first_line(e['summary'])}"
    return TimelineRow(e["at"], "check", title, "\n".join(e.get("evidence") or []), ref)


def _hypothesis(e: Entry, i: int) -> TimelineRow:
    ranked = e["ranked"]
    if not ranked:
        return TimelineRow(e["at"], "hypothesis", "No root cause ranked yet")
    top = max(ranked, key=lambda h: h["confidence"])
    title = f"Top hypothesis: {top['root_cause']} ({top['confidence']:.0%})"
    return TimelineRow(
        e["at"], "hypothesis", title, "\n".join(top.get("because") or []), ("hypothesis", top["root_cause"])
    )


def _note(e: Entry, i: int) -> TimelineRow:
    return TimelineRow(e["at"], "note", f"Note: {_first_line(e['text'])}", e["text"], ("note", str(i)))


def _fix_mark(e: Entry, i: int) -> TimelineRow:
    text = e.get("text") or ""
    by = e.get("by") or ""
    title = "Fix applied" + (f" by {by}" if by else "") + (f": {_first_line(text)}" if text else "")
    return TimelineRow(e["at"], "fix-mark", title, text)


def _verification(e: Entry, i: int) -> TimelineRow:
    steps = e["steps"]
    passed = sum(1 for s in steps if s["status"] == "pass")
    failed = [s["id"] for s in steps if s["status"] == "fail"]
    title = f"Verification: {passed}/{len(steps)} pass" + (f", failing {', '.join(failed)}" if failed else "")
    first = failed[0] if failed else (steps[0]["id"] if steps else "")
    detail = "\n".join(f"{s['id']} {s['status']}: {s.get('summary') or ''}".rstrip() for s in steps)
    return TimelineRow(e["at"], "verification", title, detail, ("verification", first) if first else None)


def _drill(e: Entry, i: int) -> TimelineRow:
    parts = [f"Drill {e['scenario']}"]
    if e.get("time_to_root_cause_s") is not None:
        parts.append(f"root cause found in {_minutes(e['time_to_root_cause_s'])}")
    if e.get("keystrokes") is not None:
        parts.append(f"{e['keystrokes']} keystrokes")
    return TimelineRow(e["at"], "drill", ", ".join(parts), e.get("root_cause") or "")


def _screenshot(e: Entry, i: int) -> TimelineRow:
    return TimelineRow(
        e["at"],
        "screenshot",
        f"Screenshot {e.get('caption') or e['path']}",
        e["path"],
        ("screenshot", e["path"]),
    )


def _impact(e: Entry, i: int) -> TimelineRow | None:
    peak = e.get("peak_5xx_per_min")
    if peak is None:
        return None
    return TimelineRow(e["at"], "impact", f"Impact: peak {peak:g} 5XX/min")


ROW_BUILDERS: dict[str, Callable[[Entry, int], TimelineRow | None]] = {
    "session-start": _session_start,
    "session-end": _session_end,
    "onset": _onset,
    "recovery": _recovery,
    "alarm": _alarm,
    "change": _change,
    "check": _check,
    "hypothesis": _hypothesis,
    "note": _note,
    "fix-mark": _fix_mark,
    "verification": _verification,
    "drill": _drill,
    "screenshot": _screenshot,
    "impact": _impact,
}


def build_timeline(entries: Sequence[Entry], kinds: set[str] | None = None) -> list[TimelineRow]:
    """Rows in time order (ties keep journal order), optionally only some kinds."""
    rows: list[tuple[float, int, TimelineRow]] = []
    for i, e in enumerate(entries):
        kind = e.get("kind", "")
        if kinds is not None and kind not in kinds:
            continue
        builder = ROW_BUILDERS.get(kind)
        row = builder(e, i) if builder else None
        if row is not None:
            rows.append((row.at, i, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r for _, _, r in rows]
