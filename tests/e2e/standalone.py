"""The standalone simulated server as a user starts it: its environment and its endpoint line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 60


def sim_env(home: Path) -> dict[str, str]:
    """This process's environment without real AWS settings: fake credentials, an empty HOME."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "HOME": str(home),
        "PYTHONUNBUFFERED": "1",
    }


def wait_for_endpoint(proc: subprocess.Popen[str]) -> str:
    """The `endpoint http://127.0.0.1:N` the server prints once it is up."""
    assert proc.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.match(r"endpoint\s+(http://127\.0\.0\.1:\d+)", line)
        if m:
            return m.group(1)
    raise AssertionError(f"server printed no endpoint (exit {proc.poll()})")


@contextmanager
def standalone_server(
    env: dict[str, str], scenario: str = "midnight-pager"
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m apigw_cockpit.demo.server`: (the process, its endpoint); SIGTERM at the end, as
    a user's Ctrl+C would, killed only if it does not leave within 20 s."""
    server = subprocess.Popen(
        [sys.executable, "-m", "apigw_cockpit.demo.server", "--scenario", scenario],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        yield server, wait_for_endpoint(server)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
