"""Report -> GitHub-flavoured Markdown.

Every piece of journal text (log lines, summaries, notes, user names) goes through
`markdown.inline` / `code` / `fenced` so it cannot add headings, close fences or break
tables; secrets are redacted again here in case the journal came from elsewhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from apigw_cockpit.incident import markdown as md
from apigw_cockpit.incident.report import ChangeRef, Report
from apigw_cockpit.redact import redact

STATUS_MARK = {"pass": "✅ pass", "fail": "❌ fail", "pending": "⏳ pending", "not run": "— not run"}


class _Times:
    """HH:MM in UTC, with the date when the incident spans more than one day."""

    def __init__(self, report: Report) -> None:
        stamps = [r.at for r in report.timeline]
        days = {dt.datetime.fromtimestamp(t, dt.UTC).date() for t in stamps}
        self.fmt = "%m-%d %H:%M" if len(days) > 1 else "%H:%M"

    def __call__(self, at: float | None) -> str:
        return dt.datetime.fromtimestamp(at, dt.UTC).strftime(self.fmt) if at is not None else "—"


def _t(text: str) -> str:
    return md.inline(redact(text))


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    h, m = divmod(s // 60, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def _change_line(c: ChangeRef, when: _Times) -> str:
    on = f" on {', '.join(md.code(r) for r in c.resources)}" if c.resources else ""
    return (
        f"**{when(c.at)}** {_t(c.event_name)}{on} by {_t(c.user or 'unknown')} (event {md.code(c.event_id)})"
    )


def _window(r: Report, when: _Times) -> str:
    """What every total in the Impact table is computed over."""
    i = r.impact
    if i.window_start is None or i.window_end is None:
        return ""
    span = _duration(i.window_end - i.window_start)
    how = f"onset → now, {span} so far" if i.window_ongoing else f"onset → recovery, {span}"
    return f"{when(i.window_start)}–{when(i.window_end)} UTC ({how})"


def _impact(r: Report, when: _Times) -> list[str]:
    i = r.impact
    recovered = when(i.recovered_at) if i.recovered_at is not None else "not recorded (ongoing?)"
    window = _window(r, when)
    over = ""
    if window:  # each figure names its window; the Window row gives the times
        over = f" (onset → {when(i.window_end)}, ongoing)" if i.window_ongoing else " (onset → recovery)"
    failed = "—"
    if i.requests_failed is not None:
        failed = f"{i.requests_failed:,}" + (f" of {i.requests:,}" if i.requests is not None else "") + over
    peak = "—"
    if i.peak_5xx_per_min is not None:
        peak = f"{i.peak_5xx_per_min:g} per minute"
        if i.peak_error_rate is not None:
            peak += f" ({i.peak_error_rate:.0%} of that minute's requests)"
    rows = [
        ("Onset", when(i.onset_at)),
        ("Recovered", recovered),
        ("Duration", _duration(i.duration_s)),
        ("Window", window or "— (no impact totals journaled)"),
        ("Peak 5XX", peak),
        ("Mean 5XX", f"{i.mean_5xx_per_min:.1f} per minute{over}" if i.mean_5xx_per_min is not None else "—"),
        ("Error rate", f"{i.error_rate:.1%}{over}" if i.error_rate is not None else "—"),
        ("Requests failed (5XX)", failed),
    ]
    if i.traces == 0:
        # Nothing read from the window is not "none failed": the log source had not reached it.
        rows.append(("Failing traces", f"— (no execution-log traces from the window were read){over}"))
    elif i.failing_traces is not None:
        seen = f" of {i.traces:,} traced" if i.traces is not None else ""
        rows.append(("Failing traces", f"{i.failing_traces:,}{seen}{over}"))
    return ["## Impact", "", "| Measure | Value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]


def _timeline(r: Report, when: _Times) -> list[str]:
    out = ["## Timeline", "", "Times are UTC.", ""]
    corr = r.root_cause.correlated_change
    onset = r.impact.onset_at
    for row in r.timeline:
        line = f"- **{when(row.at)}** {_t(row.title)}"
        if corr and onset is not None and row.evidence_ref == ("change", corr.event_id):
            line += f" ◆ *{_duration(onset - corr.at)} before onset*"
        out.append(line)
    if not r.timeline:
        out.append("- (the journal has no timeline entries)")
    return out


def _root_cause(r: Report, when: _Times) -> list[str]:
    rc = r.root_cause
    out = ["## Root cause", ""]
    if rc.root_cause is None:
        out.append("Not identified: the journal holds no ranked hypothesis.")
    else:
        conf = f" (confidence {rc.confidence:.0%})" if rc.confidence is not None else ""
        out += [f"{md.code(rc.root_cause)}{conf}, because:", ""]
        out += [f"- {_t(b)}" for b in rc.because] or ["- (no evidence recorded)"]
    if rc.correlated_change:
        c = rc.correlated_change
        gap = f" ({_duration(r.impact.onset_at - c.at)} earlier)" if r.impact.onset_at is not None else ""
        out += ["", f"Nearest change before onset{gap}: {_change_line(c, when)}"]
    if rc.alternatives:
        alts = ", ".join(f"{md.code(a)} ({p:.0%})" for a, p in rc.alternatives)
        out += ["", f"Also considered: {alts}."]
    if rc.findings:
        out += ["", "### Check findings"]
        for f in rc.findings:
            out += ["", f"**{md.code(f.id)}** — {_t(f.verdict)} at {when(f.at)}: {_t(f.summary)}"]
            if f.evidence:
                out += ["", md.fenced(redact("\n".join(f.evidence)), "text")]
    return out


def _fix(r: Report, when: _Times) -> list[str]:
    fx = r.fix
    out = ["## The fix", ""]
    for m in fx.marks:
        by = f" by {_t(m.by)}" if m.by else ""
        text = f": {_t(m.text)}" if m.text else ""
        out.append(f"- **{when(m.at)}** fix marked{by}{text}")
    if fx.change:
        out.append(f"- Change that ended it (CloudTrail): {_change_line(fx.change, when)}")
    for c in fx.other_changes:
        out.append(f"- Other change during the incident: {_change_line(c, when)}")
    for d in fx.drills:
        parts = [f"- Drill {md.code(str(d.get('scenario', '')))}"]
        if d.get("root_cause"):
            ok = {True: " (correct)", False: " (wrong)"}.get(d.get("correct"), "")  # type: ignore[arg-type]
            parts.append(f"root cause {md.code(str(d['root_cause']))}{ok}")
        if isinstance(d.get("time_to_root_cause_s"), int | float):
            parts.append(f"found in {_duration(float(d['time_to_root_cause_s']))}")
        if isinstance(d.get("keystrokes"), int):
            parts.append(f"{d['keystrokes']} keystrokes")
        for key, words in (("fix_to_recovery_s", "fix → recovery"), ("fix_to_verified_s", "fix → verified")):
            if isinstance(d.get(key), int | float):
                parts.append(f"{words} {_duration(float(d[key]))}")
        out.append(", ".join(parts))
    if len(out) == 2:
        out.append("No fix was recorded in the journal.")
    if fx.change and fx.change.request_parameters:
        out += ["", md.fenced(redact(fx.change.request_parameters), "json")]
    return out


def _verification(r: Report, when: _Times) -> list[str]:
    out = ["## Verification", ""]
    if not r.verification:
        return [*out, "No verification was run."]
    passed = sum(1 for s in r.verification if s.status == "pass")
    out += [f"Last run at {when(r.verification_at)}: {passed}/{len(r.verification)} pass.", ""]
    out += ["| Step | What | Result | Evidence |", "|---|---|---|---|"]
    for s in r.verification:
        mark = STATUS_MARK.get(s.status, md.inline(s.status))
        out.append(f"| {md.cell(s.id)} | {md.cell(s.name)} | {mark} | {md.cell(redact(s.summary))} |")
    for s in r.verification:
        if s.evidence:
            out += ["", f"{md.inline(s.id)} evidence:", "", md.fenced(redact("\n".join(s.evidence)), "text")]
    return out


def _lesson(r: Report) -> list[str]:
    # The lesson table is ours (lessons.toml), written as Markdown: not escaped.
    les = r.lesson
    out = ["## The lesson", "", les.summary, "", "Suggested guards:", ""]
    out += [f"- {g}" for g in les.guards]
    if les.docs:
        out += ["", "References: " + ", ".join(f"<{md.link_target(d)}>" for d in les.docs)]
    return out


def _notes(r: Report, when: _Times) -> list[str]:
    if not r.notes:
        return []
    out = ["## Notes from the incident"]
    for n in r.notes:
        out += ["", f"**{when(n.at)}**", "", md.fenced(redact(n.text), "text")]
    return out


def _screenshots(r: Report, when: _Times, link_base: Path | None) -> list[str]:
    if not r.screenshots:
        return []
    out = ["## Screenshots", ""]
    for s in r.screenshots:
        path = s.path
        if link_base is not None and os.path.isabs(path):
            with contextlib.suppress(ValueError):  # another drive on Windows
                path = os.path.relpath(path, link_base)
        alt = _t(s.caption or Path(s.path).name)
        out.append(f"![{alt}]({md.link_target(path)})  ")
        out.append(f"*{when(s.at)} — {alt}*")
        out.append("")
    return out[:-1]


def _footer(r: Report) -> list[str]:
    out = ["---", ""]
    src = f" from {md.code(r.source)}" if r.source else ""
    gen = ""
    if r.generated_at is not None:
        gen = " at " + dt.datetime.fromtimestamp(r.generated_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out.append(f"*Draft postmortem written by apigw-cockpit{src}{gen}. Review before sharing.*")
    if r.warnings:
        out += ["", "Journal lines skipped while reading:", ""]
        out += [f"- {_t(w)}" for w in r.warnings]
    return out


def _sections(r: Report, link_base: Path | None) -> Iterable[list[str]]:
    when = _Times(r)
    yield [f"# {_t(r.title)}"]
    yield _impact(r, when)
    yield _timeline(r, when)
    yield _root_cause(r, when)
    yield _fix(r, when)
    yield _verification(r, when)
    yield _lesson(r)
    yield _notes(r, when)
    yield _screenshots(r, when, link_base)
    yield _footer(r)


def render_markdown(report: Report, link_base: Path | None = None) -> str:
    """The report as Markdown; screenshot paths become relative to `link_base` (the output dir)."""
    doc = "\n\n".join("\n".join(s) for s in _sections(report, link_base) if s) + "\n"
    # Fields are redacted before Markdown escaping (an escaped `\_` would hide a token from the
    # rules); this pass over the whole document catches what reached it unescaped (code spans).
    return redact(doc)
