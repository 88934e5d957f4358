"""Discovery of the subnets on the path: the NLB's and the targets', with their NACL and route table.

Also every CIDR associated with the VPC (secondary CIDRs are health-check/traffic sources too)
and the flow logs attached at VPC, subnet or ENI level. Shapes: EC2 DescribeSubnets,
DescribeNetworkAcls (Associations[].NetworkAclAssociationId/SubnetId), DescribeRouteTables
(Associations[].Main/SubnetId/RouteTableAssociationId), DescribeVpcs (CidrBlockAssociationSet),
DescribeFlowLogs (ResourceId) in botocore's ec2 2016-11-15 model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Subnet


def _main_filter(vpc_ids: list[str]) -> list[dict[str, object]]:
    return [{"Name": "vpc-id", "Values": vpc_ids}, {"Name": "association.main", "Values": ["true"]}]


@dataclass(frozen=True)
class SubnetFacts:
    subnets: tuple[Subnet, ...] = ()
    vpc_cidrs: tuple[str, ...] = ()
    flow_log_groups: tuple[str, ...] = ()


async def _pages(
    parts: Parts, part: str, op: str, ec2: Client, name: str, key: str, **kw: object
) -> list[Any]:
    got = await parts.get(part, op, paginate(ec2, name, key, **kw))
    return list(got or [])


async def discover_subnets(
    ec2: Client, parts: Parts, subnet_ids: list[str], vpc_ids: list[str], eni_ids: list[str]
) -> SubnetFacts:
    """Subnets with NACL/route table, VPC CIDRs (primary + secondary), CloudWatch flow-log groups."""
    subnet_ids = sorted(set(s for s in subnet_ids if s))
    raw = (
        await _pages(
            parts, "subnets", "DescribeSubnets", ec2, "describe_subnets", "Subnets", SubnetIds=subnet_ids
        )
        if subnet_ids
        else []
    )
    vpc_ids = sorted(set(vpc_ids) | {s.get("VpcId", "") for s in raw} - {""})
    acl_of: dict[str, tuple[str, str]] = {}
    rtb_of: dict[str, tuple[str, str]] = {}
    main_rtb: dict[str, str] = {}
    if subnet_ids:
        acls = await _pages(
            parts, "network-acls", "DescribeNetworkAcls", ec2, "describe_network_acls", "NetworkAcls",
            Filters=[{"Name": "association.subnet-id", "Values": subnet_ids}],
        )  # fmt: skip
        for acl in acls:
            for a in acl.get("Associations", []) or []:
                if a.get("SubnetId"):
                    acl_of[a["SubnetId"]] = (
                        acl.get("NetworkAclId", ""),
                        a.get("NetworkAclAssociationId", ""),
                    )
        rtbs = await _pages(
            parts, "route-tables", "DescribeRouteTables", ec2, "describe_route_tables", "RouteTables",
            Filters=[{"Name": "association.subnet-id", "Values": subnet_ids}],
        )  # fmt: skip
        if vpc_ids:
            # A subnet without an explicit association uses its VPC's main route table.
            rtbs += await _pages(
                parts, "route-tables", "DescribeRouteTables", ec2, "describe_route_tables", "RouteTables",
                Filters=_main_filter(vpc_ids),
            )  # fmt: skip
        for rt in rtbs:
            for a in rt.get("Associations", []) or []:
                if a.get("Main"):
                    main_rtb[rt.get("VpcId", "")] = rt.get("RouteTableId", "")
                elif a.get("SubnetId"):
                    rtb_of[a["SubnetId"]] = (rt.get("RouteTableId", ""), a.get("RouteTableAssociationId", ""))
    subnets = tuple(
        Subnet(
            id=s["SubnetId"],
            vpc_id=s.get("VpcId", ""),
            az=s.get("AvailabilityZone", ""),
            cidr=s.get("CidrBlock", ""),
            network_acl_id=acl_of.get(s["SubnetId"], ("", ""))[0],
            network_acl_association_id=acl_of.get(s["SubnetId"], ("", ""))[1],
            route_table_id=rtb_of.get(s["SubnetId"], (main_rtb.get(s.get("VpcId", ""), ""), ""))[0],
            route_table_association_id=rtb_of.get(s["SubnetId"], ("", ""))[1],
        )
        for s in sorted(raw, key=lambda s: s.get("SubnetId", ""))
        if s.get("SubnetId")
    )
    cidrs: list[str] = []
    flow_groups: tuple[str, ...] = ()
    if vpc_ids:
        vpcs = await parts.get("vpc", "DescribeVpcs", paginate(ec2, "describe_vpcs", "Vpcs", VpcIds=vpc_ids))
        for v in vpcs or []:
            primary = v.get("CidrBlock", "")
            cidrs += [primary] if primary and primary not in cidrs else []
            for assoc in v.get("CidrBlockAssociationSet", []) or []:
                state = (assoc.get("CidrBlockState") or {}).get("State", "associated")
                cidr = assoc.get("CidrBlock", "")
                if cidr and state == "associated" and cidr not in cidrs:
                    cidrs.append(cidr)
        resources = vpc_ids + [s.id for s in subnets] + sorted(set(e for e in eni_ids if e))
        flows = await _pages(
            parts, "flow-logs", "DescribeFlowLogs", ec2, "describe_flow_logs", "FlowLogs",
            Filters=[{"Name": "resource-id", "Values": resources}],
        )  # fmt: skip
        flow_groups = tuple(
            sorted(
                {
                    f["LogGroupName"]
                    for f in flows
                    if f.get("LogGroupName")
                    and f.get("LogDestinationType", "cloud-watch-logs") == "cloud-watch-logs"
                }
            )
        )
    return SubnetFacts(subnets, tuple(cidrs), flow_groups)
