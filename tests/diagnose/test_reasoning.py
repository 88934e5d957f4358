"""The ranking reasons (issue 13): change effects, vetoes, per-route evidence, the incident window,
burst onsets, the noise floor, long-ago changes, recovery, and honest confidence."""

from __future__ import annotations

from dataclasses import replace

import pytest
from diagnose_world import (
    ACCOUNT,
    API,
    FN_ARN,
    MINUTES,
    ONSET,
    REGION,
    SG_TARGETS,
    T0,
    api_metrics,
    change,
    lambda_topology,
    obs,
    ok_traces,
    series,
    targets_health,
    traces,
    vpc_topology,
)
from scenarios import NETWORK, PERMISSION, TIMEOUT, backend_5xx, crash_under_load, recovered

from apigw_cockpit.diagnose import ROOT_CAUSES, Observations, find_onset, rank, run_check, run_checks
from apigw_cockpit.diagnose.onset import QUIET_S
from apigw_cockpit.diagnose.recovery import find_recovery
from apigw_cockpit.diagnose.vocabulary import RegistryError, check_registry
from apigw_cockpit.model import (
    Integration,
    LambdaFunction,
    Method,
    PolicyStatement,
    Resource,
    Verdict,
)


def _ranked(o: Observations) -> list[tuple[str, float]]:
    return [(h.root_cause, h.confidence) for h in rank(run_checks(o), o)]


def _timeouts_without_logs(*changes: object) -> Observations:
    """Logging off: only the metrics say the backend route is pinned at 29 s; targets healthy."""
    return obs(
        vpc_topology(stage_kw={"logging_level": "OFF"}),
        metrics=api_metrics(p99_after=29000),
        target_health=targets_health("healthy"),
        changes=tuple(changes),
    )


def test_an_ingress_authorize_cannot_block() -> None:
    o = _timeouts_without_logs(change("AuthorizeSecurityGroupIngress", 1, [SG_TARGETS]))
    ranked = _ranked(o)
    assert ranked[0][0] == "integration-timeout", ranked
    assert "sg-blocks-nlb-targets" not in [c for c, _ in ranked]
    f = run_check("recent-changes", o)
    assert f.verdict != Verdict.ERROR, f.summary


def test_a_passing_security_groups_check_vetoes_sg_blocks() -> None:
    # A revoke *can* block, but the groups still admit the NLB: the check on that very fact wins.
    o = _timeouts_without_logs(change("RevokeSecurityGroupIngress", 1, [SG_TARGETS]))
    assert run_check("security-groups", o).verdict == Verdict.OK
    assert "sg-blocks-nlb-targets" not in [c for c, _ in _ranked(o)]


def test_a_failing_security_groups_check_keeps_sg_blocks_first() -> None:
    base = _timeouts_without_logs(change("RevokeSecurityGroupIngress", 1, [SG_TARGETS]))
    o = replace(base, topology=vpc_topology(sg_cidr="172.16.0.0/16", stage_kw={"logging_level": "OFF"}))
    o = replace(o, target_health=targets_health("unhealthy", "Target.FailedHealthChecks"))
    assert _ranked(o)[0][0] == "sg-blocks-nlb-targets"


def test_a_permission_add_cannot_remove_access() -> None:
    err = (
        "Lambda execution failed with status 200 due to customer function error: "
        "Cannot read properties of undefined (reading 'id')"
    )
    o = obs(
        lambda_topology(),
        metrics=api_metrics(p99_after=45),
        traces=ok_traces() + traces(err, 502, latency_ms=45),
        changes=(change("AddPermission20150331v2", 1, ["orders-fn"], source="lambda.amazonaws.com"),),
    )
    top = rank(run_checks(o), o)[0]
    assert top.root_cause == "lambda-function-error"
    assert not any("AddPermission" in b for b in top.because)


