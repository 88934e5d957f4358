"""Root-cause ranking: facts × the weights of rules.toml → ordered hypotheses with "because".

Reasoning, not matching: a change counts only when it can produce the cause on the failing
route's hop; a passing check on the fact a cause needs vetoes it; an incident below the noise
floor is `none`, one that is over is `recovered` (with what it most likely was); and when the
evidence is thin or two causes explain it equally, the answer says so and names what decides.
"""

from __future__ import annotations

import math
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from apigw_cockpit.diagnose.correlate import Correlated, best_for, correlate, failing_paths
from apigw_cockpit.diagnose.facts import PRESENT_STATE, Fact, Situation, situation
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.onset import NOISE_COUNT, NOISE_RATE
from apigw_cockpit.diagnose.vocabulary import causes_of_verdict, check_registry
from apigw_cockpit.model import Finding, Hypothesis, Verdict

SCALE = 3.0  # score at which raw confidence reaches 1 - 1/e
TIE = 0.75  # a runner-up at this share of the top score explains the evidence about as well
CO_FAULT = 0.3  # a runner-up this strong on *different* failures is a second real fault
THIN = 2.0  # a top score below this rests on too little to be confident
_META = ("requires", "vetoed_by", "decide")


@dataclass(frozen=True)
class Rule:
    cause: str
    weights: dict[str, float]
    requires: tuple[str, ...] = ()
    vetoed_by: tuple[str, ...] = ()
    decide: str = ""


@cache
def rule_table() -> dict[str, Rule]:
    """rules.toml, checked against the vocabulary: a cause without a rule fails loudly."""
    text = resources.files(__package__).joinpath("rules.toml").read_text("utf-8")
    table = {
        cause: Rule(
            cause,
            {k: float(w) for k, w in body.items() if k not in _META},
            tuple(body.get("requires", ())),
            tuple(body.get("vetoed_by", ())),
            str(body.get("decide", "")),
        )
        for cause, body in tomllib.loads(text).items()
    }
    check_registry("rules.toml", set(table))
    return table


def requirements() -> dict[str, tuple[str, ...]]:
    """Cause → facts of which at least one must hold (rules.toml `requires`)."""
    return {c: r.requires for c, r in rule_table().items()}


def rules() -> dict[str, dict[str, float]]:
    return {c: dict(r.weights) for c, r in rule_table().items()}


@dataclass
class _Scored:
    cause: str
    score: float
    because: list[tuple[float, str]] = field(default_factory=list)
    check_ids: list[str] = field(default_factory=list)
    logs: set[str] = field(default_factory=set)  # log verdicts that carried it
    change: Correlated | None = None


def rank(findings: Sequence[Finding], obs: Observations) -> list[Hypothesis]:
    """Root causes ordered by score; `none` when nothing clears the noise floor.

    An empty list means "5XX, but no rule explains it" (reported as root_cause null).
    """
    return rank_situation(findings, situation(findings, obs))


def _paths_by_verdict(sit: Situation) -> dict[str, set[str]]:
    """The failing traces' paths by verdict: built once per ranking, not once per cause."""
    out: dict[str, set[str]] = {}
    for c in sit.bad:
        if c.result.path:
            out.setdefault(c.result.verdict, set()).add(c.result.path)
    return out


def _cause_paths(cause: str, by_verdict: dict[str, set[str]]) -> frozenset[str]:
    """The routes whose failing traces this cause would explain (all failing routes if none)."""
    mine = {p for verdict, paths in by_verdict.items() if cause in causes_of_verdict(verdict) for p in paths}
    return frozenset(mine or {p for paths in by_verdict.values() for p in paths})


def _score(rule: Rule, facts: dict[str, Fact], change: Correlated | None, *, history: bool) -> _Scored | None:
    if change is not None:
        long_ago = change.delta_s > 30 * 60
        note = " — the last change to this hop; nothing recent explains it" if long_ago else ""
        facts = {
            **facts,
            "change": Fact(
                change.score,
                f"{change.change.event_name} by {change.change.user or '?'}: {change.reason}{note}",
            ),
        }
    if not history and any(v in facts for v in rule.vetoed_by):
        return None
    if rule.requires and not any(f in facts for f in rule.requires):
        return None
    out = _Scored(rule.cause, 0.0, change=change)
    for name, weight in rule.weights.items():
        fact = facts.get(name)
        if fact is None:
            continue
        contribution = weight * fact.strength
        out.score += contribution
        if contribution > 0:
            out.because.append((contribution, fact.why))
            if name.startswith(("check:", "cause:")):
                out.check_ids.append(name.split(":")[1])
            if name.startswith("log:"):
                out.logs.add(name[4:])
    return out if out.score > 0 else None


def _score_all(sit: Situation, *, history: bool = False) -> list[_Scored]:
    facts = sit.facts
    if history:  # how things are now says nothing about how they were
        facts = {k: v for k, v in facts.items() if not k.startswith(PRESENT_STATE)}
    obs = sit.obs
    by_paths: dict[frozenset[str], list[Correlated]] = {}
    by_verdict = _paths_by_verdict(sit)
    scored = []
    for cause, rule in rule_table().items():
        change = None
        if obs is not None and "change" in rule.weights:
            paths = _cause_paths(cause, by_verdict)
            if paths not in by_paths:
                by_paths[paths] = correlate(obs, sit.onset, paths or failing_paths(obs))
            change = best_for(cause, by_paths[paths])
        s = _score(rule, facts, change, history=history)
        if s is not None:
            scored.append(s)
    scored.sort(key=lambda s: -s.score)
    return scored


