"""An in-process fake of the few AWS reads the pollers make, with per-operation fault injection.

Used for the poller logic (paging, dedupe, late events, backoff, fault matrix) where a real
HTTP stack would only add seconds; discovery and the guard run through real clients.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from apigw_cockpit.aws.meter import CallMeter
from apigw_cockpit.model import Clock

FAULTS = {
    "throttle": ("ThrottlingException", "Rate exceeded", 400),
    "5xx": ("InternalFailure", "internal error", 500),
    "denied": ("AccessDeniedException", "User is not authorized to perform this action", 403),
}


def _snake_to_op(name: str) -> str:
    return "".join(p.capitalize() for p in name.split("_"))


@dataclass
class LogRecord:
    ts_ms: int
    event_id: str
    stream: str
    message: str
    visible_at: float  # clock time when FilterLogEvents starts returning it (ingestion delay)


@dataclass
class FakeWorld:
    clock: Clock
    logs: list[LogRecord] = field(default_factory=list)
    page_size: int = 137
    faults: dict[str, str] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    target_health: list[dict[str, Any]] = field(default_factory=list)
    trail: list[dict[str, Any]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    live_tail: str = "unavailable"  # or "hang": StartLiveTail never answers (botocore retrying)
    _page_cache: tuple[Any, list[LogRecord]] = (None, [])

    # -- faults ----------------------------------------------------------------------------
    async def maybe_fail(self, op: str) -> None:
        self.calls[op] = self.calls.get(op, 0) + 1
        kind = self.faults.get(op)
        if kind is None:
            return
        if kind in FAULTS:
            code, msg, status = FAULTS[kind]
            raise ClientError(
                {"Error": {"Code": code, "Message": msg}, "ResponseMetadata": {"HTTPStatusCode": status}}, op
            )
        if kind == "latency":
            await asyncio.sleep(0.01)
            raise ReadTimeoutError(endpoint_url="http://127.0.0.1/fake")
        if kind == "reset":
            raise ConnectionClosedError(endpoint_url="http://127.0.0.1/fake")
        if kind == "hang":  # an endpoint that never answers: only the poll deadline ends it
            await asyncio.sleep(3600)
        raise AssertionError(kind)

    # -- operations ------------------------------------------------------------------------
    async def FilterLogEvents(self, **kw: Any) -> dict[str, Any]:
        now = self.clock.now()
        start = kw.get("startTime", 0)
        end = kw.get("endTime", 2**62)  # inclusive, as FilterLogEvents
        key = (start, end, now, kw.get("filterPattern", ""), len(self.logs))
        if self._page_cache[0] != key:  # pages of one query see one snapshot, like a real token
            visible = [r for r in self.logs if start <= r.ts_ms <= end and r.visible_at <= now]
            if kw.get("filterPattern"):
                visible = [r for r in visible if kw["filterPattern"].strip('"') in r.message]
            visible.sort(key=lambda r: (r.ts_ms, r.event_id))
            self._page_cache = (key, visible)
        visible = self._page_cache[1]
        offset = int(kw.get("nextToken") or 0)
        page = visible[offset : offset + min(self.page_size, kw.get("limit", 10_000))]
        out: dict[str, Any] = {
            "events": [
                {"eventId": r.event_id, "timestamp": r.ts_ms, "logStreamName": r.stream, "message": r.message,
                 "ingestionTime": int(r.visible_at * 1000)}
                for r in page
            ]
        }  # fmt: skip
        if offset + len(page) < len(visible):
            out["nextToken"] = str(offset + len(page))
        return out

    async def DescribeTargetHealth(self, **kw: Any) -> dict[str, Any]:
        return {
            "TargetHealthDescriptions": [d for d in self.target_health if d["_tg"] == kw["TargetGroupArn"]]
        }

    async def LookupEvents(self, **kw: Any) -> dict[str, Any]:
        start, end = kw["StartTime"], kw["EndTime"]
        evs = [e for e in self.trail if start <= e["EventTime"] <= end]
        return {"Events": evs}

    async def DescribeAlarms(self, **kw: Any) -> dict[str, Any]:
        return {"MetricAlarms": self.alarms}

    async def GetMetricData(self, **kw: Any) -> dict[str, Any]:
        start: dt.datetime = kw["StartTime"]
        end: dt.datetime = kw["EndTime"]
        stamps = []
        t = start
        while t < end:
            stamps.append(t)
            t += dt.timedelta(seconds=60)
        results = [
            {
                "Id": q["Id"],
                "Label": q["Id"],
                "Timestamps": stamps,
                "Values": [1.0] * len(stamps),
                "StatusCode": "Complete",
            }
            for q in kw["MetricDataQueries"]
        ]
        return {"MetricDataResults": results}

    async def StartLiveTail(self, **kw: Any) -> dict[str, Any]:
        if self.live_tail == "hang":
            await asyncio.sleep(3600)
        raise ClientError(
            {"Error": {"Code": "InvalidOperationException", "Message": "Live Tail is not available"}},
            "StartLiveTail",
        )

    async def GetCallerIdentity(self, **kw: Any) -> dict[str, Any]:
        return {"Account": "123456789012"}


class FakeClient:
    def __init__(self, world: FakeWorld, meter: CallMeter) -> None:
        self._world = world
        self._meter = meter

    def __getattr__(self, name: str) -> Any:
        op = _snake_to_op(name)
        handler = getattr(self._world, op)

        async def call(**kw: Any) -> Any:
            try:
                await self._world.maybe_fail(op)
                out = await handler(**kw)
            except ClientError as exc:
                self._meter.record(op, error_code=exc.response["Error"]["Code"])
                raise
            except Exception:
                self._meter.record(op, failed=True)
                raise
            self._meter.record(op, metrics=len(kw.get("MetricDataQueries", [])))
            return out

        return call


class FakeFactory:
    def __init__(self, world: FakeWorld, region: str = "us-east-1") -> None:
        self.world = world
        self.region = region
        self.meter = CallMeter(world.clock)
        self._client = FakeClient(world, self.meter)

    async def client(self, service: str) -> FakeClient:
        return self._client

    async def aclose(self) -> None:
        return None


REQ = re.compile(r"^\(([^)]+)\) ")


def trail_event(
    event_id: str, when: dt.datetime, name: str, params: dict[str, Any], user: str = "alex"
) -> dict[str, Any]:
    return {
        "EventId": event_id,
        "EventName": name,
        "EventTime": when,
        "EventSource": "ec2.amazonaws.com",
        "Username": user,
        "ReadOnly": "false",
        "Resources": [],
        "CloudTrailEvent": json.dumps({"requestParameters": params, "eventSource": "ec2.amazonaws.com"}),
    }
