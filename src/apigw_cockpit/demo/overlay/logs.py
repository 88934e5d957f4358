"""CloudWatch Logs answered from the world's LogStore (moto never sees the world's events)."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.shapes import field


def _group_name(req: AwsRequest) -> str:
    name = req.params.get("logGroupName") or req.params.get("logGroupIdentifier") or ""
    # logGroupIdentifier may be an ARN: arn:aws:logs:region:acct:log-group:NAME[:*]
    if name.startswith("arn:"):
        name = name.split(":log-group:", 1)[-1].removesuffix(":*")
    return str(name)


def _known(ctx: Context, group: str) -> None:
    if not ctx.world.logs.has_group(group):
        raise ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.")


def filter_log_events(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    p = req.params
    group = _group_name(req)
    _known(ctx, group)
    start_ms = int(p["startTime"]) if p.get("startTime") is not None else None
    end_ms = int(p["endTime"]) if p.get("endTime") is not None else None
    limit = int(p.get("limit") or 10000)
    if not 1 <= limit <= 10000:
        raise ApiError(400, "InvalidParameterException", "limit must be between 1 and 10000")
    streams = p.get("logStreamNames") or None
    prefix = p.get("logStreamNamePrefix")
    if prefix and streams:
        raise ApiError(
            400, "InvalidParameterException", "logStreamNames and logStreamNamePrefix are exclusive"
        )
    if prefix:
        names = [str(s["logStreamName"]) for s in ctx.world.logs.streams(group)]
        streams = [n for n in names if n.startswith(prefix)] or ["\x00no-such-stream"]
    try:
        events, token = ctx.world.logs.filter(
            group, start_ms, end_ms, p.get("filterPattern") or "", p.get("nextToken"), limit, streams
        )
    except ValueError as e:
        raise ApiError(400, "InvalidParameterException", str(e)) from None
    out_events = []
    searched: dict[str, bool] = {}
    for ev in events:
        stream = field(ev, "logStreamName", "stream")
        out_events.append(
            {
                "logStreamName": stream,
                "timestamp": int(field(ev, "timestamp", "timestamp_ms")),
                "message": field(ev, "message"),
                "ingestionTime": int(field(ev, "ingestionTime", "ingestion_ms", "timestamp_ms")),
                "eventId": str(field(ev, "eventId", "event_id")),
            }
        )
        searched[stream] = True
    result: dict[str, Any] = {
        "events": out_events,
        "searchedLogStreams": [{"logStreamName": s, "searchedCompletely": token is None} for s in searched],
    }
    if token:
        result["nextToken"] = token
    return result


def describe_log_streams(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    group = _group_name(req)
    _known(ctx, group)
    streams_fn = getattr(ctx.world.logs, "streams", None)
    streams = list(streams_fn(group)) if streams_fn else []
    prefix = req.params.get("logStreamNamePrefix") or ""
    out = []
    for s in streams:
        name = field(s, "logStreamName", "name", default=s if isinstance(s, str) else "")
        if not name.startswith(prefix):
            continue
        first = field(s, "firstEventTimestamp", "first", default=None)
        last = field(s, "lastEventTimestamp", "last", default=None)
        record: dict[str, Any] = {
            "logStreamName": name,
            "arn": f"arn:aws:logs:{ctx.region}:{ctx.account}:log-group:{group}:log-stream:{name}",
        }
        if first is not None:
            record |= {"firstEventTimestamp": int(first), "creationTime": int(first)}
        if last is not None:
            record |= {"lastEventTimestamp": int(last), "lastIngestionTime": int(last)}
        out.append(record)
    if req.params.get("descending"):
        out.reverse()
    return {"logStreams": out[: int(req.params.get("limit") or 50)]}


def start_live_tail(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    # The world's events never reach moto, so moto's Live Tail would be silently empty.
    # An explicit error makes the poller fall back to FilterLogEvents, as it must on AWS too.
    raise ApiError(
        400, "InvalidOperationException", "Live Tail is not available on this endpoint; use FilterLogEvents"
    )
