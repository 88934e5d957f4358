"""Journal entries -> one merged, time-ordered timeline (pure; the UI renders it on `t`).

`evidence_ref` tells the UI where to jump: ("change", event_id), ("check", check id),
("trace", request id), ("hypothesis", root cause), ("verification", step id),
("screenshot", path), ("alarm", name), ("note", entry index) — or None. A rediscovery row
points at the check whose verdict it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from apigw_cockpit.incident.entries import Entry

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
    if e.get("as_of"):
        title += f" ({e['as_of']})"
    return TimelineRow(e["at"], "check", title, "\n".join(e.get("evidence") or []), ref)


def _hypothesis(e: Entry, i: int) -> TimelineRow:
    ranked = e["ranked"]
    if not ranked:
        return TimelineRow(e["at"], "hypothesis", "No root cause ranked yet")
    top = max(ranked, key=lambda h: h["confidence"])
    title = f"Top hypothesis: {top['root_cause']} ({top['confidence']:.0%})"
    if e.get("as_of"):
        title += f", evidence {e['as_of']}"
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
    """The incident window's totals so far (the engine's, journaled each minute), never one sample."""
    peak = e.get("peak_5xx_per_min")
    if peak is None:
        return None
    parts = []
    failed, requests, rate = e.get("requests_failed"), e.get("requests"), e.get("error_rate")
    if failed is not None:
        parts.append(f"{failed:,} 5XX" + (f" of {requests:,} requests" if requests is not None else ""))
    if rate is not None:
        parts.append(f"{rate:.0%}")
    parts.append(f"peak {peak:g}/min")
    if e.get("mean_5xx_per_min") is not None:
        parts.append(f"mean {e['mean_5xx_per_min']:.0f}/min")
    if e.get("failing_traces") is not None and e.get("traces"):  # 0 traces read is not "0 failing"
        parts.append(f"{e['failing_traces']:,} failing traces")
    start, end = e.get("window_start"), e.get("window_end")
    span = f" over {_minutes(end - start)} since onset" if start is not None and end is not None else ""
    return TimelineRow(e["at"], "impact", f"Impact{span}: " + ", ".join(parts))


def _rediscovery(e: Entry, i: int) -> TimelineRow:
    why = f" ({e['reason']})" if e.get("reason") else ""
    title = f"{e['check']}: {e['before']} → {e['after']} after rediscovery{why}"
    return TimelineRow(e["at"], "rediscovery", title, e.get("summary") or "", ("check", e["check"]))


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
    "rediscovery": _rediscovery,
}


def _refreshes(entries: Sequence[Entry]) -> tuple[set[int], dict[int, Entry]]:
    """Entries that only refresh numbers under an unchanged verdict or top hypothesis.

    The journal writes them so the record follows the incident. On the timeline they are not
    events: the row stays where the verdict changed, and reads the latest numbers of its span
    ("as of" their time), never the first run's. Returns (indexes to skip, row index -> latest).
    """
    skip: set[int] = set()
    latest: dict[int, Entry] = {}
    opened: dict[str, tuple[str, int]] = {}  # check id -> (verdict, index of its row)
    top: tuple[str, int] | None = None
    order = sorted(range(len(entries)), key=lambda i: (entries[i].get("at", 0), i))
    for i in order:
        e = entries[i]
        if e.get("kind") == "check":
            prev = opened.get(e["id"])
            if prev is not None and prev[0] == e["verdict"]:
                skip.add(i)
                latest[prev[1]] = e
            else:
                opened[e["id"]] = (e["verdict"], i)
        elif e.get("kind") == "hypothesis" and e["ranked"]:
            best = max(e["ranked"], key=lambda h: h["confidence"])["root_cause"]
            if top is not None and top[0] == best:
                skip.add(i)
                latest[top[1]] = e
            else:
                top = (best, i)
    return skip, latest


def _as_of(first: Entry, last: Entry) -> Entry:
    """The row's entry with the span's latest numbers, and when they were read."""
    when = dt.datetime.fromtimestamp(float(last["at"]), dt.UTC).strftime("%H:%M")
    keep = ("summary", "evidence", "request_ids") if first["kind"] == "check" else ("ranked",)
    return {**first, **{k: last[k] for k in keep if k in last}, "as_of": f"as of {when} UTC"}


def build_timeline(entries: Sequence[Entry], kinds: set[str] | None = None) -> list[TimelineRow]:
    """Rows in time order (ties keep journal order), optionally only some kinds."""
    rows: list[tuple[float, int, TimelineRow]] = []
    refreshes, latest = _refreshes(entries)
    for i, e in enumerate(entries):
        kind = e.get("kind", "")
        if (kinds is not None and kind not in kinds) or i in refreshes:
            continue
        if i in latest:
            e = _as_of(e, latest[i])
        builder = ROW_BUILDERS.get(kind)
        row = builder(e, i) if builder else None
        if row is not None:
            rows.append((row.at, i, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r for _, _, r in rows]
