"""The classifier against every verbatim line of AWS-FACTS, its TestInvoke form, and junk."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.diagnose import VERDICTS, classify, group_lines

RID = "7f3a9c12-1b2c-4d5e-8f90-123456789abc"

# (verbatim line from AWS-FACTS, verdict, implied client status)
TABLE = [
    (
        "Execution failed due to configuration error: Malformed Lambda proxy response",
        "malformed-proxy-response",
        502,
    ),
    (
        "Lambda execution failed with status 200 due to customer function error: "
        "Task timed out after 10.00 seconds. Lambda request id: 5b5c-11",
        "lambda-timeout",
        502,
    ),
    (
        "Lambda execution failed with status 200 due to customer function error: "
        "Cannot read properties of undefined (reading 'id'). Lambda request id: 5b5c-12",
        "lambda-function-error",
        502,
    ),
    (
        "Execution failed due to configuration error: Invalid permissions on Lambda function",
        "lambda-permission",
        500,
    ),
    ("Execution failed due to a timeout error", "integration-timeout", 504),
    (
        "Execution failed due to a network error communicating with endpoint: Connection is closed",
        "network-error",
        502,
    ),
    (
        "Execution failed due to configuration error: "
        "There was an internal error while executing your request",
        "vpc-link-internal",
        500,
    ),
    (
        "Execution failed due to configuration error: Host name 'orders.internal' does not match the "
        "certificate subject provided by the peer (CN=*.example.com)",
        "tls-name-mismatch",
        500,
    ),
    ("Execution failed due to an vpc link error", "vpc-link-internal", 500),
    ("Execution failed due to configuration error: Unable to transform request", "mapping-template", 500),
    (
        "Execution failed due to configuration error: "
        "Output mapping refers to an invalid method response: 500",
        "output-mapping-invalid",
        500,
    ),
    (
        "Execution failed due to configuration error: No match for output mapping and no default output "
        "mapping configured. Endpoint Response Status Code: 500",
        "output-mapping-invalid",
        500,
    ),
    ("Key throttle limit exceeded for RestApi a1b2c3, Stage prod, Resource /orders", "throttled", 429),
    ("Successfully completed execution", "success", 200),
]
TI_PREFIX = "Tue May 30 01:22:45 UTC 2023 : "


@pytest.mark.parametrize(("line", "verdict", "status"), TABLE)
def test_request_id_prefixed_line(line: str, verdict: str, status: int) -> None:
    c = classify([f"({RID}) {line}"])
    assert (c.verdict, c.status, c.request_id) == (verdict, status, RID)
    assert line in c.evidence


@pytest.mark.parametrize(("line", "verdict", "status"), TABLE)
def test_test_invoke_prefixed_line(line: str, verdict: str, status: int) -> None:
    lines = [f"{TI_PREFIX}Execution log for request 11-22-33", f"{TI_PREFIX}{line}"]
    c = classify(lines)
    assert (c.verdict, c.status, c.request_id) == (verdict, status, "11-22-33")


@pytest.mark.parametrize(("line", "verdict", "status"), TABLE)
def test_bare_line_with_crlf(line: str, verdict: str, status: int) -> None:
    c = classify([line + "\r\n"])
    assert (c.verdict, c.status) == (verdict, status)


def test_method_completed_overrides_implied_status() -> None:
    c = classify(
        [
            f"({RID}) Execution failed due to a network error communicating with endpoint: "
            "Connection is closed",
            f"({RID}) Method completed with status: 504",
        ]
    )
    assert (c.verdict, c.status) == ("network-error", 504)


def test_full_trace_parses_latency_method_path() -> None:
    lines = [
        f"({RID}) Starting execution for request: {RID}",
        f"({RID}) HTTP Method: POST, Resource Path: /orders/{{id}}",
        f"({RID}) Received response. Status: 200, Integration latency: 388 ms",
        f"({RID}) Successfully completed execution",
        f"({RID}) Method completed with status: 200",
        f"({RID}) AWS Integration Endpoint RequestId : abc",
    ]
    c = classify(lines)
    assert (c.verdict, c.status, c.integration_latency_ms) == ("success", 200, 388.0)
    assert (c.method, c.path, c.backend_status) == ("POST", "/orders/{id}", 200)


def test_lambda_form_of_received_response_has_no_status() -> None:
    c = classify(["Received response. Integration latency: 1042 ms", "Successfully completed execution"])
    assert c.integration_latency_ms == 1042.0


def test_seed_integration_error_uses_the_following_line() -> None:
    base = "Execution failed due to integration error"
    assert classify([base, "Endpoint request timed out"]).verdict == "integration-timeout"
    assert classify([base, "Network error communicating with endpoint"]).verdict == "network-error"
    assert classify([base, "Invalid response from endpoint"]).verdict == "invalid-backend-response"
    assert classify([base]).verdict == "unknown"


def test_specific_failure_beats_generic_and_success_line() -> None:
    c = classify(
        [
            "Execution failed due to something new",
            "Execution failed due to a timeout error",
            "Method completed with status: 504",
        ]
    )
    assert c.verdict == "integration-timeout"


def test_ansi_and_iso_timestamp_and_text_output_are_stripped() -> None:
    assert classify(
        ["\x1b[31m2024-05-30T01:22:45.123Z\t(" + RID + ") Execution failed due to a timeout error\x1b[0m"]
    ).verdict == ("integration-timeout")
    text_output = (
        f"EVENTS\tev1\t1717032165000\tstream\t({RID}) Execution failed due to a timeout error\t1717032165000"
    )
    c = classify([text_output])
    assert (c.verdict, c.request_id) == ("integration-timeout", RID)


def test_aws_logs_tail_format() -> None:
    line = f"2024-05-30T01:22:45.123000+00:00 0123abcd4567 ({RID}) Execution failed due to a timeout error"
    c = classify([line])
    assert (c.verdict, c.request_id) == ("integration-timeout", RID)


def test_completed_5xx_without_failure_line_is_not_success() -> None:
    # API Gateway completed fine and still answered 5XX: the backend said so (proxy passthrough).
    c = classify(["Successfully completed execution", "Method completed with status: 502"])
    assert c.verdict == "backend-5xx" and c.status == 502 and c.failed


def test_a_mapped_lambda_error_is_the_function_not_a_passthrough() -> None:
    # Non-proxy Lambda (AWS) integration: the function raised, an integration response's
    # selection pattern ('.*Error.*') mapped it to 500, and API Gateway "completed" fine.
    lines = [
        "Received response. Integration latency: 41 ms",
        "Endpoint response headers: {Date=Tue, 30 May 2023 01:22:45 GMT, Content-Type=application/json, "
        "Connection=keep-alive, x-amzn-RequestId=5b1c, X-Amz-Function-Error=Unhandled, "
        "X-Amz-Executed-Version=$LATEST}",
        'Endpoint response body before transformations: {"errorMessage": "KeyError: \'SEARCH_INDEX\'", '
        '"errorType": "KeyError"}',
        "Method response body after transformations: {}",
        "Successfully completed execution",
        "Method completed with status: 500",
    ]
    c = classify([f"({RID}) {x}" for x in lines])
    assert (c.verdict, c.status) == ("lambda-function-error", 500) and c.failed
    assert "X-Amz-Function-Error: Unhandled" in c.evidence[0]
    # The same 500 from an HTTP backend, with no function error header, is the backend's own.
    http = [lines[0].replace("Integration", "Status: 503, Integration"), *lines[4:]]
    assert classify(http).verdict == "backend-5xx"


def test_group_lines_by_request_id_and_test_invoke() -> None:
    a, b = "aaaaaaaa-1", "bbbbbbbb-2"
    lines = [
        f"({a}) Starting execution for request: {a}",
        f"({b}) Starting execution for request: {b}",
        f"({a}) Execution failed due to a timeout error",
        f"({b}) Successfully completed execution",
        f"{TI_PREFIX}Execution log for request cc-3",
        f"{TI_PREFIX}Execution failed due to configuration error: Malformed Lambda proxy response",
        "Execution failed due to a timeout error",
        "Execution failed due to configuration error: Invalid permissions on Lambda function",
    ]
    groups = group_lines(lines)
    verdicts = [classify(g).verdict for g in groups]
    assert verdicts == [
        "integration-timeout",
        "success",
        "malformed-proxy-response",
        "integration-timeout",
        "lambda-permission",
    ]


def test_group_lines_keeps_seed_followup_together() -> None:
    groups = group_lines(["Execution failed due to integration error", "Endpoint request timed out"])
    assert len(groups) == 1 and classify(groups[0]).verdict == "integration-timeout"


def test_single_lines_and_empty_input() -> None:
    assert classify([]).verdict == "unknown"
    assert group_lines([]) == []
    assert group_lines(["", "   ", "\r\n"]) == []


def test_huge_and_markup_lines() -> None:
    huge = "x" * 2_000_000 + " Execution failed due to a timeout error"
    assert classify([huge]).verdict == "unknown"  # cut at 8 KB: the tail is not read
    c = classify(["[bold red]Execution failed due to a timeout error[/]"])
    assert c.verdict == "integration-timeout"
    assert c.evidence == ("[bold red]Execution failed due to a timeout error[/]",)


_junk = st.one_of(
    st.binary(max_size=400).map(lambda b: b.decode("utf-8", errors="replace")),
    st.text(max_size=400),
    st.sampled_from([row[0] for row in TABLE]).map(lambda s: "\x1b[1m[bold red]" + s[: len(s) // 2]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_junk, max_size=12))
def test_junk_never_raises(lines: list[str]) -> None:
    c = classify(lines)
    assert c.verdict in VERDICTS
    for group in group_lines(lines):
        assert classify(group).verdict in VERDICTS
