"""HTTP API (apigatewayv2) shapes → the model: routes, integrations, authorizers, VPC link v2.

Inputs follow botocore's apigatewayv2 Route/Integration/Authorizer shapes and the AWS CLI
examples (awscli/examples/apigatewayv2/get-routes.rst, get-integrations.rst).
"""

from __future__ import annotations

import asyncio
from typing import Any

from apigw_cockpit.aws._parts import Parts
from apigw_cockpit.aws.discovery_http import (
    http_authorizer,
    http_integration,
    http_resources,
    http_vpc_links,
    listener_lb_arn,
    route_path,
)

LISTENER = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "listener/app/orders-alb/50dc6c495c0c9188/0467ef3c8400ae65"
)


def test_route_keys_become_verb_and_path() -> None:
    assert route_path("GET /orders/{id}") == ("GET", "/orders/{id}")
    assert route_path("ANY /{proxy+}") == ("ANY", "/{proxy+}")
    assert route_path("$default") == ("$default", "/")


def test_listener_arn_names_its_load_balancer() -> None:
    assert listener_lb_arn(LISTENER) == (
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders-alb/50dc6c495c0c9188"
    )
    assert listener_lb_arn("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1") == ""


def test_lambda_proxy_payload_2_and_30_s_default_timeout() -> None:
    raw = {
        "IntegrationId": "a1b2c3",
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": "arn:aws:lambda:us-east-1:123456789012:function:checkout-fn",
        "PayloadFormatVersion": "2.0",
    }
    i = http_integration(raw, {})
    assert (i.type, i.payload_format_version, i.timeout_ms) == ("AWS_PROXY", "2.0", 30000)
    assert i.lambda_arn == "arn:aws:lambda:us-east-1:123456789012:function:checkout-fn"


def test_routes_point_at_their_integration_and_authorizer() -> None:
    integ = http_integration(
        {"IntegrationId": "x1", "IntegrationType": "HTTP_PROXY", "IntegrationUri": LISTENER,
         "ConnectionType": "VPC_LINK", "ConnectionId": "${stageVariables.link}"},
        {"link": "abcdef"},
    )  # fmt: skip
    routes = [
        {"RouteId": "r1", "RouteKey": "GET /orders", "Target": "integrations/x1",
         "AuthorizationType": "JWT", "AuthorizerId": "au1"},
        {"RouteId": "r2", "RouteKey": "$default"},
    ]  # fmt: skip
    res = http_resources(routes, {"x1": integ})
    by_id = {r.id: r for r in res}
    assert by_id["r1"].path == "/orders" and by_id["r1"].methods[0].integration == integ
    assert by_id["r1"].methods[0].authorizer_id == "au1"
    assert by_id["r2"].methods[0].integration is None  # no Target: nothing invented
    assert integ.connection_id == "abcdef"  # stage variables resolve in ConnectionId


def test_jwt_and_lambda_authorizers() -> None:
    jwt = http_authorizer(
        {"AuthorizerId": "au1", "AuthorizerType": "JWT", "Name": "cognito",
         "IdentitySource": ["$request.header.Authorization"],
         "JwtConfiguration": {"Audience": ["app"], "Issuer": "https://cognito-idp.us-east-1.amazonaws.com/p"}}
    )  # fmt: skip
    assert (jwt.type, jwt.issuer, jwt.audience) == (
        "JWT",
        "https://cognito-idp.us-east-1.amazonaws.com/p",
        ("app",),
    )
    lam = http_authorizer(
        {"AuthorizerId": "au2", "AuthorizerType": "REQUEST",
         "AuthorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
         "arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"}
    )  # fmt: skip
    assert lam.lambda_arn == "arn:aws:lambda:us-east-1:123456789012:function:authz"
    assert http_authorizer({}).id == ""  # every member optional in the model


class _V2:
    def __init__(self, answer: dict[str, Any] | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    async def get_vpc_link(self, VpcLinkId: str) -> dict[str, Any]:
        self.asked.append(VpcLinkId)
        if self.answer is None:
            raise RuntimeError("boom")
        return self.answer


def test_vpc_link_v2_targets_the_listeners_load_balancer_with_its_sgs() -> None:
    integ = http_integration(
        {"IntegrationId": "x1", "IntegrationType": "HTTP_PROXY", "IntegrationUri": LISTENER,
         "ConnectionType": "VPC_LINK", "ConnectionId": "abcdef"}, {}
    )  # fmt: skip
    v2 = _V2({"VpcLinkId": "abcdef", "VpcLinkStatus": "AVAILABLE", "VpcLinkVersion": "V2",
              "SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-link"]})  # fmt: skip
    parts = Parts()
    (link,) = asyncio.run(http_vpc_links(v2, [integ], parts))
    assert link.target_arns == (listener_lb_arn(LISTENER),)
    assert (link.version, link.security_groups, link.subnet_ids) == ("V2", ("sg-link",), ("subnet-1",))
    failed = Parts()
    assert asyncio.run(http_vpc_links(_V2(None), [integ], failed)) == []
    assert [e.operation for e in failed.errors] == ["GetVpcLink"]  # partial, named, not raised
