"""The standalone simulated server as a user starts it: its environment and its endpoint line."""

from __future__ import annotations

import os
import re
import subprocess
import time
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
