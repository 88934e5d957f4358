"""Create in moto, through boto3, what a real account running the scenario would hold.

Returns every id moto invented, keyed by (kind, logical name) — kinds are the WorldState
table names (security_groups, subnets, nlbs, ...) — so the world can be rebound to them.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

from apigw_cockpit.demo.mirror.clients import Clients

Bindings = dict[tuple[str, str], str]

_ASSUME = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "apigateway.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n")
    return buf.getvalue()


def policy_document(statements: list[dict[str, Any]]) -> str:
    """The world writes statements as {effect, actions, resources}; IAM wants the JSON grammar."""
    out = []
    for s in statements:
        if "Effect" in s:
            out.append(s)
            continue
        stmt: dict[str, Any] = {
            "Effect": str(s.get("effect", "Allow")).capitalize(),
            "Action": list(s.get("actions", [])),
        }
        stmt["Resource"] = list(s.get("resources", ["*"])) or ["*"]
        if s.get("sid"):
            stmt["Sid"] = s["sid"]
        out.append(stmt)
    return json.dumps({"Version": "2012-10-17", "Statement": out})


def _ip_permission(rule: Any, sg_ids: dict[str, str]) -> dict[str, Any]:
    perm: dict[str, Any] = {"IpProtocol": rule.protocol}
    if rule.protocol != "-1":
        perm |= {"FromPort": rule.from_port, "ToPort": rule.to_port}
    if rule.source_sg:
        pair: dict[str, str] = {"GroupId": sg_ids[rule.source_sg]}
        if rule.description:
            pair["Description"] = rule.description
        perm["UserIdGroupPairs"] = [pair]
    else:
        rng: dict[str, str] = {"CidrIp": rule.cidr or "0.0.0.0/0"}
        if rule.description:
            rng["Description"] = rule.description
        perm["IpRanges"] = [rng]
    return perm


def _ecs_attachment(st: Any, target: str) -> str:
    """ENIs of Fargate tasks carry their ECS attachment ARN as description."""
    return f"arn:aws:ecs:{st.api.region}:{st.api.account}:attachment/{uuid.uuid5(uuid.NAMESPACE_DNS, target)}"


def seed_network(c: Clients, st: Any, ids: Bindings) -> None:
    vpc_id = c.ec2.create_vpc(CidrBlock=st.vpc.cidr)["Vpc"]["VpcId"]
    ids[("vpc", "vpc")] = vpc_id
    for name, sn in st.subnets.items():
        ids[("subnets", name)] = c.ec2.create_subnet(VpcId=vpc_id, CidrBlock=sn.cidr, AvailabilityZone=sn.az)[
            "Subnet"
        ]["SubnetId"]
    sg_ids: dict[str, str] = {}
    for name, sg in st.security_groups.items():
        got = c.ec2.create_security_group(
            GroupName=sg.group_name, Description=sg.description or sg.group_name, VpcId=vpc_id
        )
        sg_ids[name] = ids[("security_groups", name)] = got["GroupId"]
    for name, sg in st.security_groups.items():
        if sg.ingress:
            perms = [_ip_permission(r, sg_ids) for r in sg.ingress]
            c.ec2.authorize_security_group_ingress(GroupId=sg_ids[name], IpPermissions=perms)
    for name, t in st.targets.items():
        eni = c.ec2.create_network_interface(
            SubnetId=ids[("subnets", t.subnet)],
            PrivateIpAddress=t.ip,
            Groups=[sg_ids[g] for g in t.security_groups],
            Description=_ecs_attachment(st, name),
        )
        ids[("targets", name)] = eni["NetworkInterface"]["NetworkInterfaceId"]
    for name, ep in st.vpc_endpoints.items():
        got = c.ec2.create_vpc_endpoint(
            VpcEndpointType="Interface",
            VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{st.api.region}.execute-api",
            SubnetIds=[ids[("subnets", s)] for s in ep.subnets],
            SecurityGroupIds=[sg_ids[g] for g in ep.security_groups],
            PrivateDnsEnabled=True,
        )
        ids[("vpc_endpoints", name)] = got["VpcEndpoint"]["VpcEndpointId"]
        for ip, subnet in zip(ep.eni_ips, ep.subnets, strict=False):
            c.ec2.create_network_interface(
                SubnetId=ids[("subnets", subnet)],
                PrivateIpAddress=ip,
                Groups=[sg_ids[g] for g in ep.security_groups],
                Description=f"VPC Endpoint Interface {ids[('vpc_endpoints', name)]}",
            )


def seed_load_balancers(c: Clients, st: Any, ids: Bindings) -> None:
    vpc_id = ids[("vpc", "vpc")]
    for name, tg in st.target_groups.items():
        kwargs: dict[str, Any] = {
            "Name": tg.group_name,
            "Protocol": tg.protocol,
            "Port": tg.port,
            "VpcId": vpc_id,
            "TargetType": "ip",
            "HealthCheckProtocol": tg.hc_protocol,
            "HealthCheckPort": tg.hc_port,
            "HealthCheckIntervalSeconds": tg.hc_interval_s,
            "HealthyThresholdCount": tg.healthy_threshold,
            "UnhealthyThresholdCount": tg.unhealthy_threshold,
        }
        if tg.hc_path and tg.hc_protocol.upper().startswith("HTTP"):
            kwargs["HealthCheckPath"] = tg.hc_path
        ids[("target_groups", name)] = c.elbv2.create_target_group(**kwargs)["TargetGroups"][0][
            "TargetGroupArn"
        ]
    for name in st.nlbs:
        create_nlb(c, st, ids, name)
    for tg_name in st.target_groups:
        targets = [{"Id": t.ip, "Port": t.port} for t in st.targets_of(tg_name)]
        if targets:
            c.elbv2.register_targets(TargetGroupArn=ids[("target_groups", tg_name)], Targets=targets)


def create_nlb(c: Clients, st: Any, ids: Bindings, name: str, rekey_to: str = "") -> None:
    """An internal NLB with its listeners; `rekey_to` re-creates a deleted one under its old ARN."""
    nlb = st.nlbs[name]
    kwargs: dict[str, Any] = {
        "Name": nlb.lb_name,
        "Subnets": [ids[("subnets", s)] for s in nlb.subnets],
        "Type": "network",
        "Scheme": "internal",
    }
    if nlb.security_groups:
        kwargs["SecurityGroups"] = [ids[("security_groups", g)] for g in nlb.security_groups]
    created = c.elbv2.create_load_balancer(**kwargs)["LoadBalancers"][0]["LoadBalancerArn"]
    arn = _rekey_nlb(created, rekey_to or created.replace(":loadbalancer/app/", ":loadbalancer/net/"), st)
    ids[("nlbs", name)] = arn
    if nlb.cross_zone:
        c.elbv2.modify_load_balancer_attributes(
            LoadBalancerArn=arn, Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]
        )
    for port, tg_name in nlb.listeners.items():
        ids[("listeners", f"{name}:{port}")] = c.elbv2.create_listener(
            LoadBalancerArn=arn,
            Protocol="TCP",
            Port=int(port),
            DefaultActions=[{"Type": "forward", "TargetGroupArn": ids[("target_groups", tg_name)]}],
        )["Listeners"][0]["ListenerArn"]


def _rekey_nlb(arn: str, wanted: str, st: Any) -> str:
    """moto names every load balancer `loadbalancer/app/...`; AWS writes `net/` for NLBs, and the
    AWS/NetworkELB dimension values derive from it. Re-key moto's record before anything uses it."""
    if arn == wanted:
        return arn
    from moto.elbv2.models import elbv2_backends

    # The region moto created it in (the server's), which need not be the topology's.
    _, _, _, region, account, _ = arn.split(":", 5)
    backend = elbv2_backends[account][region]
    fixed = wanted
    lb = backend.load_balancers.pop(arn)
    lb.arn = fixed
    backend.load_balancers[fixed] = lb
    return fixed


