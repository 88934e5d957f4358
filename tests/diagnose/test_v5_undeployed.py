"""V5 says when TestInvokeMethod ran against a definition the stage has not deployed."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import API, NOW, obs, vpc_topology

from apigw_cockpit.diagnose.deployment import undeployed_changes
from apigw_cockpit.diagnose.verification import verify
from apigw_cockpit.model import Change, TestInvokeResult

DEPLOYED = NOW - 3600


def _put_integration(at: float) -> Change:
    return Change(f"ev-{at}", at, "PutIntegration", "apigateway.amazonaws.com", "alex", (API, "r1"))


def _v5(changes: tuple[Change, ...]) -> tuple[str, tuple[str, ...]]:
    topo = vpc_topology()
    topo = replace(topo, stage=replace(topo.stage, deployment_created=DEPLOYED))
    probe = TestInvokeResult(status=200, latency_ms=40.0, at=NOW - 10)
    o = replace(obs(topo, changes=changes, probes=(probe,)), fix_time=NOW - 600)
    step = next(s for s in verify(o) if s.id == "V5")
    return step.status, step.evidence


def test_change_after_the_deployment_makes_a_passing_test_invoke_pending() -> None:
    status, evidence = _v5((_put_integration(NOW - 300),))
    assert status == "pending"
    assert any("undeployed definition" in e and "PutIntegration" in e for e in evidence)


def test_change_before_the_deployment_or_redeployed_is_live() -> None:
    assert _v5((_put_integration(DEPLOYED - 60),))[0] == "pass"
    redeploy = Change("d", NOW - 200, "CreateDeployment", "apigateway.amazonaws.com", "alex", (API,))
    assert _v5((_put_integration(NOW - 300), redeploy))[0] == "pass"


def test_no_deployment_time_known_claims_nothing() -> None:
    topo = vpc_topology()
    assert undeployed_changes(obs(topo, changes=(_put_integration(NOW - 300),))) == []


def test_test_invoke_check_says_it_ran_against_an_undeployed_definition() -> None:
    from apigw_cockpit.diagnose import run_check

    topo = vpc_topology()
    topo = replace(topo, stage=replace(topo.stage, deployment_created=DEPLOYED))
    probe = TestInvokeResult(status=200, latency_ms=40.0, at=NOW - 10)
    f = run_check("test-invoke", obs(topo, changes=(_put_integration(NOW - 300),), probes=(probe,)))
    assert "undeployed definition" in f.summary
    f = run_check("test-invoke", obs(topo, probes=(probe,)))
    assert "undeployed" not in f.summary


def _v5_status(status: int) -> tuple[str, tuple[str, ...]]:
    topo = vpc_topology()
    probe = TestInvokeResult(status=status, latency_ms=40.0, at=NOW - 10)
    o = replace(obs(topo, probes=(probe,)), fix_time=NOW - 600)
    step = next(s for s in verify(o) if s.id == "V5")
    return step.status, step.evidence


def test_a_backend_4xx_from_test_invoke_proves_the_path_works() -> None:
    """Seen in CI: the orders backend answers 404 for 3 % of requests; V5 failed on one after the
    fix while every request in the window was 2XX. A 4XX came back from the backend: the path works."""
    status, evidence = _v5_status(404)
    assert status == "pass" and any("not a 5XX" in e for e in evidence)
    assert _v5_status(502)[0] == "fail" and _v5_status(504)[0] == "fail"
    assert _v5_status(200)[0] == "pass"
