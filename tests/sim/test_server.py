"""SimServer life cycle, the invoke URL, the headless summary, and the smithy-rpc-v2-cbor path."""

from __future__ import annotations

import io
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.parsers import RpcV2CBORParser
from helpers import client
from werkzeug.test import Client

from apigw_cockpit.demo.overlay import cbor
from apigw_cockpit.demo.server import SimServer
from apigw_cockpit.demo.summary import summarize

pytestmark = pytest.mark.sim  # every test here starts the simulated world


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_invoke_url_answers_like_api_gateway_and_stop_leaks_nothing(sim_factory: Any) -> None:
    before = set(threading.enumerate())
    with sim_factory("midnight-pager", frozen=True, backfill=300) as sim:
        status, headers, body = _get(f"{sim.invoke_url}/orders")
        assert status == 504 and b"Endpoint request timed out" in body
        assert headers.get("x-amzn-RequestId") and headers.get("x-amzn-ErrorType")
        status, _, body = _get(f"{sim.invoke_url}/no/such/route")
        assert status == 403 and b"Missing Authentication Token" in body
        ports = (sim.port, int(sim.invoke_url.split(":")[2].split("/")[0]))
        assert all(_port_open(p) for p in ports)
        # moto state is global: a second server in the same process must refuse, not corrupt it.
        with pytest.raises(RuntimeError, match="another SimServer"):
            SimServer("healthy").start()
    assert not any(_port_open(p) for p in ports)
    assert {t for t in threading.enumerate() if t.is_alive()} - before == set()


def test_healthy_invoke_is_200_and_each_server_starts_from_a_clean_moto(sim_factory: Any) -> None:
    with sim_factory("healthy", frozen=True, backfill=60) as sim:
        status, _, _ = _get(f"{sim.invoke_url}/orders")
        assert status == 200
        ec2 = client(sim, "ec2")
        vpc = sim.world.state.vpc.id
        ec2.create_security_group(GroupName="stray", Description="left by a test", VpcId=vpc)
    with sim_factory("healthy", frozen=True, backfill=60) as sim:
        names = {g["GroupName"] for g in client(sim, "ec2").describe_security_groups()["SecurityGroups"]}
        assert "stray" not in names


def test_invoke_url_holds_the_response_for_the_scaled_latency(sim_factory: Any) -> None:
    with sim_factory("midnight-pager", speed=100, backfill=60) as sim:
        t0 = time.monotonic()
        status, _, _ = _get(f"{sim.invoke_url}/orders")
        held = time.monotonic() - t0
    # A 29 s integration timeout at 100x is held ~0.29 s, not answered at once.
    assert status == 504 and held >= 0.25


def test_summary_reports_what_the_world_wrote(sim_factory: Any) -> None:
    with sim_factory("midnight-pager", frozen=True, backfill=600) as sim:
        s = summarize(sim, 180)
    assert s["seconds"] == 180 and s["root_cause"] == "sg-blocks-nlb-targets"
    assert len(s["5xx_per_minute"]) == 3 and all(m["sum"] > 100 for m in s["5xx_per_minute"])
    assert 0.8 * s["requests"]["5xx"] <= s["requests"]["by_status"]["504"] <= s["requests"]["5xx"]
    assert list(s["failures_by_first_line"]) == ["Execution failed due to a timeout error"]
    assert [e["event"] for e in s["trail_events"]][:1] == ["RevokeSecurityGroupIngress"]
    assert {t["state"] for ts in s["target_health"].values() for t in ts} == {"unhealthy"}


def test_cbor_requests_and_errors_round_trip_through_botocore_parsing() -> None:
    """botocore 1.43 prefers json for CloudWatch; a newer one may switch to rpc-v2-cbor. Drive the
    overlay with a CBOR request as botocore would serialise it, and parse the answer with botocore."""
    from botocore.serialize import create_serializer

    from apigw_cockpit.demo.faults import Faults
    from apigw_cockpit.demo.overlay import ROUTES, Context, Overlay

    class Metrics:
        def query(
            self, ns: str, metric: str, dims: dict[str, str], stat: str, start: float, end: float, period: int
        ) -> list[tuple[float, float]]:
            assert (ns, metric, dims, stat, period) == (
                "AWS/ApiGateway",
                "5XXError",
                {"Stage": "prod"},
                "p99",
                60,
            )
            return [(start, 1.0), (start + 60, 2.0)]

    class World:
        metrics = Metrics()

    import botocore.session

    model = botocore.session.get_session().get_service_model("cloudwatch")
    op = model.operation_model("GetMetricData")
    request = create_serializer("smithy-rpc-v2-cbor").serialize_to_request(
        {
            "MetricDataQueries": [
                {
                    "Id": "a",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/ApiGateway",
                            "MetricName": "5XXError",
                            "Dimensions": [{"Name": "Stage", "Value": "prod"}],
                        },
                        "Period": 60,
                        "Stat": "p99",
                    },
                }
            ],
            "StartTime": 1_700_000_000,
            "EndTime": 1_700_000_600,
        },
        op,
    )
    faults = Faults()
    overlay = Overlay(
        lambda e, s: [], Context(World(), threading.RLock(), "us-east-1", "123456789012"), faults, ROUTES
    )
    web = Client(overlay)

    def send() -> Any:
        r = web.post(request["url_path"], data=request["body"], headers=request["headers"])
        return (
            RpcV2CBORParser().parse(
                {"status_code": r.status_code, "headers": dict(r.headers), "body": r.data}, op.output_shape
            )
            if r.status_code == 200
            else (r.status_code, dict(r.headers), cbor.decode(r.data))
        )

    parsed = send()
    result = parsed["MetricDataResults"][0]
    assert result["Values"] == [2.0, 1.0]  # newest first
    assert [t.timestamp() for t in result["Timestamps"]] == [1_700_000_060, 1_700_000_000]
    faults.set("GetMetricData", "throttle")
    status, headers, body = send()
    assert status == 400 and body["__type"] == "ThrottlingException"
    assert headers["x-amzn-query-error"] == "Throttling;Sender"


def test_cbor_codec_round_trip() -> None:
    value = {"a": [1, -2, 3.5, "x", True, None, b"\x00\x01"], "big": 2**40, "nested": {"k": []}}
    assert cbor.decode(cbor.encode(value)) == value
    assert isinstance(io.BytesIO(cbor.encode([])).read(), bytes)


def test_run_headless_on_a_healthy_world_writes_no_5xx() -> None:
    from apigw_cockpit.demo.summary import run_headless

    s = run_headless("healthy", 120, backfill=60)
    assert s["requests"]["count"] > 300 and s["requests"]["5xx"] == 0
    assert s["failures_by_first_line"] == {} and s["trail_events"] == []
