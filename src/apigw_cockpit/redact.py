"""Secret redaction, one implementation for every place text leaves the process: probe
transcripts (aws), the screen (ui), the journal and the report (incident).

Stdlib only, so every layer may import it. Only the secret itself is replaced; the text
around it is kept, so a note or a log line stays readable. The journal outlives the
incident (attached to tickets, pasted into postmortems), so secrets are masked before
they touch disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "[REDACTED]"

# Header / field names whose *value* is a secret wherever they appear.
SECRET_NAMES = (
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "cookie",
    "set-cookie",
    "x-amz-security-token",
    "aws_secret_access_key",
    "secretaccesskey",
    "aws_session_token",
    "sessiontoken",
    "x-amz-signature",
    "password",
    "client_secret",
)
_NAME_ALT = "|".join(re.escape(n) for n in SECRET_NAMES)

# `name: value`, `name=value`, `"name": "value"`, `name=value,` inside API Gateway's
# `{k=v, k2=v2}` header dumps. The value runs to the end of the field.
_FIELD = re.compile(
    rf"""(?ix)
    (?P<key>["']?\b(?:{_NAME_ALT})\b["']?\s*[:=]\s*)
    (?P<q>["']?)
    (?P<val>[^"'\n\r,}}]+)
    """
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_QUERY = re.compile(
    r"(?i)([?&](?:[^=&\s]*(?:token|secret|password|key|signature|session|credential)[^=&\s]*)=)[^&\s#\"']+"
)
# STS session tokens start with these base64 prefixes ("IQoJb3JpZ2lu" = "!\n\torigin").
_SESSION_TOKEN = re.compile(r"\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9/+=]{20,}")
_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
# A bare 40-character secret access key: bounded so longer base64 blobs do not match,
# and mixed-case so git SHAs (lowercase hex) do not.
_SECRET_KEY = re.compile(
    r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
)


def _field_sub(m: re.Match[str]) -> str:
    if m.group("val").strip() == MASK:
        return m.group(0)
    return f"{m.group('key')}{m.group('q')}{MASK}"


def redact(text: str) -> str:
    """Return `text` with every secret value replaced by MASK (idempotent)."""
    if not text:
        return text
    # Cheap substring tests first: the report redacts every string of a long journal.
    low = text.lower()
    out = text
    if any(name in low for name in SECRET_NAMES):
        out = _FIELD.sub(_field_sub, out)
    if "bearer" in low or "basic" in low:
        out = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", out)
    if "eyJ" in out:
        out = _JWT.sub(MASK, out)
    if "=" in out:
        out = _QUERY.sub(lambda m: f"{m.group(1)}{MASK}", out)
    if "IQoJb3JpZ2lu" in out or "FwoGZXIvYXdz" in out:
        out = _SESSION_TOKEN.sub(MASK, out)
    if "AKIA" in out or "ASIA" in out:
        out = _ACCESS_KEY_ID.sub(lambda m: m.group(0)[:4] + MASK, out)
    return _SECRET_KEY.sub(MASK, out) if len(out) >= 40 else out


def _is_secret_name(key: str) -> bool:
    return key.strip().lower().replace(" ", "") in SECRET_NAMES


def redact_value(value: Any) -> Any:
    """Redact strings inside JSON-like data; a secret-named key has its whole value masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {
            k: (
                MASK if isinstance(k, str) and _is_secret_name(k) and v not in (None, "") else redact_value(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


# HTTP headers whose value is a secret (probe transcripts show the rest verbatim).
_SECRET_HEADER_WORDS = ("token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "session",
                        "signature", "cookie", "authorization", "x-api-key", "x-amz-date")  # fmt: skip


def is_secret_header(name: str) -> bool:
    low = name.strip().lower()
    return _is_secret_name(low) or any(w in low for w in _SECRET_HEADER_WORDS)


def header_value(name: str, value: str) -> str:
    return MASK if is_secret_header(name) else value


def headers(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, header_value(k, v)) for k, v in pairs)


def url(text: str) -> str:
    """Secret query parameters of a URL or path masked (tokens, keys, signatures)."""
    return _QUERY.sub(lambda m: f"{m.group(1)}{MASK}", text)
