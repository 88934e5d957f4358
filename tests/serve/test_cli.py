"""`serve` with bad arguments: one line on stderr, exit 2, before anything is served or started."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from apigw_cockpit.cli import build_parser, main
from apigw_cockpit.commands import serve

GOOD = ["serve", "--scenario", "midnight-pager", "--port", "0"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


BAD: list[tuple[list[str], str]] = [
    (["serve"], "give --scenario, or --api-id and --stage"),
    (["serve", "--api-id", "abc"], "give --scenario, or --api-id and --stage"),
    (["serve", "--scenario", "nope"], "bad scenario: nope: no such scenario"),
    ([*GOOD, "--port", "99999"], "--port 99999: must be a TCP port 0..65535"),
    ([*GOOD, "--port", "-1"], "--port -1: must be a TCP port 0..65535"),
    ([*GOOD, "--port", "eighty"], "argument --port: invalid int value"),
    ([*GOOD, "--host", "300.1.1.1"], "--host '300.1.1.1': cannot resolve"),
    ([*GOOD, "--host", "bad host"], "--host 'bad host': cannot resolve"),
    ([*GOOD, "--host", "a..b"], "--host 'a..b': cannot resolve"),
    ([*GOOD, "--host", "203.0.113.9"], "not an address of this machine"),
    ([*GOOD, "--size", "0x0"], "--size 0x0 is out of range"),
    ([*GOOD, "--size", "9999x9999"], "--size 9999x9999 is out of range"),
    ([*GOOD, "--size", "big"], "--size must be COLSxROWS"),
    ([*GOOD, "--max-viewers", "0"], "--max-viewers must be 1-200"),
    ([*GOOD, "--max-viewers", "100000"], "--max-viewers must be 1-200"),
    (["--config", "/nonexistent/config.toml", *GOOD], "config file not found"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a[1:]) or "bare" for a, _ in BAD])
def test_bad_arguments_fail_before_serving(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        raise SystemExit(main(argv))
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # no URL printed: nothing was served
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err


def test_port_in_use(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*GOOD, "--port", str(busy_port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"apigw-cockpit serve: error: --port {busy_port}: already in use on 127.0.0.1"


def test_bad_config_content_fails_before_serving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text("refresh = 'fast'\n")
    assert main(["--config", str(config), *GOOD]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(config) in err[0] and "refresh" in err[0]


def test_preflight_binds_and_warns_off_loopback() -> None:
    args = build_parser().parse_args([*GOOD, "--host", "0.0.0.0"])
    size, sock, warnings = serve.preflight(args)
    try:
        assert size == (160, 48) and sock.getsockname()[1] > 0
        assert len(warnings) == 1 and "not loopback" in warnings[0]
    finally:
        sock.close()
    args = build_parser().parse_args([*GOOD, "--size", "120x36"])
    size, sock, warnings = serve.preflight(args)
    sock.close()
    assert size == (120, 36) and warnings == []


def test_the_served_command_is_read_only() -> None:
    args = build_parser().parse_args([*GOOD, "--presenter"])
    argv = serve.served_command(args)
    assert argv[-4:] == ["--scenario", "midnight-pager", "--read-only", "--presenter"]
    args = build_parser().parse_args(["serve", "--api-id", "a1", "--stage", "prod", "--region", "eu-west-1"])
    argv = serve.served_command(args)
    assert argv[3:] == ["watch", "--read-only", "--api-id", "a1", "--stage", "prod", "--region", "eu-west-1"]
