"""Rebuild the example fixtures from a local clone of github.com/aws/aws-cli (run by hand).

    python tests/conformance/examples/collect.py /path/to/aws-cli

Each fixture is the JSON printed under "Output::" in the AWS CLI command reference example
(`awscli/examples/<service>/<command>.rst`), plus where it came from and every edit we made
(EDITS below, applied in order and listed in the fixture and in ../README.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

COMMIT = "07c4fe366b49c4dde816d674f4941134fc432673"
HERE = Path(__file__).parent

# fixture name → (botocore service, operation, CLI example path, which "Output::" block)
SOURCES: dict[str, tuple[str, str, str, int]] = {
    "apigateway-get-rest-api": ("apigateway", "GetRestApi", "apigateway/get-rest-api", 0),
    "apigateway-get-rest-apis": ("apigateway", "GetRestApis", "apigateway/get-rest-apis", 0),
    "apigateway-get-stage": ("apigateway", "GetStage", "apigateway/get-stage", 0),
    "apigateway-get-resources": ("apigateway", "GetResources", "apigateway/get-resources", 0),
    "apigateway-get-method": ("apigateway", "GetMethod", "apigateway/get-method", 0),
    "apigateway-get-integration": ("apigateway", "GetIntegration", "apigateway/get-integration", 0),
    "apigateway-get-deployment": ("apigateway", "GetDeployment", "apigateway/get-deployment", 0),
    "apigateway-get-account": ("apigateway", "GetAccount", "apigateway/get-account", 0),
    "sts-get-caller-identity": ("sts", "GetCallerIdentity", "sts/get-caller-identity", 0),
    "lambda-get-function-configuration": (
        "lambda",
        "GetFunctionConfiguration",
        "lambda/get-function-configuration",
        0,
    ),
    "lambda-get-policy": ("lambda", "GetPolicy", "lambda/get-policy", 0),
    "iam-get-role": ("iam", "GetRole", "iam/get-role", 0),
    "iam-list-role-policies": ("iam", "ListRolePolicies", "iam/list-role-policies", 0),
    "iam-get-role-policy": ("iam", "GetRolePolicy", "iam/get-role-policy", 0),
    "iam-list-attached-role-policies": (
        "iam",
        "ListAttachedRolePolicies",
        "iam/list-attached-role-policies",
        0,
    ),
    "iam-get-policy": ("iam", "GetPolicy", "iam/get-policy", 0),
    "iam-get-policy-version": ("iam", "GetPolicyVersion", "iam/get-policy-version", 0),
    "iam-simulate-principal-policy": ("iam", "SimulatePrincipalPolicy", "iam/simulate-principal-policy", 0),
    "elbv2-describe-load-balancers": ("elbv2", "DescribeLoadBalancers", "elbv2/describe-load-balancers", 0),
    "elbv2-describe-target-groups": ("elbv2", "DescribeTargetGroups", "elbv2/describe-target-groups", 0),
    "elbv2-describe-target-health": ("elbv2", "DescribeTargetHealth", "elbv2/describe-target-health", 0),
    "elbv2-describe-listeners": ("elbv2", "DescribeListeners", "elbv2/describe-listeners", 0),
    "ec2-describe-security-groups": ("ec2", "DescribeSecurityGroups", "ec2/describe-security-groups", 0),
    "ec2-describe-subnets": ("ec2", "DescribeSubnets", "ec2/describe-subnets", 1),
    "ec2-describe-network-interfaces": (
        "ec2",
        "DescribeNetworkInterfaces",
        "ec2/describe-network-interfaces",
        0,
    ),
    "ec2-describe-vpc-endpoints": ("ec2", "DescribeVpcEndpoints", "ec2/describe-vpc-endpoints", 0),
    "ec2-describe-flow-logs": ("ec2", "DescribeFlowLogs", "ec2/describe-flow-logs", 0),
    "ec2-describe-vpcs": ("ec2", "DescribeVpcs", "ec2/describe-vpcs", 0),
    "ec2-describe-network-acls": ("ec2", "DescribeNetworkAcls", "ec2/describe-network-acls", 0),
    "ec2-describe-route-tables": ("ec2", "DescribeRouteTables", "ec2/describe-route-tables", 0),
    "cloudtrail-lookup-events": ("cloudtrail", "LookupEvents", "cloudtrail/lookup-events", 0),
    "cloudwatch-get-metric-data": ("cloudwatch", "GetMetricData", "cloudwatch/get-metric-data", 0),
    "cloudwatch-describe-alarms": ("cloudwatch", "DescribeAlarms", "cloudwatch/describe-alarms", 0),
    # The front door: listing APIs and stages, resolving custom domains.
    "apigateway-get-stages": ("apigateway", "GetStages", "apigateway/get-stages", 0),
    "apigateway-get-domain-names": ("apigateway", "GetDomainNames", "apigateway/get-domain-names", 0),
    "apigateway-get-base-path-mappings": (
        "apigateway",
        "GetBasePathMappings",
        "apigateway/get-base-path-mappings",
        0,
    ),
    "apigatewayv2-get-apis": ("apigatewayv2", "GetApis", "apigatewayv2/get-apis", 0),
    "apigatewayv2-get-api": ("apigatewayv2", "GetApi", "apigatewayv2/get-api", 0),
    "apigatewayv2-get-stages": ("apigatewayv2", "GetStages", "apigatewayv2/get-stages", 0),
    "apigatewayv2-get-api-mappings": ("apigatewayv2", "GetApiMappings", "apigatewayv2/get-api-mappings", 0),
}

# fixture name → (service, operation, example id) from the installed botocore's examples-1.json.
BOTOCORE_SOURCES: dict[str, tuple[str, str, str]] = {
    "elbv2-describe-target-health-unused": (
        "elbv2",
        "DescribeTargetHealth",
        "elbv2-describe-target-health-1",
    ),
}

# Text edits on the example source before json.loads: (fixture, old, new, why).
TEXT_EDITS: list[tuple[str, str, str, str]] = [
    (
        "ec2-describe-security-groups",
        '"sg-903004f8",\n            }',
        '"sg-903004f8"\n            }',
        "trailing comma after the last member (invalid JSON in the published example)",
    ),
    (
        "iam-get-role-policy",
        '      }\n      "PolicyName"',
        '      },\n      "PolicyName"',
        "missing comma before PolicyName (invalid JSON in the published example)",
    ),
    (
        "apigatewayv2-get-api-mappings",
        '"ApiMappingKey": "myTestApi"\n',
        '"ApiMappingKey": "myTestApi",\n',
        "missing comma after ApiMappingKey (invalid JSON in the published example)",
    ),
    (
        "apigatewayv2-get-api-mappings",
        '"ApiMappingKey": "myDevApi"\n',
        '"ApiMappingKey": "myDevApi",\n',
        "missing comma after ApiMappingKey (invalid JSON in the published example)",
    ),
    (
        "apigatewayv2-get-api-mappings",
        '"Stage": "dev"\n            },\n',
        '"Stage": "dev"\n            }\n',
        "trailing comma after the last item (invalid JSON in the published example)",
    ),
]
# Value edits after parsing: (fixture, old, new, why). Only to make ids meet across calls.
ALIGN = "align ids so the topology connects: the integration calls the function the Lambda examples describe"
EDITS: list[tuple[str, str, str, str]] = [
    (
        "apigateway-get-method",
        "arn:aws:lambda:us-west-2:123412341234:function:My_Function",
        "arn:aws:lambda:us-west-2:123456789012:function:my-function",
        ALIGN,
    ),
    (
        "apigateway-get-integration",
        "arn:aws:lambda:us-west-2:123412341234:function:My_Function",
        "arn:aws:lambda:us-west-2:123456789012:function:my-function",
        ALIGN,
    ),
]


def output_blocks(text: str) -> list[str]:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("Output::"):
            j, buf = i + 1, []
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
                buf.append(lines[j])
                j += 1
            out.append("\n".join(buf).strip())
            i = j
        else:
            i += 1
    return out


def _replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    return value


def main(repo: str) -> None:
    for name, (service, op, path, index) in SOURCES.items():
        text = subprocess.run(
            ["git", "-C", repo, "show", f"{COMMIT}:awscli/examples/{path}.rst"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        block = output_blocks(text)[index]
        edits: list[str] = []
        for fx, old, new, why in TEXT_EDITS:
            if fx == name:
                assert old in block, (name, old)
                block = block.replace(old, new)
                edits.append(why)
        response = json.loads(block)
        for fx, old, new, why in EDITS:
            if fx == name:
                response = _replace(response, old, new)
                edits.append(f"{old} → {new}: {why}")
        fixture = {
            "service": service,
            "operation": op,
            "source": f"https://github.com/aws/aws-cli/blob/{COMMIT}/awscli/examples/{path}.rst",
            "example": index + 1,
            "edits": edits,
            "response": response,
        }
        (HERE / f"{name}.json").write_text(json.dumps(fixture, indent=2, ensure_ascii=False) + "\n")
        print(name, "edits:", len(edits))


def from_botocore() -> None:
    import botocore
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")
    for name, (service, op, example_id) in BOTOCORE_SOURCES.items():
        version = loader.determine_latest_version(service, "service-2")
        examples = loader.load_service_model(service, "examples-1", version)["examples"][op]
        [example] = [e for e in examples if e["id"] == example_id]
        fixture = {
            "service": service,
            "operation": op,
            "source": f"botocore {botocore.__version__}: botocore/data/{service}/{version}/examples-1.json"
            f" {op} id={example_id}",
            "example": example_id,
            "edits": [],
            "response": example["output"],
        }
        (HERE / f"{name}.json").write_text(json.dumps(fixture, indent=2, ensure_ascii=False) + "\n")
        print(name, "edits: 0")


if __name__ == "__main__":
    main(sys.argv[1])
    from_botocore()