def _hypotheses(scored: list[_Scored]) -> list[Hypothesis]:
    total = sum(s.score for s in scored) or 1.0
    out = []
    for s in scored:
        raw = 1.0 - math.exp(-s.score / SCALE)
        confidence = round(raw * math.sqrt(s.score / total), 3)
        s.because.sort(key=lambda b: -b[0])
        because = tuple(dict.fromkeys(w for _, w in s.because))
        out.append(Hypothesis(s.cause, confidence, because, tuple(dict.fromkeys(s.check_ids))))
    return out


def _with(
    h: Hypothesis, *, cap: float | None = None, floor: float | None = None, add: Sequence[str] = ()
) -> Hypothesis:
    confidence = h.confidence
    if cap is not None:
        confidence = min(confidence, cap)
    if floor is not None:
        confidence = max(confidence, floor)
    return Hypothesis(h.root_cause, round(confidence, 3), (*h.because, *add), h.check_ids)


def _honest(scored: list[_Scored], hyps: list[Hypothesis]) -> list[Hypothesis]:
    """Say when the evidence is thin, or two causes explain it as well as each other."""
    if not hyps:
        return hyps
    table = rule_table()
    top, out = scored[0], list(hyps)
    second = scored[1] if len(scored) > 1 else None
    if second is not None and top.logs and second.logs and not (top.logs & second.logs):
        if second.score >= CO_FAULT * top.score:
            # Different failures (other verdicts, other routes): a second real fault, also on top.
            out[0] = _with(out[0], add=(f"a second, independent fault at the same time: {second.cause}",))
            out[1] = _with(
                out[1],
                floor=out[0].confidence * 0.9,
                add=(f"independent of {top.cause}: different failures ({', '.join(sorted(second.logs))})",),
            )
    elif second is not None and second.score >= TIE * top.score:
        # The same failures, two explanations: not one confident answer.
        for i, (me, other) in enumerate(((top, second), (second, top))):
            need = table[me.cause].decide or "more evidence"
            out[i] = _with(
                out[i], cap=0.5, add=(f"as likely as {other.cause} on this evidence — to decide: {need}",)
            )
    if top.score < THIN:
        need = table[top.cause].decide or "more evidence"
        out[0] = _with(out[0], cap=0.35, add=(f"thin evidence — to confirm: {need}",))
    return out


LATENT = "latent, no 5XX: "  # a check's fault while nothing fails (pipeline demotes it to a warning)


def _clock(t: float) -> str:
    return time.strftime("%H:%M UTC", time.gmtime(t))


def _untold(sit: Situation, ended: float) -> str:
    """Why the cause of an incident that is over cannot be named: say what the logs held."""
    traces = sit.obs.traces if sit.obs is not None else ()
    first = min((t.first_ts for t in traces), default=None)
    if first is not None and first >= ended:
        span = f" from {_clock(sit.recovery.onset)}" if sit.recovery and sit.recovery.onset else ""
        return (
            f"what it was cannot be told: the logs read start at {_clock(first)}, after it ended "
            f"(its own log lines{span} to {_clock(ended)}, piped to `apigw-cockpit explain`, can say)"
        )
    return "what it was cannot be told: no failing trace of it in the logs read"


def _recovered(sit: Situation) -> list[Hypothesis]:
    rec = sit.recovery
    assert rec is not None
    was = _hypotheses(_score_all(sit, history=True))
    because = [
        f"incident over: 5XX stopped at {_clock(rec.at)}"
        + (f" after starting at {_clock(rec.onset)}" if rec.onset is not None else ""),
        rec.evidence,
    ]
    if was:
        first = was[0]
        because.append(
            f"it was most likely {first.root_cause}" + (f": {first.because[0]}" if first.because else "")
        )
    else:
        because.append(_untold(sit, rec.at))
    head = Hypothesis("recovered", 0.9, tuple(because), ())
    return [head, *(_with(h, cap=h.confidence * 0.5) for h in was)]


def rank_situation(findings: Sequence[Finding], sit: Situation) -> list[Hypothesis]:
    errors = [f for f in findings if f.verdict == Verdict.ERROR]
    if not sit.incident and not errors:
        floor = f"fewer than {NOISE_COUNT} 5XX or under {NOISE_RATE:.1%} of requests in any {5}-minute window"
        why = (
            f"no 5XX above the noise floor ({floor})",
            f"{sit.failing_traces} failing execution-log traces (noise)"
            if sit.failing_traces
            else "no failing traces",
            *(
                [f"{f.check_id}: {f.summary}" for f in latent]
                if (latent := [f for f in findings if f.summary.startswith(LATENT)])
                else ["no check at error"]
            ),
        )
        return [Hypothesis("none", 0.9, why, ())]
    if sit.recovery is not None:
        return _recovered(sit)
    scored = _score_all(sit)
    if not scored and not sit.incident:
        return [
            Hypothesis(
                "none", 0.6, ("no 5XX above the noise floor", "checks at error explain no incident"), ()
            )
        ]
    return _honest(scored, _hypotheses(scored))
