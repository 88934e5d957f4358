"""Redaction of secrets in headers, URLs and free text (probe transcripts, test-invoke logs).

Kept small and dependency-free so another layer can lift it (e.g. into model/) unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "<redacted>"
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "cookie",
        "set-cookie",
        "x-amz-security-token",
        "x-amz-date",
        "x-csrf-token",
        "x-auth-token",
        "x-access-token",
        "x-id-token",
    }
)
_SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "api_key",
    "api-key",
    "session",
    "signature",
)

_QUERY = re.compile(r"(?i)([?&](?:[^=&\s]*(?:token|secret|password|key|signature|session)[^=&\s]*)=)[^&\s#]+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_INLINE = re.compile(
    r"(?i)\b(authorization|x-api-key|cookie|set-cookie|x-amz-security-token)(\s*[=:]\s*)"
    r"(\"[^\"]*\"|'[^']*'|[^,}\n]+)"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_AKID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")


def is_secret_header(name: str) -> bool:
    low = name.lower()
    return low in SECRET_HEADERS or any(w in low for w in _SECRET_WORDS)


def header_value(name: str, value: str) -> str:
    return MASK if is_secret_header(name) else value


def headers(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, header_value(k, v)) for k, v in pairs)


def url(text: str) -> str:
    return _QUERY.sub(lambda m: m.group(1) + MASK, text)


def text(s: str) -> str:
    """Best-effort scrub of free text: header-looking pairs, bearer tokens, JWTs, access key ids."""
    s = _INLINE.sub(lambda m: m.group(1) + m.group(2) + MASK, s)
    s = _BEARER.sub(lambda m: m.group(1) + " " + MASK, s)
    s = _JWT.sub(MASK, s)
    s = _AKID.sub(MASK, s)
    return url(s)
