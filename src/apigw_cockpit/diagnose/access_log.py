"""Access-log classifier: one API Gateway access-log line (JSON or CLF) → a Classification.

Users who switched execution logging off keep access logs, and HTTP APIs have nothing else.
An access-log line is one whole request, so unlike the execution-log classifier there is no
grouping: parse the line (access_fields.toml says which keys mean what), then the first rule
of access_rules.toml that holds gives the verdict, with the fields it read quoted as evidence.
Pure and total: `parse_access_line` returns None for anything that is not an access-log line,
`classify_access` never raises.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from apigw_cockpit.diagnose.access_format import AccessFormat, flatten, pairs_of
from apigw_cockpit.diagnose.classifier import Classification
from apigw_cockpit.diagnose.lines import parse_line
from apigw_cockpit.diagnose.patterns import match_line

# The AWS console's CLF template (REST and HTTP alike), user-appended fields allowed after it:
# $context.identity.sourceIp $context.identity.caller $context.identity.user
# [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol"
# $context.status $context.responseLength $context.requestId
_CLF = re.compile(
    r"^(?P<ip>\S+) (?P<caller>\S+) (?P<user>\S+) \[(?P<time>[^\]]{1,64})\] "
    r'"(?P<method>[A-Z]{1,10}|-) (?P<path>\S+)(?: (?P<protocol>[^"\s]+))?" '
    r"(?P<status>\d{3}|-) (?P<length>\d+|-)(?: (?P<request_id>\S+))?"
)
_TEXT_FIELDS = ("integration_error", "error_message", "authorizer_error")
_MAX_EVIDENCE = 6
_MAX_VALUE = 300

# What `_value` makes of a field: text, or a number ("int" fields are ints, "float" floats).
FieldValue = str | int | float


@dataclass(frozen=True)
class AccessRecord:
    """The fields of one access-log line that the rules read, by meaning; `keys` by original key."""

    values: dict[str, FieldValue]
    keys: dict[str, str] = field(default_factory=dict)  # meaning → the key the line used
    form: str = "json"  # "json", "clf" or "format" (read with the stage's own format)

    def get(self, name: str) -> FieldValue | None:
        return self.values.get(name)


@dataclass(frozen=True)
class _Rule:
    verdict: str
    response_types: tuple[str, ...]
    status: tuple[int | None, int | None]
    integration_status: tuple[int | None, int | None]
    latency_min: float | None
    text: re.Pattern[str] | None
    evidence: tuple[str, ...]


_KEY_JUNK = re.compile(r"[._\-\s]")


@lru_cache(maxsize=4096)  # a log's lines share their keys: normalise each once
def _norm(key: str) -> str:
    key = key.strip()
    if key.startswith("$context."):
        key = key[len("$context.") :]
    return _KEY_JUNK.sub("", key).lower()


@cache
def _fields() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised key → meaning, meaning → kind); earlier fields/keys win."""
    raw = tomllib.loads(resources.files(__package__).joinpath("access_fields.toml").read_text("utf-8"))
    by_key: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for f in raw["field"]:
        kinds[str(f["name"])] = str(f["kind"])
        for k in f["keys"]:
            by_key.setdefault(str(k), str(f["name"]))
    return by_key, kinds


def _bound(r: Mapping[str, object], name: str) -> tuple[int | None, int | None]:
    return _int_or_none(r.get(f"{name}_min")), _int_or_none(r.get(f"{name}_max"))


def _int_or_none(v: object) -> int | None:
    if v is None:
        return None
    if isinstance(v, int | float | str):
        return int(v)
    raise TypeError(f"access_rules.toml: a bound must be a number, not {type(v).__name__}")


@cache
def access_rules() -> tuple[_Rule, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("access_rules.toml").read_text("utf-8"))
    return tuple(
        _Rule(
            verdict=str(r["verdict"]),
            response_types=tuple(str(t) for t in r.get("response_types", ())),
            status=_bound(r, "status"),
            integration_status=_bound(r, "integration_status"),
            latency_min=float(r["latency_min"]) if "latency_min" in r else None,
            text=re.compile(str(r["text"])) if "text" in r else None,
            evidence=tuple(str(e) for e in r.get("evidence", ())),
        )
        for r in raw["rule"]
    )


def _value(kind: str, v: object) -> FieldValue | None:
    """A field's value as the rules want it; None for AWS's "-" / empty / unparsable."""
    if v is None or isinstance(v, (dict, list, bool)):
        return None
    text = str(v).strip()
    if text in ("", "-", "null"):
        return None
    if kind == "text":
        return text[:_MAX_VALUE]
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or abs(number) > 1e12:  # NaN, absurd
        return None
    return int(number) if kind == "int" else number


def _record(pairs: Mapping[str, object], form: str) -> AccessRecord | None:
    by_key, kinds = _fields()
    values: dict[str, FieldValue] = {}
    keys: dict[str, str] = {}
    for key, raw in pairs.items():
        meaning = by_key.get(_norm(key))
        if meaning is None or meaning in values:
            continue
        v = _value(kinds[meaning], raw)
        if v is not None:
            values[meaning] = v
            keys[meaning] = key
    status = values.get("status")
    if isinstance(status, int) and not 100 <= status <= 599:
        del values["status"]
    # One status or one request id at least: a JSON object without either is not an access log.
    if "status" not in values and "request_id" not in values:
        return None
    return AccessRecord(values=values, keys=keys, form=form)


