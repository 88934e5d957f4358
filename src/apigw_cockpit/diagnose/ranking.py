"""Root-cause ranking: facts × the weights of rules.toml → ordered hypotheses with "because"."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources

from apigw_cockpit.diagnose.facts import Situation, situation
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Finding, Hypothesis, Verdict

SCALE = 3.0  # score at which raw confidence reaches 1 - 1/e


@cache
def requirements() -> dict[str, tuple[str, ...]]:
    """Cause → facts of which at least one must hold (rules.toml `requires`)."""
    text = resources.files(__package__).joinpath("rules.toml").read_text("utf-8")
    return {cause: tuple(table.get("requires", ())) for cause, table in tomllib.loads(text).items()}


@cache
def rules() -> dict[str, dict[str, float]]:
    text = resources.files(__package__).joinpath("rules.toml").read_text("utf-8")
    return {
        cause: {k: float(w) for k, w in weights.items() if k != "requires"}
        for cause, weights in tomllib.loads(text).items()
    }


def _healthy(findings: Sequence[Finding], sit: Situation) -> bool:
    errors = [f for f in findings if f.verdict == Verdict.ERROR]
    return sit.recent_5xx <= 0 and sit.failing_traces == 0 and not errors


def rank(findings: Sequence[Finding], obs: Observations) -> list[Hypothesis]:
    """Root causes ordered by score; `none` first when nothing fails.

    An empty list means "5XX, but no rule explains it" (reported as root_cause null).
    """
    sit = situation(findings, obs)
    return rank_situation(findings, sit)


def rank_situation(findings: Sequence[Finding], sit: Situation) -> list[Hypothesis]:
    if _healthy(findings, sit):
        healthy = (
            "no 5XXError in the recent periods",
            "no failing execution-log traces",
            "no check at error",
        )
        return [Hypothesis("none", 0.9, healthy, ())]
    scored: list[tuple[float, str, list[str], list[str]]] = []
    needs = requirements()
    for cause, weights in rules().items():
        if needs.get(cause) and not any(f in sit.facts for f in needs[cause]):
            continue
        score = 0.0
        because: list[tuple[float, str]] = []
        check_ids: list[str] = []
        for fact_name, weight in weights.items():
            fact = sit.facts.get(fact_name)
            if fact is None:
                continue
            contribution = weight * fact.strength
            score += contribution
            if contribution > 0:
                because.append((contribution, fact.why))
                if fact_name.startswith(("check:", "cause:")):
                    check_ids.append(fact_name.split(":")[1])
        if score > 0:
            because.sort(key=lambda b: -b[0])
            scored.append((score, cause, [w for _, w in because], check_ids))
    scored.sort(key=lambda s: -s[0])
    total = sum(s for s, *_ in scored) or 1.0
    out = []
    for score, cause, because_lines, check_ids in scored:
        raw = 1.0 - math.exp(-score / SCALE)
        confidence = round(raw * math.sqrt(score / total), 3)
        out.append(
            Hypothesis(
                cause, confidence, tuple(dict.fromkeys(because_lines)), tuple(dict.fromkeys(check_ids))
            )
        )
    return out
