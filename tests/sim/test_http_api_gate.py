"""An HTTP API is diagnosed like a REST one: discovery through apigatewayv2, the access log as its
per-request evidence, the checks that an HTTP API has no counterpart for reported as not
applicable (there used to be a one-line refusal here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.aws.settings import AwsSettings

pytestmark = pytest.mark.sim

HTTP_NEIGHBOUR = ("w3bh00ks01", "prod")  # webhooks-relay: every simulated world holds it


@asynccontextmanager
async def scenario_topology(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch, scenario: str
) -> AsyncIterator[Any]:
    """The topology discovery reads from a frozen world of the scenario's own API."""
    with sim_factory(scenario, frozen=True, backfill=60) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        feed = await open_feed(
            AwsSettings(sim.api_id, sim.stage, region=sim.region, endpoint_url=sim.endpoint_url), sim.clock
        )
        try:
            yield feed.topology
        finally:
            await feed.aclose()


async def test_an_http_neighbour_opens_with_its_access_log_and_v2_metrics(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sim_factory("midnight-pager", backfill=60) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        api, stage = HTTP_NEIGHBOUR
        feed = await open_feed(AwsSettings(api, stage, endpoint_url=sim.endpoint_url), sim.clock)
        try:
            assert feed.topology.is_http and feed.topology.api_id == api
            assert feed.topology.stage.name == stage
            names = {p.name for p in feed.pollers}
            assert "logs" not in names  # an HTTP API writes no execution log
        finally:
            await feed.aclose()


async def test_an_http_apis_lambda_authorizer_is_discovered(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GetAuthorizers (the overlay answers it: moto does not) and the route that uses it."""
    async with scenario_topology(sim_factory, monkeypatch, "http-devices-authorizer-permission") as topo:
        [auth] = topo.authorizers
        assert (auth.id, auth.type) == ("d3v4u7h", "REQUEST")
        assert auth.lambda_arn.endswith(":function:device-auth-fn")
        [guarded] = [m for r in topo.resources for m in r.methods if m.authorizer_id]
        assert guarded.authorizer_id == "d3v4u7h" and guarded.authorization == "CUSTOM"


async def test_a_jwt_authorizer_is_discovered_with_its_live_configuration(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scenario's UpdateAuthorizer (new audience) is what discovery reads, not the seed's."""
    async with scenario_topology(sim_factory, monkeypatch, "http-devices-jwt-audience") as topo:
        [auth] = topo.authorizers
        assert (auth.id, auth.type, auth.audience) == ("dj7w7au", "JWT", ("n3wcl13n7w3b",))
        assert auth.issuer.startswith("https://cognito-idp.us-west-2.amazonaws.com/")
        [guarded] = [m for r in topo.resources for m in r.methods if m.authorizer_id]
        assert guarded.authorizer_id == "dj7w7au" and guarded.authorization == "JWT"


def test_an_http_integration_change_is_mirrored_in_apigatewayv2(sim_factory: Any) -> None:
    """UpdateIntegration on an HTTP API reaches moto (it used to be skipped: REST only)."""
    from helpers import client

    with sim_factory("http-devices-jwt-audience", frozen=True, backfill=60) as sim:
        sim.apply_action(
            {"do": "set_integration_timeout", "params": {"resource": "geo", "method": "GET", "ms": 3000}}
        )
        v2 = client(sim, "apigatewayv2")
        [route] = [r for r in v2.get_routes(ApiId=sim.api_id)["Items"] if r["RouteKey"] == "GET /geo"]
        got = v2.get_integration(
            ApiId=sim.api_id, IntegrationId=route["Target"].removeprefix("integrations/")
        )
        assert got["TimeoutInMillis"] == 3000
