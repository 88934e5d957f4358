"""One hand-built Observations per root cause, shaped the way AWS would show that incident."""

from __future__ import annotations

from collections.abc import Callable

from diagnose_world import (
    API,
    FN_ARN,
    NLB_ARN,
    ROLE_ARN,
    SG_TARGETS,
    api_metrics,
    change,
    healthy_metrics,
    lambda_topology,
    obs,
    ok_traces,
    series,
    step,
    targets_health,
    traces,
    vpc_topology,
)

from apigw_cockpit.diagnose import Observations
from apigw_cockpit.model import IntegrationResponse

TIMEOUT = "Execution failed due to a timeout error"
NETWORK = "Execution failed due to a network error communicating with endpoint: Connection is closed"
INTERNAL = (
    "Execution failed due to configuration error: There was an internal error while executing your request"
)
PERMISSION = "Execution failed due to configuration error: Invalid permissions on Lambda function"
FAST = {"p99_after": 40.0}


def sg_blocks() -> Observations:
    """The seed's midnight pager: SG rule now admits another VPC's CIDR; all targets unhealthy."""
    return obs(
        vpc_topology(sg_cidr="172.16.0.0/16"),
        metrics=api_metrics(),
        traces=ok_traces() + traces(TIMEOUT, 504, latency_ms=None),
        target_health=targets_health("unhealthy", "Target.FailedHealthChecks"),
        changes=(change("RevokeSecurityGroupIngress", 5, [SG_TARGETS]),),
    )


def nlb_subnets() -> Observations:
    return obs(
        vpc_topology(nlb_azs=("us-east-1a",), target_azs=("us-east-1b", "us-east-1c")),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(INTERNAL, 500, latency_ms=None),
        target_health=targets_health("unused", "Target.NotInUse", azs=("us-east-1b", "us-east-1c")),
        changes=(change("SetSubnets", 3, [NLB_ARN], source="elasticloadbalancing.amazonaws.com"),),
    )


def vpc_link() -> Observations:
    return obs(
        vpc_topology(link_status="FAILED"),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces("Execution failed due to an vpc link error", 500, latency_ms=None),
        target_health=targets_health("healthy"),
        changes=(change("UpdateVpcLink", 4, ["vl-1"], source="apigateway.amazonaws.com"),),
    )


def lambda_permission() -> Observations:
    return obs(
        lambda_topology(allow_apigw=False),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(PERMISSION, 500, latency_ms=None),
        changes=(change("RemovePermission", 2, ["orders-fn"], source="lambda.amazonaws.com"),),
    )


def execution_role() -> Observations:
    return obs(
        lambda_topology(allow_apigw=False, credentials=ROLE_ARN, role_allows=False),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(PERMISSION, 500, latency_ms=None),
        changes=(change("DetachRolePolicy", 6, [ROLE_ARN], source="iam.amazonaws.com"),),
    )


def integration_timeout() -> Observations:
    """Healthy targets, backend slower than the 29 s integration timeout."""
    return obs(
        vpc_topology(),
        metrics=api_metrics(p99_after=29000),
        traces=ok_traces() + traces(TIMEOUT, 504, latency_ms=None),
        target_health=targets_health("healthy"),
    )


def lambda_function_error() -> Observations:
    err = (
        "Lambda execution failed with status 200 due to customer function error: "
        "Task timed out after 10.00 seconds"
    )
    return obs(
        lambda_topology(fn_timeout_s=10),
        metrics=(
            *api_metrics(p99_after=10020),
            series("Errors", step(0, 40), namespace="AWS/Lambda", dims=(("FunctionName", "orders-fn"),)),
        ),
        traces=ok_traces() + traces(err, 502, latency_ms=10020),
        changes=(change("UpdateFunctionConfiguration", 3, ["orders-fn"], source="lambda.amazonaws.com"),),
    )


def malformed_proxy() -> Observations:
    line = "Execution failed due to configuration error: Malformed Lambda proxy response"
    return obs(
        lambda_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(line, 502, body='{"statusCode": 200, "body": {"id": 1}}'),
        changes=(change("UpdateFunctionCode", 4, [FN_ARN], source="lambda.amazonaws.com"),),
    )


