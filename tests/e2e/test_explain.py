"""`apigw-cockpit explain` as a user runs it: stdin in, verdicts out, never a traceback."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

RID = "7f3a9c12-1b2c-4d5e-8f90-123456789abc"
TRACE = [
    f"({RID}) Starting execution for request: {RID}",
    f"({RID}) HTTP Method: GET, Resource Path: /orders",
    f"({RID}) Sending request to http://orders-nlb.internal/orders",
    f"({RID}) Execution failed due to a timeout error",
    f"({RID}) Method completed with status: 504",
    "(0e1d2c3b-aaaa) Received response. Status: 200, Integration latency: 388 ms",
    "(0e1d2c3b-aaaa) Successfully completed execution",
    "(0e1d2c3b-aaaa) Method completed with status: 200",
]


def _explain(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "apigw_cockpit", "explain", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
    )


pytestmark = [pytest.mark.e2e, pytest.mark.sim]  # slow lane: the CLI as processes


def test_pasted_lines_one_line_per_request_and_summary() -> None:
    out = _explain("\r\n".join(TRACE).encode())
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith(RID) and "integration-timeout" in lines[0] and "504" in lines[0]
    assert "success" in lines[1] and "388ms" in lines[1]
    assert lines[-1] == "2 requests, 1 failed: 1 integration-timeout (504), 1 success (200)"


def test_filter_log_events_json() -> None:
    doc = {"events": [{"eventId": str(i), "timestamp": 0, "message": m} for i, m in enumerate(TRACE)]}
    out = _explain(json.dumps(doc).encode(), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"] == {
        "requests": 2,
        "failed": 1,
        "by_verdict": {"integration-timeout": 1, "success": 1},
    }
    first = data["requests"][0]
    assert first["request_id"] == RID and first["status"] == 504 and first["path"] == "/orders"
    assert "integration-timeout" in first["suggests"]


def test_query_messages_text_output_one_tab_separated_line() -> None:
    out = _explain(("\t".join(TRACE) + "\n").encode(), "--json")
    assert json.loads(out.stdout)["summary"]["requests"] == 2


def test_test_invoke_log() -> None:
    ti = "Tue May 30 01:22:45 UTC 2023 : "
    log = [
        f"{ti}Execution log for request 11-22",
        f"{ti}Received response. Integration latency: 12 ms",
        f"{ti}Execution failed due to configuration error: Malformed Lambda proxy response",
        f"{ti}Method completed with status: 502",
    ]
    out = _explain("\n".join(log).encode(), "--json")
    req = json.loads(out.stdout)["requests"]
    assert [(r["request_id"], r["verdict"], r["status"]) for r in req] == [
        ("11-22", "malformed-proxy-response", 502)
    ]


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        random.Random(1).randbytes(4096),  # fixed seed: xdist workers must collect the same ids
        b"[bold red]not a log[/]\n\x1b[2J\x1b[31mhello\n",
        b'{"events": 3}',
        b"[1, 2",
        b"\xff" * 100,
    ],
    ids=["empty", "random-bytes", "markup-and-ansi", "json-wrong-shape", "broken-json", "invalid-utf8"],
)
def test_garbage_is_one_line_exit_2(garbage: bytes) -> None:
    out = _explain(garbage)
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "Traceback" not in err and err.strip().count("\n") == 0
    assert "no execution-log lines found" in err


def test_markup_in_logs_is_printed_as_text() -> None:
    out = _explain(b"(r-123456) Execution failed due to a timeout error [bold red]x[/]\x1b[31m\n")
    assert out.returncode == 0
    assert b"[bold red]x[/]" in out.stdout and b"\x1b" not in out.stdout


ACCESS_JSON = json.dumps(
    {
        "requestId": "a1b2c3d4-0000-4000-8000-00000000aaaa",
        "httpMethod": "GET",
        "resourcePath": "/orders",
        "status": "504",
        "integrationStatus": "-",
        "integrationLatency": "29004",
        "error": {"responseType": "INTEGRATION_TIMEOUT", "message": "Endpoint request timed out"},
    }
)
ACCESS_CLF = (
    '203.0.113.7 - - [02/Dec/2026:03:01:02 +0000] "POST /pets HTTP/1.1" 200 112 c1f0-0000-4000-8000-bbbb'
)


def test_access_log_lines_mixed_with_execution_lines() -> None:
    out = _explain("\n".join([ACCESS_JSON, *TRACE, ACCESS_CLF]).encode(), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by_id = {r["request_id"]: r for r in data["requests"]}
    access = by_id["a1b2c3d4-0000-4000-8000-00000000aaaa"]
    assert (access["verdict"], access["status"], access["integration_latency_ms"]) == (
        "integration-timeout",
        504,
        29004.0,
    )
    assert (access["method"], access["path"]) == ("GET", "/orders")
    assert 'error.responseType="INTEGRATION_TIMEOUT"' in access["evidence"]
    assert "integration-timeout" in access["suggests"]
    clf = by_id["c1f0-0000-4000-8000-bbbb"]
    assert (clf["verdict"], clf["status"], clf["method"], clf["path"]) == ("success", 200, "POST", "/pets")
    assert by_id[RID]["verdict"] == "integration-timeout"  # the execution-log trace still groups
    assert data["summary"] == {
        "requests": 4,
        "failed": 2,
        "by_verdict": {"integration-timeout": 2, "success": 2},
    }


def test_access_log_text_output_and_garbage_alone() -> None:
    out = _explain(f"{ACCESS_CLF}\n{ACCESS_JSON}\n".encode())
    assert out.returncode == 0, out.stderr
    rows = out.stdout.decode().strip().splitlines()
    assert rows[0].startswith("c1f0-0000-4000-8000-bbbb") and "success" in rows[0] and "POST /pets" in rows[0]
    assert "integration-timeout" in rows[1] and "29004ms" in rows[1]
    assert rows[-1] == "2 requests, 1 failed: 1 success (200), 1 integration-timeout (504)"
    bad = _explain(b'{"not": "an access log"}\n')
    assert bad.returncode == 2 and bad.stderr.decode().count("\n") == 1
    assert b"Traceback" not in bad.stderr


def test_access_log_events_from_filter_log_events_json() -> None:
    # `aws logs filter-log-events --output json` over an access-log group: messages are the lines.
    doc = {"events": [{"eventId": "1", "timestamp": 0, "message": m} for m in (ACCESS_JSON, ACCESS_CLF)]}
    out = _explain(json.dumps(doc).encode(), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(r["verdict"], r["status"]) for r in data["requests"]] == [
        ("integration-timeout", 504),
        ("success", 200),
    ]


def test_access_format_option() -> None:
    fmt = "$context.requestId $context.status $context.integrationLatency $context.error.responseType"
    out = _explain(b"r-9 500 12 AUTHORIZER_FAILURE\n", "--json", "--access-format", fmt)
    assert out.returncode == 0, out.stderr
    [row] = json.loads(out.stdout)["requests"]
    assert (row["request_id"], row["verdict"], row["status"]) == ("r-9", "authorizer-failure", 500)
    bad = _explain(b"r-9 500\n", "--access-format", "no variables here")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
    assert bad.stderr.decode().strip() == "apigw-cockpit explain: --access-format names no $context variable"
