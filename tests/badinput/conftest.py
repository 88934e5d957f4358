"""Shared for the bad-input suite: the fixture directory, a user-like environment, a tally."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.badinput import fixtures
from tests.badinput.tally import TALLY


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures.build(tmp_path_factory.mktemp("badinput"))


@pytest.fixture(scope="session")
def busy() -> Iterator[int]:
    s: socket.socket = fixtures.busy_port()
    try:
        yield int(s.getsockname()[1])
    finally:
        s.close()


@pytest.fixture(scope="session")
def user_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a user with no config, fake credentials, no real AWS anywhere."""
    home = tmp_path_factory.mktemp("home")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "APIGW_COCKPIT_", "XDG_")) and k not in ("HOME",)
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        NO_COLOR="1",
        # A closed loopback port: a row that got past validation could never reach AWS.
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
    )
    return env


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY["invocations"]:
        terminalreporter.write_line(
            f"bad-input table: {TALLY['invocations']} CLI invocations, {TALLY['tracebacks']} tracebacks, "
            f"{TALLY['hangs']} timed out"
        )
