"""CloudTrail event names as people read them: Lambda's API-version suffix is not part of the name.

Lambda records its operations with the API version appended (AWS Lambda developer guide,
"Logging AWS Lambda API calls using AWS CloudTrail": `ListFunctions20150331`,
`UpdateFunctionConfiguration20150331v2`; `PutFunctionConcurrency20171031`). The reader splits
the suffix off once, so every pane, the timeline, the journal and the report say
`UpdateFunctionConfiguration`, and the exact name stays recoverable for a LookupEvents query.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from apigw_cockpit.aws.sources.changes import kind_of, split_event_name, to_change


@pytest.mark.parametrize(
    ("raw", "name", "version"),
    [
        ("UpdateFunctionConfiguration20150331v2", "UpdateFunctionConfiguration", "20150331v2"),
        ("UpdateFunctionCode20150331v2", "UpdateFunctionCode", "20150331v2"),
        ("ListFunctions20150331", "ListFunctions", "20150331"),
        ("AddPermission20150331v2", "AddPermission", "20150331v2"),
        ("RemovePermission20150331v2", "RemovePermission", "20150331v2"),
        ("UpdateAlias20150331", "UpdateAlias", "20150331"),
        ("PutFunctionConcurrency20171031", "PutFunctionConcurrency", "20171031"),
        # Names without a version stay whole, digits in them included.
        ("RevokeSecurityGroupIngress", "RevokeSecurityGroupIngress", ""),
        ("CreateDeployment", "CreateDeployment", ""),
        ("AssociateVpcCidrBlock", "AssociateVpcCidrBlock", ""),
        ("PutObjectV2", "PutObjectV2", ""),
        ("20150331", "20150331", ""),  # nothing before it: not a suffix
    ],
)
def test_split_event_name(raw: str, name: str, version: str) -> None:
    assert split_event_name(raw) == (name, version)
    assert "".join(split_event_name(raw)) == raw  # the exact name is recoverable


def _event(name: str) -> dict[str, object]:
    """A LookupEvents `Event` (botocore cloudtrail 2013-11-01 shape `Event`)."""
    detail = {
        "eventName": name,
        "eventSource": "lambda.amazonaws.com",
        "awsRegion": "us-east-1",
        "requestParameters": {"functionName": "orders-fn", "timeout": 3},
    }
    return {
        "EventId": "7b8e6a0c-1f2d-4c3b-9a8e-0d1c2b3a4f5e",
        "EventName": name,
        "ReadOnly": "false",
        "EventTime": dt.datetime(2026, 11, 26, 0, 10, tzinfo=dt.UTC),
        "EventSource": "lambda.amazonaws.com",
        "Username": "alex",
        "Resources": [{"ResourceType": "AWS::Lambda::Function", "ResourceName": "orders-fn"}],
        "CloudTrailEvent": json.dumps(detail),
    }


def test_the_reader_names_the_operation_and_keeps_the_version() -> None:
    event = _event("UpdateFunctionConfiguration20150331v2")
    change = to_change(event, json.loads(str(event["CloudTrailEvent"])), ["orders-fn"])
    assert change.event_name == "UpdateFunctionConfiguration"
    assert change.api_version == "20150331v2"
    assert change.event_name + change.api_version == event["EventName"]


def test_kinds_still_match_the_versioned_names() -> None:
    kind = kind_of("lambda.amazonaws.com", "PutFunctionConcurrency20171031")
    assert kind is not None and kind.id == "lambda-concurrency"
