"""Secret redaction, one implementation for every place text leaves the process: probe
transcripts (aws), the screen (ui), the journal and the report (incident), the JSON and text
the commands print (commands, through `apigw_cockpit.outbound`).

Stdlib only, so every layer may import it. The rules are data (`redact.toml`: field names per
carrier, token shapes); this module is the small engine that applies them. Only the secret
itself is replaced; the names, auth schemes and text around it are kept, so a note or a log
line stays readable: `Authorization: Bearer x  x-api-key: y` becomes
`Authorization: Bearer [REDACTED]  x-api-key: [REDACTED]`. The journal outlives the incident
(attached to tickets, pasted into postmortems), so secrets are masked before they touch disk.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

MASK = "[REDACTED]"


@dataclass(frozen=True)
class Shape:
    """A token recognisable by its form alone (AKIA…, eyJ….….…, a PEM block)."""

    name: str
    pattern: re.Pattern[str]
    replace: str
    hints: tuple[str, ...]  # lower-case substrings; none present = the regex cannot match


def _load() -> dict[str, Any]:
    text = resources.files("apigw_cockpit").joinpath("redact.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_RULES = _load()
_NAMES: dict[str, list[str]] = _RULES["names"]

# Field names whose value is a secret wherever they appear (public: other layers list them).
SECRET_NAMES: tuple[str, ...] = tuple(_NAMES["anywhere"])
_QUERY_NAMES: tuple[str, ...] = tuple(_NAMES["json_and_query"])
SHAPES: tuple[Shape, ...] = tuple(
    Shape(s["name"], re.compile(s["regex"]), s["replace"], tuple(s.get("hints", ())))
    for s in _RULES["shapes"]
)


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _alt(names: Iterable[str]) -> str:
    """Longest first so `x-api-key` wins over `api-key`; `-` and `_` interchangeable."""
    ordered = sorted({_norm(n) for n in names}, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\-", "-").replace("-", "[-_]") for n in ordered)


_ANY = _alt(SECRET_NAMES)
_COOKIE = _alt(_NAMES["cookie_like"])
_PLAIN = _alt(n for n in SECRET_NAMES if _norm(n) not in {_norm(c) for c in _NAMES["cookie_like"]})
_SCHEMES = "|".join(re.escape(s) for s in _NAMES["schemes"])
_FRAGMENTS = "|".join(re.escape(f) for f in _NAMES["query_fragments"])

# JSON (and Python-repr, and JSON escaped inside a JSON string): the whole value is the secret.
# q is the quote as written: ", ' or \" ; the string value ends at the same quote, unescaped.
_JSON = re.compile(
    rf"""(?ix)
    (?P<k>(?P<q>\\?["'])(?:{_alt((*SECRET_NAMES, *_QUERY_NAMES))})(?P=q)[ \t]*:[ \t]*)
    (?:(?P=q)(?P<s>(?:\\.|[^\\\n])*?)(?P=q) | (?P<bare>{re.escape(MASK)}|[^\s,}}\]"'\\]+))
    """
)
# `Name: value` header lines, `{Name=value, …}` execution-log maps, `name=value` query, form and
# env assignments. A plain value is one word (after an optional auth scheme, which is kept): it
# ends at whitespace or at the map/query/form separators, so the next field on the line survives.
_FIELD = re.compile(
    rf"""(?ix)
    (?P<k>(?<![\w-])(?:{_PLAIN})[ \t]*[:=][ \t]*(?P<oq>["']?)(?P<scheme>(?:{_SCHEMES})[ \t]+)?)
    (?P<val>[^\s,;}}&"'<>]+)
    """
)
# A cookie value is `a=1; b=2; Secure`: it runs to the end of the field (quote, map separator,
# end of line, or a run of spaces before the next thing on a pasted line).
_COOKIE_FIELD = re.compile(
    rf"""(?ix)
    (?P<k>(?<![\w-])(?:{_COOKIE})[ \t]*[:=][ \t]*(?P<oq>["']?))
    (?P<val>[^\s"'}},][^\n\r"'}},]*?)(?=[ \t]{{2,}}|[\n\r"'}},]|$)
    """
)
# Query / form parameters: the generic words after ? & { or at a word start (API Gateway logs
# the query string as a `{name=value, …}` map); any parameter whose name contains a secret
# fragment after ? or &.
_QUERY = re.compile(
    rf"""(?ix)
    (?P<k>(?<![^\s?&{{])(?:{_alt(_QUERY_NAMES)})=
       | [?&][^=&\s?#]*(?:{_FRAGMENTS})[^=&\s?#]*=)
    (?P<val>[^&\s#"'<>,;}}]+)
    """
)


def _hints(names: Iterable[str]) -> tuple[str, ...]:
    """What `text.lower().replace("_", "-")` must contain for a name rule to have a chance: each
    name's last word (the whole name for `…-key`), minus those containing a shorter one (`token`
    covers `sessiontoken`). Substring tests, not a regex alternation: re scans those slowly."""
    kept: list[str] = []
    # `key` alone would wake every rule on API Gateway's "API Key:  API Stage" line.
    words = {w if w != "key" else n for n in map(_norm, names) for w in [n.split("-")[-1]]}
    for n in sorted(words, key=len):
        if not any(k in n for k in kept):
            kept.append(n)
    return tuple(kept)


def _any_in(hints: tuple[str, ...], text: str) -> bool:
    return any(h in text for h in hints)


_ANY_HINTS = _hints(SECRET_NAMES)
_JSON_HINTS = _hints((*SECRET_NAMES, *_QUERY_NAMES))
_COOKIE_HINTS = _hints(_NAMES["cookie_like"])
_QUERY_HINTS = _hints((*_QUERY_NAMES, *_NAMES["query_fragments"]))


def _keep_or_mask(m: re.Match[str]) -> str:
    val = m.group("val")
    return m.group(0) if val == MASK else f"{m.group('k')}{MASK}"


def _json_sub(m: re.Match[str]) -> str:
    q = m.group("q")
    if m.group("s") is not None:
        return f"{m.group('k')}{q}{MASK}{q}" if m.group("s") not in ("", MASK) else m.group(0)
    bare = m.group("bare")
    # null / true / false / an empty value are not secrets, and showing them helps.
    return m.group(0) if bare.lower() in ("null", "true", "false", MASK.lower()) else f"{m.group('k')}{MASK}"


# (pattern, substitution, hints, also-needed characters (one or two)): a rule runs only when one of its
# hints and one of its characters occur, so the common log line costs a few substring tests.
_FIELD_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str], tuple[str, ...], str], ...] = (
    (_JSON, _json_sub, _JSON_HINTS, "\"'"),
    (_COOKIE_FIELD, _keep_or_mask, _COOKIE_HINTS, ":="),
    (_FIELD, _keep_or_mask, _ANY_HINTS, ":="),
    (_QUERY, _keep_or_mask, _QUERY_HINTS, "="),
)


def redact(text: str) -> str:
    """Return `text` with every secret value replaced by MASK (idempotent)."""
    if not text:
        return text
    # Cheap substring tests first: the report redacts every string of a long journal, and
    # headless output every log line.
    low = text.lower()
    out = text
    names = low.replace("_", "-")
    for pattern, sub, hints, chars in _FIELD_RULES:
        if (chars[0] in out or chars[-1] in out) and _any_in(hints, names):
            out = pattern.sub(sub, out)
    if out is not text:
        low = out.lower()
    for shape in SHAPES:
        if shape.hints and not _any_in(shape.hints, low):
            continue
        if not shape.hints and len(out) < 40:  # the only unhinted shape is 40 characters long
            continue
        out = shape.pattern.sub(shape.replace, out)
    return out


def _is_secret_name(key: str) -> bool:
    return _norm(key).replace(" ", "") in _SECRET_KEYS


_SECRET_KEYS = frozenset(_norm(n) for n in (*SECRET_NAMES, *_QUERY_NAMES))


_PAIR_NAME = re.compile(r"[\w.-]{1,64}")


def redact_mapping(value: Mapping[str, object]) -> dict[str, object]:
    """`redact_value` of a mapping: the same keys, values masked (typed for the callers)."""
    out = redact_value(value)
    assert isinstance(out, dict)  # a Mapping in is always a dict out
    return out


def redact_value(value: object) -> object:
    """Redact strings inside JSON-like data; a secret-named key, or the name of a (name, value)
    pair, has its whole value masked."""
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
        # The model keeps headers and stage variables as (name, value) pairs; a pair is a name
        # (one word) and a non-empty string, so two log lines are never taken for one.
        if (
            len(value) == 2
            and isinstance(value[0], str)
            and isinstance(value[1], str)
            and value[1]
            and _PAIR_NAME.fullmatch(value[0])
            and is_secret_header(value[0])
        ):
            return [value[0], MASK]
        return [redact_value(v) for v in value]
    return value


# HTTP headers whose value is a secret (probe transcripts show the rest verbatim).
_SECRET_HEADER_WORDS = ("token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "session",
                        "signature", "cookie", "authorization", "x-api-key", "x-amz-date")  # fmt: skip


def is_secret_header(name: str) -> bool:
    low = name.strip().lower()
    return _is_secret_name(low) or any(w in low for w in _SECRET_HEADER_WORDS)


def header_value(name: str, value: str) -> str:
    """A secret-named header's whole value masked; any other value still loses token shapes."""
    return MASK if is_secret_header(name) else redact(value)


def headers(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, header_value(k, v)) for k, v in pairs)


def url(text: str) -> str:
    """Secret query parameters and userinfo passwords of a URL or path masked."""
    return redact(text)
