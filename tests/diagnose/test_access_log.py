"""Access-log lines (JSON with any key names, and the console's CLF) → verdicts and evidence.

Lines are shaped after the AWS docs' access-log templates and the documented values of the
$context variables (REST "Variables for access logging", HTTP "Customize HTTP API access logs",
"Gateway response types for API Gateway").
"""

from __future__ import annotations

import json

import pytest

from apigw_cockpit.diagnose.access_format import AccessFormat, access_format
from apigw_cockpit.diagnose.access_log import classify_access, parse_access_line
from apigw_cockpit.diagnose.classifier import VERDICTS, Classification

RID = "7f3a9c12-1b2c-4d5e-8f90-123456789abc"


def _classified(line: str, fmt: AccessFormat | None = None) -> Classification:
    record = parse_access_line(line, fmt)
    assert record is not None, line
    return classify_access(record)


def _j(**fields: object) -> str:
    return json.dumps({"requestId": RID, **fields})


# (line, verdict, status, a substring the evidence must quote)
CASES = [
    # REST JSON template, integration ran to the 29 s limit and API Gateway answered 504.
    (
        _j(
            httpMethod="GET",
            resourcePath="/orders",
            status="504",
            integrationLatency="29012",
            integrationStatus="-",
        ),
        "integration-timeout",
        504,
        "integrationLatency=29012",
    ),
    # HTTP API keys (integration.latency), latency just under the cut-off plus responseType.
    (
        _j(
            routeKey="GET /orders",
            status=504,
            **{"integration.latency": "30001"},
            **{"error.responseType": "INTEGRATION_TIMEOUT"},
        ),
        "integration-timeout",
        504,
        'error.responseType="INTEGRATION_TIMEOUT"',
    ),
    # Nested JSON keys as a user might write them.
    (
        json.dumps({"requestId": RID, "status": 504, "integration": {"latency": 29500, "status": "-"}}),
        "integration-timeout",
        504,
        "integration.latency=29500",
    ),
    # A quick 504 is not a timeout: INTEGRATION_FAILURE with nothing else is left unexplained.
    (
        _j(status="504", integrationLatency="12", **{"error.responseType": "INTEGRATION_FAILURE"}),
        "unknown",
        504,
        "no access-log field explains",
    ),
    # REST Lambda proxy answered something API Gateway cannot read.
    (
        _j(status="502", integrationStatus="200", integrationErrorMessage="Malformed Lambda proxy response"),
        "malformed-proxy-response",
        502,
        'integrationErrorMessage="Malformed Lambda proxy response"',
    ),
    # HTTP API: $context.integration.error carries the same sentence.
    (
        _j(
            status="502",
            **{
                "integration.error": "Execution failed due to configuration error: "
                "Malformed Lambda proxy response"
            },
        ),
        "malformed-proxy-response",
        502,
        "integration.error=",
    ),
    (
        _j(
            status="500",
            **{"error.responseType": "AUTHORIZER_FAILURE", "error.message": "Internal server error"},
        ),
        "authorizer-failure",
        500,
        "AUTHORIZER_FAILURE",
    ),
    (
        _j(status="500", **{"error.responseType": "AUTHORIZER_CONFIGURATION_ERROR"}),
        "authorizer-failure",
        500,
        "AUTHORIZER_CONFIGURATION_ERROR",
    ),
    (
        _j(status="429", **{"error.responseType": "THROTTLED", "error.message": "Too Many Requests"}),
        "throttled",
        429,
        "THROTTLED",
    ),
    (_j(status="429", **{"error.responseType": "QUOTA_EXCEEDED"}), "throttled", 429, "QUOTA_EXCEEDED"),
    # The backend itself answered 503 through an HTTP proxy integration.
    (
        _j(status="503", integrationStatus="503", integrationLatency="41"),
        "backend-5xx",
        503,
        "integrationStatus=503",
    ),
    # The execution-log patterns read integrationErrorMessage too.
    (
        _j(status="504", integrationErrorMessage="Endpoint request timed out"),
        "integration-timeout",
        504,
        "Endpoint request timed out",
    ),
    # Snake-case keys with the $context names.
    (
        json.dumps(
            {
                "request_id": RID,
                "status_code": 500,
                "integration_error_message": "Execution failed due to configuration error: "
                "Invalid permissions on Lambda function",
            }
        ),
        "lambda-permission",
        500,
        "Invalid permissions",
    ),
    # Keys spelled as the $context variables themselves.
    (
        json.dumps(
            {"$context.requestId": RID, "$context.status": "200", "$context.integrationLatency": "35"}
        ),
        "success",
        200,
        "$context.status=200",
    ),
    # A 5XX with no error field at all: said honestly.
    (_j(status="500", integrationStatus="-"), "unknown", 500, "no access-log field explains"),
    # CLF, the console template (REST): a 504 carries no latency, so nothing is guessed.
    (
        f'203.0.113.7 - - [02/Dec/2026:03:01:02 +0000] "GET /orders HTTP/1.1" 504 41 {RID}',
        "unknown",
        504,
        "status=504",
    ),
    (
        f"198.51.100.20 arn:aws:iam::123456789012:user/ops - [02/Dec/2026:03:01:03 +0000] "
        f'"POST /pets HTTP/1.1" 200 112 {RID}',
        "success",
        200,
        "status=200",
    ),
    # CLF as FilterLogEvents text shows it (ISO timestamp first), HTTP API route key path.
    (
        f'2026-12-02T03:01:04.000Z 192.0.2.1 - - [02/Dec/2026:03:01:04 +0000] "GET /orders/{{id}} '
        f'HTTP/1.1" 503 35 {RID}',
        "unknown",
        503,
        "status=503",
    ),
]


