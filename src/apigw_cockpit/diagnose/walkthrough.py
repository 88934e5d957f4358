"""The guided walkthrough: walkthrough.toml's tree, ticked off by the evidence we have."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from apigw_cockpit.diagnose.observations import Observations, failing
from apigw_cockpit.diagnose.verification import all_passed, verify
from apigw_cockpit.model import Finding, Verdict

ANSWERED, CURRENT, BLOCKED, PENDING = "answered", "current", "blocked", "pending"


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    look_at: str
    checks: tuple[str, ...]
    answer: str
    next: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepState:
    id: str
    title: str
    look_at: str
    state: str  # answered | current | blocked | pending
    outcome: str = ""
    evidence: tuple[str, ...] = ()
    check_ids: tuple[str, ...] = ()
    next_id: str = ""


@cache
def tree() -> tuple[str, dict[str, Step]]:
    # tomllib types what it parses as Any: each value is converted to the field's type here,
    # so nothing untyped leaves this function.
    raw = tomllib.loads(resources.files(__package__).joinpath("walkthrough.toml").read_text("utf-8"))
    steps = {
        str(s["id"]): Step(
            id=str(s["id"]),
            title=str(s["title"]),
            look_at=str(s.get("look_at", "")),
            checks=tuple(str(c) for c in s.get("checks", ())),
            answer=str(s.get("answer", "checks")),
            next={str(k): str(v) for k, v in dict(s.get("next", {})).items()},
        )
        for s in raw["step"]
    }
    return str(raw["root"]), steps


def _status_outcome(obs: Observations) -> tuple[str, tuple[str, ...]]:
    bad = failing(obs)
    counts = Counter(str(c.result.status) for c in bad if c.result.status in (500, 502, 504))
    if not counts:
        return "none", ("no failing request with 500/502/504",)
    status, _n = counts.most_common(1)[0]
    return status, tuple(f"{s}: {k} requests" for s, k in counts.most_common())


def _evaluate(step: Step, obs: Observations, by_id: dict[str, Finding]) -> tuple[str, str, tuple[str, ...]]:
    """(state, outcome, evidence) for one step."""
    if not step.checks:
        steps = verify(obs)
        ev = tuple(f"{s.id} {s.status}: {s.title}" for s in steps)
        return (ANSWERED, "clear", ev) if all_passed(steps) else (CURRENT, "", ev)
    found = [by_id[c] for c in step.checks if c in by_id]
    if not found or all(f.verdict == Verdict.UNKNOWN for f in found):
        why = tuple(f"{f.check_id}: {f.why or f.summary}" for f in found) or ("checks not run yet",)
        needs_action = any(f.why.startswith("not run") for f in found)
        return (CURRENT if needs_action or not found else BLOCKED), "unknown", why
    evidence = tuple(f"{f.check_id} {f.verdict.value}: {f.summary}" for f in found)
    if step.answer == "status":
        outcome, ev = _status_outcome(obs)
        return ANSWERED, outcome, ev + evidence
    problem = any(f.verdict in (Verdict.WARN, Verdict.ERROR) for f in found)
    return ANSWERED, "problem" if problem else "clear", evidence


def walk(obs: Observations, findings: Sequence[Finding]) -> list[StepState]:
    """Follow the tree from the root: answered steps, then the current one, then the rest pending."""
    root, steps = tree()
    by_id = {f.check_id: f for f in findings}
    out: list[StepState] = []
    visited: set[str] = set()
    step_id: str | None = root
    while step_id and step_id in steps and step_id not in visited:
        visited.add(step_id)
        step = steps[step_id]
        state, outcome, evidence = _evaluate(step, obs, by_id)
        nxt = step.next.get(outcome) or step.next.get("clear") or step.next.get("none") or ""
        out.append(StepState(step.id, step.title, step.look_at, state, outcome, evidence, step.checks, nxt))
        if state == CURRENT:
            break
        step_id = nxt
    out += [
        StepState(s.id, s.title, s.look_at, PENDING, check_ids=s.checks)
        for s in steps.values()
        if s.id not in visited
    ]
    return out


def current(states: Sequence[StepState]) -> StepState | None:
    return next((s for s in states if s.state == CURRENT), None)
