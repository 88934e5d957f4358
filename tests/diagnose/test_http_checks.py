"""Checks on an HTTP API: the access log is what `logging` asks for, REST-only checks are not
applicable (nothing there to be wrong), and verification has no TestInvokeMethod step."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import obs, vpc_topology

from apigw_cockpit.diagnose.checks import run_check
from apigw_cockpit.diagnose.verification import verify
from apigw_cockpit.model import Verdict
from apigw_cockpit.model.topology import LogGroups

FMT = '{"requestId":"$context.requestId","status":"$context.status","err":"$context.integrationErrorMessage"}'


def _http(access: str = "/aws/apigateway/x/access", fmt: str = FMT):  # type: ignore[no-untyped-def]
    topo = vpc_topology()
    return replace(
        topo,
        api_type="http",
        log_groups=replace(topo.log_groups, execution="", access=access) if access else LogGroups(),
        stage=replace(topo.stage, access_log_format=fmt if access else "", logging_level="OFF"),
    )


def test_logging_on_an_http_api_is_about_its_access_log() -> None:
    good = run_check("logging", obs(_http()))
    assert good.verdict == Verdict.OK and "access logging to /aws/apigateway/x/access" in good.summary
    off = run_check("logging", obs(_http(access="")))
    assert off.verdict == Verdict.WARN and "access logging is off" in off.summary
    bare = run_check("logging", obs(_http(fmt='{"requestId":"$context.requestId"}')))
    assert bare.verdict == Verdict.WARN and "integrationErrorMessage" in bare.summary
    # The same stage as a REST API is judged on execution logging.
    rest = run_check("logging", obs(replace(_http(), api_type="rest")))
    assert "execution logging is OFF" in rest.summary


def test_rest_only_checks_are_not_applicable_and_v5_is_absent() -> None:
    o = obs(_http())
    for cid in ("mapping-templates", "test-invoke", "cors-preflight"):
        f = run_check(cid, o)
        assert f.verdict == Verdict.OK and f.summary.startswith("not applicable: HTTP APIs have no"), cid
    assert run_check("mapping-templates", obs(vpc_topology())).summary.startswith("not applicable") is False
    ids = [s.id for s in verify(replace(o, fix_time=o.now - 600))]
    assert "V5" not in ids and {"V1", "V2", "V6"} <= set(ids)
    assert "V5" in [s.id for s in verify(replace(obs(vpc_topology()), fix_time=o.now - 600))]


def test_a_rest_stage_with_execution_logging_off_reads_its_access_log() -> None:
    from apigw_cockpit.diagnose.collect import ObservationBuilder
    from apigw_cockpit.model import LogsUpdate, RequestTrace

    topo = vpc_topology()
    group = "/aws/apigateway/orders/access"
    rest_off = replace(
        topo,
        log_groups=replace(topo.log_groups, access=group),
        stage=replace(topo.stage, logging_level="OFF", access_log_format=FMT),
    )
    assert (
        rest_off.access_is_request_log
        and not replace(rest_off, log_groups=topo.log_groups).access_is_request_log
    )
    line = '{"requestId":"r-9","status":"504","err":"Execution failed due to a timeout error"}'
    b = ObservationBuilder(rest_off)
    b.add(
        LogsUpdate(
            "access_logs", 0.0, (), (RequestTrace("r-9", 0.0, (line,), log_group=group, complete=True),)
        )
    )
    o = b.build(60.0)
    assert [c.result.verdict for c in o.classified] == ["integration-timeout"]
    f = run_check("logging", o)
    assert f.verdict == Verdict.WARN and f"reading the stage's access log ({group})" in f.summary
    # With execution logging on, the execution log stays the per-request log.
    on = replace(rest_off, stage=replace(rest_off.stage, logging_level="INFO"))
    assert not on.access_is_request_log