# The account-level role API Gateway writes execution logs with: a real account that has
# execution logs has one set (GetAccount cloudwatchRoleArn), so the world has one too.
_APIGW_LOGS_ASSUME = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def seed_account(c: Clients) -> None:
    arn = c.iam.create_role(
        RoleName="apigateway-cloudwatch-logs", AssumeRolePolicyDocument=json.dumps(_APIGW_LOGS_ASSUME)
    )["Role"]["Arn"]
    op = {"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}
    c.apigateway.update_account(patchOperations=[op])


def seed_identity(c: Clients, st: Any, ids: Bindings) -> None:
    seed_account(c)
    for name, role in st.roles.items():
        role_name = role.arn.rsplit("/", 1)[-1]
        ids[("roles", name)] = c.iam.create_role(
            RoleName=role_name, AssumeRolePolicyDocument=json.dumps(_ASSUME)
        )["Role"]["Arn"]
        for pname, pol in role.policies.items():
            doc = policy_document(pol.statements)
            if ":policy/" in pol.arn:
                arn = pol.arn
                if ":aws:policy/" in arn:
                    _register_aws_managed(arn, doc, st.api.account)
                else:
                    arn = c.iam.create_policy(PolicyName=arn.rsplit("/", 1)[-1], PolicyDocument=doc)[
                        "Policy"
                    ]["Arn"]
                ids[("policies", f"{name}.{pname}")] = arn
                if pol.attached:
                    c.iam.attach_role_policy(RoleName=role_name, PolicyArn=arn)
            elif pol.attached:
                c.iam.put_role_policy(RoleName=role_name, PolicyName=pname, PolicyDocument=doc)
    code = _zip()
    for name, fn in st.lambdas.items():
        role_arn = ids.get(("roles", fn.role)) or f"arn:aws:iam::{st.api.account}:role/lambda-basic"
        if ("roles", fn.role) not in ids and not any(k == ("roles", "__basic__") for k in ids):
            c.iam.create_role(RoleName="lambda-basic", AssumeRolePolicyDocument=json.dumps(_ASSUME))
            ids[("roles", "__basic__")] = role_arn
        got = c.lambda_.create_function(
            FunctionName=fn.name,
            Runtime=fn.runtime,
            Role=role_arn,
            Handler="index.handler",
            Code={"ZipFile": code},
            Timeout=fn.timeout_s,
            MemorySize=fn.memory_mb,
        )
        ids[("lambdas", name)] = got["FunctionArn"]
        for alias in fn.aliases:
            c.lambda_.create_alias(FunctionName=fn.name, Name=alias, FunctionVersion="$LATEST")
        for perm in fn.permissions:
            add_permission(c, fn.name, perm)


def _register_aws_managed(arn: str, document: str, account: str) -> None:
    """AWS-managed policies exist in every real account; moto loads them only on request (slowly,
    all ~1,300 of them), so we register the few a scenario names, in-process."""
    from moto.iam.models import AWSManagedPolicy, iam_backends

    backend = iam_backends[account]["global"]
    if arn in backend.managed_policies:
        return
    path_and_name = arn.split(":policy", 1)[1]
    path, _, name = path_and_name.rpartition("/")
    data = {
        "Path": f"{path}/",
        "Document": json.loads(document),
        "DefaultVersionId": "v1",
        "CreateDate": "2015-04-09T15:03:43+00:00",
        "UpdateDate": "2015-04-09T15:03:43+00:00",
    }
    policy = AWSManagedPolicy.from_data(name, account, "us-east-1", data)
    backend.managed_policies[policy.arn] = policy


def add_permission(c: Clients, function: str, perm: Any) -> None:
    kwargs: dict[str, Any] = {
        "FunctionName": function,
        "StatementId": perm.sid,
        "Action": perm.action,
        "Principal": perm.principal,
    }
    if perm.source_arn:
        kwargs["SourceArn"] = perm.source_arn
    c.lambda_.add_permission(**kwargs)


def seed_logs(c: Clients, st: Any, ids: Bindings, groups: list[str]) -> None:
    for group in sorted(set(groups)):
        c.logs.create_log_group(logGroupName=group)
    if st.vpc.flow_log_group:
        c.ec2.create_flow_logs(
            ResourceIds=[ids[("vpc", "vpc")]],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="cloud-watch-logs",
            LogGroupName=st.vpc.flow_log_group,
            DeliverLogsPermissionArn=f"arn:aws:iam::{st.api.account}:role/flow-logs",
        )
