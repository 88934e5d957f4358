"""The front door when part of the account cannot be read: the other product is still listed,
what failed is named, and 5XX counts that could not be read are unknown, never 0."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from apigw_cockpit.aws.inventory import list_apis
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings

pytestmark = pytest.mark.sim


def _inventory(sim: Any) -> Any:
    async def go() -> Any:
        factory = ClientFactory(
            AwsSettings("", "", region=sim.region, endpoint_url=sim.endpoint_url, max_attempts=1), sim.clock
        )
        try:
            return await list_apis(factory, sim.clock.now())
        finally:
            await factory.aclose()

    return asyncio.run(go())


@pytest.mark.usefixtures("aws_env")
def test_a_denied_listing_or_metric_read_is_named_and_the_rest_is_kept(sim_factory: Any) -> None:
    with sim_factory("midnight-pager", frozen=True, backfill=1200) as sim:
        before = sim.overlay.calls.get("GetMetricData", 0)
        whole = _inventory(sim)
        # Six stages of five APIs, REST and HTTP: one GetMetricData call for all of them.
        assert sim.overlay.calls.get("GetMetricData", 0) - before == 1
        assert sum(len(a.stages) for a in whole.apis) == 6
        assert {a.api_type for a in whole.apis} == {"rest", "http"} and whole.errors == ()
        assert whole.apis[0].id == sim.api_id and (whole.apis[0].worst.errors_5xx or 0) > 0

        sim.faults.set(operation="GetApis", kind="denied")
        no_v2 = _inventory(sim)
        assert {a.api_type for a in no_v2.apis} == {"rest"}
        [err] = no_v2.errors
        assert err.startswith("apigatewayv2 GetApis: denied")
        sim.faults.clear()

        sim.faults.set(operation="GetMetricData", kind="denied")
        blind = _inventory(sim)
        assert {a.id for a in blind.apis} == {a.id for a in whole.apis}
        assert all(s.errors_5xx is None and s.requests is None for a in blind.apis for s in a.stages)
        assert any("GetMetricData" in e for e in blind.errors)
