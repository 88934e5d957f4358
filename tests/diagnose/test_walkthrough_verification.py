"""The walkthrough follows the evidence; verification goes from pending to pass after the fix."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import NOW, ONSET, exec_trace, series, traces
from scenarios import TIMEOUT, lambda_permission, sg_blocks

from apigw_cockpit import model
from apigw_cockpit.diagnose import run_checks, verify, walk
from apigw_cockpit.diagnose.verification import all_passed
from apigw_cockpit.diagnose.walkthrough import current
from apigw_cockpit.model import LoadTestResult, ProbeResult

FIX = ONSET + 10 * 60  # fix applied at minute 55


def _ids(states: list) -> list[str]:  # type: ignore[type-arg]
    return [s.id for s in states if s.state == "answered"]


def test_walkthrough_504_branch_reaches_network_and_stops_at_the_probe() -> None:
    obs = sg_blocks()
    states = walk(obs, run_checks(obs))
    assert _ids(states) == ["logging", "logs", "status", "latency", "targets", "network", "changes"]
    status = next(s for s in states if s.id == "status")
    assert status.outcome == "504" and status.next_id == "latency"
    cur = current(states)
    assert cur is not None and cur.id == "direct"  # backend-direct not run: the user must press b
    assert {s.id for s in states if s.state == "pending"} >= {"lambda", "permissions", "config", "verify"}


def test_walkthrough_500_branch_goes_to_permissions() -> None:
    obs = lambda_permission()
    states = walk(obs, run_checks(obs))
    status = next(s for s in states if s.id == "status")
    assert status.outcome == "500"
    perms = next(s for s in states if s.id == "permissions")
    assert perms.state == "answered" and perms.outcome == "problem"
    assert any("lambda-permission error" in e for e in perms.evidence)


def test_walkthrough_without_logs_is_blocked_not_stuck() -> None:
    obs = replace(
        sg_blocks(),
        traces=(),
        topology=replace(
            sg_blocks().topology, stage=replace(sg_blocks().topology.stage, logging_level="OFF")
        ),
    )
    states = walk(obs, run_checks(obs))
    logs = next(s for s in states if s.id == "logs")
    assert logs.state == "blocked"
    assert any("logging is OFF" in e for e in logs.evidence)
    assert next(s for s in states if s.id == "logging").outcome == "problem"
    status = next(s for s in states if s.id == "status")
    assert status.state == "blocked" and status.next_id == "latency"  # metrics still answer
    assert next(s for s in states if s.id == "latency").state == "answered"


def _after_fix(healed: bool):  # type: ignore[no-untyped-def]
    """sg_blocks, fixed at minute 55: 5XX back to zero, successes in the logs, probes after the fix."""
    base = sg_blocks()
    five = [0.0] * 45 + [150.0] * 10 + ([0.0] * 5 if healed else [150.0] * 5)
    metrics = (series("5XXError", five), *base.metrics[1:])
    after = (
        tuple(
            exec_trace(f"fixed{i:03d}-0000-0000-0000-000000000000", FIX + 30 + i * 10, None, 200)
            for i in range(3)
        )
        if healed
        else traces(TIMEOUT, 504, n=2, start=FIX + 30, latency_ms=None)
    )
    return replace(base, metrics=metrics, traces=base.traces + after, fix_time=FIX)


def test_verification_pending_without_fix_time() -> None:
    steps = verify(sg_blocks())
    assert [s.status for s in steps] == ["pending"] * 6
    assert [s.id for s in steps] == ["V1", "V2", "V3", "V4", "V5", "V6"]


def test_verification_goes_green_after_the_fix() -> None:
    obs = _after_fix(healed=True)
    before = {s.id: s.status for s in verify(obs)}
    assert before == {
        "V1": "pending",
        "V2": "pass",
        "V3": "pass",
        "V4": "pass",
        "V5": "pending",
        "V6": "pending",
    }
    probes = (
        ProbeResult(
            "invoke-url",
            "https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod/orders",
            "GET",
            200,
            88.0,
            NOW - 30,
        ),
        model.TestInvokeResult(200, 90.0, NOW - 20, log="Successfully completed execution"),
        LoadTestResult(
            "https://x/prod/orders", 10, 50.0, 30.0, 1500, 0, ((200, 1500),), 80.0, 120.0, 240.0, NOW - 60
        ),
    )
    steps = verify(replace(obs, probes=probes))
    assert all_passed(steps), [(s.id, s.status, s.evidence) for s in steps]


def test_verification_fails_while_still_broken() -> None:
    obs = _after_fix(healed=False)
    status = {s.id: s.status for s in verify(obs)}
    assert status["V2"] == "fail" and status["V3"] == "fail" and status["V4"] == "fail"
    failing_probe = ProbeResult("invoke-url", "u", "GET", 504, 29000.0, NOW - 10)
    bad_load = LoadTestResult(
        "u", 10, 50.0, 30.0, 100, 30, ((200, 70), (504, 30)), 80.0, 29000.0, 29000.0, NOW - 60
    )
    status = {s.id: s.status for s in verify(replace(obs, probes=(failing_probe, bad_load)))}
    assert status["V1"] == "fail" and status["V6"] == "fail"


def test_v2_pending_until_enough_zero_periods() -> None:
    obs = _after_fix(healed=True)
    two_zero = (series("5XXError", [0.0] * 45 + [150.0] * 10 + [0.0] * 2), *obs.metrics[1:])
    v2 = verify(replace(obs, metrics=two_zero))[1]
    assert v2.status == "pending" and "2/3" in v2.evidence[-1]


def test_probe_before_fix_does_not_count() -> None:
    obs = _after_fix(healed=True)
    early = ProbeResult("invoke-url", "u", "GET", 200, 50.0, FIX - 60)
    assert verify(replace(obs, probes=(early,)))[0].status == "pending"
