"""Packets and health checks: security-group evaluation and causal NLB target health with lag.

Health is recomputed from state after every action and reported with the delay an NLB has:
a target turns unhealthy after `unhealthy_threshold` failed checks and healthy again after
`healthy_threshold` passing ones (interval each), going through "initial" when it comes back
from "unused".
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from apigw_cockpit.demo.world.state import NlbState, TargetState, WorldState


@lru_cache(maxsize=4096)
def _within(inner: str, outer: str) -> bool:
    a, b = ipaddress.ip_network(inner, strict=False), ipaddress.ip_network(outer, strict=False)
    return a.version == b.version and a.subnet_of(b)  # type: ignore[arg-type]


def admits(
    ws: WorldState, sgs: list[str], port: int, source_cidr: str, source_sgs: list[str] | None = None
) -> bool:
    """Does any rule of any group admit TCP `port` from every address of `source_cidr` (or a source SG)?"""
    for name in sgs:
        sg = ws.security_groups.get(name)
        if sg is None:
            continue
        for r in sg.ingress:
            if r.protocol not in ("tcp", "-1", "6"):
                continue
            if r.protocol != "-1" and r.from_port != -1 and not (r.from_port <= port <= r.to_port):
                continue
            if r.cidr and source_cidr and _within(source_cidr, r.cidr):
                return True
            if r.source_sg and source_sgs and r.source_sg in source_sgs:
                return True
    return False


def nlb_source_cidr(ws: WorldState, nlb: NlbState, az: str) -> str:
    """Where the NLB's packets to a target in `az` come from: its subnet in that AZ (no client IP
    preservation for IP targets over TCP by default), or any of its subnets with cross-zone."""
    for s in nlb.subnets:
        if ws.subnets[s].az == az:
            return ws.subnets[s].cidr
    return ws.subnets[nlb.subnets[0]].cidr if nlb.subnets else ""


def nlb_admitted(ws: WorldState, nlb: NlbState, t: TargetState, port: int) -> bool:
    return admits(ws, t.security_groups, port, nlb_source_cidr(ws, nlb, t.az), nlb.security_groups)


def enabled_azs(ws: WorldState, nlb: NlbState) -> set[str]:
    return {ws.subnets[s].az for s in nlb.subnets}


@dataclass(frozen=True)
class Health:
    state: str  # healthy | unhealthy | unused | initial
    reason: str = ""
    description: str = ""


_DESCRIPTIONS = {
    "Target.FailedHealthChecks": "Health checks failed",
    "Target.NotInUse": "Target is in an Availability Zone that is not enabled for the load balancer",
    "Elb.InitialHealthChecking": "Initial health checks in progress",
    "Target.NotRegistered": "Target is not registered to the target group",
}


def raw_health(ws: WorldState, t: TargetState) -> Health:
    """What the health checks would conclude right now if they had run long enough."""
    tg = ws.target_groups[t.target_group]
    nlb = ws.nlb_of_tg(t.target_group)
    if not t.registered:
        return Health("unused", "Target.NotRegistered", _DESCRIPTIONS["Target.NotRegistered"])
    if nlb is None or nlb.deleted:
        return Health(
            "unused",
            "Target.NotInUse",
            "Target group is not configured to receive traffic from the load balancer",
        )
    if t.az not in enabled_azs(ws, nlb):
        return Health("unused", "Target.NotInUse", _DESCRIPTIONS["Target.NotInUse"])
    port = t.port if tg.hc_port == "traffic-port" else int(tg.hc_port)
    if not nlb_admitted(ws, nlb, t, port) or not ws.backends[t.backend].up:
        return Health("unhealthy", "Target.FailedHealthChecks", _DESCRIPTIONS["Target.FailedHealthChecks"])
    return Health("healthy")


class HealthTracker:
    """Per-target transitions: (from, to, since, lag); state_at(t) applies the threshold delay."""

    def __init__(self, ws: WorldState) -> None:
        self.ws = ws
        self._tr: dict[str, tuple[Health, Health, float, float]] = {}
        self._routable: dict[tuple[str, int], list[TargetState]] = {}

    def routable(self, tg: str, t: float) -> list[TargetState]:
        """Where the NLB sends a new connection at time t: healthy targets in enabled AZs, or all
        targets in enabled AZs when none is healthy (fail-open). Cached per second: health only
        changes on whole health-check transitions."""
        key = (tg, int(t))
        hit = self._routable.get(key)
        if hit is not None:
            return hit
        if len(self._routable) > 64:
            self._routable.clear()
        nlb = self.ws.nlb_of_tg(tg)
        if nlb is None or nlb.deleted:
            pool: list[TargetState] = []
        else:
            azs = enabled_azs(self.ws, nlb)
            pool = [x for x in self.ws.targets_of(tg) if x.az in azs]
        healthy = [x for x in pool if self.at(x.name, t).state == "healthy"]
        self._routable[key] = healthy or pool
        return self._routable[key]

    def reset(self, t: float) -> None:
        self._routable.clear()
        for name, tgt in self.ws.targets.items():
            h = raw_health(self.ws, tgt)
            self._tr[name] = (h, h, t, 0.0)

    def update(self, t: float) -> None:
        """Call after every mutation: start a transition for each target whose raw health changed."""
        self._routable.clear()
        for name, tgt in self.ws.targets.items():
            new = raw_health(self.ws, tgt)
            cur = self._tr.get(name)
            if cur is None:
                self._tr[name] = (new, new, t, 0.0)
                continue
            if cur[1] == new:
                continue
            now = self.at(name, t)
            tg = self.ws.target_groups[tgt.target_group]
            if new.state == "unused" or now.state == new.state:
                lag = 0.0
            elif new.state == "healthy":
                lag = tg.healthy_threshold * tg.hc_interval_s
            else:
                lag = tg.unhealthy_threshold * tg.hc_interval_s
            if now.state == "unused" and new.state != "unused":
                now = Health(
                    "initial", "Elb.InitialHealthChecking", _DESCRIPTIONS["Elb.InitialHealthChecking"]
                )
                lag = tg.healthy_threshold * tg.hc_interval_s
            self._tr[name] = (now, new, t, lag)

    def at(self, target: str, t: float) -> Health:
        frm, to, since, lag = self._tr[target]
        return to if t - since >= lag else frm

    def describe(self, tg: str, t: float) -> list[dict[str, object]]:
        """DescribeTargetHealth "TargetHealthDescriptions"."""
        out: list[dict[str, object]] = []
        for tgt in self.ws.targets_of(tg):
            h = self.at(tgt.name, t)
            th: dict[str, object] = {"State": h.state}
            if h.reason:
                th["Reason"] = h.reason
                th["Description"] = h.description
            tg_state = self.ws.target_groups[tg]
            out.append(
                {
                    "Target": {"Id": tgt.ip, "Port": tgt.port, "AvailabilityZone": tgt.az},
                    "HealthCheckPort": str(
                        tgt.port if tg_state.hc_port == "traffic-port" else tg_state.hc_port
                    ),
                    "TargetHealth": th,
                }
            )
        return out
