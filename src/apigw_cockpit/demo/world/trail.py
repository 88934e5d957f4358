"""CloudTrail: the world's own mutating calls, answered like LookupEvents."""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

_LOOKUP_KEYS = {"EventName", "Username", "ResourceName", "ResourceType", "EventSource", "ReadOnly", "EventId"}


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def access_key_for(user: str) -> str:
    return "AKIA" + hashlib.sha1(user.encode()).hexdigest()[:16].upper()


@dataclass(frozen=True)
class TrailResource:
    type: str  # e.g. "AWS::EC2::SecurityGroup"
    name: str


# IAM and STS (global endpoint) events are recorded in us-east-1, whatever region the world
# is in (IAM user guide, "Logging IAM and AWS STS API calls with AWS CloudTrail").
GLOBAL_SOURCES = {"iam.amazonaws.com": "us-east-1", "sts.amazonaws.com": "us-east-1"}


class Trail:
    """Newest-last deque of LookupEvents "Events" dicts, capped; each event has its region."""

    def __init__(self, region: str, account: str, cap: int = 20_000) -> None:
        self.region = region
        self.account = account
        self._events: deque[dict[str, Any]] = deque(maxlen=cap)
        self._regions: dict[str, str] = {}
        self._n = 0

    def record(
        self,
        t: float,
        event_name: str,
        event_source: str,
        user: str,
        resources: list[TrailResource],
        request_parameters: dict[str, Any] | None,
        response_elements: dict[str, Any] | None = None,
        user_agent: str = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 botocore/2.0",
    ) -> dict[str, Any]:
        self._n += 1
        event_id = str(_uuid_from(f"{t}:{self._n}:{event_name}"))
        arn = f"arn:aws:iam::{self.account}:user/{user}"
        region = GLOBAL_SOURCES.get(event_source, self.region)
        detail = {
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDA" + hashlib.sha1(user.encode()).hexdigest()[:17].upper(),
                "arn": arn,
                "accountId": self.account,
                "accessKeyId": access_key_for(user),
                "userName": user,
            },
            "eventTime": _iso(t),
            "eventSource": event_source,
            "eventName": event_name,
            "awsRegion": region,
            "sourceIPAddress": f"203.0.113.{sum(user.encode()) % 200 + 20}",
            "userAgent": user_agent,
            "requestParameters": request_parameters,
            "responseElements": response_elements,
            "requestID": str(_uuid_from(f"req:{event_id}")),
            "eventID": event_id,
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": self.account,
        }
        ev = {
            "EventId": event_id,
            "EventName": event_name,
            "ReadOnly": "false",
            "AccessKeyId": access_key_for(user),
            "EventTime": float(t),
            "EventSource": event_source,
            "Username": user,
            "Resources": [{"ResourceType": r.type, "ResourceName": r.name} for r in resources],
            "CloudTrailEvent": json.dumps(detail),
        }
        if len(self._events) == self._events.maxlen:
            self._regions.pop(self._events[0]["EventId"], None)
        self._events.append(ev)
        self._regions[event_id] = region
        return ev

    def region_of(self, event: dict[str, Any]) -> str:
        return self._regions.get(event["EventId"], self.region)

    def all(self) -> list[dict[str, Any]]:
        return list(self._events)

    def lookup(
        self,
        start: float | None = None,
        end: float | None = None,
        attr_key: str | None = None,
        attr_value: str | None = None,
        max_results: int = 50,
        token: str | None = None,
        region: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Events with start <= EventTime <= end, newest first, paged by an opaque token.

        `region`: only the events that region's trail recorded (None: every region).
        """
        if attr_key is not None and attr_key not in _LOOKUP_KEYS:
            raise ValueError(f"invalid LookupAttribute key {attr_key!r}")
        lo = start if start is not None else 0.0
        hi = end if end is not None else float("inf")
        hits = [
            e
            for e in reversed(self._events)
            if lo <= e["EventTime"] <= hi
            and _match(e, attr_key, attr_value)
            and (region is None or self.region_of(e) == region)
        ]
        offset = 0
        if token:
            try:
                offset = int(token.removeprefix("t"))
            except ValueError as exc:
                raise ValueError("Invalid NextToken") from exc
        n = max(1, min(max_results, 50))
        page = hits[offset : offset + n]
        nxt = f"t{offset + n}" if offset + n < len(hits) else None
        return page, nxt


def _match(e: dict[str, Any], key: str | None, value: str | None) -> bool:
    if key is None or value is None:
        return True
    if key == "ResourceName":
        return any(r["ResourceName"] == value for r in e["Resources"])
    if key == "ResourceType":
        return any(r["ResourceType"] == value for r in e["Resources"])
    return str(e.get(key, "")) == value


def _uuid_from(seed: str) -> str:
    h = hashlib.md5(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