@pytest.mark.parametrize(("line", "verdict", "status", "quoted"), CASES)
def test_access_line_verdict(line: str, verdict: str, status: int, quoted: str) -> None:
    record = parse_access_line(line)
    assert record is not None, line
    got = classify_access(record)
    assert got.verdict in VERDICTS
    assert (got.verdict, got.status) == (verdict, status), got
    assert got.request_id == RID
    assert any(quoted in e for e in got.evidence), got.evidence


def test_fields_carried_over() -> None:
    got = _classified(
        _j(
            httpMethod="GET",
            resourcePath="/orders/{id}",
            status="504",
            integrationLatency="29000.5",
            integrationStatus="-",
        )
    )
    assert (got.method, got.path, got.integration_latency_ms) == ("GET", "/orders/{id}", 29000.5)
    assert got.backend_status is None and got.failed
    clf = parse_access_line(
        f'203.0.113.7 - - [02/Dec/2026:03:01:02 +0000] "DELETE /pets/7 HTTP/1.1" 502 0 {RID}'
    )
    assert clf is not None and clf.form == "clf"
    assert (classify_access(clf).method, classify_access(clf).path) == ("DELETE", "/pets/7")


@pytest.mark.parametrize(
    "line",
    [
        "hello world",
        '{"events": 5}',
        '{"message": "no status, no id"}',
        '{"status": "999", "foo": 1}',
        "[1, 2, 3]",
        '{"status": ',
        f"({RID}) Method completed with status: 504",
        f'({RID}) {{"statusCode": 502, "body": "a Lambda proxy response, logged"}}',
        f'({RID}) Endpoint response body before transformations: {{"message": "x"}}',
        '203.0.113.7 - - [not closed "GET / HTTP/1.1" 200 1 x',
    ],
)
def test_not_access_lines(line: str) -> None:
    assert parse_access_line(line) is None


JSON_FORMAT = (
    '{"rid":"$context.requestId","sc":"$context.status","lat":$context.integrationLatency,'
    '"why":"$context.integrationErrorMessage","gw":{"type":"$context.error.responseType"}}'
)
TEXT_FORMAT = (
    '$context.identity.sourceIp [$context.requestTime] "$context.httpMethod $context.resourcePath" '
    '$context.status $context.integrationLatency $context.requestId "$context.error.message"'
)


