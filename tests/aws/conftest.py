"""Fixtures for the aws layer: fake credentials, a moto world, and the read-only sentinel."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from aws_moto_world import Seeded, seed

from apigw_cockpit.aws import guard

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture(autouse=True)
def _fake_aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never real AWS: fake credentials, no profile files, no instance metadata."""
    for key in list(os.environ):
        if key.startswith("AWS_ENDPOINT_URL") or key in {"AWS_PROFILE", "AWS_REGION"}:
            monkeypatch.delenv(key, raising=False)
    for key, value in _FAKE_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture(autouse=True)
def _read_only_sentinel(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test whose code under test made a non-allowlisted AWS call.

    The guard raises in the caller, but a poller could swallow that error; this records
    every refusal so the test fails anyway. Tests that *expect* a refusal clear the list.
    """
    refused: list[str] = []
    original = guard.check

    def recording(service: str, operation: str, allowlist: Any = guard.ALLOWLIST) -> None:
        try:
            original(service, operation, allowlist)
        except Exception:
            refused.append(f"{service}:{operation}")
            raise

    monkeypatch.setattr(guard, "check", recording)
    yield refused
    assert not refused, f"non-allowlisted AWS calls: {refused}"


@pytest.fixture(scope="session")
def moto_world() -> Iterator[Seeded]:
    from moto.server import ThreadedMotoServer

    env = dict(_FAKE_ENV)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield seed(f"http://{host}:{port}")
    finally:
        server.stop()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
