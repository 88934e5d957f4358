"""The request path as hops, each judged only from its own evidence (no diagnose needed)."""

from __future__ import annotations

from dataclasses import dataclass

from apigw_cockpit.ui.state import CockpitState

OK, WARN, BAD, UNKNOWN = "ok", "warn", "bad", "unknown"


@dataclass(frozen=True)
class Hop:
    name: str
    status: str
    detail: str = ""


def _latest(
    state: CockpitState, metric: str, stat: str | None = None, ns: str = "AWS/ApiGateway"
) -> float | None:
    s = state.series(metric, stat, ns)
    return s.latest if s else None


def hops(state: CockpitState) -> list[Hop]:
    t = state.topology
    out = [Hop("client", OK)]
    five = _latest(state, "5XXError")
    out.append(
        Hop(
            "APIGW",
            UNKNOWN if five is None else (WARN if five > 0 else OK),
            f"5XX {five:.0f}" if five else "",
        )
    )
    p99 = _latest(state, "IntegrationLatency", "p99")
    timeout = state.integration_timeout_ms()
    if p99 is None:
        out.append(Hop("integration", UNKNOWN))
    elif p99 >= 0.9 * timeout:
        out.append(Hop("integration", BAD, f"p99 {p99 / 1000:.1f}s ≈ timeout"))
    else:
        out.append(Hop("integration", OK))
    if t.lambdas:
        errors = _latest(state, "Errors", "Sum", "AWS/Lambda")
        out.append(Hop("Lambda", UNKNOWN if errors is None else (BAD if errors > 0 else OK)))
    if t.vpc_links:
        bad = [v for v in t.vpc_links if v.status != "AVAILABLE"]
        out.append(Hop("VPC link", BAD if bad else OK, bad[0].status if bad else ""))
    if t.load_balancers:
        out.append(Hop("NLB", OK if t.load_balancers else UNKNOWN))
        healthy = sum(1 for th in state.targets if th.state == "healthy")
        total = len(state.targets) or sum(len(tg.targets) for tg in t.target_groups())
        if not state.targets:
            out.append(Hop("TG", UNKNOWN))
        elif healthy == 0:
            out.append(Hop("TG", BAD, f"0/{total} healthy"))
        else:
            out.append(Hop("TG", WARN if healthy < total else OK, f"{healthy}/{total} healthy"))
    return out


def broken_hop(path: list[Hop]) -> int | None:
    """Index of the hop to blame: the furthest-downstream BAD one (upstream hops suffer its effects)."""
    bad = [i for i, h in enumerate(path) if h.status == BAD]
    return bad[-1] if bad else None
