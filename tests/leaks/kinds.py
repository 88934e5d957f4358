"""Secret kinds and the carriers the world can put them in, for the leak tests.

A `Plant` is one secret of one kind in one carrier: the text the world writes there, and the
substrings that must never leave the process. Every secret is random (hypothesis draws it), so
a leak is attributed to its kind and carrier, and no redaction rule can match on a fixed value.
"""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits
_B64URL = _ALNUM + "-_"
_B64 = _ALNUM + "+/"


def _core(alphabet: str = _ALNUM, lo: int = 16, hi: int = 32) -> st.SearchStrategy[str]:
    # At least one digit and one letter: no secret is an English word the rest of a page holds.
    return st.text(alphabet=alphabet, min_size=lo, max_size=hi).filter(
        lambda s: any(c.isdigit() for c in s) and any(c.isalpha() for c in s)
    )


@dataclass(frozen=True)
class Kind:
    """How one kind of secret looks in each carrier shape (None: that shape cannot carry it)."""

    name: str
    value: st.SearchStrategy[str]
    text: Callable[[str], str]  # free text: a log line, a note, an error message
    header: Callable[[str], tuple[str, str]] | None = None  # (name, value) of a request header
    query: str | None = None  # query-string parameter name
    body: Callable[[str], str] | None = None  # request body (JSON or form)
    path: bool = False  # the raw value fits in a URL path segment
    leak: Callable[[str], tuple[str, ...]] = lambda v: (v,)  # what must never appear


def _jwt(parts: tuple[str, str, str]) -> str:
    return "eyJ" + ".".join(parts)


def _pem(body: str) -> str:
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----"


def _json_kind(key: str) -> Kind:
    return Kind(
        f"json-{key}",
        _core(),
        lambda v: json.dumps({key: v, "user": "bob"}),
        query=key,
        body=lambda v: json.dumps({key: v, "user": "bob"}),
    )


def _header_kind(name: str, fmt: Callable[[str], str] = lambda v: v) -> Kind:
    return Kind(
        name.lower(),
        _core(),
        lambda v: f"{name}: {fmt(v)}",
        header=lambda v: (name, fmt(v)),
    )


KINDS: tuple[Kind, ...] = (
    Kind(
        "aws-access-key-id",
        st.text(alphabet=_UPPER, min_size=16, max_size=16).map(lambda s: "AKIA" + s),
        lambda v: f"signed with {v} at 00:12",
        path=True,
        leak=lambda v: (v, v[4:]),
    ),
    Kind(
        "aws-temp-access-key-id",
        st.text(alphabet=_UPPER, min_size=16, max_size=16).map(lambda s: "ASIA" + s),
        lambda v: f"assumed role as {v}",
        path=True,
        leak=lambda v: (v, v[4:]),
    ),
    Kind(
        "aws-secret-access-key",
        _core(_B64, 40, 40).filter(
            lambda s: any(c.islower() for c in s[:-2]) and any(c.isupper() for c in s)
        ),
        lambda v: f"aws_secret_access_key = {v}",
        body=lambda v: f"aws_secret_access_key={v}",
    ),
    Kind(
        "sts-session-token",
        _core(_B64, 60, 120).map(lambda s: "IQoJb3JpZ2lu" + s),
        lambda v: f"session token {v} expired",
        header=lambda v: ("X-Amz-Security-Token", v),
        leak=lambda v: (v, v[12:]),
    ),
    Kind(
        "jwt",
        st.tuples(_core(_B64URL), _core(_B64URL), _core(_B64URL)).map(_jwt),
        lambda v: f"rejected token {v}",
        header=lambda v: ("Authorization", f"Bearer {v}"),
        query="id_token",
        path=True,
        leak=lambda v: (v, *v.split(".")[1:]),
    ),
    _header_kind("Authorization", lambda v: f"Bearer {v}"),
    Kind(
        "basic-auth",
        st.tuples(_core(lo=6, hi=12), _core(lo=8, hi=16)).map(
            lambda up: base64.b64encode(f"{up[0]}:{up[1]}".encode()).decode()
        ),
        lambda v: f"Authorization: Basic {v}",
        header=lambda v: ("Authorization", f"Basic {v}"),
    ),
    _header_kind("x-api-key"),
    _header_kind("Cookie", lambda v: f"session={v}; theme=dark"),
    _header_kind("Set-Cookie", lambda v: f"id={v}; Secure; HttpOnly"),
    _header_kind("X-Auth-Token"),
    _header_kind("Private-Token"),
    _header_kind("X-Access-Token"),
    _json_kind("access_token"),
    _json_kind("refresh_token"),
    _json_kind("id_token"),
    _json_kind("api_key"),
    _json_kind("apikey"),
    _json_kind("token"),
    _json_kind("password"),
    _json_kind("client_secret"),
    Kind(
        "url-userinfo-password",
        _core(),
        lambda v: f"connecting to https://admin:{v}@db.internal:5432/orders",
        body=lambda v: json.dumps({"upstream": f"https://admin:{v}@db.internal/orders"}),
    ),
    Kind(
        "form-password",
        _core(),
        lambda v: f"login form username=bob&password={v}&remember=1",
        query="password",
        body=lambda v: f"username=bob&password={v}&remember=1",
    ),
    Kind(
        "pem-private-key",
        _core(_B64, 100, 180),
        _pem,
        body=_pem,
        leak=lambda v: tuple(v[i : i + 64] for i in range(0, len(v), 64) if len(v[i : i + 64]) >= 12),
    ),
)

