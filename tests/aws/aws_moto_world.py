"""A small AWS world seeded into plain moto through boto3, as a real account would look.

Used until (and alongside) the project's SimServer: one VPC-link API (midnight-pager
shape: NLB in two AZs, four IP targets with their own SG) and one Lambda-proxy API.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

REGION = "us-east-1"


@dataclass
class Seeded:
    endpoint: str
    api_id: str = ""
    lambda_api_id: str = ""
    stage: str = "prod"
    nlb_arn: str = ""
    tg_arn: str = ""
    target_sg: str = ""
    target_ips: list[str] = field(default_factory=list)
    subnets: dict[str, str] = field(default_factory=dict)
    vpc_link_id: str = ""
    fn_arn: str = ""
    role_arn: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _c(endpoint: str, name: str) -> Any:
    return boto3.client(name, region_name=REGION, endpoint_url=endpoint)


def seed(endpoint: str) -> Seeded:
    s = Seeded(endpoint)
    ec2 = _c(endpoint, "ec2")
    elb = _c(endpoint, "elbv2")
    apigw = _c(endpoint, "apigateway")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for az, cidr in (("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24")):
        s.subnets[az] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"][
            "SubnetId"
        ]
    sg = ec2.create_security_group(GroupName="orders-targets", Description="targets", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
        ],
    )
    s.target_sg = sg
    for i, az in enumerate(["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]):
        ip = f"10.0.{1 if az.endswith('a') else 2}.{10 + i}"
        ec2.create_network_interface(SubnetId=s.subnets[az], PrivateIpAddress=ip, Groups=[sg])
        s.target_ips.append(ip)
    lb = elb.create_load_balancer(
        Name="orders-nlb", Subnets=list(s.subnets.values()), Type="network", Scheme="internal"
    )
    s.nlb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(
        Name="orders-tg", Protocol="TCP", Port=8080, VpcId=vpc, TargetType="ip", HealthCheckProtocol="TCP"
    )
    s.tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=s.tg_arn, Targets=[{"Id": ip, "Port": 8080} for ip in s.target_ips])
    elb.create_listener(
        LoadBalancerArn=s.nlb_arn,
        Protocol="TCP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": s.tg_arn}],
    )
    s.vpc_link_id = apigw.create_vpc_link(name="orders-link", targetArns=[s.nlb_arn])["id"]
    api = apigw.create_rest_api(name="orders-prod", endpointConfiguration={"types": ["REGIONAL"]})
    s.api_id = api["id"]
    root = apigw.get_resources(restApiId=s.api_id)["items"][0]["id"]
    res = apigw.create_resource(restApiId=s.api_id, parentId=root, pathPart="orders")["id"]
    apigw.put_method(restApiId=s.api_id, resourceId=res, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=s.api_id,
        resourceId=res,
        httpMethod="GET",
        type="HTTP_PROXY",
        integrationHttpMethod="GET",
        uri="http://${stageVariables.backendHost}/orders",
        connectionType="VPC_LINK",
        connectionId=s.vpc_link_id,
        timeoutInMillis=29000,
    )
    apigw.put_method_response(restApiId=s.api_id, resourceId=res, httpMethod="GET", statusCode="200")
    dep = apigw.create_deployment(
        restApiId=s.api_id, stageName="prod", variables={"backendHost": "orders.internal"}
    )
    apigw.update_stage(
        restApiId=s.api_id,
        stageName="prod",
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
            {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        ],
    )
    s.extra["deployment_id"] = dep["id"]
    _seed_lambda(s)
    _seed_logs(s)
    return s


def _seed_lambda(s: Seeded) -> None:
    iam = _c(s.endpoint, "iam")
    lam = _c(s.endpoint, "lambda")
    apigw = _c(s.endpoint, "apigateway")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    s.role_arn = iam.create_role(RoleName="orders-fn-role", AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"
    ]["Arn"]
    iam.put_role_policy(
        RoleName="orders-fn-role",
        PolicyName="logs",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}
        ),
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return {'statusCode': 200, 'body': 'ok'}\n")
    fn = lam.create_function(
        FunctionName="orders-fn",
        Runtime="python3.12",
        Role=s.role_arn,
        Handler="index.handler",
        Code={"ZipFile": buf.getvalue()},
        Timeout=10,
    )
    s.fn_arn = fn["FunctionArn"]
    api = apigw.create_rest_api(name="orders-lambda")
    s.lambda_api_id = api["id"]
    root = apigw.get_resources(restApiId=s.lambda_api_id)["items"][0]["id"]
    res = apigw.create_resource(restApiId=s.lambda_api_id, parentId=root, pathPart="orders")["id"]
    apigw.put_method(restApiId=s.lambda_api_id, resourceId=res, httpMethod="POST", authorizationType="NONE")
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{s.fn_arn}/invocations"
    apigw.put_integration(
        restApiId=s.lambda_api_id,
        resourceId=res,
        httpMethod="POST",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri,
    )
    apigw.create_deployment(restApiId=s.lambda_api_id, stageName="prod")
    source = f"arn:aws:execute-api:us-east-1:123456789012:{s.lambda_api_id}/*/POST/orders"
    lam.add_permission(
        FunctionName="orders-fn",
        StatementId="apigw",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=source,
    )
    s.extra["source_arn"] = source


def _seed_logs(s: Seeded) -> None:
    logs = _c(s.endpoint, "logs")
    group = f"API-Gateway-Execution-Logs_{s.api_id}/prod"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="stream-1")
    s.extra["exec_group"] = group
