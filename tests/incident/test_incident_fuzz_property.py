"""Property: whatever lines a journal holds, reading never raises (except JournalError) and every
entry the reader accepts renders into a report (Markdown and JSON) without raising."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.incident import (
    SCHEMA,
    JournalError,
    build_report,
    build_timeline,
    parse_journal,
    render_json,
    render_markdown,
)
from apigw_cockpit.incident.entries import ITEM_SCHEMA

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False), st.text(max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _value_for(type_name: str, field: str) -> st.SearchStrategy[object]:
    by_type: dict[str, st.SearchStrategy[object]] = {
        "str": st.text(max_size=40),
        "bool": st.booleans(),
        "int": st.integers(-(10**9), 10**12),
        "num": st.floats(-1e12, 1e12, allow_nan=False),
        "list[str]": st.lists(st.text(max_size=30), max_size=4),
    }
    if type_name == "list[obj]":
        item = st.fixed_dictionaries({k: _value_for(t, k) for k, (t, _) in ITEM_SCHEMA[field].items()})
        return st.lists(item, max_size=4)
    return st.one_of(by_type[type_name], values) if type_name in by_type else values


def _entry_for(kind: str) -> st.SearchStrategy[dict[str, object]]:
    fields = {name: _value_for(t, name) for name, (t, _) in SCHEMA[kind].items()}
    base = {"v": st.just(1), "at": st.floats(0, 4e9, allow_nan=False), "kind": st.just(kind)}
    return st.fixed_dictionaries(base, optional=fields)


entries = st.sampled_from(sorted(SCHEMA)).flatmap(_entry_for)
lines = st.one_of(entries.map(json.dumps), st.text(max_size=40), values.map(json.dumps))


@settings(max_examples=150, deadline=None)
@given(st.lists(lines, max_size=25))
def test_any_accepted_entry_renders(journal_lines: list[str]) -> None:
    data = "\n".join(journal_lines).encode("utf-8", "surrogatepass")
    try:
        read = parse_journal(data)
    except JournalError as e:
        assert "\n" not in str(e)
        return
    report = build_report(read.entries, warnings=[str(w) for w in read.warnings])
    build_timeline(read.entries)
    assert render_markdown(report).startswith("# API Gateway 5XX on ")
    json.loads(render_json(report))


def test_an_impact_window_past_year_3000_is_rejected_not_a_crash() -> None:
    """Found by the property above: window_start 253402300800 (year 10000) passed as a number and
    crashed the JSON report's ISO date. Epoch fields are times, bounded like `at`."""
    from apigw_cockpit.incident.entries import validate

    entry = {"v": 1, "at": 0.0, "kind": "impact", "window_start": 253402300800.0}
    assert validate(entry) is not None
    assert validate({**entry, "window_start": 1_780_000_000.0}) is None
