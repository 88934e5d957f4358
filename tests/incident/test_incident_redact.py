"""Secret redaction: what must be masked, and what must survive untouched (ids the report needs)."""

from __future__ import annotations

import pytest

from apigw_cockpit.incident import redact, redact_value

SECRET_CASES = [
    ("Method request headers: {Authorization=Bearer abc.def, Host=x}", "abc.def"),
    ("Method request headers: {x-api-key=K3yK3yK3y, Accept=*/*}", "K3yK3yK3y"),
    ('{"Cookie": "session=s3ss10n; theme=dark"}', "s3ss10n"),
    ("Set-Cookie: id=c00k1e; Secure", "c00k1e"),
    ("> authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ("curl -H 'Authorization: Bearer tok_live_123' https://x", "tok_live_123"),
    ("GET /orders?api_key=qwerty123&page=2", "qwerty123"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    ("export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ", "IQoJb3JpZ2lu"),
    ("X-Amz-Security-Token: FwoGZXIvYXdzEJr//////////wEaDHhhaGhhaGhhaGhh", "FwoGZXIvYXdz"),
    ("key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl in a log", "eyJzdWIiOiIxMjM0In0"),
]
KEEP = [
    "RevokeSecurityGroupIngress on sg-0ab12cd34ef567890 by alex",
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/0123456789abcdef",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "(7f3a-42) Execution failed due to a timeout error",
    "IntegrationLatency p99 28.9 s pinned near the 29 s timeout",
    "Received response. Status: 200, Integration latency: 388 ms",
]


@pytest.mark.parametrize(("text", "secret"), SECRET_CASES)
def test_secrets_are_masked_and_redaction_is_idempotent(text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out and "[REDACTED]" in out
    assert redact(out) == out


@pytest.mark.parametrize("text", KEEP)
def test_identifiers_the_postmortem_needs_survive(text: str) -> None:
    assert redact(text) == text


def test_secret_named_keys_are_masked_whole_in_structures() -> None:
    data = {
        "headers": {"Authorization": "anything at all", "X-Api-Key": "k", "Host": "h"},
        "l": ["Bearer t0k"],
    }
    assert redact_value(data) == {
        "headers": {"Authorization": "[REDACTED]", "X-Api-Key": "[REDACTED]", "Host": "h"},
        "l": ["Bearer [REDACTED]"],
    }
