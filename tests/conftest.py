"""Shared fixtures: the simulated AWS world (`sim_factory`) and a fake-credential env (`aws_env`).

def test_x(sim_factory, aws_env):
    with sim_factory("midnight-pager", frozen=True) as sim:
        boto3.client("elbv2", endpoint_url=sim.endpoint_url)
        sim.advance(300)   # simulated seconds, no waiting (frozen clock only)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Anything that could point a client at a real account, or change how it signs or retries.
_REAL_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_REGION",
)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fake credentials and region; real AWS env, profiles and config files removed."""
    for key in list(os.environ):
        if key in _REAL_AWS_VARS or key.startswith(
            ("AWS_ENDPOINT_URL", "AWS_ROLE_", "AWS_WEB_IDENTITY", "AWS_SSO")
        ):
            monkeypatch.delenv(key, raising=False)
    for key, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(key, value)
    return dict(FAKE_AWS_ENV)


SimFactory = Callable[..., AbstractContextManager[Any]]


def _refuse_sim(request: pytest.FixtureRequest) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail(
            f"{request.node.nodeid} starts the simulated world without @pytest.mark.sim "
            "(the fast lane, `-m 'not sim'`, must not start it)",
            pytrace=False,
        )

    return refuse


@pytest.fixture(autouse=True)
def _sim_needs_marker(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a test that starts a SimServer without the `sim` marker, so the lanes tell the truth.

    Only when the server module is already loaded (a test that uses it imports it at the top,
    or through `sim_factory`, which checks too): importing moto for every test would slow the
    fast lane down for nothing."""
    if request.node.get_closest_marker("sim") is not None:
        return
    server = sys.modules.get("apigw_cockpit.demo.server")
    if server is not None:
        monkeypatch.setattr(server.SimServer, "start", _refuse_sim(request))
        monkeypatch.setattr(server.SimServer, "__enter__", _refuse_sim(request))


@pytest.fixture
def sim_factory(request: pytest.FixtureRequest) -> Iterator[SimFactory]:
    """`with sim_factory(scenario, speed=1.0, frozen=False, backfill=3600) as sim:` — a started
    SimServer, stopped when the block (or at the latest the test) ends. Needs @pytest.mark.sim."""
    if request.node.get_closest_marker("sim") is None:
        _refuse_sim(request)()
    from apigw_cockpit.demo.server import SimServer

    started: list[Any] = []

    @contextmanager
    def factory(scenario: Any = "midnight-pager", **kwargs: Any) -> Iterator[Any]:
        sim = SimServer(scenario, **kwargs)
        started.append(sim)
        sim.start()
        try:
            yield sim
        finally:
            sim.stop()

    yield factory
    for sim in started:
        sim.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how many answers the conformance suite generated per operation (tests/conformance).

    Lives here, not in tests/conformance/conftest.py: under pytest-xdist only the controller
    prints, and it loads this conftest only. The counts travel in each report's user_properties.
    """
    totals: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()):
                if key == "conformance_cases":
                    for op, n in value.items():
                        totals[op] = totals.get(op, 0) + n
    if totals:
        terminalreporter.section("conformance: generated answers per operation")
        for op, n in sorted(totals.items()):
            terminalreporter.write_line(f"{op:55} {n:6d}")
        terminalreporter.write_line(f"{'total':55} {sum(totals.values()):6d}")
