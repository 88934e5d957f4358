"""An HTTP API is discovered (apigatewayv2), but until the checks speak HTTP APIs (no execution log,
access-log evidence) the commands refuse it in one line instead of REST-framed findings such as
"execution logging is OFF" for a product that has no execution logging."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.errors import ConfigError

pytestmark = pytest.mark.sim

HTTP_NEIGHBOUR = ("w3bh00ks01", "prod")  # webhooks-relay: every simulated world holds it


async def test_an_http_api_is_refused_by_default_and_discovered_when_asked(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sim_factory("midnight-pager", backfill=60) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        api, stage = HTTP_NEIGHBOUR
        with pytest.raises(ConfigError, match=r"is an HTTP API .* not diagnosed yet"):
            await open_feed(AwsSettings(api, stage, endpoint_url=sim.endpoint_url), sim.clock)
        feed = await open_feed(
            AwsSettings(api, stage, endpoint_url=sim.endpoint_url, http_apis=True), sim.clock
        )
        try:
            assert feed.topology.is_http and feed.topology.api_id == api
            assert feed.topology.stage.name == stage
        finally:
            await feed.aclose()
