"""Worlds in different regions built in one process each seed their own region (the mirror's boto3
session is shared, so a client that took the session's region wrote into the first world's)."""

from __future__ import annotations

import boto3
import pytest


@pytest.mark.sim
def test_second_region_world_seeds_its_own_region(sim_factory, aws_env) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("sg-blocks-nlb-targets", frozen=True) as first:
        assert first.region == "us-east-1"
    with sim_factory("lambda-throttled-reserved-zero", frozen=True) as second:
        assert second.region == "eu-west-1"
        url = second.endpoint_url

        def names(region: str) -> list[str]:
            gw = boto3.client("apigateway", endpoint_url=url, region_name=region)
            return [a["name"] for a in gw.get_rest_apis()["items"]]

        lam = boto3.client("lambda", endpoint_url=url, region_name="eu-west-1")
        assert "cart-fn" in [f["FunctionName"] for f in lam.list_functions()["Functions"]]
        assert names("eu-west-1"), "the eu-west-1 world's APIs live in eu-west-1"
        assert names("us-east-1") == []
