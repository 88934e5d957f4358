"""CloudTrail LookupEvents, recorded from the world's own mutating actions (moto lacks it)."""

from __future__ import annotations

import json
from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest, signed_region
from apigw_cockpit.demo.overlay.render import epoch
from apigw_cockpit.demo.overlay.shapes import as_dict, datetimes

_KEYS = {
    "EventId",
    "EventName",
    "ReadOnly",
    "AccessKeyId",
    "EventSource",
    "Username",
    "ResourceType",
    "ResourceName",
}


def lookup_events(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    p = req.params
    attrs = p.get("LookupAttributes") or []
    if len(attrs) > 1:
        raise ApiError(
            400, "InvalidLookupAttributesException", "You cannot specify more than one lookup attribute."
        )
    key = value = None
    if attrs:
        key, value = attrs[0].get("AttributeKey"), attrs[0].get("AttributeValue")
        if key not in _KEYS:
            raise ApiError(400, "InvalidLookupAttributesException", f"Invalid attribute key: {key}")
    now = ctx.world.clock.now() if hasattr(ctx.world, "clock") else None
    start = epoch(p["StartTime"]) if p.get("StartTime") is not None else (now or 0) - 90 * 86400
    end = epoch(p["EndTime"]) if p.get("EndTime") is not None else (now or 4e9)
    if start > end:
        raise ApiError(400, "InvalidTimeRangeException", "Start time must be before end time.")
    max_results = int(p.get("MaxResults") or 50)
    if not 1 <= max_results <= 50:
        raise ApiError(400, "InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    try:
        # Each region has its own trail: answer for the region the request was signed for.
        events, token = ctx.world.trail.lookup(
            start, end, key, value, max_results, p.get("NextToken"), region=signed_region(req.headers)
        )
    except ValueError as e:
        raise ApiError(400, "InvalidNextTokenException", str(e)) from None
    out = []
    for ev in events:
        record = datetimes(as_dict(ev), "EventTime")
        if "CloudTrailEvent" in record and not isinstance(record["CloudTrailEvent"], str):
            record["CloudTrailEvent"] = json.dumps(record["CloudTrailEvent"])
        out.append(record)
    result: dict[str, Any] = {"Events": out}
    if token:
        result["NextToken"] = token
    return result
