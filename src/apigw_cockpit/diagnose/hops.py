"""The request path as hops, each judged by the checks that look at it (data: HOP_CHECKS).

The hop map draws these; it never judges a hop itself, so it cannot disagree with `check`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apigw_cockpit.model import Finding, Topology, Verdict

OK, WARN, BAD, UNKNOWN = "ok", "warn", "bad", "unknown"

# hop → the checks whose verdicts judge it (worst known verdict wins). The TG hop reads the live
# health only: security-groups judges the topology as discovered at start (a fix does not update
# it until the next discovery) and flow-logs counts REJECTs over its whole window, fix or not.
HOP_CHECKS: dict[str, tuple[str, ...]] = {
    "APIGW": ("logging", "mapping-templates", "stage-variables", "cors-preflight"),
    "integration": ("latency-shape", "timeouts"),
    "Lambda": ("lambda-health", "lambda-permission", "execution-role", "proxy-response"),
    "VPC link": ("vpc-link",),
    "NLB": ("nlb-subnets",),
    "TG": ("target-health",),
}
_STATUS = {Verdict.ERROR: BAD, Verdict.WARN: WARN, Verdict.OK: OK}
_ORDER = (BAD, WARN, OK)


@dataclass(frozen=True)
class Hop:
    name: str
    status: str
    detail: str = ""


def _judge(name: str, by_id: dict[str, Finding]) -> Hop:
    judged = [by_id[c] for c in HOP_CHECKS[name] if c in by_id and by_id[c].verdict in _STATUS]
    if not judged:
        return Hop(name, UNKNOWN)
    worst = min(judged, key=lambda f: _ORDER.index(_STATUS[f.verdict]))
    status = _STATUS[worst.verdict]
    return Hop(name, status, "" if status == OK else f"{worst.check_id}: {worst.summary}")


def hops(topology: Topology, findings: Sequence[Finding]) -> tuple[Hop, ...]:
    """client → APIGW → integration → (Lambda | VPC link → NLB → TG), as the topology has them."""
    by_id = {f.check_id: f for f in findings}
    names = ["APIGW", "integration"]
    if topology.lambdas:
        names.append("Lambda")
    if topology.vpc_links:
        names.append("VPC link")
    if topology.load_balancers:
        names += ["NLB", "TG"]
    return (Hop("client", OK), *(_judge(n, by_id) for n in names))


def broken_hop(path: Sequence[Hop]) -> int | None:
    """Index of the hop to blame: the furthest-downstream BAD one (upstream hops suffer its effects)."""
    bad = [i for i, h in enumerate(path) if h.status == BAD]
    return bad[-1] if bad else None
