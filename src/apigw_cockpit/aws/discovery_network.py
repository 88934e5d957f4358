"""Discovery of the network path: VPC link → NLB → listeners → target groups → targets → SGs.

Also the subnets/VPC CIDRs the checks compare against, the VPC endpoints of private APIs,
and flow-log groups of the VPC (if DescribeFlowLogs is allowed).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.discovery_subnets import discover_subnets
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.untyped import Client, Raw
from apigw_cockpit.model import (
    LoadBalancer,
    PartError,
    SecurityGroup,
    SgRule,
    Subnet,
    Target,
    TargetGroup,
    Topology,
    VpcEndpoint,
    VpcLink,
)


@dataclass(frozen=True)
class Network:
    vpc_links: tuple[VpcLink, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    vpc_cidr: str = ""
    flow_log_groups: tuple[str, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    vpc_cidrs: tuple[str, ...] = ()


def sg_rules(perms: list[Raw]) -> tuple[SgRule, ...]:
    """IpPermissions → one SgRule per source (CIDR, IPv6 CIDR, SG, prefix list)."""
    out: list[SgRule] = []
    for p in perms:
        proto = str(p.get("IpProtocol", "-1"))
        lo = int(p.get("FromPort", 0) if proto != "-1" else 0)
        hi = int(p.get("ToPort", 65535) if proto != "-1" else 65535)
        for r in p.get("IpRanges", []):
            out.append(SgRule(proto, lo, hi, cidr=r.get("CidrIp", ""), description=r.get("Description", "")))
        for r in p.get("Ipv6Ranges", []):
            out.append(
                SgRule(proto, lo, hi, cidr=r.get("CidrIpv6", ""), description=r.get("Description", ""))
            )
        for r in p.get("UserIdGroupPairs", []):
            out.append(
                SgRule(proto, lo, hi, source_sg=r.get("GroupId", ""), description=r.get("Description", ""))
            )
        for r in p.get("PrefixListIds", []):
            out.append(
                SgRule(proto, lo, hi, cidr=r.get("PrefixListId", ""), description=r.get("Description", ""))
            )
    return tuple(out)


async def _targets(elb: Client, ec2: Client, tg_arn: str, parts: Parts) -> tuple[Target, ...]:
    got = await parts.get(
        f"targets:{tg_arn}", "DescribeTargetHealth", elb.describe_target_health(TargetGroupArn=tg_arn)
    )
    descs = (got or {}).get("TargetHealthDescriptions", [])
    raw = [
        (d["Target"]["Id"], int(d["Target"].get("Port", 0)), d["Target"].get("AvailabilityZone", ""))
        for d in descs
    ]
    ips = [tid for tid, _, _ in raw if not tid.startswith("i-") and not tid.startswith("arn:")]
    inst = [tid for tid, _, _ in raw if tid.startswith("i-")]
    albs = [tid for tid, _, _ in raw if tid.startswith("arn:") and ":loadbalancer/app/" in tid]
    by_key: dict[str, tuple[str, tuple[str, ...]]] = {}
    where: dict[str, tuple[str, str, str]] = {}  # target id -> (subnet, ENI, instance)
    if albs:
        # An ALB target (TargetType "alb"): traffic lands on the ALB, so its security groups count.
        got_albs = await parts.get(
            f"alb-targets:{tg_arn}",
            "DescribeLoadBalancers",
            elb.describe_load_balancers(LoadBalancerArns=albs),
        )
        for alb in (got_albs or {}).get("LoadBalancers", []):
            by_key[alb["LoadBalancerArn"]] = ("", tuple(alb.get("SecurityGroups", []) or ()))
    if ips:
        enis = await parts.get(
            f"enis:{tg_arn}",
            "DescribeNetworkInterfaces",
            paginate(
                ec2,
                "describe_network_interfaces",
                "NetworkInterfaces",
                Filters=[{"Name": "addresses.private-ip-address", "Values": ips}],
            ),
        )
        for eni in enis or []:
            groups = tuple(g["GroupId"] for g in eni.get("Groups", []))
            addrs = {a.get("PrivateIpAddress") for a in eni.get("PrivateIpAddresses", [])}
            addrs.add(eni.get("PrivateIpAddress"))
            for a in addrs:
                if a:
                    by_key[a] = (eni.get("AvailabilityZone", ""), groups)
                    where[a] = _eni_place(eni)
    if inst:
        enis = await parts.get(
            f"enis:{tg_arn}",
            "DescribeNetworkInterfaces",
            paginate(
                ec2,
                "describe_network_interfaces",
                "NetworkInterfaces",
                Filters=[{"Name": "attachment.instance-id", "Values": inst}],
            ),
        )
        for eni in enis or []:
            iid = eni.get("Attachment", {}).get("InstanceId", "")
            prev = by_key.get(iid, ("", ()))
            groups = prev[1] + tuple(
                g["GroupId"] for g in eni.get("Groups", []) if g["GroupId"] not in prev[1]
            )
            by_key[iid] = (eni.get("AvailabilityZone", ""), groups)
            # The NLB sends to the instance's primary ENI (device index 0).
            if iid not in where or eni.get("Attachment", {}).get("DeviceIndex") == 0:
                where[iid] = _eni_place(eni)
    out = []
    for tid, port, az in raw:
        eni_az, groups = by_key.get(tid, ("", ()))
        # "all" means the target is outside the VPC; the ENI's zone is the real one when known.
        subnet, eni_id, instance = where.get(tid, ("", "", ""))
        out.append(
            Target(
                id=tid,
                port=port,
                az=(az if az and az != "all" else eni_az or az),
                security_groups=groups,
                subnet_id=subnet,
                eni_id=eni_id,
                instance_id=instance or (tid if tid.startswith("i-") else ""),
            )
        )
    return tuple(out)


def _eni_place(eni: Raw) -> tuple[str, str, str]:
    attachment = eni.get("Attachment") or {}
    return (
        eni.get("SubnetId", ""),
        eni.get("NetworkInterfaceId", ""),
        attachment.get("InstanceId", "") or "",
    )


async def _target_groups(elb: Client, ec2: Client, lb_arn: str, parts: Parts) -> tuple[TargetGroup, ...]:
    got = await parts.get(
        f"target-groups:{lb_arn}",
        "DescribeTargetGroups",
        paginate(elb, "describe_target_groups", "TargetGroups", LoadBalancerArn=lb_arn),
    )
    tgs = got or []
    targets = await asyncio.gather(*(_targets(elb, ec2, tg["TargetGroupArn"], parts) for tg in tgs))
    return tuple(
        TargetGroup(
            arn=tg["TargetGroupArn"],
            name=tg.get("TargetGroupName", ""),
            protocol=tg.get("Protocol", "TCP"),
            port=int(tg.get("Port", 0) or 0),
            health_check_protocol=tg.get("HealthCheckProtocol", "TCP"),
            health_check_port=str(tg.get("HealthCheckPort", "traffic-port")),
            health_check_path=tg.get("HealthCheckPath", "") or "",
            targets=ts,
            target_type=tg.get("TargetType", "") or "",
        )
        for tg, ts in zip(tgs, targets, strict=True)
    )


async def _load_balancer(elb: Client, ec2: Client, raw: Raw, parts: Parts) -> LoadBalancer:
    arn = raw["LoadBalancerArn"]
    attrs = await parts.get(
        f"lb-attributes:{raw.get('LoadBalancerName', arn)}",
        "DescribeLoadBalancerAttributes",
        elb.describe_load_balancer_attributes(LoadBalancerArn=arn),
    )
    cross = any(
        a.get("Key") == "load_balancing.cross_zone.enabled" and str(a.get("Value")).lower() == "true"
        for a in (attrs or {}).get("Attributes", [])
    )
    listeners = await parts.get(
        f"listeners:{arn}",
        "DescribeListeners",
        paginate(elb, "describe_listeners", "Listeners", LoadBalancerArn=arn),
    )
    azs = tuple((z.get("ZoneName", ""), z.get("SubnetId", "")) for z in raw.get("AvailabilityZones", []))
    subnet_ids = [s for _, s in azs if s]
    cidrs: tuple[str, ...] = ()
    if subnet_ids:
        subnets = await parts.get(
            "subnets", "DescribeSubnets", paginate(ec2, "describe_subnets", "Subnets", SubnetIds=subnet_ids)
        )
        cidrs = tuple(s.get("CidrBlock", "") for s in subnets or [])
    return LoadBalancer(
        arn=arn,
        name=raw.get("LoadBalancerName", ""),
        dns_name=raw.get("DNSName", ""),
        scheme=raw.get("Scheme", "internal"),
        vpc_id=raw.get("VpcId", ""),
        azs=azs,
        subnet_cidrs=cidrs,
        security_groups=tuple(raw.get("SecurityGroups", []) or ()),
        cross_zone=cross,
        listener_ports=tuple(sorted(int(x.get("Port", 0)) for x in listeners or [])),
        target_groups=await _target_groups(elb, ec2, arn, parts),
    )


async def discover_network(
    factory: ClientFactory,
    topo: Topology,
    endpoint_ids: list[str],
    parts: Parts,
    v2_links: list[VpcLink] | None = None,
) -> Network:
    """`v2_links`: an HTTP API's VPC links, already read through apigatewayv2 (their targets are
    the listeners' load balancers, and their own security groups are on the path)."""
    link_ids = sorted(
        {i.connection_id for i in topo.integrations() if i.connection_type == "VPC_LINK" and i.connection_id}
    )
    if v2_links is not None:
        link_ids = []
    if not link_ids and not endpoint_ids and not v2_links:
        return Network()
    ec2 = await factory.client("ec2")
    links: list[VpcLink] = list(v2_links or [])
    for lid in link_ids:
        apigw = await factory.client("apigateway")
        if "${" in lid:
            parts.errors.append(
                PartError(
                    f"vpc-link:{lid}", "stage-variables", "connectionId stage variable does not resolve"
                )
            )
            continue
        got = await parts.get(f"vpc-link:{lid}", "GetVpcLink", apigw.get_vpc_link(vpcLinkId=lid))
        if got:
            links.append(
                VpcLink(
                    id=got.get("id", lid),
                    name=got.get("name", ""),
                    status=got.get("status", ""),
                    status_message=got.get("statusMessage", "") or "",
                    target_arns=tuple(got.get("targetArns", []) or ()),
                )
            )
    lb_arns = sorted({a for link in links for a in link.target_arns})
    lbs: tuple[LoadBalancer, ...] = ()
    if lb_arns:
        elb = await factory.client("elbv2")
        got_lbs = await parts.get(
            "load-balancers",
            "DescribeLoadBalancers",
            paginate(elb, "describe_load_balancers", "LoadBalancers", LoadBalancerArns=lb_arns),
        )
        raws = got_lbs or []
        lbs = tuple(await asyncio.gather(*(_load_balancer(elb, ec2, r, parts) for r in raws)))
    endpoints: tuple[VpcEndpoint, ...] = ()
    if endpoint_ids:
        got_eps = await parts.get(
            "vpc-endpoints",
            "DescribeVpcEndpoints",
            paginate(ec2, "describe_vpc_endpoints", "VpcEndpoints", VpcEndpointIds=endpoint_ids),
        )
        endpoints = tuple(
            VpcEndpoint(
                id=e["VpcEndpointId"],
                vpc_id=e.get("VpcId", ""),
                service_name=e.get("ServiceName", ""),
                subnet_ids=tuple(e.get("SubnetIds", [])),
                security_groups=tuple(g["GroupId"] for g in e.get("Groups", [])),
            )
            for e in got_eps or []
        )
    sg_ids = sorted(
        {sg for lb in lbs for sg in lb.security_groups}
        | {sg for lb in lbs for tg in lb.target_groups for t in tg.targets for sg in t.security_groups}
        | {sg for e in endpoints for sg in e.security_groups}
        | {sg for link in links for sg in link.security_groups}
    )
    sgs: tuple[SecurityGroup, ...] = ()
    if sg_ids:
        got_sgs = await parts.get(
            "security-groups",
            "DescribeSecurityGroups",
            paginate(ec2, "describe_security_groups", "SecurityGroups", GroupIds=sg_ids),
        )
        sgs = tuple(
            SecurityGroup(
                id=g["GroupId"],
                name=g.get("GroupName", ""),
                vpc_id=g.get("VpcId", ""),
                ingress=sg_rules(g.get("IpPermissions", [])),
            )
            for g in sorted(got_sgs or [], key=lambda g: g["GroupId"])
        )
    vpc_ids = sorted({lb.vpc_id for lb in lbs if lb.vpc_id} | {e.vpc_id for e in endpoints if e.vpc_id})
    targets = [t for lb in lbs for tg in lb.target_groups for t in tg.targets]
    facts = await discover_subnets(
        ec2,
        parts,
        [sn for lb in lbs for _, sn in lb.azs] + [t.subnet_id for t in targets],
        vpc_ids,
        [t.eni_id for t in targets],
    )
    vpc_cidr = facts.vpc_cidrs[0] if facts.vpc_cidrs else ""
    return Network(
        tuple(links), lbs, sgs, endpoints, vpc_cidr, facts.flow_log_groups, facts.subnets, facts.vpc_cidrs
    )
