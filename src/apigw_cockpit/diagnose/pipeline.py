"""The one diagnosis engine (DESIGN section 2): Observations → one `EngineResult`.

    signals → ObservationBuilder (collect.py) → Observations
            → onset, recovery, facts (facts.situation) → checks → ranking
            → verification, walkthrough, per-request verdicts, hops, headline

`check`, `verify`, `demo --headless`, `watch --headless`, the report and the cockpit all call
`run()` (or `diagnose()`, its findings-and-ranking part); nothing above this layer computes
an onset, a threshold or a verdict of its own. Pure: no I/O, no asyncio.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from apigw_cockpit.diagnose.checks import run_checks
from apigw_cockpit.diagnose.correlate import Correlated
from apigw_cockpit.diagnose.facts import Situation, situation
from apigw_cockpit.diagnose.hops import Hop, hops
from apigw_cockpit.diagnose.observations import Observations, errors_5xx
from apigw_cockpit.diagnose.onset import Onset
from apigw_cockpit.diagnose.ranking import LATENT, rank_situation
from apigw_cockpit.diagnose.recovery import Recovery, find_recovery
from apigw_cockpit.diagnose.verification import VerifyBounds, VerifyStep, verify
from apigw_cockpit.diagnose.walkthrough import StepState, walk
from apigw_cockpit.diagnose.window import IncidentWindow, incident_window
from apigw_cockpit.model import Finding, Hypothesis, Severity, Verdict


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]
    hypotheses: tuple[Hypothesis, ...]
    verification: tuple[VerifyStep, ...]
    walkthrough: tuple[StepState, ...]

    @property
    def root_cause(self) -> str | None:
        return self.hypotheses[0].root_cause if self.hypotheses else None

    @property
    def has_errors(self) -> bool:
        return any(f.verdict == Verdict.ERROR for f in self.findings)


@dataclass(frozen=True)
class Headline:
    """The line the on-call reads first: suspect, how sure, the deciding evidence, the change."""

    root_cause: str | None  # None: 5XX that no rule explains
    confidence: float
    evidence: str  # the strongest "because" of the top hypothesis
    change: Correlated | None  # the change that likely caused it (who, when, what)
    healthy: bool


@dataclass(frozen=True)
class EngineResult:
    obs: Observations
    diagnosis: Diagnosis
    onset: Onset | None
    recovery: Recovery | None  # the one recovery detector (diagnose.recovery), as facts saw it
    changes: tuple[Correlated, ...]  # every change scored against the onset, likeliest first
    suspect: Correlated | None
    headline: Headline
    hops: tuple[Hop, ...]
    verdicts: Mapping[str, str] = field(default_factory=dict)  # request id → classifier verdict
    window: IncidentWindow | None = None  # onset → recovery (or now): what the records write down

    @property
    def at(self) -> float:
        return self.obs.now

    def finding(self, check_id: str) -> Finding | None:
        return next((f for f in self.diagnosis.findings if f.check_id == check_id), None)


def _suspect(changes: Iterable[Correlated], onset: Onset | None) -> Correlated | None:
    # The correlation's best change on the failing path, never one after onset (score 0);
    # without an onset there is no incident for a change to have caused.
    if onset is None:
        return None
    return next((c for c in changes if c.on_path and c.score > 0), None)


def _headline(hyps: tuple[Hypothesis, ...], suspect: Correlated | None) -> Headline:
    if not hyps:
        return Headline(None, 0.0, "5XX that no rule explains: read the checks (c)", suspect, False)
    top = hyps[0]
    healthy = top.root_cause == "none"
    evidence = top.because[0] if top.because else ""
    return Headline(top.root_cause, top.confidence, evidence, None if healthy else suspect, healthy)


def _situation(
    obs: Observations, ids: Iterable[str] | None
) -> tuple[list[Finding], list[Finding], Situation]:
    findings = run_checks(obs, ids)
    all_findings = findings if ids is None else run_checks(obs)
    sit = situation(all_findings, obs)
    series = errors_5xx(obs)
    if sit.incident or series is None or not series.points:
        # An incident, or no 5XX data yet to say there is none (first poll, metrics denied).
        return findings, all_findings, sit
    # No 5XX ever cleared the noise floor: a fault a check finds is latent (fix it in daylight), not
    # the cause of an incident there is not — a warning, and the ranking says `none`.
    # The situation stays: with no onset the ranking answers `none` from the findings alone, so
    # a healthy world (every engine run of a quiet cockpit) does not compute it twice.
    return _latent(findings), _latent(all_findings), sit


def _latent(findings: list[Finding]) -> list[Finding]:
    return [
        replace(f, verdict=Verdict.WARN, severity=Severity.WARNING, summary=LATENT + f.summary)
        if f.verdict == Verdict.ERROR
        else f
        for f in findings
    ]


def diagnose(
    obs: Observations, ids: Iterable[str] | None = None, bounds: VerifyBounds | None = None
) -> Diagnosis:
    """Checks (the named ones, or all), the ranking over all of them, verification, walkthrough."""
    return run(obs, ids, bounds).diagnosis


def run(
    obs: Observations, ids: Iterable[str] | None = None, bounds: VerifyBounds | None = None
) -> EngineResult:
    ids = None if ids is None else list(ids)
    findings, all_findings, sit = _situation(obs, ids)
    hyps = tuple(rank_situation(all_findings, sit))
    diagnosis = Diagnosis(
        findings=tuple(findings),
        hypotheses=hyps,
        verification=tuple(verify(obs, bounds)),
        walkthrough=tuple(walk(obs, all_findings)),
    )
    changes = tuple(sit.changes)
    suspect = _suspect(changes, sit.onset)
    # With an onset, the situation holds the recovery; without one a marked fix may still recover.
    recovery = sit.recovery if sit.onset is not None else find_recovery(obs, None)
    end = recovery.at if recovery is not None else None
    return EngineResult(
        obs=obs,
        diagnosis=diagnosis,
        onset=sit.onset,
        recovery=recovery,
        changes=changes,
        suspect=suspect,
        headline=_headline(hyps, suspect),
        hops=hops(obs.topology, all_findings),
        verdicts={c.trace.request_id: c.result.verdict for c in obs.classified if c.trace.request_id},
        window=incident_window(obs, sit.onset.at if sit.onset else None, end),
    )
