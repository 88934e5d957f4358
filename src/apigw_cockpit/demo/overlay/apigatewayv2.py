"""apigatewayv2 answers moto does not give: GetAuthorizers (not implemented there) from the world.

Shape: botocore apigatewayv2 GetAuthorizersResponse {Items: [Authorizer], NextToken}. The world's
HTTP APIs hold no authorizers yet, so the answer is the empty page AWS gives such an API."""

from __future__ import annotations

from apigw_cockpit.demo.overlay.app import Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest


def get_authorizers(ctx: Context, req: AwsRequest) -> dict[str, list[object]]:
    return {"Items": []}  # for the incident's HTTP API and its HTTP neighbours alike