# Where the world can carry a secret (DESIGN: what a request leaves behind, what users type).
CARRIERS = (
    "request-path",
    "query-string",
    "request-headers",
    "request-body",
    "response-body",
    "execution-log-text",
    "lambda-log-text",
    "note-text",
    "change-parameters",
    "source-error",
)


@dataclass(frozen=True)
class Plant:
    kind: str
    carrier: str
    text: str  # what the carrier holds (a log line without its "(id) " prefix, a note, …)
    leak: tuple[str, ...]


def variant(value: str, carrier: str) -> str:
    """The secret as planted in one carrier: its last two characters name the carrier, so every
    (kind, carrier) pair holds a different secret and a leak says where it came from."""
    i = CARRIERS.index(carrier)
    return value[:-2] + _UPPER[i // len(_UPPER)] + _UPPER[i % len(_UPPER)]


def plants_for(kind: Kind, value: str) -> list[Plant]:
    """Every carrier shape this kind fits, as the world would write it."""
    out: list[Plant] = []

    def add(carrier: str, make: Callable[[str], str]) -> None:
        v = variant(value, carrier)
        out.append(Plant(kind.name, carrier, make(v), kind.leak(v)))

    if kind.path:
        add("request-path", lambda v: f"HTTP Method: GET, Resource Path: /orders/{v}")
    if kind.query:
        add("query-string", lambda v: f"Method request query string: {{{kind.query}={v}, page=2}}")
    if kind.header:
        header = kind.header

        def headers(v: str) -> str:
            name, hv = header(v)
            return f"Method request headers: {{Accept=application/json, {name}={hv}, Host=h}}"

        add("request-headers", headers)
    if kind.body:
        body = kind.body
        add("request-body", lambda v: f"Method request body before transformations: {body(v)}")
    text = kind.text
    add("response-body", lambda v: f"Endpoint response body before transformations: {text(v)}")
    add("execution-log-text", lambda v: f"Execution failed due to an internal error: {text(v)}")
    add("lambda-log-text", lambda v: "ERROR\tInvoke Error \t" + json.dumps({"errorMessage": text(v)}))
    add("note-text", lambda v: f"saw {text(v)} in the logs")
    add("change-parameters", lambda v: json.dumps({"description": text(v)}))
    add("source-error", lambda v: f"FilterLogEvents failed: {text(v)}")
    return out


plant_values = st.tuples(*(k.value for k in KINDS))


def all_plants(values: tuple[str, ...]) -> list[Plant]:
    return [p for k, v in zip(KINDS, values, strict=True) for p in plants_for(k, v)]


def leaks(outputs: dict[str, str], plants: list[Plant]) -> list[str]:
    """`output: kind in carrier` for every planted secret found in an output."""
    return [
        f"{name}: {p.kind} in {p.carrier} ({s!r})"
        for name, text in outputs.items()
        for p in plants
        for s in p.leak
        if s in text
    ]
