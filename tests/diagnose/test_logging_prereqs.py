"""The logging check tells "no logs" apart from "no account role" and "logging off for this method"."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import obs, vpc_topology

from apigw_cockpit.diagnose import run_check
from apigw_cockpit.diagnose.logging_setup import effective_level, method_key
from apigw_cockpit.model import MethodSetting, Verdict

ROLE = "arn:aws:iam::123456789012:role/apigateway-cloudwatch-logs"


def _stage_settings(*settings: MethodSetting) -> dict[str, object]:
    return {"logging_level": "INFO", "method_settings": settings}


def test_method_key_escapes_slashes_like_api_gateway() -> None:
    assert method_key("/orders/{id}", "GET") == "~1orders~1{id}/GET"


def test_per_method_override_beats_star_star() -> None:
    topo = vpc_topology(
        stage_kw=_stage_settings(MethodSetting("*/*", "INFO"), MethodSetting("~1orders/GET", "OFF"))
    )
    assert effective_level(topo.stage, "/orders", "GET") == "OFF"
    assert effective_level(topo.stage, "/orders", "POST") == "INFO"


def test_no_account_role_is_its_own_finding_and_the_reason_logs_are_missing() -> None:
    topo = replace(vpc_topology(), cloudwatch_role_arn="")
    f = run_check("logging", obs(topo))
    assert f.verdict == Verdict.WARN and "no CloudWatch Logs role" in f.summary and "us-east-1" in f.summary
    logs = run_check("exec-log-errors", obs(topo))
    assert logs.verdict == Verdict.UNKNOWN and "no CloudWatch Logs role" in logs.why
    ok = run_check("logging", obs(replace(topo, cloudwatch_role_arn=ROLE)))
    assert ok.verdict == Verdict.OK and any(ROLE in e for e in ok.evidence)


def test_logging_off_for_one_method_is_named() -> None:
    stage_kw = _stage_settings(
        MethodSetting("*/*", "INFO", metrics_enabled=True), MethodSetting("~1orders/GET", "OFF")
    )
    topo = replace(vpc_topology(stage_kw={**stage_kw, "metrics_enabled": True}), cloudwatch_role_arn=ROLE)
    f = run_check("logging", obs(topo))
    assert f.verdict == Verdict.WARN and "logging off for GET /orders" in f.summary
    logs = run_check("exec-log-errors", obs(topo))
    assert "OFF for every method" in logs.why  # the only method: no traces can come
