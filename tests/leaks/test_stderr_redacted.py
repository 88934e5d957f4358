"""Property: a secret quoted in an error line is masked on stderr, as it is on stdout.

Error lines quote what they were given (a config value, a `--url`, an AWS error message), so
a secret in that input reaches the operator's terminal and scrollback unless stderr passes the
same sanitiser as stdout (`outbound.err_line`). Each kind of secret (kinds.KINDS) is planted in
the input of a real CLI path that must fail with one line, through `cli.main`.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.cli import main

from .kinds import KINDS, Kind
from .outputs import capture

# One-line kinds: an error line quotes its value with repr(), so a multi-line PEM arrives as
# `\n`-joined text, which is not what the redactor's PEM rule (a real block) is for.
ONE_LINE = [k for k in KINDS if k.name != "pem-private-key"]
LOOPBACK = ["--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]
TARGET = ["--api-id", "a1b2c3d4e5", "--stage", "prod", "--region", "us-east-1"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), capture() as out:
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _secrets(kind: Kind, value: str) -> tuple[str, ...]:
    return tuple(s for s in kind.leak(value) if len(s) >= 8)


@pytest.mark.parametrize("kind", ONE_LINE, ids=[k.name for k in ONE_LINE])
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_bad_config_value_quoting_a_secret_is_redacted_on_stderr(kind: Kind, data: st.DataObject) -> None:
    value = data.draw(kind.value)
    planted = kind.text(value)
    with tempfile.TemporaryDirectory() as d:
        config = Path(d) / "config.toml"
        # TOML basic strings take JSON's escapes for these characters.
        config.write_text(f"refresh = {json.dumps(planted)}\n", encoding="utf-8")
        code, out, err = _run(["--config", str(config), "watch", *TARGET])
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    # The real error line, naming the file and the key, not some other failure.
    assert len(lines) == 1 and str(config) in lines[0] and "refresh" in lines[0], err
    assert "[REDACTED]" in lines[0], err
    assert [s for s in _secrets(kind, value) if s in err] == []


@pytest.mark.parametrize("kind", ONE_LINE, ids=[k.name for k in ONE_LINE])
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_bad_url_quoting_a_secret_is_redacted_on_stderr(kind: Kind, data: st.DataObject) -> None:
    value = data.draw(kind.value)
    # No host: refused while parsing, before any call (and the endpoint is loopback regardless).
    url = f"https://:1/{kind.text(value)}"
    code, _out, err = _run(["check", "--url", url, *LOOPBACK])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--url" in lines[0] and "not a URL" in lines[0], err
    assert [s for s in _secrets(kind, value) if s in err] == []
