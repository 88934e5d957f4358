"""Every scenario: the signals its root cause implies are visible through the AWS APIs, and
after the scenario's fix (and a few simulated minutes) the 5XX stop.

The expectations are written from AWS's documented behaviour (AWS-FACTS.md), not read from
the engine, so a world that drifts from AWS fails here.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from helpers import client, metric

from apigw_cockpit.demo.server import SimServer
from apigw_cockpit.demo.world import Scenario, list_scenarios
from scenario_phrases import ERROR_METRIC_OF, PHRASE_OF

pytestmark = pytest.mark.sim  # every test here starts the simulated world

SCENARIOS = list_scenarios()

# The execution-log line each root cause leaves (AWS-FACTS.md, execution-log table).
LOG_PHRASE = {
    "sg-blocks-nlb-targets": "Execution failed due to a timeout error",
    "nlb-subnet-mismatch": "network error communicating with endpoint",
    "vpc-link-unavailable": "There was an internal error while executing your request",
    "lambda-permission-missing": "Invalid permissions on Lambda function",
    "execution-role-missing-invoke": "Invalid permissions on Lambda function",
    "integration-timeout": "Execution failed due to a timeout error",
    "lambda-function-error": "customer function error",
    "malformed-lambda-proxy-response": "Malformed Lambda proxy response",
    "mapping-template-invalid": "Unable to transform request",
    "backend-error-unmapped": "No match for output mapping",
    "stage-variable-stale": "Lambda invocation failed",
    "cors-preflight-no-integration": "No integration defined for method",
    "invalid-backend-response": "Invalid endpoint response",
    "backend-crash-under-load": "network error communicating with endpoint",
    "tls-name-mismatch": "does not match the certificate subject",
    "tls-certificate-invalid": "PKIX path validation failed",
    "lambda-throttled": "Lambda invocation failed with status: 429",
    "backend-unreachable": "network error communicating with endpoint",
    "backend-5xx-passthrough": "Method completed with status: 503",
    "lambda-timeout": "Task timed out after",
    "authorizer-failure": "Authorizer error",
    "usage-plan-throttled": "Key throttle limit exceeded for Usage Plan ID",
}
# HTTP APIs answer with their own words (demo/world/http_api.py): 500 for a failed Lambda call,
# 503 at the 30 s timeout and on connection failures. Phrases per scenario: tests/scenario_phrases.py.
STATUS_OF = {
    "shop-search-raises-trail-denied": 500,
    "http-ingest-permission-missing": 500,
    "http-events-fn-raises": 500,
    "http-devices-sg-blocked": 503,
    "http-ingest-own-timeout": 500,
    "http-devices-crashed": 503,
    "http-events-throttled": 500,
    "http-ingest-integration-timeout": 503,
    "http-ingest-payload-shorthand": 500,
    "http-devices-authorizer-permission": 500,
    "http-devices-jwt-audience": 401,  # a JWT authorizer refuses the token itself: 4XX, not 5XX
    "http-events-jwt-issuer": 401,
}
# The metric each cause raises: a throttled key gets 429 (4XX), every other cause 5XX.
ERROR_METRIC = {"usage-plan-throttled": "4XXError"}


# What a client of the invoke URL gets back (AWS-FACTS.md); None: needs load to show.
INVOKE_STATUS = {
    "sg-blocks-nlb-targets": 504,
    "nlb-subnet-mismatch": 504,
    "vpc-link-unavailable": 500,
    "lambda-permission-missing": 500,
    "execution-role-missing-invoke": 500,
    "integration-timeout": 504,
    "lambda-function-error": 502,
    "malformed-lambda-proxy-response": 502,
    "mapping-template-invalid": 500,
    "backend-error-unmapped": 500,
    "stage-variable-stale": 500,
    "cors-preflight-no-integration": 500,
    "invalid-backend-response": 502,
    "backend-crash-under-load": None,
    "tls-name-mismatch": 500,
    "tls-certificate-invalid": 500,
    "lambda-throttled": 500,
    "backend-unreachable": 504,
    "backend-5xx-passthrough": None,  # a third of the answers: a few probes may all be 200
    "lambda-timeout": 502,
    "authorizer-failure": 500,
    "usage-plan-throttled": None,  # a share of the key's requests above its rate: a few probes may all pass
}


def _invoke_statuses(sim: SimServer) -> set[int]:
    """Statuses the invoke URL returns over every method of the API (a few tries each, one
    simulated second apart: at one frozen instant the world answers a route the same way)."""
    seen: set[int] = set()
    for _ in range(4):
        sim.advance(1)
        for res in sim.world.state.resources.values():
            path = re.sub(r"\{[^}]+\}", "o-1", res.path)
            for verb in res.methods:
                req = urllib.request.Request(f"{sim.invoke_url}{path}", method=verb)
                try:
                    with urllib.request.urlopen(req, timeout=10) as r:
                        seen.add(r.status)
                except urllib.error.HTTPError as e:
                    seen.add(e.code)
    return seen


def _param(sc: Scenario, key: str) -> Any:
    return next(a["params"][key] for a in sc.actions if key in a["params"])


def _target_states(sim: SimServer) -> set[tuple[str, str]]:
    elb = client(sim, "elbv2")
    out = set()
    for tg in sim.world.state.target_groups.values():
        for d in elb.describe_target_health(TargetGroupArn=tg.id)["TargetHealthDescriptions"]:
            out.add((d["TargetHealth"]["State"], d["TargetHealth"].get("Reason", "")))
    return out


def _sg_blocked(sim: SimServer, sc: Scenario) -> None:
    assert _target_states(sim) == {("unhealthy", "Target.FailedHealthChecks")}
    now = sim.clock.now()
    names = [
        e["EventName"]
        for e in client(sim, "cloudtrail").lookup_events(StartTime=now - 3600, EndTime=now)["Events"]
    ]
    assert "RevokeSecurityGroupIngress" in names


def _subnet_mismatch(sim: SimServer, sc: Scenario) -> None:
    assert _target_states(sim) == {("unused", "Target.NotInUse")}
    nlb = sim.world.state.nlbs[_param(sc, "nlb")]
    lb = client(sim, "elbv2").describe_load_balancers(LoadBalancerArns=[nlb.id])["LoadBalancers"][0]
    want = {sim.world.state.subnets[s].az for s in _param(sc, "subnets")}
    assert {z["ZoneName"] for z in lb["AvailabilityZones"]} == want


def _link_unavailable(sim: SimServer, sc: Scenario) -> None:
    gw = client(sim, "apigateway")
    link = next(iter(sim.world.state.vpc_links.values()))
    assert gw.get_vpc_link(vpcLinkId=link.id)["status"] == "FAILED"
    elb = client(sim, "elbv2")
    with pytest.raises(elb.exceptions.LoadBalancerNotFoundException):
        elb.describe_load_balancers(LoadBalancerArns=[sim.world.state.nlbs[_param(sc, "nlb")].id])


def _permission_missing(sim: SimServer, sc: Scenario) -> None:
    lam = client(sim, "lambda")
    fn = _param(sc, "function")
    try:
        statements = json.loads(lam.get_policy(FunctionName=fn)["Policy"])["Statement"]
    except lam.exceptions.ResourceNotFoundException:
        statements = []
    principals = [json.dumps(s.get("Principal")) for s in statements]
    assert not any("apigateway.amazonaws.com" in p for p in principals)


def _role_missing_invoke(sim: SimServer, sc: Scenario) -> None:
    role = sim.world.state.roles[_param(sc, "role")]
    fn = next(iter(f for f in sim.world.state.lambdas.values() if f.name in json.dumps(sc.raw)), None)
    resource = fn.arn if fn else "*"
    got = client(sim, "iam").simulate_principal_policy(
        PolicySourceArn=role.arn, ActionNames=["lambda:InvokeFunction"], ResourceArns=[resource]
    )["EvaluationResults"]
    assert got[0]["EvalDecision"] != "allowed"
    attached = client(sim, "iam").list_attached_role_policies(RoleName=role.arn.rsplit("/", 1)[-1])
    assert role.policies[_param(sc, "policy")].arn not in {
        p["PolicyArn"] for p in attached["AttachedPolicies"]
    }


def _cors(sim: SimServer, sc: Scenario) -> None:
    gw = client(sim, "apigateway")
    rid = sim.world.state.resources[_param(sc, "resource")].id
    with pytest.raises(gw.exceptions.NotFoundException):
        gw.get_integration(restApiId=sim.api_id, resourceId=rid, httpMethod=_param(sc, "method"))


def _stage_variable(sim: SimServer, sc: Scenario) -> None:
    stage = client(sim, "apigateway").get_stage(restApiId=sim.api_id, stageName=sim.stage)
    assert stage["variables"][_param(sc, "name")] == _param(sc, "value")


def _logging_off(sim: SimServer, sc: Scenario) -> None:
    stage = client(sim, "apigateway").get_stage(restApiId=sim.api_id, stageName=sim.stage)
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "OFF"


EXTRA: dict[str, Callable[[SimServer, Scenario], None]] = {
    "sg-blocks-nlb-targets": _sg_blocked,
    "nlb-subnet-mismatch": _subnet_mismatch,
    "vpc-link-unavailable": _link_unavailable,
    "lambda-permission-missing": _permission_missing,
    "execution-role-missing-invoke": _role_missing_invoke,
    "cors-preflight-no-integration": _cors,
    "stage-variable-stale": _stage_variable,
}


def _logging_level(sim: SimServer) -> str:
    return str(sim.world.state.stage.logging_level)


def _failure_lines(sim: SimServer, phrase: str) -> list[str]:
    now_ms = int(sim.clock.now() * 1000)
    got = client(sim, "logs").filter_log_events(
        # An HTTP API's only per-request log is its access log.
        logGroupName=st.stage.access_log_group
        if (st := sim.world.state).is_http
        else st.execution_log_group(),
        filterPattern=f'"{phrase}"',
        startTime=now_ms - 180_000,
        endTime=now_ms,
        limit=20,
    )
    return [e["message"] for e in got["events"]]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_root_cause_signals_then_recovery_after_fix(scenario: Scenario) -> None:
    # An incident that is over happened up to half an hour before t=0: the world must hold it.
    backfill = 2400 if scenario.root_cause == "recovered" else 420
    with SimServer(scenario, frozen=True, backfill=backfill) as sim:
        name = ERROR_METRIC_OF.get(scenario.id, ERROR_METRIC.get(scenario.root_cause, "5XXError"))
        recent = metric(sim, name, "Sum", minutes=3)
        if scenario.root_cause == "none":
            assert sum(recent) == 0, recent
            return
        if scenario.root_cause == "recovered":  # it happened and it is over before t=0
            assert sum(recent) == 0 and sum(metric(sim, "5XXError", "Sum", minutes=30)) > 50
            assert max(_invoke_statuses(sim)) < 500
            return
        assert len(recent) == 3 and all(v > 0 for v in recent), recent
        if _logging_level(sim) == "OFF" and not sim.world.state.is_http:  # HTTP: no execution log
            _logging_off(sim, scenario)
        else:
            phrase = PHRASE_OF.get(scenario.id, LOG_PHRASE[scenario.root_cause])
            lines = _failure_lines(sim, phrase)
            assert lines and all(phrase in m for m in lines)
        if scenario.root_cause in EXTRA:
            EXTRA[scenario.root_cause](sim, scenario)
        status = STATUS_OF.get(scenario.id, INVOKE_STATUS[scenario.root_cause])
        if status is not None:
            assert status in _invoke_statuses(sim)

        sim.apply_fix()
        sim.advance(180)
        assert metric(sim, "5XXError", "Sum", minutes=2) == [0.0, 0.0]
        assert max(_invoke_statuses(sim)) < 500
        if scenario.root_cause in ("sg-blocks-nlb-targets", "nlb-subnet-mismatch"):
            assert _target_states(sim) == {("healthy", "")}
        if scenario.root_cause == "vpc-link-unavailable":
            link = next(iter(sim.world.state.vpc_links.values()))
            assert client(sim, "apigateway").get_vpc_link(vpcLinkId=link.id)["status"] == "AVAILABLE"
