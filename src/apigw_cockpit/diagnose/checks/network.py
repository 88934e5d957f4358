"""Checks of the VPC-link hop: link status, NLB AZs, target health, security groups, flow logs."""

from __future__ import annotations

import ipaddress
from collections import Counter, defaultdict

from apigw_cockpit.diagnose.checks.base import CheckSpec
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Finding, LoadBalancer, SecurityGroup, SgRule, TargetGroup, Verdict


def check_vpc_link(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    ids = {i.connection_id for i in topo.integrations() if i.connection_type == "VPC_LINK"}
    if not ids:
        return spec.finding(obs, Verdict.OK, "no VPC-link integrations")
    lb_arns = {lb.arn for lb in topo.load_balancers}
    evidence: list[str] = []
    problems: list[str] = []
    for link_id in sorted(ids):
        link = next((v for v in topo.vpc_links if v.id == link_id), None)
        if link is None:
            if any(link_id in e.part for e in topo.errors):
                return spec.unknown(obs, f"cannot read VPC link {link_id}")
            problems.append(f"VPC link {link_id} does not exist")
            continue
        evidence.append(f"vpc link {link.id} status={link.status} targets={','.join(link.target_arns)}")
        if link.status_message:
            evidence.append(f"vpc link {link.id} statusMessage: {link.status_message}")
        if link.status.upper() != "AVAILABLE":
            problems.append(f"VPC link {link.id} is {link.status}")
        missing = [a for a in link.target_arns if a not in lb_arns]
        if missing and topo.load_balancers is not None:
            problems.append(f"VPC link {link.id} points at a missing NLB {missing[0].split('/')[-2:]}")
    link_lines = [c.result.evidence[0] for c in obs.classified if c.result.verdict == "vpc-link-internal"]
    evidence += link_lines[:2]
    if problems:
        return spec.finding(
            obs, Verdict.ERROR, "; ".join(problems), evidence=evidence, root_causes=("vpc-link-unavailable",)
        )
    return spec.finding(obs, Verdict.OK, "VPC link AVAILABLE and pointing at the NLB", evidence=evidence)


def check_target_health(spec: CheckSpec, obs: Observations) -> Finding:
    if not obs.target_health:
        if not obs.topology.target_groups():
            return spec.finding(obs, Verdict.OK, "no NLB target groups on the path")
        return spec.unknown(obs, "no data: no DescribeTargetHealth answer yet")
    per_tg: dict[str, list[str]] = defaultdict(list)
    reasons: Counter[str] = Counter()
    healthy = 0
    for th in obs.target_health:
        ok = th.state == "healthy"
        healthy += ok
        if not ok:
            reasons[th.reason or th.state] += 1
        per_tg[
            th.target_group_arn.split("/")[-2] if "/" in th.target_group_arn else th.target_group_arn
        ].append(f"{th.target_id}:{th.port} {th.az} {th.state}{' ' + th.reason if th.reason else ''}")
    total = len(obs.target_health)
    evidence = [f"{tg}: {t}" for tg, targets in per_tg.items() for t in targets][:10]
    evidence += [f"reason {r}: {n}" for r, n in reasons.most_common()]
    causes: list[str] = []
    if reasons.get("Target.NotInUse"):
        causes.append("nlb-subnet-mismatch")
    if reasons.get("Target.FailedHealthChecks"):
        causes += ["sg-blocks-nlb-targets", "backend-unreachable", "backend-crash-under-load"]
    summary = f"{healthy}/{total} targets healthy"
    if healthy == 0:
        why = ", ".join(r for r in reasons)
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"{summary} ({why}); NLB fails open: traffic still goes to blocked targets",
            evidence=evidence,
            root_causes=causes,
        )
    if healthy < total:
        return spec.finding(obs, Verdict.WARN, summary, evidence=evidence, root_causes=causes)
    return spec.finding(obs, Verdict.OK, summary, evidence=evidence)


def check_nlb_subnets(spec: CheckSpec, obs: Observations) -> Finding:
    lbs = obs.topology.load_balancers
    if not lbs:
        return spec.finding(obs, Verdict.OK, "no NLB on the path")
    evidence: list[str] = []
    problems: list[str] = []
    for lb in lbs:
        enabled = {zone for zone, _ in lb.azs}
        evidence.append(f"{lb.name}: enabled AZs {', '.join(sorted(enabled)) or 'none'}")
        for tg in lb.target_groups:
            outside = sorted({t.az for t in tg.targets if t.az and t.az not in enabled})
            azs = sorted({t.az for t in tg.targets if t.az})
            evidence.append(f"{tg.name}: targets in {', '.join(azs) or '?'}")
            if outside:
                stranded = sum(1 for t in tg.targets if t.az in outside)
                problems.append(
                    f"{stranded}/{len(tg.targets)} targets of {tg.name} in {', '.join(outside)}, "
                    f"not enabled on {lb.name}"
                )
    if problems:
        return spec.finding(
            obs, Verdict.ERROR, "; ".join(problems), evidence=evidence, root_causes=("nlb-subnet-mismatch",)
        )
    return spec.finding(obs, Verdict.OK, "NLB AZs cover every target", evidence=evidence)