def parse_access_line(raw: str, fmt: AccessFormat | None = None) -> AccessRecord | None:
    """An access-log line (JSON or CLF, any `aws logs` prefix) → its record; else None.

    With `fmt` (the stage's own format, access_format.py) its lines are read by it first.
    """
    try:
        if fmt is not None:
            first = parse_line(str(raw))
            pairs = None if first.prefixed else pairs_of(fmt, first.text)
            record = _record(pairs, "format") if pairs is not None else None
            if record is not None:
                return record
        if '"' not in raw:  # JSON and CLF both quote; most execution-log lines do not (hot path)
            return None
        parsed = parse_line(str(raw))
        if parsed.prefixed:  # "(<id>) {…}" is an execution-log body line, never an access log
            return None
        text = parsed.text
        if text.startswith("{"):
            try:
                obj = json.loads(text)
            except (ValueError, RecursionError):
                return None
            return _record(flatten(obj), "json") if isinstance(obj, dict) else None
        m = _CLF.match(text)
        if m is None:
            return None
        pairs = {
            "httpMethod": m["method"],
            "resourcePath": m["path"],
            "status": m["status"],
            "requestId": m["request_id"],
        }
        return _record(pairs, "clf")
    except Exception:  # the contract: never raise on any input
        return None


def _in(value: FieldValue | None, bounds: tuple[int | None, int | None]) -> bool:
    lo, hi = bounds
    if lo is None and hi is None:
        return True
    if not isinstance(value, (int, float)):
        return False
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def _holds(rule: _Rule, rec: AccessRecord, texts: str) -> bool:
    if rule.response_types and rec.get("response_type") not in rule.response_types:
        return False
    if not _in(rec.get("status"), rule.status):
        return False
    if not _in(rec.get("integration_status"), rule.integration_status):
        return False
    if rule.latency_min is not None:
        latency = rec.get("integration_latency")
        if not isinstance(latency, (int, float)) or latency < rule.latency_min:
            return False
    return rule.text is None or bool(rule.text.search(texts))


def _quote(rec: AccessRecord, name: str) -> str | None:
    value = rec.get(name)
    if value is None:
        return None
    key = rec.keys.get(name, name)
    if isinstance(value, str):
        return f"{key}={json.dumps(value)}"
    return f"{key}={int(value) if float(value).is_integer() else value}"


def _pattern_verdict(rec: AccessRecord) -> tuple[str, str] | None:
    """The execution-log patterns over the error text fields: (verdict, the field that said so)."""
    for name in _TEXT_FIELDS:
        text = rec.get(name)
        if isinstance(text, str):
            pattern = match_line(text)
            if pattern is not None and pattern.failure and pattern.verdict != "unknown":
                return pattern.verdict, name
    return None


def classify_access(rec: AccessRecord) -> Classification:
    """One access-log request → verdict, status and the quoted fields that decided it."""
    try:
        return _classify(rec)
    except Exception as exc:  # the contract: never raise on any input
        return Classification("unknown", None, (f"classifier error: {type(exc).__name__}",))


def _classify(rec: AccessRecord) -> Classification:
    status = rec.get("status")
    verdict = "unknown"
    decided_by: tuple[str, ...] = ()
    texts = " | ".join(str(rec.get(t) or "") for t in _TEXT_FIELDS)
    rule = next((r for r in access_rules() if _holds(r, rec, texts)), None)
    # "status" is an int field (access_fields.toml), so "not a number" means it is absent.
    found = _pattern_verdict(rec) if not isinstance(status, int | float) or status >= 400 else None
    # A rule keyed on the gateway response type or the timeout latency is firmer than a sentence;
    # otherwise the execution-log patterns read the message before the generic rules do.
    if rule is not None and (rule.response_types or rule.latency_min is not None):
        verdict, decided_by = rule.verdict, rule.evidence
    elif found is not None:
        verdict, decided_by = found[0], (found[1],)
    elif rule is not None:
        verdict, decided_by = rule.verdict, rule.evidence
    # The fields that decided first (the text view shows the first), then the status.
    evidence = [q for q in (_quote(rec, n) for n in dict.fromkeys((*decided_by, "status"))) if q]
    if verdict == "unknown" and isinstance(status, int) and status >= 500:
        evidence.append("no access-log field explains this 5XX")
    integration = rec.get("integration_status")
    latency = rec.get("integration_latency")
    method, path = str(rec.get("method") or ""), str(rec.get("path") or "")
    verb, _, route = path.partition(" ")
    if route.startswith("/") and verb.isupper():  # an HTTP API's $context.routeKey "POST /ingest"
        method, path = method or verb, route
    return Classification(
        verdict=verdict,
        status=status if isinstance(status, int) else None,
        evidence=tuple(e[:500] for e in evidence[:_MAX_EVIDENCE]),
        integration_latency_ms=float(latency) if isinstance(latency, (int, float)) else None,
        request_id=str(rec.get("request_id") or ""),
        method=method,
        path=path,
        backend_status=integration if isinstance(integration, int) else None,
    )
