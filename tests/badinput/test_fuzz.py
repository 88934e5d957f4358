"""Hypothesis per input kind: whatever the bytes or the TOML tree, the answer is a value or one
line naming the file and key (the module's own error type), never another exception.

In-process (fast); the table (test_table.py) runs the real CLI as a user does.
"""

from __future__ import annotations

import copy
import io
import json
import math
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.badinput.fixtures import BASE_SCENARIO
from tests.badinput.toml_writer import dumps

from apigw_cockpit import cli, cli_values, config, errors
from apigw_cockpit.demo.world import ScenarioError, load_scenario
from apigw_cockpit.demo.world.scenario import MAX_RATE_PER_MIN
from apigw_cockpit.incident import JournalError, read_journal

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TMP = Path(tempfile.mkdtemp(prefix="badinput-fuzz-"))

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
numbers = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1e12, 1e300, 2**62, 0.0001]),
)
scalars = st.one_of(st.booleans(), numbers, text)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(text.filter(bool), children, max_size=4)
    ),
    max_leaves=12,
)
tables = st.dictionaries(text.filter(bool), trees, max_size=5)


def _write(name: str, data: bytes) -> Path:
    p = _TMP / name
    p.write_bytes(data)
    return p


def _one_line(exc: BaseException) -> None:
    assert "\n" not in str(exc) and str(exc).strip()


# -- scenario files ---------------------------------------------------------------------------
BASE = tomllib.loads(BASE_SCENARIO)
# Where a random tree is planted: the places a scenario author edits.
SCENARIO_SPOTS = (
    (),
    ("traffic",),
    ("overrides",),
    ("overrides", "backends", "orders-svc"),
    ("overrides", "resources", "orders", "methods", "GET", "integration"),
    ("overrides", "target_groups", "orders-tg"),
    ("overrides", "security_groups", "tasks-sg"),
    ("actions", 0, "params"),
    ("actions", 0),
    ("fix", 0, "params"),
)