def _two_lambda_routes() -> Observations:
    """orders-fn lost its permission (/orders); invoices-fn returns a malformed body (/invoices)."""
    topo = lambda_topology(allow_apigw=False)
    inv_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:invoices-fn"
    allow = PolicyStatement(
        "Allow",
        ("lambda:InvokeFunction",),
        (inv_arn,),
        ("apigateway.amazonaws.com",),
        source_arn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/*",
        sid="apigw",
    )
    inv = LambdaFunction("invoices-fn", inv_arn, resource_policy=(allow,))
    integ = Integration(
        type="AWS_PROXY", lambda_arn=inv_arn, uri=f"arn:aws:apigateway:{REGION}:lambda:path/x"
    )
    topo = replace(
        topo,
        lambdas=(*topo.lambdas, inv),
        resources=(*topo.resources, Resource("r2", "/invoices", (Method("GET", integration=integ),))),
    )
    malformed = "Execution failed due to configuration error: Malformed Lambda proxy response"
    return obs(
        topo,
        metrics=api_metrics(p99_after=40),
        traces=ok_traces()
        + traces(PERMISSION, 500, latency_ms=None)
        + traces(malformed, 502, path="/invoices", start=ONSET + 40, body='{"statusCode": 200, "body": {}}'),
        changes=(
            change("RemovePermission20150331v2", 2, ["orders-fn", FN_ARN], source="lambda.amazonaws.com"),
            change(
                "UpdateFunctionCode20150331v2", 1, ["invoices-fn", inv_arn], source="lambda.amazonaws.com"
            ),
        ),
    )


def test_two_faults_rank_both_on_top_each_with_its_own_change() -> None:
    o = _two_lambda_routes()
    hyps = rank(run_checks(o), o)
    top2 = {h.root_cause: h for h in hyps[:2]}
    assert set(top2) == {"lambda-permission-missing", "malformed-lambda-proxy-response"}, hyps[:3]
    perm, bad_body = top2["lambda-permission-missing"], top2["malformed-lambda-proxy-response"]
    assert any("RemovePermission" in b for b in perm.because)
    assert not any("UpdateFunctionCode" in b for b in perm.because)
    assert not any("RemovePermission" in b for b in bad_body.because)
    assert any("independent" in b for b in bad_body.because)


def _bursts(last_burst_minute: int) -> list[float]:
    """40 s bursts every 3 minutes from minute 30: ~one minute in three has errors."""
    return [60.0 if 30 <= i <= last_burst_minute and (i - 30) % 3 == 0 else 0.0 for i in range(MINUTES)]


def test_onset_of_bursts_is_the_first_burst() -> None:
    o = obs(vpc_topology(), metrics=(series("5XXError", _bursts(57)), series("Count", [200] * MINUTES)))
    onset = find_onset(o)
    assert onset is not None and onset.at == T0 + 30 * 60 and onset.source == "5XXError"


def test_cause_is_not_forgotten_minutes_after_the_last_burst() -> None:
    # The last burst was 6 min ago, older than the 5-minute log window: no trace shows it any
    # more, yet thousands of 5XX are in the incident. Still an incident, still explained.
    o = obs(
        vpc_topology(),
        metrics=(series("5XXError", _bursts(54)), series("Count", [200] * 30 + [700, 200, 200] * 10)),
        target_health=targets_health("healthy")[:1]
        + targets_health("unhealthy", "Target.FailedHealthChecks")[1:],
        traces=traces(NETWORK, 502, start=T0 + 54 * 60, latency_ms=None),
    )
    assert find_recovery(o) is None
    ranked = _ranked(o)
    assert ranked and ranked[0][0] == "backend-crash-under-load", ranked


def test_one_stray_502_in_900_requests_is_noise() -> None:
    five = [0.0] * MINUTES
    five[57] = 1.0
    stray = traces(
        "Execution failed due to a network error communicating with endpoint", 502, n=1, start=T0 + 57 * 60
    )
    o = obs(
        vpc_topology(),
        metrics=(
            series("5XXError", five),
            series("Count", [190] * MINUTES),
            series("IntegrationLatency", [120] * MINUTES, stat="p99"),
        ),
        traces=ok_traces(40, start=T0 + 55 * 60) + stray,
        target_health=targets_health("healthy"),
    )
    assert find_onset(o) is None
    findings = run_checks(o)
    assert [f.check_id for f in findings if f.verdict == Verdict.ERROR] == []
    assert [h.root_cause for h in rank(findings, o)] == ["none"]


def test_long_ago_backend_release_is_shown_when_nothing_recent_explains() -> None:
    release = change("UpdateService", 150, ["orders-svc"], source="ecs.amazonaws.com")
    o = replace(crash_under_load(), changes=(release,))
    top = rank(run_checks(o), o)[0]
    assert top.root_cause == "backend-crash-under-load"
    assert any("UpdateService" in b and "nothing recent" in b for b in top.because), top.because
    f = run_check("recent-changes", o)
    assert f.verdict == Verdict.WARN and "UpdateService" in f.summary and "2.5 h" in f.summary


def test_harmless_deploy_one_minute_before_onset_is_not_an_error() -> None:
    deploy = change("CreateDeployment", 1, [API], source="apigateway.amazonaws.com")
    o = replace(backend_5xx(), changes=(deploy,))
    f = run_check("recent-changes", o)
    assert f.verdict == Verdict.WARN and "cannot produce" in f.summary, f.summary
    top = rank(run_checks(o), o)[0]
    assert top.root_cause == "backend-5xx-passthrough"
    assert not any("CreateDeployment" in b for b in top.because)


def test_recovered_says_when_it_ended_and_what_it_was() -> None:
    o = recovered()
    rec = find_recovery(o)
    assert rec is not None and rec.at == T0 + 35 * 60 and o.now - rec.at >= QUIET_S
    findings = run_checks(o)
    assert [f.check_id for f in findings if f.verdict == Verdict.ERROR] == []
    hyps = rank(findings, o)
    assert hyps[0].root_cause == "recovered"
    assert any("stopped at" in b for b in hyps[0].because)
    assert any("sg-blocks-nlb-targets" in b for b in hyps[0].because)
    assert hyps[1].root_cause == "sg-blocks-nlb-targets" and hyps[1].confidence < hyps[0].confidence


def test_an_incident_still_going_is_not_recovered() -> None:
    o = recovered()
    five = [150.0 if i >= 20 else 0.0 for i in range(MINUTES)]
    o = replace(o, metrics=(series("5XXError", five), series("Count", [200] * MINUTES)))
    assert find_recovery(o) is None
    assert "recovered" not in [h.root_cause for h in rank(run_checks(o), o)]


def test_two_causes_explaining_the_same_failures_say_what_decides() -> None:
    # Timeouts right after a revoke, but the SGs cannot be read and no target health came back:
    # a blocked path and a slow backend explain it equally. Say so, and name the deciding check.
    topo = replace(vpc_topology(), security_groups=(), vpc_cidr="")
    topo = replace(topo, load_balancers=tuple(replace(lb, subnet_cidrs=()) for lb in topo.load_balancers))
    o = obs(
        topo,
        metrics=api_metrics(p99_after=29000),
        traces=ok_traces() + traces(TIMEOUT, 504, latency_ms=None),
        changes=(change("RevokeSecurityGroupIngress", 1, [SG_TARGETS]),),
    )
    hyps = rank(run_checks(o), o)
    assert {h.root_cause for h in hyps[:2]} == {"sg-blocks-nlb-targets", "integration-timeout"}
    assert hyps[0].confidence <= 0.5 and hyps[1].confidence <= 0.5
    assert any("to decide" in b and "security-groups" in b for b in hyps[0].because + hyps[1].because)


def test_registries_fail_loudly_on_a_missing_cause() -> None:
    with pytest.raises(RegistryError, match="lambda-timeout"):
        check_registry("rules.toml", set(ROOT_CAUSES) - {"lambda-timeout", "none", "recovered"})
    with pytest.raises(RegistryError, match="unknown made-up"):
        check_registry("rules.toml", set(ROOT_CAUSES) | {"made-up"})


def test_shipped_tables_cover_the_vocabulary() -> None:
    from apigw_cockpit.diagnose.correlate import event_effect
    from apigw_cockpit.diagnose.ranking import rule_table
    from apigw_cockpit.incident.lessons import lessons

    assert set(rule_table()) == set(ROOT_CAUSES) - {"none", "recovered"}
    check_registry("lessons.toml", set(lessons()), engine_too=True)
    assert event_effect("AuthorizeSecurityGroupIngress") == ("sg", "adds")
    assert event_effect("RemovePermission20150331v2") == ("lambda-permission", "removes")


def test_recovered_lambda_incident_is_named_from_the_window_metrics() -> None:
    # The traces of a bad build rolled back long ago are gone; Lambda's Errors metric is not.
    dims = (("FunctionName", "orders-fn"),)
    five = [40.0 if 15 <= i < 28 else 0.0 for i in range(MINUTES)]
    errors = [40.0 if 15 <= i < 28 else 0.0 for i in range(MINUTES)]
    o = obs(
        lambda_topology(),
        metrics=(
            series("5XXError", five),
            series("Count", [200] * MINUTES),
            series("Errors", errors, namespace="AWS/Lambda", dims=dims),
        ),
        traces=ok_traces(6, start=T0 + 55 * 60),
        changes=(
            change("UpdateFunctionCode20150331v2", 30, ["orders-fn"], source="lambda.amazonaws.com"),
            change("UpdateFunctionCode20150331v2", 17, ["orders-fn"], source="lambda.amazonaws.com"),
        ),
    )
    hyps = rank(run_checks(o), o)
    assert hyps[0].root_cause == "recovered"
    assert hyps[1].root_cause == "lambda-function-error", hyps


def test_without_logs_a_deploy_is_not_blamed_for_a_surge() -> None:
    # No execution logs: the surge and a backend that is slow but not at the timeout narrow the
    # causes to the backend under load, which a deployment cannot produce.
    deploy = change("CreateDeployment", 1, [API], source="apigateway.amazonaws.com")
    base = crash_under_load()
    o = replace(
        base,
        traces=(),
        metrics=api_metrics(five_xx_after=60, count_after=900, p99_after=1600),
        changes=(deploy,),
    )
    f = run_check("recent-changes", o)
    assert f.verdict == Verdict.WARN and "cannot produce" in f.summary, f.summary
