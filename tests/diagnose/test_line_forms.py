"""Line forms seen in real execution logs (issue 13), each traced to where it was published.

Sources: knowledge-center api-gateway-429-limit (usage-plan throttle), api-gateway-ssl-certificate-
errors (PKIX lines), serverless/serverless#1784 (authorizer "Invalid permissions" then "Authorizer
error"), awslabs/aws-lambda-redshift-loader#80 (Lambda's own "<ts> <id> Task timed out after").
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.diagnose import classify, group_lines

RID = "0c1d2e3f-aaaa-bbbb-cccc-0123456789ab"

# (lines of one request, verdict, client status)
FORMS: list[tuple[list[str], str, int]] = [
    (  # a success trace (prefixed below with short ids such as "(a1)")
        [
            "Starting execution for request: a1",
            "HTTP Method: GET, Resource Path: /users",
            "Received response. Status: 200, Integration latency: 31 ms",
            "Successfully completed execution",
            "Method completed with status: 200",
        ],
        "success",
        200,
    ),
    (  # Lambda's own timeout inside API Gateway's customer-function-error line
        [
            "Lambda execution failed with status 200 due to customer function error: "
            "2024-05-30T01:22:45.123Z 5b5c0d6e-1111-2222-3333-444455556666 "
            "Task timed out after 3.00 seconds. "
            "Lambda request id: 5b5c0d6e-1111-2222-3333-444455556666",
            "Method completed with status: 502",
        ],
        "lambda-timeout",
        502,
    ),
    (  # the function log's own line, pasted alone
        ["2016-04-14T23:52:45.715Z b47cde10-029a-11e6-b5d6-1f01b70b94b2 Task timed out after 120.00 seconds"],
        "lambda-timeout",
        502,
    ),
    (  # the seed's generic line then a bare "Network error"
        ["Execution failed due to integration error", "Network error"],
        "network-error",
        502,
    ),
    (
        [
            "Sending request to https://expired.example.com/",
            "Execution failed due to configuration error: PKIX path validation failed: "
            "java.security.cert.CertPathValidatorException: validity check failed",
            "Method completed with status: 500",
        ],
        "tls-certificate-invalid",
        500,
    ),
    (
        [
            "Execution failed due to configuration error: General SSLEngine problem",
            "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
            "unable to find valid certification path to requested target",
        ],
        "tls-certificate-invalid",
        500,
    ),
    (  # the authorizer's permission line, then the authorizer verdict: one authorizer failure
        [
            "Starting authorizer: z4nj0a for request: 93a74a70",
            "Execution failed due to configuration error: Invalid permissions on Lambda function",
            "Execution failed due to configuration error: Authorizer error",
            "AuthorizerConfigurationException",
        ],
        "authorizer-failure",
        500,
    ),
    (
        [
            "API Key **********F0yrv6 exceeded throttle limit for API Stage rohkz08x02/dev: "
            "Key throttle limit exceeded for Usage Plan ID nnpegc, RestApi rohkz08x02, Stage dev, "
            "Resource f646q2, HttpMethod GET. Limit: 5.00 Burst: 10"
        ],
        "throttled",
        429,
    ),
    (
        ["Key quota exhausted for Usage Plan ID nnpegc. Limit: 500 Period: DAY"],
        "throttled",
        429,
    ),
    (  # proxy integration: API Gateway succeeded, the backend said 503
        [
            "Received response. Status: 503, Integration latency: 42 ms",
            'Endpoint response body before transformations: {"error": "upstream error"}',
            "Successfully completed execution",
            "Method completed with status: 503",
        ],
        "backend-5xx",
        503,
    ),
    (
        [
            "Execution failed due to a network error communicating with endpoint: "
            "Connect to 10.0.1.10:8080 failed: Connection refused",
            "Method completed with status: 502",
        ],
        "connection-refused",
        502,
    ),
    (
        [
            "Received response. Status: 429, Integration latency: 4 ms",
            "Endpoint response body before transformations: "
            '{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User",'
            '"message":"Rate Exceeded."}',
            "Lambda invocation failed with status: 429. Lambda request id: 9f1e",
            "Execution failed due to configuration error: Rate Exceeded.",
            "Method completed with status: 500",
        ],
        "lambda-throttled",
        500,
    ),
]


@pytest.mark.parametrize(("lines", "verdict", "status"), FORMS)
def test_line_form(lines: list[str], verdict: str, status: int) -> None:
    c = classify(lines)
    assert (c.verdict, c.status) == (verdict, status)


@pytest.mark.parametrize(("lines", "verdict", "status"), FORMS)
def test_line_form_is_one_request_with_or_without_ids(lines: list[str], verdict: str, status: int) -> None:
    for form in (lines, [f"({RID}) {x}" for x in lines], [f"(r9) {x}" for x in lines]):
        groups = group_lines(form)
        assert len(groups) == 1, groups
        assert classify(groups[0]).verdict == verdict


def test_short_request_id_prefix_is_a_request_id() -> None:
    c = classify(["(a1) Successfully completed execution", "(a1) Method completed with status: 200"])
    assert (c.verdict, c.status, c.request_id) == ("success", 200, "a1")


def test_authorizer_trace_with_ids_is_one_verdict_per_request() -> None:
    a, b = "au", "bx"
    lines = [
        f"({a}) Starting authorizer: z4nj0a for request: {a}",
        f"({b}) Starting execution for request: {b}",
        f"({a}) Execution failed due to configuration error: Invalid permissions on Lambda function",
        f"({b}) Successfully completed execution",
        f"({a}) Execution failed due to configuration error: Authorizer error",
        f"({b}) Method completed with status: 200",
    ]
    verdicts = [classify(g).verdict for g in group_lines(lines)]
    assert verdicts == ["authorizer-failure", "success"]


_ID = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Cc", "Cs"), blacklist_characters="()\u2028\u2029"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.isprintable() and not any(c.isspace() for c in s))
_WRAP = st.sampled_from(
    [
        "({rid}) {line}",
        "2024-05-30T01:22:45.123Z ({rid}) {line}",
        "2024-05-30T01:22:45.123000+00:00 0123abcd4567 ({rid}) {line}",
        "EVENTS\tev1\t1717032165000\tstream\t({rid}) {line}\t1717032165000",
    ]
)


@settings(max_examples=200, deadline=None)
@given(rid=_ID, wrap=_WRAP, case=st.sampled_from(FORMS))
def test_random_prefixes_never_split_a_trace(rid: str, wrap: str, case: tuple[list[str], str, int]) -> None:
    lines, verdict, _ = case
    prefixed = [wrap.format(rid=rid, line=x) for x in lines]
    groups = group_lines(prefixed)
    assert len(groups) == 1
    c = classify(groups[0])
    assert c.verdict == verdict
    assert c.request_id == rid


def test_explain_keeps_one_trace_per_request_id_whatever_the_prefix() -> None:
    from apigw_cockpit.commands.explain import explain, read_lines

    pasted = "\n".join(
        [
            "(a1) Starting execution for request: a1",
            "2024-05-30T01:22:45.123Z (b-22) Starting authorizer: z4nj0a for request: b-22",
            "(a1) Successfully completed execution",
            "(b-22) Execution failed due to configuration error: Invalid permissions on Lambda function",
            "(a1) Method completed with status: 200",
            "2024-05-30T01:22:45.200Z (b-22) Execution failed due to configuration error: Authorizer error",
            f"({RID}) Execution failed due to a network error communicating with endpoint: "
            "Connection is closed",
            f"({RID}) Method completed with status: 504",
        ]
    )
    results = explain(read_lines(pasted))
    assert [(r.request_id, r.verdict) for r in results] == [
        ("a1", "success"),
        ("b-22", "authorizer-failure"),
        (RID, "network-error"),
    ]
