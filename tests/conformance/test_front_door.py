"""The front door (API inventory, `--url` resolution) against botocore's shapes and AWS's examples.

Properties over generated answers: the inventory lists every API each listing served (REST
and v2, every page followed), worst first, and a failed part is named where it failed; the
resolver answers a Resolved or one of the two user-facing errors, never anything else.
Published examples: the CLI reference's REST/HTTP/WebSocket listings and custom-domain
mappings resolve as a user reading that page would expect.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.errors import AwsAccessError
from apigw_cockpit.aws.inventory import Inventory, list_apis
from apigw_cockpit.aws.resolve_url import Resolved, resolve_url
from apigw_cockpit.errors import ConfigError

from .harness import SETTINGS, T0, Harness
from .test_examples import world

pytestmark = pytest.mark.sim  # slow lane: generated answers through the whole client stack

URLS = [
    "https://api.example.com/orders/v1/items",
    "https://shop.example.com/orders/x",
    "https://api.example.com/",
    "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders",
    "https://a1b2c3d4e5-vpce-0abc1234.execute-api.us-east-1.amazonaws.com/prod",
    "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
]


def _list(h: Harness, data: st.DataObject, *, errors: bool) -> Inventory | AwsAccessError:
    h.responder.reset(data.draw, errors=errors, pages=True)
    try:
        return h.run(list_apis(h.factory, T0))
    except AwsAccessError as exc:
        return exc


def _heat(inv: Inventory) -> list[tuple[float, float]]:
    return [((a.worst.errors_5xx or 0.0), (a.worst.rate or 0.0)) if a.worst else (0.0, 0.0) for a in inv.apis]


@SETTINGS
@given(data=st.data())
def test_inventory_lists_every_api_follows_every_page_worst_first(
    harness: Harness, data: st.DataObject
) -> None:
    inv = _list(harness, data, errors=False)
    assert isinstance(inv, Inventory), inv
    assert harness.responder.unfollowed() == [], "one-page reads (tokens never followed)"
    served = harness.responder.served
    # Every item served is listed, except one with an empty id (the model allows ""; nothing
    # can be asked about an API without its id).
    assert len(inv.apis) <= served[("apigateway", "GetRestApis")] + served[("apigatewayv2", "GetApis")]
    assert all(a.id for a in inv.apis)
    heat = _heat(inv)
    assert heat == sorted(heat, reverse=True)
    stages = sum(len(a.stages) for a in inv.apis if a.api_type in ("rest", "http"))
    calls = [op for _, op in harness.responder.calls if op == "GetMetricData"]
    if stages:  # one call (and its pages) for every stage of every API
        pages = len(calls)
        assert pages >= 1 and stages <= 250
    else:
        assert calls == []
    for api in inv.apis:
        if api.api_type == "websocket":  # no 5XX metric exists for WebSocket APIs: never a number
            assert all(s.errors_5xx is None and s.requests is None for s in api.stages)


@SETTINGS
@given(data=st.data())
def test_inventory_names_the_part_that_failed(harness: Harness, data: st.DataObject) -> None:
    got = _list(harness, data, errors=True)
    failed = {(svc, op) for svc, op, _ in harness.responder.failed}
    if isinstance(got, AwsAccessError):  # only when neither product could be listed
        assert {("apigateway", "GetRestApis"), ("apigatewayv2", "GetApis")} <= failed, got
        return
    stage_errors = [e for a in got.apis for e in a.errors]
    if ("apigateway", "GetStages") in failed or ("apigatewayv2", "GetStages") in failed:
        assert any(e.startswith("GetStages") for e in stage_errors) or any(
            "GetApis" in e or "GetRestApis" in e for e in got.errors
        )
    if ("cloudwatch", "GetMetricData") in failed:
        assert any("GetMetricData" in e for e in got.errors)
        # 5XX counts unknown is never "0 errors".
        assert all(s.errors_5xx is None for a in got.apis for s in a.stages)


@SETTINGS
@given(data=st.data(), url=st.sampled_from(URLS), errors=st.booleans())
def test_resolver_answers_or_says_why_in_one_line(
    harness: Harness, data: st.DataObject, url: str, errors: bool
) -> None:
    harness.responder.reset(data.draw, errors=errors, pages=True)
    try:
        got = harness.run(resolve_url(harness.factory, url))
    except (ConfigError, AwsAccessError) as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(got, Resolved)
    assert got.api_type in ("rest", "http", "websocket") and got.api_id and got.stage
    assert got.route.startswith("/")
    assert "\n" not in got.line(url)
    if not errors:
        assert harness.responder.unfollowed() == []


# -- AWS's published examples ---------------------------------------------------------------
LISTING = world(
    "apigateway-get-rest-apis",
    "apigateway-get-stages",
    "apigatewayv2-get-apis",
    "apigatewayv2-get-stages",
    "cloudwatch-get-metric-data",
)
DOMAIN = world(
    "apigateway-get-domain-names",
    "apigateway-get-base-path-mappings",
    "apigatewayv2-get-api-mappings",
    "apigateway-get-rest-api",
)


def test_published_listing_shows_rest_http_and_websocket_apis(harness: Harness) -> None:
    harness.responder.reset(None, fixed=LISTING)
    inv = harness.run(list_apis(harness.factory, T0))
    by_type = {a.api_type: a for a in inv.apis}
    assert set(by_type) == {"rest", "http", "websocket"}
    assert (by_type["http"].id, by_type["http"].name) == ("a1b2c3d5", "my-http-api")
    assert by_type["websocket"].name == "my-websocket-api"
    assert [s.name for s in by_type["rest"].stages] == ["dev"]
    assert sorted(s.name for s in by_type["http"].stages) == ["$default", "dev", "prod"]
    # The published GetMetricData answer is for other query ids: unknown, not "0 errors".
    assert all(s.errors_5xx is None for a in inv.apis for s in a.stages)
    assert inv.errors == ()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # basePath "v1" → stage "api"; "(none)" (the root mapping) → stage "dev".
        ("https://subdomain.domain.tld/v1/pets/1", ("rest", "1234w4321e", "api", "/pets/1")),
        ("https://subdomain.domain.tld/pets", ("rest", "1234w4321e", "dev", "/pets")),
        ("subdomain.domain.tld", ("rest", "1234w4321e", "dev", "/")),
    ],
)
def test_published_base_path_mappings_resolve(harness: Harness, url: str, expected: tuple[str, ...]) -> None:
    harness.responder.reset(None, fixed=DOMAIN)
    got = harness.run(resolve_url(harness.factory, url))
    assert (got.api_type, got.api_id, got.stage, got.route) == expected
    assert "custom domain subdomain.domain.tld" in got.how
    assert got.base_url == (
        "https://subdomain.domain.tld/v1" if "/v1" in url else "https://subdomain.domain.tld"
    )


def test_published_api_mapping_resolves_to_an_http_api(harness: Harness) -> None:
    """GetApiMappings' `myTestApi` key → API a1b2c3d4, stage test; GetRestApi does not know the id
    (no example: NotFound) and GetApi says it is an HTTP API."""
    fixed: dict[tuple[str, str], dict[str, Any]] = {
        k: v for k, v in DOMAIN.items() if k != ("apigateway", "GetRestApi")
    }
    fixed.update(world("apigatewayv2-get-api"))
    harness.responder.reset(None, fixed=fixed)
    got = harness.run(resolve_url(harness.factory, "https://subdomain.domain.tld/myTestApi/orders"))
    assert (got.api_type, got.api_id, got.stage, got.route) == ("http", "a1b2c3d4", "test", "/orders")


def test_an_http_api_id_given_to_discovery_is_discovered_as_one(harness: Harness) -> None:
    """GetRestApi: NotFound; the REST listing has no such name; GetApi knows the id."""
    fixed = world("sts-get-caller-identity", "apigateway-get-rest-apis", "apigatewayv2-get-api")
    harness.responder.reset(None, fixed=fixed)
    with pytest.raises(ConfigError) as err:  # no GetStage example: NotFound, said of the HTTP API
        harness.run(discover(harness.factory, "a1b2c3d4", "prod"))
    assert str(err.value) == "unknown stage 'prod' of HTTP API a1b2c3d4"


def test_an_unknown_id_is_still_an_unknown_rest_api(harness: Harness) -> None:
    fixed = world("sts-get-caller-identity", "apigateway-get-rest-apis")  # GetApi: NotFound
    harness.responder.reset(None, fixed=fixed)
    with pytest.raises(ConfigError, match="unknown REST API 'zz9'"):
        harness.run(discover(harness.factory, "zz9", "prod"))


VPCE_HOST = "https://vpce-0b7a22d021cc42f88-gectb2xb.execute-api.us-east-2.vpce.amazonaws.com/dev/get"


def test_a_vpc_endpoint_host_needs_the_api_id_and_says_so(harness: Harness) -> None:
    """The endpoint's own DNS name serves every private API it reaches: the header chooses."""
    harness.responder.reset(None, fixed=world("apigateway-get-rest-api"))
    with pytest.raises(ConfigError, match="x-apigw-api-id") as err:
        harness.run(resolve_url(harness.factory, VPCE_HOST))
    assert "vpce-0b7a22d021cc42f88" in str(err.value)
    got = harness.run(resolve_url(harness.factory, VPCE_HOST, api_id="o1y243m4f5"))
    assert (got.api_type, got.api_id, got.stage, got.route, got.region) == (
        "rest",
        "o1y243m4f5",
        "dev",
        "/get",
        "us-east-2",
    )
    assert (
        got.base_url == "https://vpce-0b7a22d021cc42f88-gectb2xb.execute-api.us-east-2.vpce.amazonaws.com/dev"
    )


