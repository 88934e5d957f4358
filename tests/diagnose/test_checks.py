"""Individual checks: the questions of DESIGN section 6 answered from plain objects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from diagnose_world import (
    NOW,
    ROLE_ARN,
    api_metrics,
    lambda_topology,
    obs,
    traces,
    vpc_topology,
)
from scenarios import TIMEOUT, sg_blocks

from apigw_cockpit import model
from apigw_cockpit.diagnose import CHECKS, run_check, run_checks
from apigw_cockpit.model import PolicyDecision, ProbeResult, SourceState, SourceStatus, Verdict

DESIGN_IDS = {
    "exec-log-errors", "latency-shape", "timeouts", "lambda-permission", "execution-role", "lambda-health",
    "proxy-response", "mapping-templates", "vpc-link", "target-health", "nlb-subnets", "security-groups",
    "recent-changes", "stage-variables", "backend-direct", "test-invoke", "cors-preflight", "flow-logs",
    "logging", "xray",
}  # fmt: skip


def test_catalog_has_the_twenty_design_ids_with_docs() -> None:
    assert set(CHECKS) == DESIGN_IDS
    assert all(spec.doc_url.startswith("https://") and spec.title and spec.fix for spec in CHECKS.values())
    assert {i for i, s in CHECKS.items() if s.needs_probe} == {
        "execution-role",
        "backend-direct",
        "test-invoke",
    }


def test_unknown_id_lists_known_ids() -> None:
    with pytest.raises(ValueError, match=r"nope.*known: logging"):
        run_checks(sg_blocks(), ["nope"])


def test_subset_runs_in_catalog_order() -> None:
    findings = run_checks(sg_blocks(), ["security-groups", "logging"])
    assert [f.check_id for f in findings] == ["logging", "security-groups"]


def test_logging_off_warns_first_and_log_check_says_why() -> None:
    topo = vpc_topology(stage_kw={"logging_level": "OFF", "metrics_enabled": False})
    findings = run_checks(obs(topo, metrics=api_metrics()))
    assert findings[0].check_id == "logging" and findings[0].verdict == Verdict.WARN
    assert "OFF" in findings[0].summary and "detailed metrics" in findings[0].summary
    logs = next(f for f in findings if f.check_id == "exec-log-errors")
    assert logs.verdict == Verdict.UNKNOWN and logs.why == "no data: execution logging is OFF on the stage"


def test_denied_source_is_the_unknown_reason() -> None:
    denied = SourceStatus("logs", SourceState.DENIED, NOW, last_error="logs:FilterLogEvents AccessDenied")
    f = run_check("exec-log-errors", obs(vpc_topology(), sources=(denied,)))
    assert f.verdict == Verdict.UNKNOWN and f.why == "denied: logs:FilterLogEvents AccessDenied"


def test_security_groups_admit_vpc_cidr_is_ok_and_sg_source_counts() -> None:
    assert run_check("security-groups", obs(vpc_topology())).verdict == Verdict.OK
    f = run_check("security-groups", obs(vpc_topology(sg_cidr="10.0.1.0/24")))
    assert f.verdict == Verdict.ERROR and "10.0.2.0/24" in f.summary  # one NLB subnet left out


def test_nlb_subnets_names_the_stranded_az() -> None:
    f = run_check(
        "nlb-subnets", obs(vpc_topology(nlb_azs=("us-east-1a",), target_azs=("us-east-1a", "us-east-1c")))
    )
    assert f.verdict == Verdict.ERROR and "us-east-1c" in f.summary and "1/2" in f.summary


def test_timeouts_lambda_longer_than_integration() -> None:
    f = run_check(
        "timeouts",
        obs(lambda_topology(fn_timeout_s=60, timeout_ms=29000), metrics=api_metrics(p99_after=300)),
    )
    assert f.verdict == Verdict.WARN and "504" in f.summary
    pinned = run_check(
        "timeouts", obs(lambda_topology(fn_timeout_s=60), metrics=api_metrics(p99_after=28900))
    )
    assert pinned.verdict == Verdict.ERROR


def test_latency_shape_pinned_vs_fast() -> None:
    pinned = run_check("latency-shape", sg_blocks())
    assert pinned.verdict == Verdict.ERROR and "pinned near the timeout" in pinned.summary
    fast = run_check("latency-shape", obs(vpc_topology(), metrics=api_metrics(p99_after=40)))
    assert fast.verdict == Verdict.WARN and "< 1 s" in fast.summary


def test_execution_role_uses_simulation_when_present() -> None:
    topo = lambda_topology(credentials=ROLE_ARN, role_allows=True)
    assert run_check("execution-role", obs(topo)).verdict == Verdict.OK
    denied = PolicyDecision(ROLE_ARN, "lambda:InvokeFunction", "arn:fn", "implicitDeny")
    f = run_check("execution-role", obs(topo, probes=(denied,)))
    assert f.verdict == Verdict.ERROR and "simulated" in f.summary
    unreadable = replace(topo, roles=())
    assert run_check("execution-role", obs(unreadable)).why.startswith("not run")


def test_backend_direct_explains_the_trap() -> None:
    assert run_check("backend-direct", sg_blocks()).why.startswith("not run")
    probe = ProbeResult("backend-direct", "http://10.0.1.10:80/orders", "GET", 200, 12.0, NOW)
    f = run_check("backend-direct", replace(sg_blocks(), probes=(probe,)))
    assert f.verdict == Verdict.OK and "bypasses the VPC link" in f.summary


def test_test_invoke_classifies_its_log() -> None:
    log = (
        "Tue May 30 01:22:45 UTC 2023 : Execution log for request 1\nTue May 30 01:22:45 UTC 2023 : "
        + TIMEOUT
    )
    result = model.TestInvokeResult(504, 29000.0, NOW, log=log)
    f = run_check("test-invoke", replace(sg_blocks(), probes=(result,)))
    assert f.verdict == Verdict.ERROR and "integration-timeout" in f.summary


def test_proxy_response_explains_body_shape() -> None:
    from scenarios import malformed_proxy

    f = run_check("proxy-response", malformed_proxy())
    assert f.verdict == Verdict.ERROR
    assert any("body is a JSON dict, must be a string" in e for e in f.evidence)


def test_exec_log_errors_counts_verdicts() -> None:
    o = obs(vpc_topology(), traces=traces(TIMEOUT, 504, n=6))
    f = run_check("exec-log-errors", o)
    assert f.verdict == Verdict.ERROR and "6 integration-timeout (504)" in f.summary
    assert "integration-timeout" in f.root_causes


def test_a_crashing_check_becomes_unknown_not_an_exception() -> None:
    broken = obs(vpc_topology(), metrics=(None,))  # type: ignore[arg-type]
    findings = run_checks(broken)
    assert len(findings) == 20
    assert any(f.why.startswith("internal error") for f in findings)
