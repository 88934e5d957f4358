"""Report -> JSON. The shape is stable (schema "apigw-cockpit.report/1"); fields are only added.

Times are given twice: `*_at` epoch seconds (float, UTC) and `*_iso` ISO 8601 UTC strings.
Absent values are `null`, never missing keys.

{
  "schema": "apigw-cockpit.report/1",
  "title": str, "api": str, "stage": str, "date": "YYYY-MM-DD",
  "source": str (journal path), "generated_at": float|null,
  "impact": {"onset_at", "onset_iso", "recovered_at", "recovered_iso", "duration_s",
             "peak_5xx_per_min", "error_rate" (0..1), "requests", "requests_failed"},
  "timeline": [{"at", "iso", "kind", "title", "detail",
                "evidence_ref": [kind, id] | null}],
  "root_cause": {"id": str|null, "confidence": float|null, "because": [str],
                 "alternatives": [{"id", "confidence"}],
                 "correlated_change": CHANGE|null,
                 "findings": [{"check_id", "verdict", "summary", "title", "evidence": [str], "at"}]},
  "fix": {"marks": [{"at", "iso", "text", "by"}], "change": CHANGE|null,
          "other_changes": [CHANGE], "drills": [{...drill entry fields...}]},
  "verification": {"at": float|null,
                   "steps": [{"id": "V1".."V6", "name", "status": "pass"|"fail"|"pending"|"not run",
                              "summary", "evidence": [str]}]},
  "lesson": {"root_cause", "summary", "guards": [str], "docs": [str]},
  "notes": [{"at", "iso", "text"}],
  "screenshots": [{"at", "iso", "path", "caption"}],
  "warnings": [str]
}
CHANGE = {"event_id", "event_name", "user", "resources": [str], "at", "iso", "request_parameters"}

All strings are secret-redacted; text is otherwise verbatim (JSON escapes it).
"""

from __future__ import annotations

import datetime as dt
import json

from apigw_cockpit.incident.report import ChangeRef, Report
from apigw_cockpit.redact import redact_mapping

SCHEMA = "apigw-cockpit.report/1"


def _iso(at: float | None) -> str | None:
    return (
        dt.datetime.fromtimestamp(at, dt.UTC).isoformat().replace("+00:00", "Z") if at is not None else None
    )


def _change(c: ChangeRef | None) -> dict[str, object] | None:
    if c is None:
        return None
    return {
        "event_id": c.event_id,
        "event_name": c.event_name,
        "user": c.user,
        "resources": list(c.resources),
        "at": c.at,
        "iso": _iso(c.at),
        "request_parameters": c.request_parameters,
    }


def report_dict(r: Report) -> dict[str, object]:
    i, rc, fx = r.impact, r.root_cause, r.fix
    data: dict[str, object] = {
        "schema": SCHEMA,
        "title": r.title,
        "api": r.api,
        "stage": r.stage,
        "date": r.date,
        "source": r.source,
        "generated_at": r.generated_at,
        "impact": {
            "onset_at": i.onset_at,
            "onset_iso": _iso(i.onset_at),
            "recovered_at": i.recovered_at,
            "recovered_iso": _iso(i.recovered_at),
            "duration_s": i.duration_s,
            "peak_5xx_per_min": i.peak_5xx_per_min,
            "error_rate": i.error_rate,
            "requests": i.requests,
            "requests_failed": i.requests_failed,
            # The window the totals above were computed over (ongoing: up to window_end).
            "window": {
                "start": i.window_start,
                "start_iso": _iso(i.window_start),
                "end": i.window_end,
                "end_iso": _iso(i.window_end),
                "ongoing": i.window_ongoing,
            },
            "mean_5xx_per_min": i.mean_5xx_per_min,
            "peak_error_rate": i.peak_error_rate,
            "traces": i.traces,
            "failing_traces": i.failing_traces,
        },
        "timeline": [
            {
                "at": row.at,
                "iso": _iso(row.at),
                "kind": row.kind,
                "title": row.title,
                "detail": row.detail,
                "evidence_ref": list(row.evidence_ref) if row.evidence_ref else None,
            }
            for row in r.timeline
        ],
        "root_cause": {
            "id": rc.root_cause,
            "confidence": rc.confidence,
            "because": list(rc.because),
            "alternatives": [{"id": a, "confidence": p} for a, p in rc.alternatives],
            "correlated_change": _change(rc.correlated_change),
            "findings": [
                {
                    "check_id": f.id,
                    "verdict": f.verdict,
                    "summary": f.summary,
                    "title": f.title,
                    "evidence": list(f.evidence),
                    "at": f.at,
                }
                for f in rc.findings
            ],
        },
        "fix": {
            "marks": [{"at": m.at, "iso": _iso(m.at), "text": m.text, "by": m.by} for m in fx.marks],
            "change": _change(fx.change),
            "other_changes": [_change(c) for c in fx.other_changes],
            "drills": [dict(d) for d in fx.drills],
        },
        "verification": {
            "at": r.verification_at,
            "steps": [
                {
                    "id": s.id,
                    "name": s.name,
                    "status": s.status,
                    "summary": s.summary,
                    "evidence": list(s.evidence),
                }
                for s in r.verification
            ],
        },
        "lesson": {
            "root_cause": r.lesson.root_cause,
            "summary": r.lesson.summary,
            "guards": list(r.lesson.guards),
            "docs": list(r.lesson.docs),
        },
        "notes": [{"at": n.at, "iso": _iso(n.at), "text": n.text} for n in r.notes],
        "screenshots": [
            {"at": s.at, "iso": _iso(s.at), "path": s.path, "caption": s.caption} for s in r.screenshots
        ],
        "warnings": list(r.warnings),
    }
    return redact_mapping(data)


def render_json(r: Report) -> str:
    return json.dumps(report_dict(r), indent=2, ensure_ascii=True, allow_nan=False) + "\n"
