"""CloudWatch GetMetricData and DescribeAlarms from the world's bounded MetricStore.

moto fails on percentile stats and on smithy-rpc-v2-cbor (botocore's current protocol for
CloudWatch) altogether, so both protocols are answered here. Paging follows AWS: at most
MaxDatapoints values per page across all queries, NextToken to resume.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.render import epoch
from apigw_cockpit.demo.overlay.shapes import as_dict, field, to_datetime

_STAT = re.compile(
    r"^(Sum|Average|Minimum|Maximum|SampleCount|[pP]\d{1,2}(\.\d+)?|IQM|TM\d+|WM\d+|TC\d+|TS\d+)$"
)
_MAX_QUERIES = 500


def _token(state: dict[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _untoken(token: str) -> dict[str, int]:
    try:
        state = json.loads(base64.urlsafe_b64decode(token.encode()))
        return {"q": int(state["q"]), "i": int(state["i"])}
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "InvalidNextToken", "The service can't parse the NextToken.") from None


def _series(
    ctx: Context, query: dict[str, Any], start: float, end: float, descending: bool
) -> dict[str, Any]:
    qid = query.get("Id", "")
    if query.get("Expression"):
        return {
            "Id": qid,
            "Label": query.get("Label") or qid,
            "Timestamps": [],
            "Values": [],
            "StatusCode": "Complete",
            "Messages": [{"Code": "Unsupported", "Value": "metric math is not evaluated by the simulator"}],
        }
    stat_block = query.get("MetricStat") or {}
    metric = stat_block.get("Metric") or {}
    stat = str(stat_block.get("Stat", ""))
    if not _STAT.match(stat):
        raise ApiError(
            400,
            "InvalidParameterValue",
            f"The value {stat} for parameter MetricDataQueries.member.Stat is not valid.",
        )
    period = int(stat_block.get("Period") or 60)
    dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions") or []}
    try:
        points = ctx.world.metrics.query(
            metric.get("Namespace", ""), metric.get("MetricName", ""), dims, stat, start, end, period
        )
    except ValueError as e:
        raise ApiError(400, "InvalidParameterValue", str(e)) from None
    points = sorted(((ts, v) for ts, v in points if v == v), key=lambda p: p[0], reverse=descending)
    return {
        "Id": qid,
        "Label": query.get("Label") or metric.get("MetricName", qid),
        "Timestamps": [to_datetime(ts) for ts, _ in points],
        "Values": [float(v) for _, v in points],
        "StatusCode": "Complete",
    }


def get_metric_data(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    p = req.params
    queries = p.get("MetricDataQueries") or []
    if not queries or len(queries) > _MAX_QUERIES:
        raise ApiError(400, "ValidationError", "MetricDataQueries must hold between 1 and 500 queries.")
    try:
        start, end = epoch(p["StartTime"]), epoch(p["EndTime"])
    except (KeyError, ValueError):
        raise ApiError(400, "ValidationError", "StartTime and EndTime are required.") from None
    if start >= end:
        raise ApiError(
            400, "ValidationError", "The parameter StartTime must be less than the parameter EndTime."
        )
    descending = (p.get("ScanBy") or "TimestampDescending") == "TimestampDescending"
    budget = int(p.get("MaxDatapoints") or 100_800)
    state = _untoken(p["NextToken"]) if p.get("NextToken") else {"q": 0, "i": 0}
    returned = [q for q in queries if q.get("ReturnData", True)]
    results: list[dict[str, Any]] = []
    next_state: dict[str, int] | None = None
    for qi, query in enumerate(returned):
        if qi < state["q"]:
            continue
        series = _series(ctx, query, start, end, descending)
        skip = state["i"] if qi == state["q"] else 0
        stamps, values = series["Timestamps"][skip:], series["Values"][skip:]
        if len(values) > budget:
            next_state = {"q": qi, "i": skip + budget}
            stamps, values = stamps[:budget], values[:budget]
            series["StatusCode"] = "PartialData"
        budget -= len(values)
        results.append(series | {"Timestamps": stamps, "Values": values})
        if next_state is not None:
            break
        if budget <= 0 and qi + 1 < len(returned):
            next_state = {"q": qi + 1, "i": 0}
            break
    out: dict[str, Any] = {"MetricDataResults": results, "Messages": []}
    if next_state is not None:
        out["NextToken"] = _token(next_state)
    return out


def describe_alarms(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    p = req.params
    names = set(p.get("AlarmNames") or [])
    prefix = p.get("AlarmNamePrefix") or ""
    state = p.get("StateValue")
    alarms = []
    for alarm in ctx.world.alarms():
        record = as_dict(alarm)
        name = field(record, "AlarmName", "name", default="")
        if (names and name not in names) or not name.startswith(prefix):
            continue
        if state and field(record, "StateValue", "state") != state:
            continue
        alarms.append(_alarm_shape(ctx, record))
    limit = int(p.get("MaxRecords") or 50)
    return {"MetricAlarms": alarms[:limit], "CompositeAlarms": []}


def _alarm_shape(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    if "AlarmName" in record:
        return {k: to_datetime(v) if k.endswith("Timestamp") else v for k, v in record.items()}
    name = record.get("name", "")
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:{ctx.region}:{ctx.account}:alarm:{name}",
        "StateValue": record.get("state", "INSUFFICIENT_DATA"),
        "StateReason": record.get("reason", ""),
        "MetricName": record.get("metric", ""),
        "Namespace": record.get("namespace", ""),
        "StateUpdatedTimestamp": to_datetime(record.get("updated", 0.0)),
    }


def list_metrics(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    """Every series the world has written (moto's own store never sees them)."""
    p = req.params
    namespace, name = p.get("Namespace"), p.get("MetricName")
    wanted = [(d.get("Name"), d.get("Value")) for d in p.get("Dimensions") or []]
    out = []
    for ns, metric, dims in ctx.world.metrics.list_metrics():
        if (namespace and ns != namespace) or (name and metric != name):
            continue
        if any(k not in dims or (v is not None and dims[k] != v) for k, v in wanted):
            continue
        dimensions = [{"Name": k, "Value": v} for k, v in dims.items()]
        out.append({"Namespace": ns, "MetricName": metric, "Dimensions": dimensions})
    return {"Metrics": out}
