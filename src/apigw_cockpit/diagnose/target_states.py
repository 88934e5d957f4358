"""Target health as what it means: every ELBv2 state and reason code, from target_states.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class HealthMeaning:
    meaning: str
    fault: bool
    causes: tuple[str, ...] = ()


@cache
def health_table() -> tuple[dict[str, HealthMeaning], dict[str, HealthMeaning]]:
    """(state → meaning, reason → meaning) from target_states.toml."""
    text = resources.files("apigw_cockpit.diagnose").joinpath("target_states.toml").read_text("utf-8")
    raw = tomllib.loads(text)

    def table(section: str) -> dict[str, HealthMeaning]:
        return {
            k: HealthMeaning(v["meaning"], bool(v["fault"]), tuple(v.get("causes", ())))
            for k, v in raw[section].items()
        }

    return table("state"), table("reason")


def health_meaning(state: str, reason: str) -> HealthMeaning:
    """What one (state, reason) means; the reason is the more specific. Unknown → a fault, said so."""
    states, reasons = health_table()
    if reason in reasons:
        by_reason = reasons[reason]
        # A reason that is no fault on its own (e.g. deregistering) under an unhealthy state still is.
        fault = by_reason.fault or (states.get(state, HealthMeaning("", True)).fault and state != "unused")
        return HealthMeaning(by_reason.meaning, fault, by_reason.causes)
    if state in states:
        return states[state]
    return HealthMeaning(f"unknown state {state!r}{' / ' + reason if reason else ''}", True)
