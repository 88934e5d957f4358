"""One call for callers (commands, UI, e2e tests): checks, ranking, verification, walkthrough,
plus the stable JSON shape of `check --json` / `demo --headless`."""

from __future__ import annotations

from typing import TypedDict

from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.onset import find_onset
from apigw_cockpit.diagnose.pipeline import Diagnosis, EngineResult, diagnose
from apigw_cockpit.diagnose.recovery import find_recovery
from apigw_cockpit.diagnose.verification import VerifyStep
from apigw_cockpit.diagnose.window import IncidentWindow, incident_window
from apigw_cockpit.model import Finding, Hypothesis

__all__ = [
    "Diagnosis",
    "DiagnosisJson",
    "diagnose",
    "diagnosis_json",
    "finding_json",
    "hypothesis_json",
    "result_json",
]


# The JSON shapes as types: callers (the stream, demo, the journal) read keys, and a renamed or
# retyped key is then a mypy error here rather than a silent change of `check --json`.
class FindingJson(TypedDict):
    check_id: str
    title: str
    verdict: str
    severity: str
    summary: str
    why: str
    evidence: list[str]
    fix: str
    doc_url: str
    root_causes: list[str]


class HypothesisJson(TypedDict):
    root_cause: str
    confidence: float
    because: list[str]
    check_ids: list[str]


class StepJson(TypedDict):
    id: str
    title: str
    status: str
    evidence: list[str]


class WindowJson(TypedDict):
    start: float
    end: float | None
    ongoing: bool
    periods: int
    requests: int | None
    errors_5xx: int
    peak_5xx_per_min: float
    mean_5xx_per_min: float
    error_rate: float | None
    peak_error_rate: float | None
    traces: int
    failing_traces: int


class OnsetJson(TypedDict):
    at: float
    source: str
    evidence: str


class RecoveryJson(TypedDict):
    at: float
    onset: float | None
    errors: float
    evidence: str


class SourceJson(TypedDict):
    source: str
    state: str
    last_error: str


class DiagnosisJson(TypedDict):
    api: str
    stage: str
    root_cause: str | None
    state: str
    onset: OnsetJson | None
    recovery: RecoveryJson | None
    window: WindowJson | None
    findings: list[FindingJson]
    hypotheses: list[HypothesisJson]
    sources: list[SourceJson]


def finding_json(f: Finding) -> FindingJson:
    return {
        "check_id": f.check_id,
        "title": f.title,
        "verdict": f.verdict.value,
        "severity": f.severity.value,
        "summary": f.summary,
        "why": f.why,
        "evidence": list(f.evidence),
        "fix": f.fix,
        "doc_url": f.doc_url,
        "root_causes": list(f.root_causes),
    }


def hypothesis_json(h: Hypothesis) -> HypothesisJson:
    return {
        "root_cause": h.root_cause,
        "confidence": h.confidence,
        "because": list(h.because),
        "check_ids": list(h.check_ids),
    }


def step_json(s: VerifyStep) -> StepJson:
    return {"id": s.id, "title": s.title, "status": s.status, "evidence": list(s.evidence)}


def window_json(w: IncidentWindow | None) -> WindowJson | None:
    """The incident window's totals (onset → recovery or now), as the records write them."""
    if w is None:
        return None
    return {
        "start": w.start,
        "end": None if w.ongoing else w.end,  # ongoing: up to the answer's own time
        "ongoing": w.ongoing,
        "periods": w.periods,
        "requests": w.requests,
        "errors_5xx": w.errors_5xx,
        "peak_5xx_per_min": w.peak_5xx_per_min,
        "mean_5xx_per_min": w.mean_5xx_per_min,
        "error_rate": w.error_rate,
        "peak_error_rate": w.peak_error_rate,
        "traces": w.traces,
        "failing_traces": w.failing_traces,
    }


def diagnosis_json(d: Diagnosis, obs: Observations) -> DiagnosisJson:
    """The stable `check --json` / `demo --headless` shape."""
    onset = find_onset(obs)
    recovery = find_recovery(obs, onset) if onset is not None else None
    state = "healthy" if onset is None else ("recovered" if recovery is not None else "incident")
    return {
        "api": obs.topology.api_id,
        "stage": obs.topology.stage.name,
        "root_cause": d.root_cause,
        # healthy: no 5XX above the noise floor; incident: ongoing; recovered: it is over.
        "state": state,
        "onset": None
        if onset is None
        else {"at": onset.at, "source": onset.source, "evidence": onset.evidence},
        "recovery": None
        if recovery is None
        else {
            "at": recovery.at,
            "onset": recovery.onset,
            "errors": recovery.errors,
            "evidence": recovery.evidence,
        },
        # Totals over the incident window: what the journal and the postmortem report.
        "window": window_json(
            incident_window(obs, onset.at if onset else None, recovery.at if recovery else None)
        ),
        "findings": [finding_json(f) for f in d.findings],
        "hypotheses": [hypothesis_json(h) for h in d.hypotheses],
        "sources": [
            {"source": s.source, "state": s.state.value, "last_error": s.last_error} for s in obs.sources
        ],
    }


def result_json(result: EngineResult) -> DiagnosisJson:
    """The engine's result in the `check --json` shape (what `watch --headless` streams too)."""
    return diagnosis_json(result.diagnosis, result.obs)