def test_own_json_format_maps_keys_by_their_context_variable() -> None:
    fmt = access_format(JSON_FORMAT)
    assert (
        fmt is not None
        and fmt.json_keys["sc"] == "status"
        and fmt.json_keys["gw.type"] == "error.responseType"
    )
    line = json.dumps({"rid": RID, "sc": "502", "lat": "40", "why": "Malformed Lambda proxy response"})
    assert parse_access_line(line) is None  # without the format, "sc"/"rid" mean nothing
    got = _classified(line, fmt)
    assert (got.verdict, got.status, got.request_id, got.integration_latency_ms) == (
        "malformed-proxy-response",
        502,
        RID,
        40.0,
    )
    timeout = json.dumps({"rid": RID, "sc": 504, "gw": {"type": "INTEGRATION_TIMEOUT"}})
    assert _classified(timeout, fmt).verdict == "integration-timeout"


def test_own_text_format_reads_quoted_values_with_spaces() -> None:
    fmt = access_format(TEXT_FORMAT)
    assert fmt is not None and fmt.regex is not None
    line = (
        f'192.0.2.9 [02/Dec/2026:03:01:02 +0000] "GET /orders" 504 29050 {RID} "Endpoint request timed out"'
    )
    record = parse_access_line(line, fmt)
    assert record is not None and record.form == "format"
    got = classify_access(record)
    assert (got.verdict, got.status, got.method, got.path) == ("integration-timeout", 504, "GET", "/orders")
    assert "integrationLatency=29050" in got.evidence
    # A console-CLF line still reads when the stage's format does not match it.
    clf = f'203.0.113.7 - - [02/Dec/2026:03:01:02 +0000] "GET /orders HTTP/1.1" 200 41 {RID}'
    assert _classified(clf, fmt).verdict == "success"
    # A long line of spaces that almost matches: refused (the groups cannot backtrack far).
    assert parse_access_line("1 " * 4000, fmt) is None


def test_format_without_context_variables() -> None:
    assert access_format("just text") is None
    assert access_format("") is None


def test_http_route_key_and_permission_sentences() -> None:
    # knowledge-center api-gateway-http-lambda-integrations: both sentences verbatim.
    line = json.dumps(
        {
            "requestId": "KF1jvzcfCkEEFSg=",
            "routeKey": "POST /ingest",
            "status": "500",
            "integrationErrorMessage": "The IAM role configured on the integration or API Gateway doesn't "
            "have permissions to call the integration. Check the permissions and try again.",
        }
    )
    rec = parse_access_line(line)
    assert rec is not None
    c = classify_access(rec)
    assert (c.verdict, c.status, c.method, c.path) == ("lambda-permission", 500, "POST", "/ingest")
    auth = json.dumps(
        {
            "requestId": "x1",
            "routeKey": "GET /profile",
            "status": "500",
            "authorizerError": "The IAM role configured on the authorizer or API Gateway doesn't have "
            "permissions to call the authorizer. Check the permissions and try again.",
        }
    )
    got = parse_access_line(auth)
    assert got is not None and classify_access(got).verdict == "authorizer-failure"


@pytest.mark.parametrize(
    ("error", "verdict"),
    [
        # AWS http-api-troubleshooting-jwt: the error_description of www-authenticate.
        ("the token does not have a valid audience", "authorizer-failure"),
        ("the token does not have a valid issuer", "authorizer-failure"),
        ("signature verification failed", "authorizer-failure"),
        # An expired token is the client's to renew, not the authorizer's configuration.
        ("the token has expired", None),
    ],
)
def test_http_jwt_authorizer_401(error: str, verdict: str | None) -> None:
    line = json.dumps(
        {
            "requestId": "Mc7UVioPPHcEKPA=",
            "routeKey": "GET /devices/{id}",
            "status": "401",
            "errorMessage": "Unauthorized",
            "authorizerError": error,
        }
    )
    rec = parse_access_line(line)
    assert rec is not None
    c = classify_access(rec)
    if verdict is None:
        assert c.verdict != "authorizer-failure"
    else:
        assert (c.verdict, c.status) == (verdict, 401)
        assert any(error in q for q in c.evidence)
