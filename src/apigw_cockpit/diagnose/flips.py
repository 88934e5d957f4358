"""Verdicts a rediscovery changed: the timeline's "security-groups: error → ok after rediscovery".

Live configuration (aws/sources/topology.py) re-reads the topology when CloudTrail shows a change
on the path, and slowly anyway. When the engine's answer after that read differs from its answer
before it, the difference is an event of the incident: the fix (or the break) as the checks saw
it. Pure: two lists of findings in, the flips out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.model import Finding

_CHANGE = "change: "


@dataclass(frozen=True)
class VerdictFlip:
    at: float  # when the configuration was read again
    check_id: str
    before: str
    after: str
    reason: str  # what made us look, as a person reads it
    summary: str  # the check's answer now

    @property
    def title(self) -> str:
        return f"{self.check_id}: {self.before} → {self.after} after rediscovery ({self.reason})"


def rediscovery_reason(reason: str) -> str:
    """TopologyUpdate.reason ("change: AuthorizeSecurityGroupIngress sg-…", "periodic") for a title."""
    if reason.startswith(_CHANGE):
        return "CloudTrail " + reason.removeprefix(_CHANGE)
    return "periodic refresh" if reason == "periodic" else reason


def verdict_flips(
    before: Sequence[Finding], after: Sequence[Finding], at: float, reason: str
) -> list[VerdictFlip]:
    """Checks whose verdict differs between the answer before the rediscovery and the one after."""
    old = {f.check_id: f.verdict.value for f in before}
    why = rediscovery_reason(reason)
    return [
        VerdictFlip(at, f.check_id, old[f.check_id], f.verdict.value, why, f.summary)
        for f in after
        if f.check_id in old and old[f.check_id] != f.verdict.value
    ]
