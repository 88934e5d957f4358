"""apigatewayv2 answers moto does not give: GetAuthorizers (not implemented there) from the world.

Shape: botocore apigatewayv2 GetAuthorizersResponse {Items: [Authorizer], NextToken}; a Lambda
(REQUEST) authorizer names its function in AuthorizerUri as the console stores it; a JWT one
carries JwtConfiguration {Issuer, Audience}. The incident's
HTTP API answers with its own authorizers; its HTTP neighbours hold none (the empty page)."""

from __future__ import annotations

from apigw_cockpit.demo.overlay.app import Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest


def get_authorizers(ctx: Context, req: AwsRequest) -> dict[str, list[dict[str, object]]]:
    st = ctx.world.state
    api_id = req.path_params.get("apiId") or req.path_params.get("ApiId") or ""
    if not st.is_http or api_id != st.api.id:
        return {"Items": []}
    items: list[dict[str, object]] = []
    for auth in st.authorizers.values():
        if auth.type == "JWT":  # the live JwtConfiguration, so an UpdateAuthorizer shows at once
            items.append(
                {
                    "AuthorizerId": auth.id,
                    "Name": auth.name,
                    "AuthorizerType": "JWT",
                    "JwtConfiguration": {"Issuer": auth.issuer, "Audience": list(auth.audience)},
                    "IdentitySource": ["$request.header.Authorization"],
                }
            )
            continue
        fn = st.lambdas.get(auth.function)
        arn = fn.arn if fn else f"arn:aws:lambda:{st.api.region}:{st.api.account}:function:{auth.function}"
        items.append(
            {
                "AuthorizerId": auth.id,
                "Name": auth.name,
                "AuthorizerType": "REQUEST",
                "AuthorizerUri": f"arn:aws:apigateway:{st.api.region}:lambda:path/2015-03-31/functions/"
                f"{arn}/invocations",
                "AuthorizerPayloadFormatVersion": "2.0",
                "IdentitySource": ["$request.header.Authorization"],
            }
        )
    return {"Items": items}
