"""The WSGI overlay in front of moto, and its dispatch table (data: operation -> handler)."""

from __future__ import annotations

from apigw_cockpit.demo.overlay import (
    apigateway,
    apigatewayv2,
    cloudtrail,
    cloudwatch,
    elbv2,
    iam,
    logs,
    writes,
)
from apigw_cockpit.demo.overlay.app import ApiError, Context, Overlay, Route

# (botocore service name, operation) -> who answers. Everything else goes to moto.
ROUTES: dict[tuple[str, str], Route] = {
    ("cloudtrail", "LookupEvents"): Route(cloudtrail.lookup_events),
    ("elbv2", "DescribeTargetHealth"): Route(elbv2.describe_target_health),
    ("iam", "SimulatePrincipalPolicy"): Route(iam.simulate_principal_policy),
    ("cloudwatch", "GetMetricData"): Route(cloudwatch.get_metric_data),
    ("cloudwatch", "DescribeAlarms"): Route(cloudwatch.describe_alarms),
    ("cloudwatch", "ListMetrics"): Route(cloudwatch.list_metrics),
    ("logs", "FilterLogEvents"): Route(logs.filter_log_events),
    ("logs", "DescribeLogStreams"): Route(logs.describe_log_streams),
    ("logs", "StartLiveTail"): Route(logs.start_live_tail, world=False),
    ("apigateway", "TestInvokeMethod"): Route(apigateway.test_invoke_method),
    # moto drops connectionType/connectionId: remember them on the way in, restore on the way out.
    # These call moto and never touch the world, so they run outside the world lock.
    ("apigateway", "PutIntegration"): Route(apigateway.put_integration, world=False),
    ("apigateway", "UpdateIntegration"): Route(apigateway.update_integration, world=False),
    ("apigateway", "GetIntegration"): Route(apigateway.get_integration, world=False),
    ("apigateway", "GetMethod"): Route(apigateway.get_method, world=False),
    ("apigateway", "GetResources"): Route(apigateway.get_resources, world=False),
    ("apigateway", "GetVpcLink"): Route(apigateway.get_vpc_link),
    ("apigateway", "GetVpcLinks"): Route(apigateway.get_vpc_links),
    ("apigatewayv2", "GetAuthorizers"): Route(apigatewayv2.get_authorizers),
    # A person's writes (AWS CLI) change the world; they take the world lock themselves.
    **{key: Route(writes.handle, world=False) for key in writes.TRANSLATORS},
}

__all__ = ["ROUTES", "ApiError", "Context", "Overlay", "Route"]
