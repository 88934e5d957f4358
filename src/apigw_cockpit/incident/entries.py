"""The journal's entry schema, as data, and the validator both the writer and reader use.

Every line of a journal is one JSON object: `{"v": 1, "at": <epoch seconds>, "kind": K, ...}`.
The fields each kind carries are in `SCHEMA` below (name -> (type, required)); extra
fields are allowed so a newer cockpit can add detail an older report writer ignores.

Kinds:
  session-start   api (id), stage, resumed (bool); optional api_name, region, scenario, pid
  session-end     reason ("exit", "SIGHUP", ...)
  onset           optional source (what detected it), detail
  recovery        optional source, detail
  alarm           name, state; optional reason, metric
  change          event_id, event_name, user; optional event_source, resources, request_parameters
  check           id, verdict (ok/warn/error/unknown), summary; optional title, severity,
                  evidence, fix, doc_url, root_causes, request_ids
  hypothesis      ranked: [{root_cause, confidence, because?, check_ids?}], best first
  note            text (user text; never rewritten except for secret redaction)
  fix-mark        optional text, by
  verification    steps: [{id ("V1".."V6"), status (pass/fail/pending), title?, summary?, evidence?}]
  drill           scenario; optional root_cause, time_to_root_cause_s, keystrokes, correct
  screenshot      path; optional caption
  rediscovery     check, before, after (verdicts); optional reason (what made the cockpit read the
                  configuration again: "CloudTrail AuthorizeSecurityGroupIngress sg-…"), summary
  impact          the engine's incident-window totals (diagnose/window.py), journaled while the
                  incident runs; every field optional: peak_5xx_per_min, mean_5xx_per_min,
                  error_rate and peak_error_rate (0..1), requests, requests_failed (5XX),
                  traces, failing_traces, periods, ongoing, window_start, window_end (epoch s).
                  Each entry covers onset → its window_end, so the report takes the latest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

VERSION = 1
MAX_EPOCH = 32_503_680_000  # year 3000: anything later is corruption, and datetime cannot show it

# type names: str, num (int|float, not bool), int, bool, list[str], list[obj], obj
FieldSpec = tuple[str, bool]

# A journal line as `json.loads` parsed it and `validate` accepted it. Its values are JSON, so
# Any to mypy: readers (report, timeline, the dedupe) index it by the SCHEMA below.
Entry = Mapping[str, Any]

SCHEMA: dict[str, dict[str, FieldSpec]] = {
    "session-start": {
        "api": ("str", True),
        "stage": ("str", True),
        "resumed": ("bool", False),
        "api_name": ("str", False),
        "region": ("str", False),
    },
    "session-end": {"reason": ("str", False)},
    "onset": {"source": ("str", False), "detail": ("str", False)},
    "recovery": {"source": ("str", False), "detail": ("str", False)},
    "alarm": {"name": ("str", True), "state": ("str", True), "reason": ("str", False)},
    "change": {
        "event_id": ("str", True),
        "event_name": ("str", True),
        "user": ("str", True),
        "event_source": ("str", False),
        "resources": ("list[str]", False),
        "request_parameters": ("str", False),
    },
    "check": {
        "id": ("str", True),
        "verdict": ("str", True),
        "summary": ("str", True),
        "title": ("str", False),
        "severity": ("str", False),
        "evidence": ("list[str]", False),
        "fix": ("str", False),
        "doc_url": ("str", False),
        "root_causes": ("list[str]", False),
        "request_ids": ("list[str]", False),
    },
    "hypothesis": {"ranked": ("list[obj]", True)},
    "note": {"text": ("str", True)},
    "fix-mark": {"text": ("str", False), "by": ("str", False)},
    "verification": {"steps": ("list[obj]", True)},
    "drill": {
        "scenario": ("str", True),
        "root_cause": ("str", False),
        "time_to_root_cause_s": ("num", False),
        "keystrokes": ("int", False),
        "correct": ("bool", False),
    },
    "screenshot": {"path": ("str", True), "caption": ("str", False)},
    "rediscovery": {
        "check": ("str", True),
        "before": ("str", True),
        "after": ("str", True),
        "reason": ("str", False),
        "summary": ("str", False),
    },
    "impact": {
        "peak_5xx_per_min": ("num", False),
        "error_rate": ("num", False),
        "requests": ("int", False),
        "requests_failed": ("int", False),
        "window_start": ("time", False),
        "window_end": ("time", False),
        "mean_5xx_per_min": ("num", False),
        "peak_error_rate": ("num", False),
        "traces": ("int", False),
        "failing_traces": ("int", False),
        "periods": ("int", False),
        "ongoing": ("bool", False),
    },
}

# Items of list[obj] fields.
ITEM_SCHEMA: dict[str, dict[str, FieldSpec]] = {
    "ranked": {
        "root_cause": ("str", True),
        "confidence": ("num", True),
        "because": ("list[str]", False),
        "check_ids": ("list[str]", False),
    },
    "steps": {
        "id": ("str", True),
        "status": ("str", True),
        "title": ("str", False),
        "summary": ("str", False),
        "evidence": ("list[str]", False),
    },
}

KINDS = frozenset(SCHEMA)
RESERVED = frozenset({"v", "at", "kind"})


def _type_ok(value: object, type_name: str) -> bool:
    if type_name == "str":
        return isinstance(value, str)
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "num":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if type_name == "time":  # epoch seconds a report can print as a date
        return _type_ok(value, "num") and isinstance(value, int | float) and 0 <= value < MAX_EPOCH
    if type_name == "obj":
        return isinstance(value, Mapping)
    if type_name == "list[str]":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    if type_name == "list[obj]":
        return isinstance(value, list | tuple) and all(isinstance(v, Mapping) for v in value)
    raise ValueError(f"unknown type name {type_name!r}")


def _check_fields(data: Mapping[str, object], spec: Mapping[str, FieldSpec], where: str) -> str | None:
    for name, (type_name, required) in spec.items():
        if name not in data:
            if required:
                return f"{where}: missing field {name!r}"
            continue
        value = data[name]
        if value is None and not required:
            continue
        if not _type_ok(value, type_name):
            return f"{where}: field {name!r} should be {type_name}, got {type(value).__name__}"
        if type_name == "list[obj]" and name in ITEM_SCHEMA and isinstance(value, list | tuple):
            for i, item in enumerate(value):
                problem = _check_fields(item, ITEM_SCHEMA[name], f"{where}.{name}[{i}]")
                if problem:
                    return problem
    return None


def validate(entry: object) -> str | None:
    """Return why `entry` is not a valid journal entry, or None when it is."""
    if not isinstance(entry, dict):
        return f"not a JSON object ({type(entry).__name__})"
    v = entry.get("v")
    if v != VERSION or isinstance(v, bool):
        return f"unsupported version {v!r} (this reader knows v{VERSION})"
    at: object = entry.get("at")
    if not _type_ok(at, "time"):
        return f"field 'at' should be epoch seconds, got {at!r}"
    kind = entry.get("kind")
    if kind not in KINDS:
        return f"unknown kind {kind!r}"
    return _check_fields(entry, SCHEMA[kind], str(kind))
