"""Facts the ranking weighs (names documented in rules.toml): strength in [0, 1] plus why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.diagnose.correlate import WINDOW_S, Correlated, correlate
from apigw_cockpit.diagnose.observations import (
    Observations,
    errors_5xx,
    failing,
    median,
    path_matches,
    stage_series,
)
from apigw_cockpit.diagnose.onset import Onset, find_onset
from apigw_cockpit.model import Finding, Integration, Verdict

RECENT_POINTS = 10


@dataclass(frozen=True)
class Fact:
    strength: float
    why: str


@dataclass(frozen=True)
class Situation:
    """Everything the ranking needs, computed once."""

    facts: dict[str, Fact]
    onset: Onset | None
    changes: list[Correlated]
    recent_5xx: float
    failing_traces: int


def recent_5xx(obs: Observations) -> float:
    series = errors_5xx(obs)
    return sum(v for _, v in series.points[-RECENT_POINTS:]) if series is not None else 0.0


def _finding_facts(findings: Sequence[Finding], facts: dict[str, Fact]) -> None:
    for f in findings:
        if f.verdict not in (Verdict.ERROR, Verdict.WARN):
            continue
        strength = 1.0 if f.verdict == Verdict.ERROR else 0.5
        facts[f"check:{f.check_id}:{f.verdict.value}"] = Fact(1.0, f"{f.check_id}: {f.summary}")
        for cause in f.root_causes:
            facts[f"cause:{f.check_id}:{cause}"] = Fact(strength, f"{f.check_id}: {f.summary}")


def _log_facts(obs: Observations, facts: dict[str, Fact]) -> int:
    bad = failing(obs)
    counts = Counter(c.result.verdict for c in bad)
    for verdict, n in counts.items():
        example = next(c for c in bad if c.result.verdict == verdict)
        line = example.result.evidence[0] if example.result.evidence else verdict
        facts[f"log:{verdict}"] = Fact(n / len(bad), f"{n}/{len(bad)} failing traces: {line}")
    options = sum(1 for c in bad if c.result.method == "OPTIONS")
    if options:
        facts["method:options"] = Fact(
            options / len(bad), f"{options}/{len(bad)} failing requests are OPTIONS"
        )
    return len(bad)


def _target_facts(obs: Observations, facts: dict[str, Fact]) -> None:
    if not obs.target_health:
        return
    total = len(obs.target_health)
    healthy = sum(1 for t in obs.target_health if t.state == "healthy")
    not_in_use = sum(1 for t in obs.target_health if t.reason == "Target.NotInUse" or t.state == "unused")
    failing_checks = sum(1 for t in obs.target_health if t.state == "unhealthy")
    if healthy == 0 and failing_checks * 2 >= total:
        facts["targets:all-unhealthy"] = Fact(1.0, f"0/{total} targets healthy")
    elif healthy < total:
        facts["targets:some-unhealthy"] = Fact(1.0, f"{healthy}/{total} targets healthy")
    if not_in_use:
        facts["targets:not-in-use"] = Fact(
            not_in_use / total, f"{not_in_use}/{total} targets unused (AZ not enabled)"
        )


def _load_fact(obs: Observations, onset: Onset | None, facts: dict[str, Fact]) -> None:
    count = stage_series(obs, "Count", ("Sum", "SampleCount"))
    if count is None or onset is None or not count.points:
        return
    before = [v for t, v in count.points if t < onset.at][-30:]
    during = [v for t, v in count.points if onset.at <= t < onset.at + 600]
    base = median(before)
    if before and during and base > 0 and max(during) >= 2 * base:
        facts["load:high"] = Fact(1.0, f"requests/min {max(during):.0f} at onset vs baseline {base:.0f}")


def _failing_lambda_integrations(obs: Observations) -> list[Integration]:
    """Lambda integrations of the failing methods (all Lambda integrations if paths are unknown)."""
    paths = {(c.result.method, c.result.path) for c in failing(obs) if c.result.path}
    out = []
    for res, method in obs.topology.methods():
        integ = method.integration
        if integ is None or not integ.lambda_arn:
            continue
        if not paths or any(m == method.http_method and path_matches(res.path, p) for m, p in paths):
            out.append(integ)
    return out


def situation(findings: Sequence[Finding], obs: Observations) -> Situation:
    facts: dict[str, Fact] = {}
    _finding_facts(findings, facts)
    n_failing = _log_facts(obs, facts)
    _target_facts(obs, facts)
    onset = find_onset(obs)
    _load_fact(obs, onset, facts)
    shape = next((f for f in findings if f.check_id == "latency-shape"), None)
    if shape is not None and shape.verdict == Verdict.ERROR:
        facts["latency:pinned"] = Fact(1.0, shape.summary)
    elif shape is not None and shape.verdict == Verdict.WARN:
        facts["latency:fast"] = Fact(1.0, shape.summary)
    changes = correlate(obs, onset)
    for c in changes:
        key = f"change:{c.kind}"
        if c.on_path and c.score > facts.get(key, Fact(0.0, "")).strength:
            facts[key] = Fact(c.score, f"{c.change.event_name} by {c.change.user or '?'}: {c.reason}")
    near = [c for c in changes if c.on_path and 0 <= c.delta_s <= WINDOW_S]
    if not near and "log:network-error" in facts:
        facts["no-path-change"] = Fact(1.0, "no change on the request path in the 30 min before onset")
    integs = _failing_lambda_integrations(obs)
    if integs and all(i.credentials for i in integs):
        facts["integration:credentials"] = Fact(1.0, "Lambda integrations use a credentials role")
    elif integs and not any(i.credentials for i in integs):
        facts["integration:no-credentials"] = Fact(1.0, "Lambda integrations rely on the resource policy")
    return Situation(facts, onset, changes, recent_5xx(obs), n_failing)
