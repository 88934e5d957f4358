"""Every poller and probe against answers generated from botocore's output shapes.

A poller never raises out of iteration by construction (base.Poller turns failures into a
status), which would also hide a poller that cannot parse a valid answer and stays in
ERROR forever. So the property is on `poll()` itself: for any answer the model allows it
returns updates, and it follows every page. With error answers, a round leaves the poller
in a non-OK state and the next round recovers.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigw_cockpit.aws.feed import build_pollers
from apigw_cockpit.aws.probes import Probes
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
from apigw_cockpit.model import (
    Integration,
    LambdaFunction,
    LoadBalancer,
    LogGroups,
    Method,
    PolicyDecision,
    Resource,
    SourceState,
    Stage,
    Target,
    TargetGroup,
    Topology,
    Update,
    VpcLink,
)
from apigw_cockpit.model import (
    TestInvokeResult as InvokeResult,
)

from .harness import SETTINGS, Harness

pytestmark = pytest.mark.sim  # slow lane: generated answers through the whole client stack

ACCOUNT = "123456789012"
NLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
TG = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/orders-tg/6d0ecf831eec9f09"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders-fn"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/apigw-invoke"


def topology() -> Topology:
    """The input of the pollers (what discovery would have found): one of every kind of source."""
    link = Integration(type="HTTP_PROXY", uri="http://x/orders", resolved_uri="http://x/orders",
                       connection_type="VPC_LINK", connection_id="vl-abc123")  # fmt: skip
    lam = Integration(type="AWS_PROXY", uri=FN, resolved_uri=FN, credentials=ROLE, lambda_arn=FN)
    tg = TargetGroup(
        TG, "orders-tg", port=8080, targets=(Target("10.0.1.10", 8080, "us-east-1a", ("sg-1",)),)
    )
    lb = LoadBalancer(NLB, "orders-nlb", azs=(("us-east-1a", "subnet-a"),), target_groups=(tg,))
    return Topology(
        api_id="a1b2c3",
        api_name="orders-prod",
        stage=Stage("prod", metrics_enabled=True, logging_level="INFO", variables=(("v", "1"),)),
        region="us-east-1",
        account=ACCOUNT,
        resources=(
            Resource("r1", "/orders", (Method("GET", integration=link),)),
            Resource("r2", "/pay", (Method("POST", integration=lam),)),
        ),
        lambdas=(LambdaFunction("orders-fn", FN),),
        vpc_links=(VpcLink("vl-abc123", target_arns=(NLB,)),),
        load_balancers=(lb,),
        log_groups=LogGroups(
            execution="API-Gateway-Execution-Logs_a1b2c3/prod",
            lambdas=("/aws/lambda/orders-fn",),
            flow_logs=("vpc-flow-logs",),
        ),
    )


TOPOLOGY = topology()


def _pollers(h: Harness, settings: AwsSettings) -> list[Any]:
    """Every signal poller. The topology source re-runs discovery, which the generated answers
    drive in test_model_discovery.py (and whose partial reads it refuses on purpose)."""
    return [p for p in build_pollers(h.factory, h.clock, TOPOLOGY, settings) if p.name != "topology"]


async def _rounds(h: Harness, live_tail: bool) -> list[tuple[str, list[Update]]]:
    settings = AwsSettings("a1b2c3", "prod", region="us-east-1", live_tail=live_tail)
    pollers = _pollers(h, settings)
    out: list[tuple[str, list[Update]]] = []
    try:
        for p in pollers:
            for _ in range(2):  # the second round takes the incremental path (tokens, overlap)
                out.append((p.name, await p.poll()))
                if isinstance(p, LiveTailPoller) and p._task is not None:
                    await p._task  # the generated stream ends; the next round falls back to polling
    finally:
        for p in pollers:
            if isinstance(p, LiveTailPoller):
                await p.aclose()
    return out


@SETTINGS
@given(data=st.data(), live_tail=st.booleans())
def test_pollers_parse_every_valid_answer_and_follow_every_page(
    harness: Harness, data: st.DataObject, live_tail: bool
) -> None:
    harness.responder.reset(data.draw, errors=False, pages=True)
    rounds = harness.run(_rounds(harness, live_tail))
    assert {name for name, _ in rounds} >= {"metrics", "logs", "target_health", "changes", "alarms"}
    for _, updates in rounds:
        assert all(isinstance(u, Update) for u in updates)
    assert harness.responder.unfollowed() == [], "one-page reads (tokens never followed)"


@SETTINGS
@given(data=st.data())
def test_pollers_report_failed_rounds_and_recover(harness: Harness, data: st.DataObject) -> None:
    settings = AwsSettings("a1b2c3", "prod", region="us-east-1")
    for p in _pollers(harness, settings):
        harness.responder.reset(data.draw, errors=True, pages=False)
        harness.run(p._run_once())
        if harness.responder.failed:
            assert p.state != SourceState.OK and p.last_error, (p.name, harness.responder.failed)
        harness.responder.reset(data.draw, errors=False, pages=False)
        harness.run(p._run_once())
        assert p.state == SourceState.OK, (p.name, p.last_error)


@SETTINGS
@given(data=st.data())
def test_probes_parse_every_valid_answer(harness: Harness, data: st.DataObject) -> None:
    harness.responder.reset(data.draw, errors=False, pages=True)
    probes = Probes(harness.factory, harness.clock, TOPOLOGY, "http://127.0.0.1:9/prod")
    decision = harness.run(probes.simulate(ROLE, "lambda:InvokeFunction", FN))
    assert isinstance(decision, PolicyDecision)
    result = harness.run(probes.test_invoke("r2", "POST", confirmed=True))
    assert isinstance(result, InvokeResult) and not result.error, result.error
    assert all(isinstance(v, str) for _, v in result.headers), result.headers
    assert harness.responder.unfollowed() == []
