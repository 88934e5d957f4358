"""midnight-pager through the real AWS APIs: what an on-call engineer's tools would see.

One frozen-clock world for the read-only checks (module scope); the fix test makes its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from aiobotocore.session import get_session
from helpers import api_dims, client, metric

from apigw_cockpit.demo.server import SimServer

pytestmark = pytest.mark.sim  # every test here starts the simulated world


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer("midnight-pager", frozen=True, backfill=1200) as s:
        yield s


def _tg_arn(sim: SimServer) -> str:
    return str(sim.world.state.target_groups["orders-tg"].id)


def test_all_four_targets_fail_health_checks(sim: SimServer) -> None:
    descs = client(sim, "elbv2").describe_target_health(TargetGroupArn=_tg_arn(sim))[
        "TargetHealthDescriptions"
    ]
    assert len(descs) == 4
    assert {d["TargetHealth"]["State"] for d in descs} == {"unhealthy"}
    assert {d["TargetHealth"]["Reason"] for d in descs} == {"Target.FailedHealthChecks"}


def test_target_filter_is_honoured_and_unknown_targets_reported(sim: SimServer) -> None:
    elb = client(sim, "elbv2")
    got = elb.describe_target_health(
        TargetGroupArn=_tg_arn(sim), Targets=[{"Id": "10.0.1.10", "Port": 80}, {"Id": "10.9.9.9", "Port": 80}]
    )["TargetHealthDescriptions"]
    assert [d["Target"]["Id"] for d in got] == ["10.0.1.10", "10.9.9.9"]
    assert got[1]["TargetHealth"]["Reason"] == "Target.NotRegistered"


def test_5xx_about_150_per_minute_and_latency_pinned_at_the_timeout(sim: SimServer) -> None:
    five = metric(sim, "5XXError", "Sum", minutes=4)
    assert len(five) == 4 and all(120 <= v <= 200 for v in five), five
    p99 = metric(sim, "IntegrationLatency", "p99", minutes=4)
    assert all(28_000 <= v <= 29_500 for v in p99), p99


def test_metric_data_pages_newest_first_with_max_datapoints(sim: SimServer) -> None:
    cw = client(sim, "cloudwatch")
    query = {
        "Id": "e",
        "Label": "errors",
        "MetricStat": {
            "Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "5XXError", "Dimensions": api_dims(sim)},
            "Period": 60,
            "Stat": "Sum",
        },
    }
    end = sim.clock.now() // 60 * 60
    kwargs: dict[str, Any] = {
        "MetricDataQueries": [query],
        "StartTime": end - 1200,
        "EndTime": end,
        "MaxDatapoints": 7,
    }
    pages = []
    while True:
        page = cw.get_metric_data(**kwargs)
        pages.append(page["MetricDataResults"][0])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    stamps = [t for p in pages for t in p["Timestamps"]]
    assert len(pages) == 3 and len(stamps) == 20
    assert stamps == sorted(stamps, reverse=True)
    assert pages[0]["Label"] == "errors" and pages[0]["StatusCode"] == "PartialData"
    assert pages[-1]["StatusCode"] == "Complete"
    ascending = cw.get_metric_data(
        MetricDataQueries=[query], StartTime=end - 300, EndTime=end, ScanBy="TimestampAscending"
    )["MetricDataResults"][0]["Timestamps"]
    assert ascending == sorted(ascending)


def test_execution_logs_show_timeouts(sim: SimServer) -> None:
    logs = client(sim, "logs")
    group = sim.world.state.execution_log_group()
    assert group in [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]
    now_ms = int(sim.clock.now() * 1000)
    got = logs.filter_log_events(
        logGroupName=group,
        filterPattern='"Execution failed"',
        startTime=now_ms - 300_000,
        endTime=now_ms,
        limit=50,
    )
    assert len(got["events"]) == 50 and "nextToken" in got
    assert all("Execution failed due to a timeout error" in e["message"] for e in got["events"])
    first = got["events"][0]
    assert set(first) >= {"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}
    nxt = logs.filter_log_events(
        logGroupName=group, filterPattern='"Execution failed"', startTime=now_ms - 300_000, endTime=now_ms,
        limit=50, nextToken=got["nextToken"],
    )  # fmt: skip
    assert not {e["eventId"] for e in nxt["events"]} & {e["eventId"] for e in got["events"]}
    stream = first["logStreamName"]
    by_prefix = logs.filter_log_events(logGroupName=group, logStreamNamePrefix=stream[:6], limit=20)["events"]
    assert by_prefix and all(e["logStreamName"].startswith(stream[:6]) for e in by_prefix)


def test_unknown_log_group_is_resource_not_found(sim: SimServer) -> None:
    logs = client(sim, "logs")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.filter_log_events(logGroupName="/no/such/group")


def _onset(sim: SimServer) -> float:
    cw = client(sim, "cloudwatch")
    end = sim.clock.now() // 60 * 60
    res = cw.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "m",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/ApiGateway",
                        "MetricName": "5XXError",
                        "Dimensions": api_dims(sim),
                    },
                    "Period": 60,
                    "Stat": "Sum",
                },
            }
        ],
        StartTime=end - 1800,
        EndTime=end,
        ScanBy="TimestampAscending",
    )["MetricDataResults"][0]
    return next(t.timestamp() for t, v in zip(res["Timestamps"], res["Values"], strict=True) if v > 0)


def test_cloudtrail_has_alex_revoking_the_rule_before_onset(sim: SimServer) -> None:
    ct = client(sim, "cloudtrail")
    now = sim.clock.now()
    events = ct.lookup_events(
        StartTime=now - 1800,
        EndTime=now,
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "RevokeSecurityGroupIngress"}],
    )["Events"]
    assert [e["Username"] for e in events] == ["alex"]
    revoke = events[0]
    onset = _onset(sim)
    assert 0 <= onset - revoke["EventTime"].timestamp() <= 6 * 60
    sg_id = sim.world.state.security_groups["tasks-sg"].id
    assert [r["ResourceName"] for r in revoke["Resources"]] == [sg_id]
    detail = json.loads(revoke["CloudTrailEvent"])
    assert detail["eventName"] == "RevokeSecurityGroupIngress"
    one = ct.lookup_events(StartTime=now - 1800, EndTime=now, MaxResults=1)
    assert len(one["Events"]) == 1 and "NextToken" in one
    two = ct.lookup_events(StartTime=now - 1800, EndTime=now, MaxResults=1, NextToken=one["NextToken"])
    assert two["Events"][0]["EventId"] != one["Events"][0]["EventId"]


def test_security_group_shows_the_changed_rule_and_enis_carry_it(sim: SimServer) -> None:
    ec2 = client(sim, "ec2")
    sg_id = sim.world.state.security_groups["tasks-sg"].id
    sg = ec2.describe_security_groups(GroupIds=[sg_id])["SecurityGroups"][0]
    cidrs = {r["CidrIp"] for p in sg["IpPermissions"] for r in p["IpRanges"]}
    assert cidrs == {"10.20.0.0/16"}
    enis = ec2.describe_network_interfaces(
        Filters=[{"Name": "addresses.private-ip-address", "Values": ["10.0.1.10", "10.0.2.11"]}]
    )["NetworkInterfaces"]
    assert len(enis) == 2
    assert all([g["GroupId"] for g in e["Groups"]] == [sg_id] for e in enis)
    assert all(e["Description"].startswith("arn:aws:ecs:") for e in enis)


def test_vpc_link_integration_keeps_connection_id(sim: SimServer) -> None:
    gw = client(sim, "apigateway")
    st = sim.world.state
    rid = st.resources["orders"].id
    link_id = st.vpc_links["orders-link"].id
    integ = gw.get_integration(restApiId=sim.api_id, resourceId=rid, httpMethod="GET")
    assert (integ["connectionType"], integ["connectionId"]) == ("VPC_LINK", link_id)
    method = gw.get_method(restApiId=sim.api_id, resourceId=rid, httpMethod="GET")
    assert method["methodIntegration"]["connectionId"] == link_id
    link = gw.get_vpc_link(vpcLinkId=link_id)
    assert link["status"] == "AVAILABLE"
    nlb_arn = st.nlbs["orders-nlb"].id
    assert link["targetArns"] == [nlb_arn] and ":loadbalancer/net/" in nlb_arn
    stage = gw.get_stage(restApiId=sim.api_id, stageName=sim.stage)
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "INFO"


def test_alarms_test_invoke_and_policy_simulation(sim: SimServer) -> None:
    alarms = client(sim, "cloudwatch").describe_alarms(StateValue="ALARM")["MetricAlarms"]
    assert "orders-prod-5xx" in {a["AlarmName"] for a in alarms}
    gw = client(sim, "apigateway")
    got = gw.test_invoke_method(
        restApiId=sim.api_id,
        resourceId=sim.world.state.resources["orders"].id,
        httpMethod="GET",
        pathWithQueryString="/orders",
    )
    assert got["status"] in (200, 500, 502, 504) and "Execution log for request" in got["log"]
    role = sim.world.state.roles["apigw-invoke-role"].arn
    results = client(sim, "iam").simulate_principal_policy(
        PolicySourceArn=role,
        ActionNames=["lambda:InvokeFunction"],
        ResourceArns=["arn:aws:lambda:us-east-1:123456789012:function:invoices-fn"],
    )["EvaluationResults"]
    assert results[0]["EvalDecision"] == "allowed"


async def test_the_same_signals_through_aiobotocore(sim: SimServer) -> None:
    session = get_session()
    kw = {
        "region_name": "us-east-1",
        "endpoint_url": sim.endpoint_url,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    async with session.create_client("elbv2", **kw) as elb, session.create_client("cloudwatch", **kw) as cw:
        descs = (await elb.describe_target_health(TargetGroupArn=_tg_arn(sim)))["TargetHealthDescriptions"]
        assert {d["TargetHealth"]["State"] for d in descs} == {"unhealthy"}
        end = sim.clock.now() // 60 * 60
        res = await cw.get_metric_data(
            MetricDataQueries=[
                {
                    "Id": "p",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/ApiGateway",
                            "MetricName": "IntegrationLatency",
                            "Dimensions": api_dims(sim),
                        },
                        "Period": 60,
                        "Stat": "p99",
                    },
                }
            ],
            StartTime=end - 180,
            EndTime=end,
        )
        assert all(28_000 <= v <= 29_500 for v in res["MetricDataResults"][0]["Values"])
    async with session.create_client("logs", **kw) as logs, session.create_client("cloudtrail", **kw) as ct:
        now = sim.clock.now()
        got = await logs.filter_log_events(
            logGroupName=sim.world.state.execution_log_group(),
            filterPattern='"Execution failed"',
            startTime=int((now - 120) * 1000),
            limit=5,
        )
        assert got["events"] and all("timeout error" in e["message"] for e in got["events"])
        trail = await ct.lookup_events(
            LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "alex"}],
            StartTime=now - 1800,
            EndTime=now,
        )
        assert {e["EventName"] for e in trail["Events"]} == {
            "RevokeSecurityGroupIngress",
            "AuthorizeSecurityGroupIngress",
        }


def test_cloudwatch_query_protocol_and_list_metrics(sim: SimServer) -> None:
    """Older SDKs speak query to CloudWatch: sign a form-encoded GetMetricData and parse the XML."""
    import datetime
    import urllib.request

    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    import botocore.session
    from botocore.parsers import create_parser
    from botocore.serialize import create_serializer

    op = botocore.session.get_session().get_service_model("cloudwatch").operation_model("GetMetricData")
    end = sim.clock.now() // 60 * 60
    metric_ = {"Namespace": "AWS/ApiGateway", "MetricName": "IntegrationLatency", "Dimensions": api_dims(sim)}
    params = {
        "MetricDataQueries": [{"Id": "a", "MetricStat": {"Metric": metric_, "Period": 60, "Stat": "p99"}}],
        "StartTime": datetime.datetime.fromtimestamp(end - 180, datetime.UTC),
        "EndTime": datetime.datetime.fromtimestamp(end, datetime.UTC),
    }
    body = create_serializer("query").serialize_to_request(params, op)["body"]
    aws = botocore.awsrequest.AWSRequest(
        method="POST",
        url=sim.endpoint_url + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    botocore.auth.SigV4Auth(
        botocore.credentials.Credentials("testing", "testing"), "monitoring", "us-east-1"
    ).add_auth(aws)
    prepared = aws.prepare()
    data = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    request = urllib.request.Request(prepared.url, data=data, headers=dict(prepared.headers), method="POST")
    with urllib.request.urlopen(request, timeout=10) as r:
        raw = {"status_code": r.status, "headers": dict(r.headers), "body": r.read()}
    values = create_parser("query").parse(raw, op.output_shape)["MetricDataResults"][0]["Values"]
    assert len(values) == 3 and all(28_000 <= v <= 29_500 for v in values)
    listed = client(sim, "cloudwatch").list_metrics(
        Namespace="AWS/NetworkELB", MetricName="UnHealthyHostCount"
    )
    dims = [{d["Name"] for d in m["Dimensions"]} for m in listed["Metrics"]]
    assert {"LoadBalancer", "TargetGroup"} in dims
