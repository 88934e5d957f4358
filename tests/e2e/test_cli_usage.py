"""The CLI as a user types it: help, version, and one-line usage errors with exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from apigw_cockpit import __version__

COMMANDS = ["watch", "demo", "check", "verify", "explain", "report", "scenarios", "serve", "screenshot"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigw_cockpit", *args], capture_output=True, text=True, timeout=60
    )


def test_help_lists_every_command() -> None:
    out = _run("--help")
    assert out.returncode == 0
    for command in COMMANDS:
        assert command in out.stdout


def test_version() -> None:
    out = _run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"apigw-cockpit {__version__}"


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["check", "--bogus"],
        ["screenshot"],  # --out is required
        ["demo", "--speed", "fast"],
        ["report", "--format", "pdf"],
        ["nonsense-command"],
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str]) -> None:
    out = _run(*args)
    assert out.returncode == 2
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    assert "error" in lines[0]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    out = _run(command, "--help")
    assert out.returncode == 0
    assert command in out.stdout
