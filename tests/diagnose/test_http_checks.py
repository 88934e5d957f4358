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
