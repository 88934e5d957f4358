"""An HTTP API's access log is its per-request evidence: collected as traces, read with the
stage's own format, classified in the one engine's vocabulary (access_rules.toml)."""

from __future__ import annotations

import json

from apigw_cockpit.aws.sources.traces import ACCESS, TraceGrouper
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.model import LogEvent, LogGroups, LogsUpdate, Stage, Topology

FMT = json.dumps(
    {"rid": "$context.requestId", "sc": "$context.status", "lat": "$context.integrationLatency",
     "ierr": "$context.integrationErrorMessage", "istatus": "$context.integration.status"}
)  # fmt: skip


def _topo(api_type: str) -> Topology:
    return Topology(
        api_id="ch3ck0uth1",
        api_name="checkout-http",
        stage=Stage(name="$default", access_log_format=FMT),
        region="us-east-1",
        log_groups=LogGroups(execution="", access="/aws/http/checkout"),
        api_type=api_type,
    )


def _events() -> list[LogEvent]:
    lines = [
        {"rid": "A1=", "sc": "504", "lat": "30012", "ierr": "-", "istatus": "-"},
        {"rid": "B2=", "sc": "200", "lat": "41", "ierr": "-", "istatus": "200"},
    ]
    return [
        LogEvent(f"e{i}", 100.0 + i, "/aws/http/checkout", "s", json.dumps(x), request_id=f"e{i}")
        for i, x in enumerate(lines)
    ]


def test_each_access_line_is_one_complete_trace() -> None:
    traces = TraceGrouper(ACCESS).add(_events(), now=110.0)
    assert [(t.request_id, t.complete, len(t.lines)) for t in traces] == [("e0", True, 1), ("e1", True, 1)]


def test_http_access_lines_are_classified_with_the_stage_format() -> None:
    b = ObservationBuilder(_topo("http"))
    traces = tuple(TraceGrouper(ACCESS).add(_events(), now=110.0))
    b.add(LogsUpdate("access_logs", 110.0, tuple(_events()), traces))
    got = {c.result.request_id: c.result for c in b.build(120.0).classified}
    assert got["A1="].verdict == "integration-timeout" and got["A1="].status == 504  # 30 s hard limit
    assert got["B2="].verdict == "success"


def test_a_rest_api_takes_access_lines_as_traces_only_with_execution_logging_off() -> None:
    from dataclasses import replace

    traces = tuple(TraceGrouper(ACCESS).add(_events(), now=110.0))
    logged = _topo("rest")
    logged = replace(logged, stage=replace(logged.stage, logging_level="INFO"))
    b = ObservationBuilder(logged)  # the execution log is the per-request log
    b.add(LogsUpdate("access_logs", 110.0, tuple(_events()), traces))
    assert b.build(120.0).traces == ()
    off = ObservationBuilder(replace(logged, stage=replace(logged.stage, logging_level="OFF")))
    off.add(LogsUpdate("access_logs", 110.0, tuple(_events()), traces))
    assert len(off.build(120.0).traces) == len(traces) > 0


def test_an_http_api_polls_its_access_log_not_an_execution_log() -> None:
    from apigw_cockpit.aws.feed import build_pollers
    from apigw_cockpit.aws.settings import AwsSettings
    from apigw_cockpit.model import FrozenClock

    pollers = build_pollers(None, FrozenClock(0.0), _topo("http"), AwsSettings("ch3ck0uth1", "$default"))
    logs = [p for p in pollers if p.name in ("logs", "access_logs")]
    assert [(p.name, getattr(p, "log_groups", None)) for p in logs] == [
        ("access_logs", ["/aws/http/checkout"])
    ]


def test_an_http_api_charts_its_v2_metrics_by_api_id_and_stage() -> None:
    from apigw_cockpit.aws.sources.metrics import series_for

    keys = [k for k in series_for(_topo("http")) if k.namespace == "AWS/ApiGateway"]
    assert {k.metric for k in keys} == {"5xx", "4xx", "Count", "Latency", "IntegrationLatency"}
    assert all(dict(k.dimensions) == {"ApiId": "ch3ck0uth1", "Stage": "$default"} for k in keys)
