"""On midnight-pager before the fix, the probes hit a failing route and fail (they used to probe the
MOCK GET /health and pass); `verify --invoke-url … --since -10m` runs against the loopback world."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from apigw_cockpit.commands.verify import verify_run
from apigw_cockpit.model import FrozenClock, ProbeResult

pytestmark = pytest.mark.sim


def _settings(sim: Any) -> Any:
    from apigw_cockpit.aws import AwsSettings

    return AwsSettings(
        api_id=sim.api_id, stage=sim.stage, region=sim.region, endpoint_url=sim.endpoint_url,
        invoke_url=sim.invoke_url,
    )  # fmt: skip


def test_probes_fail_on_the_failing_route_during_the_outage(sim_factory: Any, aws_env: Any) -> None:
    with sim_factory("midnight-pager", frozen=True, backfill=1800) as sim:
        since = sim.clock.now() - 600
        steps, _, choice = asyncio.run(verify_run(_settings(sim), sim.clock, since, load=20))
    status = {s.id: s.status for s in steps}
    assert choice.route == "GET /orders" and "most failing requests" in choice.why, choice
    assert status["V1"] == "fail" and status["V6"] == "fail", [(s.id, s.evidence[:2]) for s in steps]
    v1 = next(s for s in steps if s.id == "V1")
    assert "/prod/orders" in v1.evidence[0] and "504" in v1.evidence[0]
    assert any("probe GET /orders" in line for line in v1.evidence)


def test_the_mock_route_would_have_passed(sim_factory: Any, aws_env: Any) -> None:
    """Why the choice matters: the route the old default picked answers 200 during the outage."""
    from apigw_cockpit.aws.probes import Probes

    with sim_factory("midnight-pager", frozen=True, backfill=600) as sim:

        async def both() -> tuple[ProbeResult, ProbeResult]:
            from apigw_cockpit.aws.feed import open_feed

            feed = await open_feed(_settings(sim), sim.clock)
            try:
                p: Probes = feed.probes
                return await p.invoke_url("/health"), await p.invoke_url("/orders")
            finally:
                await feed.aclose()

        health, orders = asyncio.run(both())
    assert health.status == 200 and orders.status == 504


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "XDG_CONFIG_HOME": "/nonexistent-apigw-cockpit-test"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "apigw_cockpit.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_verify_cli_invoke_url_since_relative_and_unsafe_route(sim_factory: Any, aws_env: Any) -> None:
    import time

    # The CLI reads the system clock: hold the world at "now" so its last 10 minutes are the CLI's.
    with sim_factory("midnight-pager", clock=FrozenClock(time.time()), backfill=600) as sim:
        base = ["verify", "--api-id", sim.api_id, "--stage", sim.stage, "--endpoint-url", sim.endpoint_url,
                "--invoke-url", sim.invoke_url, "--since", "-10m", "--json"]  # fmt: skip
        got = _cli(*base)
        unsafe = _cli(*base, "--route", "POST /orders")
    assert got.returncode == 1, got.stderr
    doc = json.loads(got.stdout)
    assert doc["probe"]["route"] == "GET /orders" and not doc["probe"]["refused"]
    v1 = next(s for s in doc["steps"] if s["id"] == "V1")
    assert v1["status"] == "fail" and sim.invoke_url.split("//")[1] in v1["evidence"][0]
    # A named write without --confirm-unsafe: refused, nothing sent, V1 pending with the reason.
    assert unsafe.returncode == 1, unsafe.stderr
    doc = json.loads(unsafe.stdout)
    assert "not idempotent" in doc["probe"]["refused"]
    v1 = next(s for s in doc["steps"] if s["id"] == "V1")
    assert v1["status"] == "pending" and "not idempotent" in v1["evidence"][0]
