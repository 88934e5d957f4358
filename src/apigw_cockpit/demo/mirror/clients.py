"""boto3 clients against the in-process server: fake credentials, no profile, no env leakage."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

SERVICES = ("ec2", "elbv2", "iam", "lambda", "apigateway", "logs")
# The mirror's own key: the overlay lets its writes through untranslated (a person's writes with
# any other key are applied to the world; see demo/overlay/writes.py).
MIRROR_ACCESS_KEY = "AKIASIMMIRROR0000000"
_SESSION: boto3.session.Session | None = None


def _session(region: str) -> boto3.session.Session:
    """One session per process: its loader caches the service models, which makes the clients
    of the second and later SimServers ~10x cheaper to create."""
    global _SESSION
    if _SESSION is None:
        _SESSION = boto3.session.Session(
            aws_access_key_id=MIRROR_ACCESS_KEY, aws_secret_access_key="testing", region_name=region
        )
    return _SESSION


class Clients:
    """One client per service, created lazily (client creation is the slow part of seeding)."""

    def __init__(self, endpoint_url: str, region: str) -> None:
        self._session = _session(region)
        self._region = region
        self._endpoint = endpoint_url
        self._config = Config(
            retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30
        )
        self._clients: dict[str, Any] = {}

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        client = self._clients.get(service)
        if client is None:
            name = "lambda" if service == "lambda_" else service
            # The session is shared across worlds, so its region is the first world's: each client
            # names its own (a second-region world in one process wrote into the first's).
            client = self._session.client(
                name, endpoint_url=self._endpoint, region_name=self._region, config=self._config
            )
            self._clients[service] = client
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
