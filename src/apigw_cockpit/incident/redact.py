"""Secret redaction for everything the journal writes and the report prints.

The journal outlives the incident (it is attached to tickets, pasted into postmortems),
so secrets that reached a log line, a probe transcript or a note are masked before
they touch disk. Only the secret itself is replaced; the text around it is kept, so a
note stays readable. The aws layer has its own redactor for the screen; this one is
deliberately self-contained so `incident` does not depend on `aws`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
    r"(?i)([?&](?:api_key|apikey|access_token|token|x-amz-signature|x-amz-credential|"
    r"x-amz-security-token|signature)=)[^&\s\"']+"
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
