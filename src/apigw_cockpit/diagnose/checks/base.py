"""The check table (catalog.toml) and the helpers every check uses to build its Finding."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from apigw_cockpit.diagnose.logging_setup import methods_logging_off, role_problem
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Finding, Severity, Verdict

_SEVERITY = {
    Verdict.OK: Severity.INFO,
    Verdict.UNKNOWN: Severity.WARNING,
    Verdict.WARN: Severity.WARNING,
    Verdict.ERROR: Severity.ERROR,
}


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    sources: tuple[str, ...]
    needs_probe: bool
    doc_url: str
    fix: str
    # What an HTTP API lacks that this check reads ("" = the check applies to HTTP APIs too).
    http_absent: str = ""

    def finding(
        self,
        obs: Observations,
        verdict: Verdict,
        summary: str,
        *,
        evidence: Sequence[str] = (),
        why: str = "",
        root_causes: Sequence[str] = (),
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            check_id=self.id,
            title=self.title,
            verdict=verdict,
            summary=summary,
            severity=severity or _SEVERITY[verdict],
            evidence=tuple(e[:300] for e in evidence[:12]),
            fix=self.fix if verdict in (Verdict.WARN, Verdict.ERROR) else "",
            doc_url=self.doc_url,
            why=why,
            root_causes=tuple(root_causes),
            at=obs.now,
        )

    def unknown(self, obs: Observations, why: str, *, evidence: Sequence[str] = ()) -> Finding:
        """Cannot tell: says why, preferring the reason a source gave (denied, error)."""
        problem = obs.source_problem(*self.sources)
        reason = problem or why
        return self.finding(obs, Verdict.UNKNOWN, f"unknown: {reason}", why=reason, evidence=evidence)


CheckFn = Callable[[CheckSpec, Observations], Finding]


@cache
def catalog() -> dict[str, CheckSpec]:
    text = resources.files("apigw_cockpit.diagnose.checks").joinpath("catalog.toml").read_text("utf-8")
    return {
        c["id"]: CheckSpec(
            id=c["id"],
            title=c["title"],
            sources=tuple(c.get("sources", ())),
            needs_probe=bool(c.get("needs_probe", False)),
            doc_url=c.get("doc_url", ""),
            fix=c.get("fix", ""),
            http_absent=str(c.get("http_absent", "")),
        )
        for c in tomllib.loads(text)["check"]
    }


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "?"
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def logging_off_reason(obs: Observations) -> str:
    """Why execution logs cannot be there, or '' when logging is on."""
    stage = obs.topology.stage
    if stage.logging_level.upper() == "OFF":
        return "no data: execution logging is OFF on the stage"
    role = role_problem(obs.topology)
    if role:
        return f"no data: {role}"
    off = methods_logging_off(obs.topology)
    if off and len(off) == len([m for _, m in obs.topology.methods() if m.http_method != "OPTIONS"]):
        return "no data: execution logging is OFF for every method (methodSettings overrides)"
    return ""
