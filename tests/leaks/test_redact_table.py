"""The redactor per carrier shape, with exact expected output: the value goes, the rest stays."""

from __future__ import annotations

import pytest

from apigw_cockpit.outbound import SafeWriter, safe_text, strip_controls
from apigw_cockpit.redact import MASK, SHAPES, redact, redact_value
from apigw_cockpit.ui.sanitize import strip_controls as ui_strip_controls

R = MASK

CARRIERS = [
    # HTTP header lines (curl -v, pasted notes)
    ("Authorization: Bearer tok123", f"Authorization: Bearer {R}"),
    ("authorization: Basic dXNlcjpwYXNz", f"authorization: Basic {R}"),
    ("x-api-key: k3yk3y", f"x-api-key: {R}"),
    ("X-Auth-Token: a1b2c3", f"X-Auth-Token: {R}"),
    ("Private-Token: glpat-xyz123", f"Private-Token: {R}"),
    ("X-Access-Token: xat-77", f"X-Access-Token: {R}"),
    ("Cookie: session=s3ss10n; theme=dark", f"Cookie: {R}"),
    ("Set-Cookie: id=c00k1e; Secure; HttpOnly", f"Set-Cookie: {R}"),
    ("X-Amz-Security-Token: FwoGZXIvYXdzEJr//////////wEaDHhhaGhh", f"X-Amz-Security-Token: {R}"),
    # API Gateway execution-log maps (Java Map.toString)
    (
        "Method request headers: {Accept=*/*, Authorization=Bearer abc.def, X-Api-Key=k9, Host=h}",
        f"Method request headers: {{Accept=*/*, Authorization=Bearer {R}, X-Api-Key={R}, Host=h}}",
    ),
    (
        "Method request headers: {Cookie=sid=42; t=1, X-Auth-Token=tt1, Private-Token=pt1, Host=h}",
        f"Method request headers: {{Cookie={R}, X-Auth-Token={R}, Private-Token={R}, Host=h}}",
    ),
    (
        "Method request query string: {token=abc123, page=2}",
        f"Method request query string: {{token={R}, page=2}}",
    ),
    # JSON, JSON inside a JSON string, Python repr
    (
        '{"access_token": "at1", "refresh_token":"rt1", "id_token": "it1", "user": "bob"}',
        f'{{"access_token": "{R}", "refresh_token":"{R}", "id_token": "{R}", "user": "bob"}}',
    ),
    (
        '{"api_key": "k", "apikey": "k2", "token": "t", "password": "p", "client_secret": "c", "n": null}',
        f'{{"api_key": "{R}", "apikey": "{R}", "token": "{R}", "password": "{R}", '
        f'"client_secret": "{R}", "n": null}}',
    ),
    ('{"password": 12345, "ok": true}', f'{{"password": {R}, "ok": true}}'),
    (
        'errorMessage: {\\"token\\":\\"t0k\\",\\"id\\":7}',
        f'errorMessage: {{\\"token\\":\\"{R}\\",\\"id\\":7}}',
    ),
    ("{'password': 'pw', 'user': 'u'}", f"{{'password': '{R}', 'user': 'u'}}"),
    # query strings and form bodies
    ("GET /orders?api_key=qwerty123&page=2", f"GET /orders?api_key={R}&page=2"),
    ("/cb?code=1&access_token=at&X-Amz-Signature=ff00", f"/cb?code=1&access_token={R}&X-Amz-Signature={R}"),
    ("username=bob&password=hunter2&remember=1", f"username=bob&password={R}&remember=1"),
    # URL userinfo
    ("https://admin:pw123@db.internal:5432/x", f"https://admin:{R}@db.internal:5432/x"),
    ("redis://:rpw@cache:6379", f"redis://:{R}@cache:6379"),
    # token shapes, named or not
    ("key AKIAIOSFODNN7EXAMPLE in use", f"key AKIA{R} in use"),
    ("temp ASIAIOSFODNN7EXAMPL2 in use", f"temp ASIA{R} in use"),
    ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl end", f"jwt {R} end"),
    ("sts IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ end", f"sts {R} end"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", f"aws_secret_access_key = {R}"),
    (
        "before -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nxyz\n-----END RSA PRIVATE KEY----- after",
        f"before -----BEGIN RSA PRIVATE KEY-----{R}-----END RSA PRIVATE KEY----- after",
    ),
    (
        "cut -----BEGIN PRIVATE KEY-----\nMIIEpAIBAAKCAQEA",
        f"cut -----BEGIN PRIVATE KEY-----{R}-----END PRIVATE KEY-----",
    ),
    (
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/execute-api/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5f",
        f"Authorization: AWS4-HMAC-SHA256 {R}, SignedHeaders=host;x-amz-date, Signature={R}",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CARRIERS, ids=[c[0][:40] for c in CARRIERS])
def test_each_carrier_loses_the_value_and_keeps_the_rest(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected  # idempotent: the journal is redacted again by the report


def test_a_note_with_several_secrets_keeps_every_name_and_the_text_between() -> None:
    """Issue 14's over-redaction: everything after `Authorization:` used to be lost."""
    note = "Authorization: Bearer x  x-api-key: y  AKIAIOSFODNN7EXAMPLE then curl still 502"
    assert redact(note) == (f"Authorization: Bearer {R}  x-api-key: {R}  AKIA{R} then curl still 502")


def test_a_java_map_value_stops_at_its_comma() -> None:
    line = "{Authorization=Bearer t, Host=orders.example.com, X-Forwarded-For=198.51.100.7}"
    assert (
        redact(line) == f"{{Authorization=Bearer {R}, Host=orders.example.com, X-Forwarded-For=198.51.100.7}}"
    )


KEEP = [
    "Verifying Usage Plan for request: 7f3a. API Key:  API Stage: a1b2c3d4e5/prod",
    "API Key  authorized because method 'GET /orders' does not require API Key. Request will not count",
    "the token expired; a secret: not this one",
    "Method request headers: {Accept=application/json, Host=a1b2.execute-api.us-east-1.amazonaws.com}",
    "Method request query string: {page=2, sort=desc}",
    '{"routeKey": "GET /orders", "key": "orders/2026/11/26.json"}',
    "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/x/invocations",
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/0123456789abcdef",
]


@pytest.mark.parametrize("text", KEEP)
def test_ordinary_lines_are_untouched(text: str) -> None:
    assert redact(text) == text


def test_structures_mask_secret_named_keys_whole() -> None:
    data = {"headers": {"X-Auth-Token": "t", "private_token": "p", "Host": "h"}, "token": "x", "n": [1]}
    assert redact_value(data) == {
        "headers": {"X-Auth-Token": R, "private_token": R, "Host": "h"},
        "token": R,
        "n": [1],
    }


def test_name_value_pairs_mask_the_value_of_a_secret_name() -> None:
    """Stage variables and probe headers are (name, value) pairs in the model."""
    variables = (("dbPassword", "hunter2"), ("backendHost", "orders.internal"), ("apiToken", "t0k"))
    assert redact_value(variables) == [["dbPassword", R], ["backendHost", "orders.internal"], ["apiToken", R]]
    lines = ("(id) Verifying the token for request", "(id) Method completed with status: 200")
    assert redact_value(lines) == list(lines)  # two log lines are not a (name, value) pair


def test_rules_are_data() -> None:
    names = {s.name for s in SHAPES}
    assert {
        "aws-access-key-id",
        "jwt",
        "sts-session-token",
        "pem-private-key",
        "url-userinfo-password",
    } <= names


CONTROLS = [
    ("csi 8-bit \x9b31mred\x9b0m", "csi 8-bit red"),
    ("osc 8-bit \x9d0;title\x9c after", "osc 8-bit  after"),
    ("ansi \x1b[2J\x1b[31mx\x1b[0m", "ansi x"),
    ("osc \x1b]0;pwned\x07 bell\x07!", "osc  bell\N{REPLACEMENT CHARACTER}!"),
    (
        "nul\x00 del\x7f nel\x85",
        "nul\N{REPLACEMENT CHARACTER} del\N{REPLACEMENT CHARACTER} nel\N{REPLACEMENT CHARACTER}",
    ),
    ("bidi \u202eevil\u202c", "bidi evil"),
]


@pytest.mark.parametrize(("text", "expected"), CONTROLS)
def test_control_characters_never_reach_a_terminal(text: str, expected: str) -> None:
    assert strip_controls(text) == expected
    assert ui_strip_controls is strip_controls  # the screen uses the same sanitiser


def test_multi_line_text_keeps_its_lines_and_tabs() -> None:
    assert safe_text("a\tb\nc\x9b2Jd\rx: Bearer q\n") == f"a\tb\ncd\N{REPLACEMENT CHARACTER}x: Bearer {R}\n"


def test_safe_writer_sees_a_secret_split_across_writes() -> None:
    import io

    buf = io.StringIO()
    w = SafeWriter(buf)
    w.write("Authorization: Bea")
    w.write("rer s3cr3t\nnext ")
    w.write("x-api-key: k")
    assert "s3cr3t" not in buf.getvalue()
    w.flush()
    assert buf.getvalue() == f"Authorization: Bearer {R}\nnext x-api-key: {R}"
