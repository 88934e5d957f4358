"""Model objects -> journal entry fields (the shapes in `entries.SCHEMA`).

Duck-typed where the producing layer is still being written (verification steps), so
the journal does not import `diagnose`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apigw_cockpit.model import Alarm, Change, Finding, Hypothesis


def change_fields(c: Change) -> dict[str, Any]:
    return {
        "event_id": c.event_id,
        "event_name": c.event_name,
        "event_source": c.event_source,
        "user": c.user,
        "resources": list(c.resources),
        "request_parameters": c.request_parameters,
    }


def check_fields(f: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f.check_id,
        "verdict": str(f.verdict),
        "summary": f.summary,
        "title": f.title,
        "severity": str(f.severity),
        "evidence": list(f.evidence),
        "root_causes": list(f.root_causes),
    }
    if f.fix:
        data["fix"] = f.fix
    if f.doc_url:
        data["doc_url"] = f.doc_url
    if f.why:
        data["why"] = f.why
    return data


def hypothesis_fields(ranked: Iterable[Hypothesis]) -> dict[str, Any]:
    return {
        "ranked": [
            {
                "root_cause": h.root_cause,
                "confidence": float(h.confidence),
                "because": list(h.because),
                "check_ids": list(h.check_ids),
            }
            for h in ranked
        ]
    }


def alarm_fields(a: Alarm) -> dict[str, Any]:
    return {"name": a.name, "state": a.state, "reason": a.reason, "metric": a.metric}


def _get(step: Any, name: str, default: Any = None) -> Any:
    if isinstance(step, Mapping):
        return step.get(name, default)
    return getattr(step, name, default)


def step_fields(step: Any) -> dict[str, Any]:
    """A verification step: a mapping, or an object like diagnose's VerifyStep (id/title/status/evidence)."""
    status = _get(step, "status", "pending")
    evidence = [str(e) for e in (_get(step, "evidence", ()) or ())]
    summary = str(_get(step, "summary", "") or "") or (evidence[0] if evidence else "")
    data: dict[str, Any] = {
        "id": str(_get(step, "id", "") or _get(step, "step_id", "")),
        "status": str(getattr(status, "value", status)),
        "summary": summary,
        "evidence": evidence,
    }
    title = _get(step, "title", "")
    if title:
        data["title"] = str(title)
    return data


def window_fields(w: Any) -> dict[str, Any]:
    """An `impact` entry from the engine's IncidentWindow (duck-typed: no `diagnose` import)."""
    data: dict[str, Any] = {
        "window_start": float(w.start),
        "window_end": float(w.end),
        "ongoing": bool(w.ongoing),
        "periods": int(w.periods),
        "requests_failed": int(w.errors_5xx),
        "peak_5xx_per_min": float(w.peak_5xx_per_min),
        "mean_5xx_per_min": float(w.mean_5xx_per_min),
        "traces": int(w.traces),
        "failing_traces": int(w.failing_traces),
    }
    if w.requests is not None:
        data["requests"] = int(w.requests)
    if w.error_rate is not None:
        data["error_rate"] = float(w.error_rate)
    if w.peak_error_rate is not None:
        data["peak_error_rate"] = float(w.peak_error_rate)
    return data


def flip_fields(flip: Any) -> dict[str, Any]:
    """A `rediscovery` entry from a VerdictFlip (duck-typed: no `diagnose` import)."""
    return {
        "check": str(flip.check_id),
        "before": str(flip.before),
        "after": str(flip.after),
        "reason": str(flip.reason),
        "summary": str(flip.summary),
    }
