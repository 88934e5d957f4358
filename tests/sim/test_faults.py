"""Fault injection through the real async client stack (aiobotocore), in every wire protocol."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import botocore.exceptions
import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from apigw_cockpit.demo.server import SimServer

pytestmark = pytest.mark.sim  # every test here starts the simulated world


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer("healthy", frozen=True, backfill=120) as s:
        yield s


@pytest.fixture(autouse=True)
def _no_faults_left(sim: SimServer) -> Iterator[None]:
    yield
    sim.faults.clear()


# One session for the module: it caches service models, so each client is cheap to create.
_SESSION = get_session()


@asynccontextmanager
async def aws(sim: SimServer, service: str, attempts: int = 1) -> AsyncIterator[Any]:
    config = AioConfig(
        retries={"max_attempts": attempts, "mode": "standard"}, connect_timeout=5, read_timeout=10
    )
    async with _SESSION.create_client(
        service,
        region_name="us-east-1",
        endpoint_url=sim.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    ) as c:
        yield c


Call = Callable[[Any, SimServer], Awaitable[Any]]


async def _filter_logs(c: Any, sim: SimServer) -> Any:
    return await c.filter_log_events(logGroupName=sim.world.state.execution_log_group(), limit=1)


async def _metric_data(c: Any, sim: SimServer) -> Any:
    now = sim.clock.now()
    q = {
        "Id": "m",
        "MetricStat": {
            "Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "Count"},
            "Period": 60,
            "Stat": "Sum",
        },
    }
    return await c.get_metric_data(MetricDataQueries=[q], StartTime=now - 300, EndTime=now)


async def _target_health(c: Any, sim: SimServer) -> Any:
    tg = next(iter(sim.world.state.target_groups.values()))
    return await c.describe_target_health(TargetGroupArn=tg.id)


async def _security_groups(c: Any, sim: SimServer) -> Any:
    return await c.describe_security_groups()


async def _rest_api(c: Any, sim: SimServer) -> Any:
    return await c.get_rest_api(restApiId=sim.api_id)


async def _lookup(c: Any, sim: SimServer) -> Any:
    return await c.lookup_events(MaxResults=1)


# (service, operation, call, {kind: expected error code}) — one per wire protocol, owned and moto's.
CASES: list[tuple[str, str, Call, dict[str, str]]] = [
    (
        "logs",
        "FilterLogEvents",
        _filter_logs,
        {"throttle": "ThrottlingException", "denied": "AccessDeniedException"},
    ),
    (
        "cloudtrail",
        "LookupEvents",
        _lookup,
        {"throttle": "ThrottlingException", "denied": "AccessDeniedException"},
    ),
    ("cloudwatch", "GetMetricData", _metric_data, {"throttle": "Throttling", "denied": "AccessDenied"}),
    ("elbv2", "DescribeTargetHealth", _target_health, {"throttle": "Throttling", "denied": "AccessDenied"}),
    (
        "ec2",
        "DescribeSecurityGroups",
        _security_groups,
        {"throttle": "RequestLimitExceeded", "denied": "UnauthorizedOperation"},
    ),
    (
        "apigateway",
        "GetRestApi",
        _rest_api,
        {"throttle": "TooManyRequestsException", "denied": "AccessDeniedException"},
    ),
]
IDS = [c[1] for c in CASES]


@pytest.mark.parametrize(("service", "operation", "call", "codes"), CASES, ids=IDS)
async def test_error_faults_parse_as_the_right_client_error(
    sim: SimServer, service: str, operation: str, call: Call, codes: dict[str, str]
) -> None:
    async with aws(sim, service) as c:
        for kind, code in [*codes.items(), ("5xx", "")]:
            sim.faults.set(operation, kind)
            with pytest.raises(botocore.exceptions.ClientError) as err:
                await call(c, sim)
            got = err.value.response["Error"]
            if kind == "5xx":
                assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
                assert got["Code"] in ("InternalFailure", "InternalError")
            else:
                assert got["Code"] == code
            if kind == "denied":
                prefix = {"cloudwatch": "cloudwatch", "elbv2": "elasticloadbalancing"}.get(service, service)
                assert f"is not authorized to perform: {prefix}:{operation}" in got["Message"]
        sim.faults.clear(operation)
        assert (await call(c, sim))["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(("service", "operation", "call"), [c[:3] for c in CASES], ids=IDS)
async def test_reset_drops_the_connection(sim: SimServer, service: str, operation: str, call: Call) -> None:
    async with aws(sim, service) as c:
        # Persistent: an HTTP client may transparently retry one reset on a reused connection.
        sim.faults.set(operation, "reset")
        with pytest.raises((botocore.exceptions.HTTPClientError, botocore.exceptions.ConnectionError)):
            await call(c, sim)
        sim.faults.clear(operation)
        assert (await call(c, sim))["ResponseMetadata"]["HTTPStatusCode"] == 200


async def test_throttling_is_retried_by_the_client_and_counted_faults_run_out(sim: SimServer) -> None:
    async with aws(sim, "logs", attempts=4) as c:
        sim.faults.set("FilterLogEvents", "throttle", count=2)
        got = await _filter_logs(c, sim)
        assert got["ResponseMetadata"]["RetryAttempts"] == 2
        assert sim.faults.active() == []


async def test_latency_delays_the_answer_and_wildcard_hits_moto_operations(sim: SimServer) -> None:
    async with aws(sim, "ec2") as c:
        sim.faults.set("*", "latency", seconds=0.4)
        t0 = time.monotonic()
        await _security_groups(c, sim)
        assert time.monotonic() - t0 >= 0.4
        sim.faults.clear()
        sim.faults.set("*", "denied")
        with pytest.raises(botocore.exceptions.ClientError) as err:
            await _security_groups(c, sim)
        assert err.value.response["Error"]["Code"] == "UnauthorizedOperation"


def test_fault_kinds_are_validated(sim: SimServer) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sim.faults.set("GetMetricData", "explode")
    with pytest.raises(ValueError, match="needs seconds"):
        sim.faults.set("GetMetricData", "latency")
