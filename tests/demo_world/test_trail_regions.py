"""The simulated CloudTrail answers region-correctly: IAM/STS in us-east-1, the rest in the world's region."""

from __future__ import annotations

import json

import boto3
import pytest

from apigw_cockpit.demo.world.trail import Trail


def test_trail_records_iam_in_us_east_1_and_regional_events_in_their_region() -> None:
    trail = Trail("eu-west-1", "123456789012")
    trail.record(10, "DetachRolePolicy", "iam.amazonaws.com", "dana", [], {"roleName": "r"})
    trail.record(20, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex", [], {"groupId": "sg-1"})
    east = [e["EventName"] for e in trail.lookup(region="us-east-1")[0]]
    west = [e["EventName"] for e in trail.lookup(region="eu-west-1")[0]]
    assert east == ["DetachRolePolicy"] and west == ["RevokeSecurityGroupIngress"]
    assert json.loads(trail.lookup(region="us-east-1")[0][0]["CloudTrailEvent"])["awsRegion"] == "us-east-1"
    assert len(trail.lookup()[0]) == 2  # no region: every trail (the world's own summary)


@pytest.mark.sim
def test_overlay_answers_lookup_events_for_the_signed_region(sim_factory, aws_env) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("execution-role-missing-invoke", frozen=True) as sim:

        def names(region: str) -> list[str]:
            ct = boto3.client("cloudtrail", endpoint_url=sim.endpoint_url, region_name=region)
            attrs = [{"AttributeKey": "EventName", "AttributeValue": "DetachRolePolicy"}]
            return [e["EventName"] for e in ct.lookup_events(LookupAttributes=attrs)["Events"]]

        assert names("us-east-1") == ["DetachRolePolicy"]
        assert names("eu-west-1") == []  # another region's trail has no record of it