def mapping_template() -> Observations:
    bad = '{"orderId": "$input.params(\'id\')",\n "qty": 1,}'
    return obs(
        lambda_topology(integration_type="AWS", request_templates=(("application/json", bad),)),
        metrics=api_metrics(**FAST),
        traces=ok_traces()
        + traces("Execution failed due to configuration error: Unable to transform request", 500),
        changes=(change("CreateDeployment", 2, [API], source="apigateway.amazonaws.com"),),
    )


def backend_unmapped() -> Observations:
    responses = (IntegrationResponse("200", selection_pattern="2\\d{2}"),)
    line = (
        "Execution failed due to configuration error: No match for output mapping and no default output "
        "mapping configured. Endpoint Response Status Code: 500"
    )
    return obs(
        vpc_topology(integration_type="HTTP", responses=responses),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(line, 500),
        target_health=targets_health("healthy"),
    )


def stage_variable() -> Observations:
    uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations"
    gone = "arn:aws:lambda:us-east-1:123456789012:function:orders-fn-v1"
    return obs(
        lambda_topology(uri=uri, lambda_arn=gone, stage_kw={"variables": (("fn", gone),)}),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(PERMISSION, 500, latency_ms=None),
        changes=(
            change(
                "UpdateStage",
                5,
                [API],
                source="apigateway.amazonaws.com",
                params='{"patchOperations": "/variables/fn"}',
            ),
        ),
    )


def cors_preflight() -> Observations:
    return obs(
        vpc_topology(cors=True, options_integration=False),
        metrics=api_metrics(five_xx_after=20, **FAST),
        traces=ok_traces()
        + traces("Execution failed due to configuration error: Invalid method setup", 500, method="OPTIONS"),
        target_health=targets_health("healthy"),
        changes=(change("DeleteIntegration", 3, [API], source="apigateway.amazonaws.com"),),
    )


def invalid_backend_response() -> Observations:
    """The seed's two-line form: a generic integration error, then "Invalid response"."""
    return obs(
        vpc_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces()
        + traces(
            "Execution failed due to integration error\nInvalid response from endpoint", 502, latency_ms=None
        ),
        target_health=targets_health("healthy"),
    )


def crash_under_load() -> Observations:
    return obs(
        vpc_topology(),
        metrics=api_metrics(five_xx_after=60, count_after=900, **FAST),
        traces=ok_traces() + traces(NETWORK, 502, latency_ms=None),
        target_health=targets_health("healthy")[:1]
        + targets_health("unhealthy", "Target.FailedHealthChecks")[1:],
    )


def tls_mismatch() -> Observations:
    line = (
        "Execution failed due to configuration error: Host name 'orders.internal' does not match the "
        "certificate subject provided by the peer (CN=*.example.com)"
    )
    return obs(
        vpc_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(line, 500, latency_ms=None),
        target_health=targets_health("healthy"),
    )


def healthy() -> Observations:
    return obs(
        vpc_topology(),
        metrics=healthy_metrics(),
        traces=ok_traces(8),
        target_health=targets_health("healthy"),
    )


SCENARIOS: dict[str, Callable[[], Observations]] = {
    "sg-blocks-nlb-targets": sg_blocks,
    "nlb-subnet-mismatch": nlb_subnets,
    "vpc-link-unavailable": vpc_link,
    "lambda-permission-missing": lambda_permission,
    "execution-role-missing-invoke": execution_role,
    "integration-timeout": integration_timeout,
    "lambda-function-error": lambda_function_error,
    "malformed-lambda-proxy-response": malformed_proxy,
    "mapping-template-invalid": mapping_template,
    "backend-error-unmapped": backend_unmapped,
    "stage-variable-stale": stage_variable,
    "cors-preflight-no-integration": cors_preflight,
    "invalid-backend-response": invalid_backend_response,
    "backend-crash-under-load": crash_under_load,
    "tls-name-mismatch": tls_mismatch,
    "none": healthy,
}
