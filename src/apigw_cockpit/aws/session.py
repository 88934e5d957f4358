"""The one client factory: aiobotocore clients, guarded, metered, cached for the feed's life.

Credentials come from the standard chain (env, profile, SSO, instance role). Endpoints:
an explicit `endpoint_url` wins; otherwise botocore itself honours `AWS_ENDPOINT_URL` and
`AWS_ENDPOINT_URL_<SERVICE>` (botocore ≥ 1.31, configprovider.EnvironmentProvider). When
any endpoint override is present we turn host-prefix injection off, or Live Tail would
call `streaming-logs.<host>` which a local endpoint cannot answer.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import AsyncExitStack

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import BotoCoreError
from botocore.loaders import Loader, create_loader

from apigw_cockpit.aws import guard
from apigw_cockpit.aws.errors import NO_REGION, AwsAccessError, as_access_error, set_profile_hint
from apigw_cockpit.aws.meter import CallMeter
from apigw_cockpit.aws.models import cockpit_loader
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import Clock, SystemClock

DEFAULT_ENDPOINT_REGION = "us-east-1"


def resolve_region(flag: str | None, configured: str | None) -> str:
    """--region, then AWS_REGION, then what botocore found (AWS_DEFAULT_REGION, the profile).

    The newer SDKs (JS v3, Java v2, Go v2, the CLI v2 docs' "AWS_REGION overrides
    AWS_DEFAULT_REGION") read AWS_REGION first; botocore reads only AWS_DEFAULT_REGION, so
    a user following any other SDK's docs would otherwise be ignored.
    """
    return flag or os.environ.get("AWS_REGION") or configured or ""


def service_id(service: str, loader: Loader | None = None) -> str:
    """botocore service name → its model's serviceId ("logs" → "CloudWatch Logs")."""
    try:
        model = (loader or create_loader()).load_service_model(service, "service-2")
        return str(model["metadata"].get("serviceId") or service)
    except Exception:  # unknown service name: botocore will say so when the client is made
        return service


def service_env_name(service_id: str) -> str:
    """botocore's service-specific endpoint variable: "CloudWatch Logs" → AWS_ENDPOINT_URL_CLOUDWATCH_LOGS."""
    return "AWS_ENDPOINT_URL_" + service_id.upper().replace(" ", "_")


def _endpoint_override_present(service_id: str, explicit: str | None) -> bool:
    """Is *this* service's endpoint overridden? Host prefixes (streaming-logs. for Live Tail)
    must stay on for every service that still talks to AWS itself."""
    if explicit or os.environ.get("AWS_ENDPOINT_URL"):
        return True
    return bool(os.environ.get(service_env_name(service_id)))


class ClientFactory:
    """`await factory.client("logs")` → a cached, guarded, metered aiobotocore client."""

    def __init__(self, settings: AwsSettings, clock: Clock | None = None, meter: CallMeter | None = None):
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.meter = meter or CallMeter(self.clock)
        try:
            self._session = AioSession(profile=settings.profile)
            # Models cut to the allowlist (aws/models.py): the same loader answers service_id,
            # so each model is read once (it was read twice, 0.2 s of start-up).
            self._loader = cockpit_loader(self._session.get_config_variable("data_path"))
            self._session.register_component("data_loader", self._loader)
            configured_region = self._session.get_config_variable("region")
        except BotoCoreError as exc:
            raise as_access_error(exc) or AwsAccessError(str(exc)) from None
        self.endpoint_url = settings.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        region = resolve_region(settings.region, configured_region)
        if not region and self.endpoint_url:
            region = DEFAULT_ENDPOINT_REGION
        if not region:
            raise AwsAccessError(NO_REGION)
        self.region: str = region
        set_profile_hint(settings.profile or os.environ.get("AWS_PROFILE") or "")
        self._stack = AsyncExitStack()
        self._clients: dict[str, Client] = {}
        self._lock = asyncio.Lock()
        self._closed = False

    def _service_id(self, service: str) -> str:
        return service_id(service, self._loader)

    def config(self, service: str) -> AioConfig:
        s = self.settings
        return AioConfig(
            retries={"mode": "adaptive", "max_attempts": s.max_attempts},
            connect_timeout=s.connect_timeout,
            read_timeout=s.read_timeout,
            inject_host_prefix=not _endpoint_override_present(self._service_id(service), s.endpoint_url),
            user_agent_appid="apigw-cockpit",
        )

    async def client(self, service: str, region: str | None = None) -> Client:
        """The client of `service` in the feed's region, or in `region` (CloudTrail's us-east-1
        lookup of IAM/STS events for an API elsewhere)."""
        key = service if region in (None, self.region) else f"{service}@{region}"
        if key in self._clients:
            return self._clients[key]
        async with self._lock:
            if self._closed:
                raise RuntimeError("client factory is closed")
            if key not in self._clients:
                kwargs: dict[str, object] = {
                    "region_name": region or self.region,
                    "config": self.config(service),
                }
                if self.settings.endpoint_url:
                    kwargs["endpoint_url"] = self.settings.endpoint_url
                try:
                    cm = self._session.create_client(service, **kwargs)
                    client = await self._stack.enter_async_context(cm)
                except BotoCoreError as exc:
                    raise as_access_error(exc) or AwsAccessError(str(exc)) from None
                guard.install(client)
                self.meter.install(client)
                self._clients[key] = client
        return self._clients[key]

    async def release(self) -> None:
        """Close the clients but stay usable: the next `client()` opens new ones.

        For handing a feed from one event loop to another (discovery runs before the
        full-screen app starts its own loop; aiohttp sessions are bound to their loop).
        """
        self._clients.clear()
        await self._stack.aclose()
        self._stack = AsyncExitStack()
        self._lock = asyncio.Lock()

    async def aclose(self) -> None:
        self._closed = True
        self._clients.clear()
        await self._stack.aclose()
