"""Fixtures for the aws layer: fake credentials, a moto world, and the read-only sentinel."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

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
