"""The defects the conformance suite found, each pinned with the minimal answer that showed it.

The generated searches find these again only when their draws land on them; these cases
fail on the code before the fix every time. Each answer is one the output shape allows.
"""

from __future__ import annotations

import pytest

from apigw_cockpit.aws.discovery import _stage
from apigw_cockpit.aws.probes import Probes
from apigw_cockpit.aws.sources.changes import ChangesPoller
from apigw_cockpit.diagnose import Observations, run_checks
from apigw_cockpit.model import ChangesUpdate, Verdict

from .harness import Harness
from .test_examples import NETWORK_API
from .test_model_pollers import ROLE, TOPOLOGY


def test_stage_with_null_method_settings_and_variables() -> None:
    st = _stage(
        {"stageName": "prod", "methodSettings": {"*/*": None}, "variables": {"url": None, "fn": "orders"}}
    )
    assert (st.logging_level, st.variables) == ("OFF", (("fn", "orders"), ("url", "")))


def test_cloudtrail_event_that_is_json_but_not_an_object(harness: Harness) -> None:
    sg = "sg-1"  # a topology resource, so the event would be shown if it matched
    event = {"EventId": "e1", "EventName": "AuthorizeSecurityGroupIngress", "CloudTrailEvent": "0"}
    events = {"Events": [{**event, "Resources": [{"ResourceName": sg}]}]}
    harness.responder.reset(None, fixed={("cloudtrail", "LookupEvents"): events})
    poller = ChangesPoller(harness.factory, harness.clock, TOPOLOGY)
    poller.ids.add(sg)
    [update] = harness.run(poller.poll())
    assert isinstance(update, ChangesUpdate) and [c.event_id for c in update.changes] == ["e1"]


def test_test_invoke_header_with_null_value(harness: Harness) -> None:
    answer = {"status": 502, "headers": {"x-amzn-ErrorType": None, "Content-Type": "application/json"}}
    harness.responder.reset(None, fixed={("apigateway", "TestInvokeMethod"): answer})
    probes = Probes(harness.factory, harness.clock, TOPOLOGY, "http://127.0.0.1:9/prod")
    result = harness.run(probes.test_invoke("r2", "POST", confirmed=True))
    assert result.status == 502 and not result.error
    assert result.headers == (("Content-Type", "application/json"), ("x-amzn-ErrorType", ""))


def test_simulate_principal_policy_reads_every_page(harness: Harness) -> None:
    # IAM truncates EvaluationResults (Marker + IsTruncated): the decision may be on page 2.
    pages = {
        ("iam", "SimulatePrincipalPolicy"): {"EvaluationResults": [], "IsTruncated": True, "Marker": "m1"},
    }
    harness.responder.reset(None, fixed=pages)
    seen: list[dict[str, object]] = []

    def second_page(params: dict[str, object], **_: object) -> None:
        seen.append(dict(params))
        if params.get("Marker") == "m1":
            pages[("iam", "SimulatePrincipalPolicy")] = {
                "EvaluationResults": [{"EvalActionName": "lambda:InvokeFunction", "EvalDecision": "allowed"}],
                "IsTruncated": False,
            }

    iam = harness.run(harness.factory.client("iam"))
    iam.meta.events.register("before-parameter-build.iam.SimulatePrincipalPolicy", second_page)
    try:
        probes = Probes(harness.factory, harness.clock, TOPOLOGY, "http://127.0.0.1:9/prod")
        decision = harness.run(probes.simulate(ROLE, "lambda:InvokeFunction", "arn:fn"))
    finally:
        iam.meta.events.unregister("before-parameter-build.iam.SimulatePrincipalPolicy", second_page)
    assert [p.get("Marker") for p in seen] == [None, "m1"]
    assert decision.decision == "allowed"


@pytest.mark.parametrize("missing", ["DescribeNetworkInterfaces"])
def test_security_groups_unknown_when_target_interfaces_are_not_found(harness: Harness, missing: str) -> None:
    """The issue's case: target ENIs not resolved, and security-groups said "ok"."""
    fixed = {k: v for k, v in NETWORK_API.items() if k != ("ec2", missing)}
    harness.responder.reset(None, fixed=fixed)
    from apigw_cockpit.aws.discovery import discover

    topo = harness.run(discover(harness.factory, "o1y243m4f5", "dev"))
    assert any(e.operation == missing for e in topo.errors)
    [f] = [f for f in run_checks(Observations(now=0.0, topology=topo)) if f.check_id == "security-groups"]
    assert f.verdict == Verdict.UNKNOWN, f.summary
    assert "security groups of 2 target(s) unknown" in f.summary


def test_security_groups_unknown_when_published_interfaces_are_not_the_targets(harness: Harness) -> None:
    """The published ENI example belongs to other instances: the targets' groups stay unknown."""
    harness.responder.reset(None, fixed=NETWORK_API)
    from apigw_cockpit.aws.discovery import discover

    topo = harness.run(discover(harness.factory, "o1y243m4f5", "dev"))
    findings = {f.check_id: f for f in run_checks(Observations(now=0.0, topology=topo))}
    assert findings["security-groups"].verdict == Verdict.UNKNOWN, findings["security-groups"].summary
    # Nor is their zone known (instance targets: DescribeTargetHealth gives no AZ in the VPC).
    subnets = findings["nlb-subnets"]
    assert subnets.verdict == Verdict.UNKNOWN and "availability zone unknown for targets" in subnets.summary