def _admits(rule: SgRule, port: int, source: str, source_sgs: tuple[str, ...]) -> bool:
    if rule.protocol not in ("-1", "tcp", "6"):
        return False
    if rule.protocol != "-1" and not rule.from_port <= port <= rule.to_port:
        return False
    if rule.source_sg:
        return rule.source_sg in source_sgs
    try:
        return ipaddress.ip_network(source, strict=False).subnet_of(
            ipaddress.ip_network(rule.cidr, strict=False)  # type: ignore[arg-type]
        )
    except (ValueError, TypeError):
        return False


def _group_admits(sgs: list[SecurityGroup], port: int, source: str, source_sgs: tuple[str, ...]) -> bool:
    return any(_admits(r, port, source, source_sgs) for sg in sgs for r in sg.ingress)


def _hc_port(tg: TargetGroup, traffic_port: int) -> int:
    return traffic_port if tg.health_check_port in ("", "traffic-port") else int(tg.health_check_port)


def _check_targets(obs: Observations, lb: LoadBalancer, evidence: list[str], problems: list[str]) -> bool:
    """Evaluate target SGs of one NLB; False when a group could not be read."""
    topo = obs.topology
    hc_sources = list(lb.subnet_cidrs) or ([topo.vpc_cidr] if topo.vpc_cidr else [])
    traffic_sources = hc_sources + ([topo.vpc_cidr] if topo.vpc_cidr else [])
    seen: set[tuple[tuple[str, ...], int]] = set()
    for tg in lb.target_groups:
        for t in tg.targets:
            if not t.security_groups or (t.security_groups, t.port) in seen:
                continue
            seen.add((t.security_groups, t.port))
            sgs = [topo.security_group(i) for i in t.security_groups]
            if any(sg is None for sg in sgs):
                return False
            groups = [sg for sg in sgs if sg is not None]
            rules = [
                f"{r.protocol}/{r.from_port}-{r.to_port} from {r.cidr or r.source_sg}"
                for g in groups
                for r in g.ingress
            ]
            evidence.append(
                f"{','.join(t.security_groups)} (target {t.id}:{t.port})"
                f" inbound: {'; '.join(rules) or 'none'}"
            )
            hc = _hc_port(tg, t.port)
            blocked_hc = [c for c in hc_sources if not _group_admits(groups, hc, c, lb.security_groups)]
            if blocked_hc:
                problems.append(
                    f"{','.join(t.security_groups)} does not admit health checks on tcp/{hc}"
                    " from NLB subnets "
                    f"{', '.join(blocked_hc)}"
                )
            if traffic_sources and not any(
                _group_admits(groups, t.port, c, lb.security_groups) for c in traffic_sources
            ):
                problems.append(
                    f"{','.join(t.security_groups)} does not admit traffic on tcp/{t.port} from the NLB/VPC"
                )
    return True


def check_security_groups(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    if not topo.load_balancers:
        return spec.finding(obs, Verdict.OK, "no NLB targets on the path")
    if not any(lb.subnet_cidrs for lb in topo.load_balancers) and not topo.vpc_cidr:
        return spec.unknown(obs, "no data: NLB subnet CIDRs and VPC CIDR unknown")
    evidence: list[str] = []
    problems: list[str] = []
    for lb in topo.load_balancers:
        if not _check_targets(obs, lb, evidence, problems):
            return spec.unknown(obs, "cannot read the targets' security groups (ec2:DescribeSecurityGroups)")
        lb_sgs = [topo.security_group(i) for i in lb.security_groups]
        sources = [topo.vpc_cidr] if topo.vpc_cidr else []
        for port in lb.listener_ports:
            groups = [g for g in lb_sgs if g is not None]
            if groups and sources and not any(_group_admits(groups, port, c, ()) for c in sources):
                problems.append(f"NLB {lb.name} security groups do not admit tcp/{port} from {sources[0]}")
    if problems:
        return spec.finding(
            obs,
            Verdict.ERROR,
            problems[0],
            evidence=evidence + problems[1:],
            root_causes=("sg-blocks-nlb-targets",),
        )
    return spec.finding(obs, Verdict.OK, "security groups admit health checks and traffic", evidence=evidence)


def check_flow_logs(spec: CheckSpec, obs: Observations) -> Finding:
    groups = obs.topology.log_groups.flow_logs
    if not groups:
        return spec.unknown(obs, "no data: no VPC flow logs configured for the VPC")
    records = [e.message for g in groups for e in obs.events_in(g)]
    if not records:
        return spec.unknown(obs, "no data: no flow-log records in the window")
    target_ips = {t.id for tg in obs.topology.target_groups() for t in tg.targets}
    target_ports = {str(t.port) for tg in obs.topology.target_groups() for t in tg.targets}
    rejects = []
    for rec in records:
        f = rec.split()
        if len(f) >= 13 and f[12] == "REJECT" and (f[4] in target_ips or f[6] in target_ports):
            rejects.append(rec)
    if rejects:
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"{len(rejects)} REJECT records toward the targets",
            evidence=rejects[:5],
            root_causes=("sg-blocks-nlb-targets",),
        )
    return spec.finding(obs, Verdict.OK, f"{len(records)} flow-log records, no REJECT toward targets")
