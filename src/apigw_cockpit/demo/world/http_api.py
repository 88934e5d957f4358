"""What an HTTP API (apigatewayv2) answers and logs for a request the world evaluated.

The world evaluates one request the same way for both products (the path, the integration, the
backend); an HTTP API then differs in what the client gets and what it writes down: no execution
log, one access-log line per request in the stage's own format, and its own status words.

- AWS (http-api-troubleshooting-lambda, knowledge-center api-gateway-http-lambda-integrations):
  a failed Lambda integration answers 500 {"message":"Internal Server Error"}; a missing invoke
  permission logs integrationErrorMessage "The IAM role configured on the integration or API
  Gateway doesn't have permissions to call the integration. Check the permissions and try again."
  and a Lambda authorizer's the same words about "the authorizer" in $context.authorizer.error.
- SIM CHOICE: the integration timeout (30 s hard) and connection failures answer 503
  {"message":"Service Unavailable"}; any other integration error's integrationErrorMessage is the
  sentence the REST execution log gives the same failure.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

from apigw_cockpit.demo.world.gate import JWT_REJECTED
from apigw_cockpit.demo.world.outcome import Outcome

NO_PERMISSION = (
    "The IAM role configured on the {what} or API Gateway doesn't have permissions to call the {what}. "
    "Check the permissions and try again."
)
MSG_HTTP_INTERNAL = b'{"message":"Internal Server Error"}'
MSG_HTTP_UNAVAILABLE = b'{"message":"Service Unavailable"}'
_BACKEND_STATUS = re.compile(r"^Received response\. Status: (\d{3})")


def _bad(o: Outcome) -> list[str]:
    """The request's failure lines, as the REST execution log gives them."""
    return [txt for _, txt, bad in o.lines if bad]


def as_http(o: Outcome) -> Outcome:
    """The REST evaluation of a request as an HTTP API answers it (status and body)."""
    if o.status < 500:
        return o
    first = next(iter(_bad(o)), "")
    if o.status == 504 or "network error" in first:
        return replace(o, status=503, body=MSG_HTTP_UNAVAILABLE, error_type="")
    if not first:  # the backend's own 5XX, passed through by the proxy
        return o
    return replace(o, status=500, body=MSG_HTTP_INTERNAL, error_type="")


def _integration_error(o: Outcome) -> tuple[str, str]:
    """(integrationErrorMessage, authorizer.error) for a failed request."""
    lines = _bad(o)
    if not lines:
        return "", ""
    if lines[0].startswith(JWT_REJECTED):
        return "", lines[0].removeprefix(JWT_REJECTED)
    if o.authorizer_call is not None or any("Authorizer error" in x for x in lines):
        if any("Invalid permissions" in x for x in lines):
            return "", NO_PERMISSION.format(what="authorizer")
        return "", "The authorizer returned an error: " + (
            o.authorizer_call.error if o.authorizer_call else ""
        )
    if any("Invalid permissions on Lambda function" in x for x in lines):
        return NO_PERMISSION.format(what="integration"), ""
    return "; ".join(dict.fromkeys(lines)), ""  # SIM CHOICE: every failure sentence, in order


def _response_type(o: Outcome) -> str:
    """The gateway response a failed request got ($context.error.responseType; AWS "Gateway
    response types": INTEGRATION_TIMEOUT, INTEGRATION_FAILURE, API_CONFIGURATION_ERROR, …)."""
    if o.status < 400:
        return "-"
    bad = " ".join(_bad(o))
    if o.status == 429:
        return "THROTTLED"
    if o.status == 401:
        return "UNAUTHORIZED"  # AWS gateway response type, default 401
    if "Authorizer error" in bad:
        return "AUTHORIZER_CONFIGURATION_ERROR"
    if "timeout error" in bad:
        return "INTEGRATION_TIMEOUT"
    if "network error" in bad or "internal error" in bad:
        return "INTEGRATION_FAILURE"
    if "configuration error" in bad or "Lambda" in bad:
        return "API_CONFIGURATION_ERROR" if o.status == 500 else "DEFAULT_5XX"
    return "DEFAULT_5XX" if o.status >= 500 else "DEFAULT_4XX"


def access_line(
    fmt: str, o: Outcome, rid: str, verb: str, route: str, t: float, source_ip: str, protocol_http: bool
) -> str:
    """One access-log line: `fmt` (the stage's accessLogSettings.format) with $context filled in."""
    integration_error, authorizer_error = _integration_error(o)
    backend = next((m.group(1) for _, txt, _ in o.lines if (m := _BACKEND_STATUS.match(txt))), "")
    if not backend and o.lambda_call is not None and not o.lambda_call.throttled:
        backend = "200"  # the Lambda Invoke call itself succeeded; its payload may still be an error
    body = o.body.decode("utf-8", "replace")
    try:
        message = str(json.loads(body).get("message", "")) if o.status >= 400 else ""
    except (ValueError, AttributeError):
        message = ""
    values = {
        "requestId": rid,
        "extendedRequestId": rid,
        "identity.sourceIp": source_ip,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t)),
        "requestTimeEpoch": str(int(t * 1000)),
        "httpMethod": verb,
        "routeKey": f"{verb} {route}" if protocol_http else "-",
        "resourcePath": route,
        "status": str(o.status),
        "protocol": "HTTP/1.1",
        "responseLength": str(len(o.body)),
        "integrationStatus": backend or "-",
        "integration.status": backend or "-",
        "integrationLatency": str(int(o.integration_latency_ms)) if o.integration_latency_ms else "-",
        "integration.latency": str(int(o.integration_latency_ms)) if o.integration_latency_ms else "-",
        "integrationErrorMessage": integration_error or "-",
        "integration.error": integration_error or "-",
        "error.message": message or "-",
        "error.messageString": json.dumps(message) if message else "-",
        "authorizer.error": authorizer_error or "-",
        "error.responseType": _response_type(o),
    }

    def fill(m: re.Match[str]) -> str:
        v = values.get(m.group(1), "-")
        # Inside a JSON format the value sits in quotes: keep the line valid JSON.
        return json.dumps(v)[1:-1] if fmt.lstrip().startswith("{") else v

    return re.sub(r"\$context\.([A-Za-z0-9_.]+[A-Za-z0-9_])", fill, fmt)
