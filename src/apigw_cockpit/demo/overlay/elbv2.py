"""ELBv2 DescribeTargetHealth computed causally by the world (moto says "healthy" regardless)."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.shapes import as_dict, field


def describe_target_health(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    arn = req.params.get("TargetGroupArn", "")
    try:
        descriptions = [as_dict(d) for d in ctx.world.target_health(arn)]
    except KeyError:
        raise ApiError(400, "TargetGroupNotFound", f"Target groups '{arn}' not found") from None
    wanted = [(t["Id"], int(t["Port"]) if t.get("Port") else None) for t in req.params.get("Targets") or []]
    if wanted:
        kept = []
        for target_id, port in wanted:
            match = [
                d
                for d in descriptions
                if field(d["Target"], "Id") == target_id and port in (None, field(d["Target"], "Port"))
            ]
            if match:
                kept.extend(match)
            else:
                # AWS answers unknown targets rather than dropping them.
                kept.append(
                    {
                        "Target": {"Id": target_id, "Port": port} if port else {"Id": target_id},
                        "TargetHealth": {
                            "State": "unused",
                            "Reason": "Target.NotRegistered",
                            "Description": "Target is not registered to the target group",
                        },
                    }
                )
        descriptions = kept
    return {"TargetHealthDescriptions": descriptions}
