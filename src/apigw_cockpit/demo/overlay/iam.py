"""IAM SimulatePrincipalPolicy evaluated by the world (moto raises NotImplemented)."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.shapes import as_dict


def simulate_principal_policy(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    arn = req.params.get("PolicySourceArn", "")
    actions = list(req.params.get("ActionNames") or [])
    resources = list(req.params.get("ResourceArns") or ["*"])
    if not actions:
        raise ApiError(400, "ValidationError", "1 validation error detected: Value null at 'actionNames'")
    try:
        results = ctx.world.simulate_principal_policy(arn, actions, resources)
    except KeyError:
        raise ApiError(
            404, "NoSuchEntity", f"The role with name {arn.rsplit('/', 1)[-1]} cannot be found."
        ) from None
    return {"EvaluationResults": [as_dict(r) for r in results], "IsTruncated": False}
