"""The documented manual flow: `python -m apigw_cockpit.demo.server` in one terminal, the real CLI
pointed at it with AWS_ENDPOINT_URL in another. The server starts the story now, so tools that
ask for "the last hour" by the system clock see the incident."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from standalone import sim_env, standalone_server

# It starts the simulated world (in a subprocess, where the conftest guard cannot see it).
pytestmark = [pytest.mark.e2e, pytest.mark.sim]


def test_check_against_the_standalone_world(tmp_path: Path) -> None:
    env = sim_env(Path(tmp_path))
    with standalone_server(env) as (server, endpoint):
        out = subprocess.run(
            [sys.executable, "-m", "apigw_cockpit", "check", "--json", "--api-id", "a1b2c3d4e5",
             "--stage", "prod"],
            capture_output=True, text=True, timeout=120, env={**env, "AWS_ENDPOINT_URL": endpoint},
        )  # fmt: skip
        assert out.returncode == 1, out.stderr  # findings at error level
        doc = json.loads(out.stdout)
        assert doc["root_cause"] == "sg-blocks-nlb-targets"
        changes = {f["check_id"]: f for f in doc["findings"]}["recent-changes"]
        assert changes["verdict"] == "error"
        assert any(
            "RevokeSecurityGroupIngress" in line for line in changes["evidence"] + [changes["summary"]]
        )
    assert server.returncode == 0
