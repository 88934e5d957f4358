"""Where a value's *form* matters for the topology to connect, offer that form too.

Each hint is `one_of(<the form AWS documents>, <whatever the model allows>)`: generated
answers still include garbage in every field, but often enough an integration URI names a
Lambda function, a VPC link targets an NLB, a target is an IP with an ENI, so discovery walks
the whole path. Hints never fix a value to one answer: they are pools of well-formed values
(so references between calls can meet), documented next to each entry.

Keys: (botocore service, structure shape name, member name).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from hypothesis import strategies as st

from . import paging

REGION, ACCOUNT = "us-east-1", "123456789012"
_tail = st.text("abcdef0123456789", min_size=1, max_size=4)
_any = st.one_of(st.just(""), st.text(max_size=10))


def _mix(*forms: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A documented form three times in four, anything the model allows otherwise."""
    good = st.one_of(*forms)
    return st.one_of(good, good, good, _any)


FN_ARNS = st.sampled_from(
    [
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders-fn",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:pay-fn:live",
    ]
)
ROLE_ARNS = st.sampled_from(
    [f"arn:aws:iam::{ACCOUNT}:role/apigw-invoke", f"arn:aws:iam::{ACCOUNT}:role/service-role/fn-role"]
)
NLB_ARNS = st.sampled_from(
    [f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/orders-nlb/50dc6c495c0c9188"]
)
TG_ARNS = st.builds(
    lambda t: f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/orders-tg/{t}", _tail
)
IPS = st.sampled_from(["10.0.1.10", "10.0.2.20", "10.0.3.30"])
INSTANCES = st.sampled_from(["i-0abc1234", "i-0def5678"])
SG_IDS = st.sampled_from(["sg-0aaa1111", "sg-0bbb2222"])
CIDRS = st.sampled_from(["10.0.0.0/16", "10.0.1.0/24", "0.0.0.0/0", "::/0", "192.168.0.0/24"])
STAGE_VAR_NAMES = st.sampled_from(["url", "vpcLinkId", "fn"])

# A Lambda proxy URI (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html, `uri`),
# an HTTP URI, a URI made of stage variables.
INTEGRATION_URIS = _mix(
    st.builds(
        lambda fn: f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{fn}/invocations", FN_ARNS
    ),
    st.just("http://10.0.1.10:8080/orders"),
    st.just("${stageVariables.url}/orders"),
    st.just(
        f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:{REGION}:{ACCOUNT}:function:${{stageVariables.fn}}/invocations"
    ),
)


def _policy(principal: Any, source: str) -> str:
    stmt: dict[str, Any] = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Principal": principal}
    if source:
        stmt["Condition"] = {"ArnLike": {"AWS:SourceArn": source}}
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


# GetPolicy returns the policy as a JSON string; IAM returns documents URL-encoded (RFC 3986)
# (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
POLICY_JSON = st.builds(
    _policy,
    st.sampled_from([{"Service": "apigateway.amazonaws.com"}, "*", {"AWS": ["a", "b"]}, None]),
    st.sampled_from(["", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:*/*/GET/orders"]),
)
IAM_DOCUMENT = _mix(
    POLICY_JSON, POLICY_JSON.map(urllib.parse.quote), st.just("%7B%22Statement%22%3A%7B%7D%7D")
)


def _trail_event(name: str, sg: str) -> str:
    return json.dumps(
        {"eventName": name, "requestParameters": {"groupId": sg}, "userIdentity": {"arn": "arn:x"}}
    )


# The message shapes the execution-log grouping and the classifier read (AWS-FACTS.md).
EXEC_LINES = st.sampled_from(
    [
        "(0f1e2d3c-aaaa-bbbb-cccc-000000000001) Execution failed due to a timeout error",
        "(0f1e2d3c-aaaa-bbbb-cccc-000000000001) Method completed with status: 504",
        "(0f1e2d3c-aaaa-bbbb-cccc-000000000002) Starting execution for request: 0f1e",
        "2023-01-01T00:00:00.000Z\t0f1e2d3c-aaaa-bbbb-cccc-000000000003\tERROR\tboom",
        "REPORT RequestId: 0f1e2d3c-aaaa-bbbb-cccc-000000000003 Duration: 3.00 ms",
        "2 123456789012 eni-1 10.0.0.5 10.0.1.10 443 8080 6 1 40 1 2 REJECT OK",
    ]
)

HINTS: dict[tuple[str, str, str], st.SearchStrategy[Any]] = {
    ("apigateway", "Integration", "uri"): INTEGRATION_URIS,
    ("apigateway", "Integration", "connectionId"): _mix(
        st.just("vl-abc123"), st.just("${stageVariables.vpcLinkId}")
    ),
    ("apigateway", "Integration", "credentials"): _mix(ROLE_ARNS),
    ("apigateway", "Integration", "connectionType"): _mix(st.sampled_from(["VPC_LINK", "INTERNET"])),
    ("apigateway", "VpcLink", "targetArns"): st.lists(_mix(NLB_ARNS), max_size=2),
    ("apigateway", "EndpointConfiguration", "vpcEndpointIds"): st.lists(
        _mix(st.just("vpce-0123abcd")), max_size=2
    ),
    ("apigateway", "AccessLogSettings", "destinationArn"): _mix(
        st.just(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:access-logs"),
        st.just(f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/amazon-apigateway-x"),
    ),
    ("elbv2", "LoadBalancer", "LoadBalancerArn"): _mix(NLB_ARNS),
    ("elbv2", "LoadBalancer", "SecurityGroups"): st.lists(_mix(SG_IDS), max_size=2),
    ("elbv2", "TargetGroup", "TargetGroupArn"): _mix(TG_ARNS),
    ("elbv2", "TargetDescription", "Id"): _mix(IPS, INSTANCES, FN_ARNS, NLB_ARNS),
    # "traffic-port" or a port number (API_TargetGroup.html, HealthCheckPort); nothing else.
    ("elbv2", "TargetGroup", "HealthCheckPort"): st.one_of(
        st.just("traffic-port"), st.integers(1, 65535).map(str)
    ),
    ("ec2", "NetworkInterface", "PrivateIpAddress"): _mix(IPS),
    ("ec2", "NetworkInterfacePrivateIpAddress", "PrivateIpAddress"): _mix(IPS),
    ("ec2", "NetworkInterfaceAttachment", "InstanceId"): _mix(INSTANCES),
    ("ec2", "GroupIdentifier", "GroupId"): _mix(SG_IDS),
    ("ec2", "SecurityGroup", "GroupId"): _mix(SG_IDS),
    ("ec2", "IpRange", "CidrIp"): _mix(CIDRS),
    ("ec2", "IpPermission", "IpProtocol"): _mix(st.sampled_from(["tcp", "-1", "6", "udp", "icmp"])),
    ("ec2", "Subnet", "CidrBlock"): _mix(CIDRS),
    ("ec2", "Vpc", "CidrBlock"): _mix(CIDRS),
    ("lambda", "FunctionConfiguration", "Role"): _mix(ROLE_ARNS),
    ("lambda", "GetPolicyResponse", "Policy"): _mix(POLICY_JSON),
    ("iam", "GetRolePolicyResponse", "PolicyDocument"): IAM_DOCUMENT,
    ("iam", "AttachedPolicy", "PolicyArn"): _mix(
        st.sampled_from(
            ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole", f"arn:aws:iam::{ACCOUNT}:policy/invoke"]
        )
    ),
    ("iam", "Policy", "DefaultVersionId"): _mix(st.sampled_from(["v1", "v7"])),
    ("iam", "PolicyVersion", "Document"): IAM_DOCUMENT,
    ("cloudtrail", "Event", "CloudTrailEvent"): _mix(
        st.builds(_trail_event, st.sampled_from(["RevokeSecurityGroupIngress", "UpdateStage"]), SG_IDS),
        st.just("{not json"),
    ),
    ("cloudtrail", "Resource", "ResourceName"): _mix(SG_IDS, NLB_ARNS),
    ("logs", "FilteredLogEvent", "message"): _mix(EXEC_LINES),
    ("logs", "LiveTailSessionLogEvent", "message"): _mix(EXEC_LINES),
    # The front door: the alert's URL host is one of the account's custom domains (exact or the
    # wildcard one level up), and a mapping key prefixes its path ("(none)" is the root mapping).
    ("apigateway", "DomainName", "domainName"): _mix(st.sampled_from(["api.example.com", "*.example.com"])),
    ("apigateway", "BasePathMapping", "basePath"): _mix(st.sampled_from(["(none)", "orders", "orders/v1"])),
    ("apigatewayv2", "ApiMapping", "ApiMappingKey"): _mix(st.sampled_from(["", "orders", "orders/v1"])),
    ("apigatewayv2", "Api", "ProtocolType"): _mix(st.sampled_from(["HTTP", "WEBSOCKET"])),
    ("apigatewayv2", "Stage", "StageName"): _mix(st.sampled_from(["$default", "prod"])),
}

# Map keys where the key is a name the code looks up: HTTP verbs, method-setting paths,
# stage-variable names (so `${stageVariables.x}` sometimes resolves).
KEYS: dict[tuple[str, str, str], st.SearchStrategy[str]] = {
    ("apigateway", "Resource", "resourceMethods"): _mix(st.sampled_from(["GET", "POST", "OPTIONS", "ANY"])),
    ("apigateway", "Stage", "methodSettings"): _mix(st.sampled_from(["*/*", "~1orders/GET"])),
    ("apigateway", "Stage", "variables"): _mix(STAGE_VAR_NAMES),
    ("apigateway", "Integration", "requestTemplates"): _mix(st.just("application/json")),
    ("apigateway", "IntegrationResponse", "responseTemplates"): _mix(st.just("application/json")),
}


# Members a topology hangs on (besides every hinted member): usually present, sometimes absent.
LINKED: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("apigateway", "Resource", "resourceMethods"),
        ("apigateway", "Method", "methodIntegration"),
        ("apigateway", "Integration", "connectionType"),
        ("apigateway", "VpcLink", "status"),
        ("elbv2", "DescribeTargetHealthOutput", "TargetHealthDescriptions"),
        ("elbv2", "DescribeTargetGroupsOutput", "TargetGroups"),
        ("elbv2", "DescribeLoadBalancersOutput", "LoadBalancers"),
        ("elbv2", "LoadBalancer", "AvailabilityZones"),
        ("elbv2", "LoadBalancer", "VpcId"),
        ("ec2", "DescribeNetworkInterfacesResult", "NetworkInterfaces"),
        ("ec2", "NetworkInterface", "Groups"),
        ("ec2", "DescribeSecurityGroupsResult", "SecurityGroups"),
        ("ec2", "SecurityGroup", "IpPermissions"),
        ("lambda", "FunctionConfiguration", "Role"),
        ("iam", "ListAttachedRolePoliciesResponse", "AttachedPolicies"),
        ("iam", "GetPolicyResponse", "Policy"),
        ("iam", "GetPolicyVersionResponse", "PolicyVersion"),
    }
)


def links(service: str, parent: str, member: str) -> bool:
    key = (service, parent, member)
    return key in LINKED or key in HINTS


def for_member(service: str, parent: str, member: str) -> st.SearchStrategy[Any] | None:
    return HINTS.get((service, parent, member))


def keys_for(service: str, parent: str, member: str) -> st.SearchStrategy[str] | None:
    return KEYS.get((service, parent, member))


def tokens_of(service: str, operation: str) -> set[str]:
    return paging.token_members(service, operation)