def test_a_private_apis_vpce_alias_names_the_api(harness: Harness) -> None:
    harness.responder.reset(None, fixed=world("apigateway-get-rest-api"))
    url = "https://o1y243m4f5-vpce-0b7a22d021cc42f88.execute-api.us-east-2.amazonaws.com/dev/get"
    got = harness.run(resolve_url(harness.factory, url))
    assert (got.api_id, got.stage, got.route, got.region) == ("o1y243m4f5", "dev", "/get", "us-east-2")
    assert got.how == "private API, VPC endpoint alias"


def test_an_http_api_stage_is_discovered_down_to_its_vpc_link_v2(harness: Harness) -> None:
    """Route → integration → VPC link v2 (its own SGs) → the listener's ALB; the access log and format."""
    from .test_iam_policy import HTTP_API

    fixed = world("sts-get-caller-identity", "apigateway-get-rest-apis", "apigatewayv2-get-api")
    harness.responder.reset(None, fixed={**fixed, **HTTP_API})
    topo = harness.run(discover(harness.factory, "a1b2c3d4", "dev"))
    assert (topo.api_type, topo.api_id, topo.stage.name) == ("http", "a1b2c3d4", "dev")
    assert (topo.log_groups.execution, topo.log_groups.access) == ("", "http-access")
    assert "$context.status" in topo.stage.access_log_format
    assert (topo.stage.throttling_burst_limit, topo.stage.throttling_rate_limit) == (100, 50.0)
    (res,) = topo.resources
    assert (res.path, res.methods[0].http_method, res.methods[0].authorizer_id) == ("/pets", "GET", "a1")
    integ = res.methods[0].integration
    assert integ is not None and (integ.connection_type, integ.timeout_ms) == ("VPC_LINK", 30000)
    (link,) = topo.vpc_links
    assert link.target_arns[0].endswith(":loadbalancer/app/my-load-balancer/50dc6c495c0c9188")
    assert link.security_groups == ("sg-1",) and [a.type for a in topo.authorizers] == ["JWT"]
    # No elbv2 example answers for that ALB: a named partial part, never a crash.
    assert any(e.operation == "DescribeLoadBalancers" for e in topo.errors)
