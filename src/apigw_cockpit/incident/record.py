"""Model objects -> journal entry fields (the shapes in `entries.SCHEMA`).

What `diagnose` produces (verification steps, the incident window, verdict flips) is read
through the Protocols below, so the journal does not import `diagnose`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from apigw_cockpit.model import Alarm, Change, Finding, Hypothesis


class StepLike(Protocol):
    """diagnose.VerifyStep as the journal reads it (a mapping with these keys works too)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def evidence(self) -> Iterable[str]: ...


class WindowLike(Protocol):
    """diagnose.window.IncidentWindow: the engine's incident-window totals."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def ongoing(self) -> bool: ...
    @property
    def periods(self) -> int: ...
    @property
    def requests(self) -> int | None: ...
    @property
    def errors_5xx(self) -> int: ...
    @property
    def peak_5xx_per_min(self) -> float: ...
    @property
    def mean_5xx_per_min(self) -> float: ...
    @property
    def error_rate(self) -> float | None: ...
    @property
    def peak_error_rate(self) -> float | None: ...
    @property
    def traces(self) -> int: ...
    @property
    def failing_traces(self) -> int: ...


class FlipLike(Protocol):
    """diagnose.flips.VerdictFlip: a verdict a rediscovery changed."""

    @property
    def at(self) -> float: ...
    @property
    def check_id(self) -> str: ...
    @property
    def before(self) -> str: ...
    @property
    def after(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def summary(self) -> str: ...


def change_fields(c: Change) -> dict[str, object]:
    return {
        "event_id": c.event_id,
        "event_name": c.event_name,
        "event_source": c.event_source,
        "user": c.user,
        "resources": list(c.resources),
        "request_parameters": c.request_parameters,
    }


def check_fields(f: Finding) -> dict[str, object]:
    data: dict[str, object] = {
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


def hypothesis_fields(ranked: Iterable[Hypothesis]) -> dict[str, object]:
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


def alarm_fields(a: Alarm) -> dict[str, object]:
    return {"name": a.name, "state": a.state, "reason": a.reason, "metric": a.metric}


def _get(step: object, name: str, default: object = None) -> object:
    if isinstance(step, Mapping):
        return step.get(name, default)
    return getattr(step, name, default)


def step_fields(step: StepLike | Mapping[str, object]) -> dict[str, object]:
    """A verification step: a mapping, or an object like diagnose's VerifyStep (id/title/status/evidence)."""
    status = _get(step, "status", "pending")
    listed = _get(step, "evidence", ()) or ()
    if not isinstance(listed, Iterable):
        raise TypeError(f"a step's evidence is a list of lines, not {type(listed).__name__}")
    evidence = [str(e) for e in listed]
    summary = str(_get(step, "summary", "") or "") or (evidence[0] if evidence else "")
    data: dict[str, object] = {
        "id": str(_get(step, "id", "") or _get(step, "step_id", "")),
        "status": str(getattr(status, "value", status)),
        "summary": summary,
        "evidence": evidence,
    }
    title = _get(step, "title", "")
    if title:
        data["title"] = str(title)
    return data


def window_fields(w: WindowLike) -> dict[str, object]:
    """An `impact` entry from the engine's IncidentWindow."""
    data: dict[str, object] = {
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


def flip_fields(flip: FlipLike) -> dict[str, object]:
    """A `rediscovery` entry from a VerdictFlip."""
    return {
        "check": str(flip.check_id),
        "before": str(flip.before),
        "after": str(flip.after),
        "reason": str(flip.reason),
        "summary": str(flip.summary),
    }
