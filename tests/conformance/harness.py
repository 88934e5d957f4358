"""One event loop, one project ClientFactory and one Responder per test module.

Hypothesis runs each example synchronously; the example's coroutine runs on the module's
loop, so the aiobotocore clients (created once: client creation is the slow part) are reused
across examples. Only the responder's state is reset per example.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, settings

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings

from .responder import Responder

T = TypeVar("T")
T0 = 1_780_000_000.0

# Bounded so the directory stays well under 60 s on one core (make test runs it every time).
# CONFORMANCE_EXAMPLES=500 explores further; derandomized so a red run is red again.
EXAMPLES = int(os.environ.get("CONFORMANCE_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CONFORMANCE_EXAMPLES") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
    # Shrinking a multi-call answer takes minutes; the unshrunk draws are printed and
    # replayable. CONFORMANCE_SHRINK=1 turns it back on when a failure needs minimising.
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("CONFORMANCE_SHRINK") else []),
)

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


class TickClock:
    """Moves one second each time it is read: rate limiters refill, nothing ever sleeps long."""

    speed = 1.0

    def __init__(self, at: float = T0) -> None:
        self.at = at

    def now(self) -> float:
        self.at += 1.0
        return self.at


class AnsweredFactory(ClientFactory):
    """The project's ClientFactory (guard, meter, config as shipped) plus the responder."""

    def __init__(self, responder: Responder, clock: TickClock, *, live_tail: bool = False) -> None:
        # Loopback port 9 (discard): even a call the responder missed could not leave the host.
        super().__init__(
            AwsSettings(
                "a1b2c3", "prod", region="us-east-1", endpoint_url="http://127.0.0.1:9",
                max_attempts=1, live_tail=live_tail,
            ),
            clock,
        )  # fmt: skip
        self.responder = responder

    async def client(self, service: str, region: str | None = None) -> Any:
        c = await super().client(service, region)
        self.responder.install(c)  # idempotent: handlers are registered by unique_id
        return c


class Harness:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.clock = TickClock()
        self.responder = Responder()
        self.factory = AnsweredFactory(self.responder, self.clock)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.factory.aclose())
        self.loop.close()


@contextmanager
def fake_env() -> Iterator[None]:
    saved = dict(os.environ)
    for key in list(os.environ):
        if key.startswith(("AWS_", "BOTO")):
            del os.environ[key]
    os.environ.update(FAKE_ENV)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