def _plant(raw: dict[str, Any], spot: tuple[Any, ...], tree: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    node: Any = out
    for key in spot[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    if not spot:
        if isinstance(tree, dict):
            out.update(tree)
        return out
    last = spot[-1]
    if isinstance(node, dict) and isinstance(node.get(last), dict) and isinstance(tree, dict):
        node[last].update(tree)
    else:
        node[last] = tree
    return out


@FUZZ
@given(spot=st.sampled_from(SCENARIO_SPOTS), tree=trees)
def test_scenario_tree_is_a_scenario_or_one_line(spot: tuple[Any, ...], tree: Any) -> None:
    path = _write("fuzz-scenario.toml", dumps(_plant(BASE, spot, tree)).encode("utf-8"))
    try:
        scn = load_scenario(str(path))  # parsed, validated and rehearsed
    except ScenarioError as exc:
        _one_line(exc)
        return
    assert 0 <= float(scn.traffic.get("rate_per_min", 190)) <= MAX_RATE_PER_MIN


@FUZZ
@given(data=st.binary(max_size=400))
def test_scenario_bytes_are_one_line(data: bytes) -> None:
    with pytest.raises(ScenarioError) as err:
        load_scenario(str(_write("fuzz-bytes.toml", data)))
    _one_line(err.value)


# -- config.toml ------------------------------------------------------------------------------
CONFIG_SPOTS = ("", "intervals", "keys")


@FUZZ
@given(spot=st.sampled_from(CONFIG_SPOTS), tree=tables, raw=st.binary(max_size=40))
def test_config_is_settings_or_one_line(spot: str, tree: dict[str, Any], raw: bytes) -> None:
    doc = {spot: tree} if spot else tree
    for data in (dumps(doc).encode("utf-8"), raw):
        try:
            s = config.read_file(_write("fuzz-config.toml", data))
        except errors.ConfigError as exc:
            _one_line(exc)
            continue
        lo, hi = config.INTERVAL_RANGE
        assert all(math.isfinite(v) and lo <= v <= hi for v in s.intervals.values())
        assert config.LOG_BUFFER_RANGE[0] <= s.log_buffer <= config.LOG_BUFFER_RANGE[1]
        assert config.REFRESH_RANGE[0] <= s.refresh <= config.REFRESH_RANGE[1]
        assert all(config.typable_key(k) for v in s.keys.values() for k in v.split(","))


# -- themes -----------------------------------------------------------------------------------
@FUZZ
@given(
    tree=tables, variables=st.dictionaries(text.filter(bool), trees, max_size=4), raw=st.binary(max_size=40)
)
def test_theme_is_a_theme_or_one_line(tree: dict[str, Any], variables: dict[str, Any], raw: bytes) -> None:
    from apigw_cockpit.ui.themes import ThemeError, load_theme_file

    doc = {"name": "fuzz", "primary": "#112233", **tree}
    if variables:
        doc["variables"] = variables
    for data in (dumps(doc).encode("utf-8"), raw):
        try:
            load_theme_file(_write("fuzz-theme.toml", data))
        except ThemeError as exc:
            _one_line(exc)


@FUZZ
@given(
    var=st.sampled_from(["footer-key-foreground", "block-cursor-text-style", "text", "border", "my-own"]),
    value=st.one_of(
        text, st.sampled_from(["}}}", "#zzz", "bold nonsense", "auto 87%", "red 50%", "$primary"])
    ),
)
def test_theme_variable_values_are_checked_by_kind(var: str, value: str) -> None:
    from apigw_cockpit.ui.themes import ThemeError, load_theme_file

    path = _write(
        "fuzz-var.toml", dumps({"name": "v", "primary": "#112233", "variables": {var: value}}).encode()
    )
    try:
        load_theme_file(path)
    except ThemeError as exc:
        _one_line(exc)
        assert f"variables.{var}" in str(exc)


# -- journals ---------------------------------------------------------------------------------
journal_lines = st.one_of(
    st.binary(max_size=60),
    st.builds(
        lambda d: json.dumps(d).encode(),
        st.dictionaries(st.sampled_from(["v", "kind", "at", "text"]), scalars),
    ),
    st.just(b'{"v":1,"kind":"note","at":1.0,"text":"x"}'),
)


@FUZZ
@given(lines=st.lists(journal_lines, max_size=8), tail=st.binary(max_size=30))
def test_journal_bytes_read_or_one_line(lines: list[bytes], tail: bytes) -> None:
    path = _write("fuzz.jsonl", b"\n".join(lines) + tail)
    try:
        read = read_journal(path)
    except JournalError as exc:
        _one_line(exc)
        return
    assert all(isinstance(e, dict) and "kind" in e for e in read.entries)


# -- explain's stdin --------------------------------------------------------------------------
def _explain(data: bytes, *flags: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace")
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err
    try:
        rc = cli.main(["explain", *flags])
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return rc, out.getvalue(), err.getvalue()


LOG_LINES = [
    b"Starting execution for request: %s",
    b"Execution failed due to configuration error: Invalid permissions on Lambda function",
    b"Endpoint request timed out",
    b"Method completed with status: 502",
    b"Received response. Status: 200, Integration latency: 12 ms",
]


@FUZZ
@given(data=st.binary(max_size=600), json_mode=st.booleans())
def test_explain_random_bytes(data: bytes, json_mode: bool) -> None:
    rc, out, err = _explain(data, *(["--json"] if json_mode else []))
    assert rc in (0, 2)
    if rc == 2:
        assert err.count("\n") == 1 and "explain" in err
    elif json_mode:
        json.loads(out)


@FUZZ
@given(
    ids=st.lists(
        st.from_regex(r"[0-9a-f]{8}-[0-9a-f]{4}", fullmatch=True), min_size=1, max_size=6, unique=True
    ),
    order=st.randoms(use_true_random=False),
    junk=st.lists(st.binary(max_size=30).filter(lambda b: b"(" not in b), max_size=4),
)
def test_explain_reports_exactly_the_requests_it_was_given(
    ids: list[str], order: Any, junk: list[bytes]
) -> None:
    """Interleaved requests and noise: one verdict per request id, never a phantom one."""
    lines = [b"(%s) %s" % (rid.encode(), ln.replace(b"%s", rid.encode())) for rid in ids for ln in LOG_LINES]
    order.shuffle(lines)
    # Each request's completion line last, as API Gateway writes it.
    lines = [ln for ln in lines if b"Method completed" not in ln] + [
        ln for ln in lines if b"Method completed" in ln
    ]
    rc, out, _ = _explain(b"\n".join(lines + junk) + b"\n", "--json")
    assert rc == 0
    got = [r["request_id"] for r in json.loads(out)["requests"]]
    assert sorted(got) == sorted(ids)


# -- CLI values: huge, tiny, non-finite -------------------------------------------------------
FLOAT_FLAGS = [
    # `--flag=value`: argparse takes "-1e-300" after a space for an option, not a number.
    (["demo", "--headless={v}"], "headless", 86_400),
    (["demo", "--speed={v}", "--headless", "1"], "speed", 600),
    (["watch", "--duration={v}"], "duration", 7 * 86_400),
    (["screenshot", "--out", str(_TMP / "s.svg"), "--at={v}"], "at", 3_600),
]


@FUZZ
@given(
    which=st.sampled_from(FLOAT_FLAGS),
    v=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e9, -5.0, 0.0, 1e-300])),
)
def test_float_flags_are_finite_and_bounded(which: tuple[list[str], str, float], v: float) -> None:
    argv, dest, hi = which
    args = cli.build_parser().parse_args([a.replace("{v}", repr(v)) for a in argv])
    try:
        cli_values.validate(args)
    except cli_values.UsageError as exc:
        _one_line(exc)
        assert f"--{dest}" in str(exc)
        return
    value = getattr(args, dest)
    assert math.isfinite(value) and 0 <= value <= hi


@FUZZ
@given(
    size=st.one_of(text, st.builds(lambda a, b: f"{a}x{b}", st.integers(-5, 10**6), st.integers(-5, 10**6)))
)
def test_size_is_bounded(size: str) -> None:
    try:
        cols, rows = cli_values.parse_size(size)
    except ValueError as exc:
        _one_line(exc)
        return
    assert cli_values.MIN_COLS <= cols <= cli_values.MAX_COLS
    assert cli_values.MIN_ROWS <= rows <= cli_values.MAX_ROWS


@FUZZ
@given(
    url=st.one_of(text, st.from_regex(r"(https?|ftp)://[a-z0-9.]{0,10}(:[0-9a-z]{0,6})?/?", fullmatch=True))
)
def test_endpoint_url_is_http_with_a_host(url: str) -> None:
    try:
        cli_values.endpoint_url("--endpoint-url", url)
    except cli_values.UsageError as exc:
        _one_line(exc)
        return
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert parts.port is None or 0 <= parts.port <= 65535
