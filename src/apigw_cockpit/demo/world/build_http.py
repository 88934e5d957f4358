"""HTTP APIs (apigatewayv2) in a topology: `[api] protocol = "HTTP"`, the stage's access log, and
what an HTTP API can hold (Lambda proxies with payload format 1.0/2.0, HTTP proxies over the
internet or a VPC link). REST topologies may declare an access log too (`[stage.access_log]`)."""

from __future__ import annotations

from apigw_cockpit.demo.world.build_extras import _Fail
from apigw_cockpit.demo.world.state import WorldState

# The console's "JSON" access-log format for HTTP APIs, plus the fields AWS's troubleshooting
# pages tell you to add ($context.integrationErrorMessage and friends).
DEFAULT_ACCESS_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
    '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
    '"routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol",'
    '"responseLength":"$context.responseLength","integrationStatus":"$context.integrationStatus",'
    '"integrationLatency":"$context.integrationLatency",'
    '"integrationErrorMessage":"$context.integrationErrorMessage",'
    '"errorMessage":"$context.error.message","authorizerError":"$context.authorizer.error"}'
)
HTTP_INTEGRATIONS = ("AWS_PROXY", "HTTP_PROXY")
PAYLOAD_VERSIONS = ("1.0", "2.0")


def build_http(topo: dict[str, object], ws: WorldState) -> WorldState:
    stage = topo.get("stage")
    log = stage.get("access_log") if isinstance(stage, dict) else None
    if log is not None:
        if not isinstance(log, dict) or not isinstance(log.get("group"), str) or not log["group"]:
            raise _Fail("topology.stage.access_log.group", "missing (the log group access logs go to)")
        fmt = log.get("format", DEFAULT_ACCESS_FORMAT)
        if not isinstance(fmt, str) or "$context.requestId" not in fmt:
            raise _Fail("topology.stage.access_log.format", "must be a format string with $context.requestId")
        ws.stage.access_log_group, ws.stage.access_log_format = log["group"], fmt
    if not ws.is_http:
        return ws
    if not ws.stage.access_log_group:
        # An HTTP API writes no execution log: without an access log nothing per request exists.
        raise _Fail("topology.stage.access_log", "missing (an HTTP API's only per-request log)")
    for rname, res in ws.resources.items():
        for verb, m in res.methods.items():
            p = f"topology.resources.{rname}.methods.{verb}.integration"
            integ = m.integration
            if integ is None or integ.type not in HTTP_INTEGRATIONS:
                got = integ.type if integ else "none"
                raise _Fail(f"{p}.type", f"an HTTP API route integrates AWS_PROXY or HTTP_PROXY, got {got}")
            if integ.type == "AWS_PROXY":
                integ.payload_format_version = integ.payload_format_version or "2.0"
                if integ.payload_format_version not in PAYLOAD_VERSIONS:
                    raise _Fail(
                        f"{p}.payload_format_version",
                        f"must be 1.0 or 2.0, got {integ.payload_format_version!r}",
                    )
    return ws
