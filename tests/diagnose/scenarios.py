"""One hand-built Observations per root cause, shaped the way AWS would show that incident."""

from __future__ import annotations

from collections.abc import Callable

from diagnose_world import (
    API,
    FN_ARN,
    NLB_ARN,
    ROLE_ARN,
    SG_TARGETS,
    T0,
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
        "Cannot read properties of undefined (reading 'id'). Lambda request id: 5b5c-12"
    )
    return obs(
        lambda_topology(fn_timeout_s=10),
        metrics=(
            *api_metrics(p99_after=45),
            series("Errors", step(0, 40), namespace="AWS/Lambda", dims=(("FunctionName", "orders-fn"),)),
        ),
        traces=ok_traces() + traces(err, 502, latency_ms=45),
        changes=(change("UpdateFunctionCode", 3, ["orders-fn"], source="lambda.amazonaws.com"),),
    )


def lambda_timeout() -> Observations:
    """The function's own 10 s timeout (502), well under the 29 s integration timeout."""
    err = (
        "Lambda execution failed with status 200 due to customer function error: "
        "2024-05-30T01:22:45.123Z 5b5c0d6e-1111-2222-3333-444455556666 Task timed out after 10.00 seconds"
    )
    fn_dims = (("FunctionName", "orders-fn"),)
    return obs(
        lambda_topology(fn_timeout_s=10),
        metrics=(
            *api_metrics(p99_after=10020),
            series("Errors", step(0, 40), namespace="AWS/Lambda", dims=fn_dims),
            series("Duration", step(85, 10000), namespace="AWS/Lambda", stat="Maximum", dims=fn_dims),
        ),
        traces=ok_traces() + traces(err, 502, latency_ms=10020),
        changes=(change("UpdateFunctionConfiguration", 3, ["orders-fn"], source="lambda.amazonaws.com"),),
    )


def lambda_throttled() -> Observations:
    line = "Lambda invocation failed with status: 429. Lambda request id: 9f1e-7a"
    return obs(
        lambda_topology(),
        metrics=(
            *api_metrics(**FAST),
            series("Throttles", step(0, 90), namespace="AWS/Lambda", dims=(("FunctionName", "orders-fn"),)),
        ),
        traces=ok_traces() + traces(line, 500, latency_ms=None),
        changes=(change("PutFunctionConcurrency", 4, ["orders-fn"], source="lambda.amazonaws.com"),),
    )


def authorizer_failure() -> Observations:
    lines = PERMISSION + "\nExecution failed due to configuration error: Authorizer error"
    return obs(
        lambda_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(lines, 500, latency_ms=None),
    )


def usage_plan_throttled() -> Observations:
    line = (
        "API Key **********F0yrv6 exceeded throttle limit for API Stage a1b2c3/prod: Key throttle limit "
        "exceeded for Usage Plan ID nnpegc, RestApi a1b2c3, Stage prod, Resource r1, HttpMethod GET. "
        "Limit: 5.00 Burst: 10"
    )
    return obs(
        vpc_topology(),
        metrics=(*healthy_metrics(), series("4XXError", step(2, 120))),
        traces=ok_traces() + traces(line, 429, latency_ms=None),
        target_health=targets_health("healthy"),
    )


def backend_5xx() -> Observations:
    """HTTP proxy: API Gateway completes fine and passes the backend's 503 through."""
    return obs(
        vpc_topology(),
        metrics=api_metrics(five_xx_after=60, p99_after=140),
        traces=ok_traces() + traces(None, 503, latency_ms=42),
        target_health=targets_health("healthy"),
    )


def backend_unreachable() -> Observations:
    """Nothing listens on the targets' port: fast network errors, all unhealthy, SGs fine."""
    return obs(
        vpc_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(NETWORK, 502, latency_ms=None),
        target_health=targets_health("unhealthy", "Target.FailedHealthChecks"),
    )


def tls_certificate_invalid() -> Observations:
    line = (
        "Execution failed due to configuration error: PKIX path validation failed: "
        "java.security.cert.CertPathValidatorException: validity check failed"
    )
    return obs(
        vpc_topology(),
        metrics=api_metrics(**FAST),
        traces=ok_traces() + traces(line, 500, latency_ms=None),
        target_health=targets_health("healthy"),
    )


def recovered() -> Observations:
    """The SG broke at minute 20 and was put back at minute 35; quiet since, all healthy."""
    five = [150.0 if 20 <= i < 35 else 0.0 for i in range(60)]
    p99 = [28100.0 if 20 <= i < 35 else 120.0 for i in range(60)]
    return obs(
        vpc_topology(),
        metrics=(
            series("5XXError", five),
            series("Count", [200] * 60),
            series("IntegrationLatency", p99, stat="p99"),
        ),
        traces=ok_traces(8, start=T0 + 50 * 60),
        target_health=targets_health("healthy"),
        changes=(
            change("RevokeSecurityGroupIngress", 25, [SG_TARGETS]),
            change("AuthorizeSecurityGroupIngress", 10, [SG_TARGETS]),
        ),
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
    "tls-certificate-invalid": tls_certificate_invalid,
    "backend-5xx-passthrough": backend_5xx,
    "backend-unreachable": backend_unreachable,
    "lambda-throttled": lambda_throttled,
    "lambda-timeout": lambda_timeout,
    "authorizer-failure": authorizer_failure,
    "usage-plan-throttled": usage_plan_throttled,
    "recovered": recovered,
    "none": healthy,
}
