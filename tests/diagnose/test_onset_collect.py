"""Onset detection, change correlation scores, and accumulating poller updates."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import (
    API,
    NOW,
    ONSET,
    SG_OTHER,
    SG_TARGETS,
    T0,
    change,
    exec_trace,
    series,
    step,
    vpc_topology,
)
from scenarios import sg_blocks

from apigw_cockpit.diagnose import correlate, find_onset
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.onset import rise
from apigw_cockpit.model import LogEvent, LogsUpdate, MetricsUpdate, SourceState, SourceStatus


def test_rise_ignores_a_lone_blip_and_noise() -> None:
    noisy = [(T0 + 60 * i, v) for i, v in enumerate([0, 1, 0, 2, 0, 9, 0, 1, 0, 0, 40, 45, 50])]
    assert rise(noisy) == 10  # the 9 at index 5 is one minute, then back to 0
    assert rise([(T0, 0.0), (T0 + 60, 1.0), (T0 + 120, 2.0)]) is None


def test_healthy_host_drop_leads_the_5xx() -> None:
    hh = series(
        "HealthyHostCount",
        step(4, 0, at_minute=43),
        namespace="AWS/NetworkELB",
        stat="Minimum",
        dims=(("LoadBalancer", "net/orders-nlb/abc"), ("TargetGroup", "targetgroup/orders-tg/def")),
    )
    o = replace(sg_blocks(), metrics=(*sg_blocks().metrics, hh))
    onset = find_onset(o)
    assert onset is not None and onset.source == "HealthyHostCount" and onset.at == ONSET - 120


def test_onset_falls_back_to_first_failing_trace() -> None:
    o = replace(sg_blocks(), metrics=())
    onset = find_onset(o)
    assert onset is not None and onset.source == "traces" and onset.at == ONSET + 30


def test_correlation_scores_path_and_proximity() -> None:
    o = sg_blocks()
    onset = find_onset(o)
    changes = (
        change("RevokeSecurityGroupIngress", 5, [SG_TARGETS]),
        change("RevokeSecurityGroupIngress", 1, [SG_OTHER]),
        change("CreateDeployment", 180, ["a1b2c3"], source="apigateway.amazonaws.com"),
        change("RevokeSecurityGroupIngress", -10, [SG_TARGETS]),  # after onset: a reaction
    )
    ranked = correlate(replace(o, changes=changes), onset)
    first = ranked[0]
    assert first.change.resources == (SG_TARGETS,) and first.on_path and first.delta_s == 300
    by_id = {c.change.event_id: c for c in ranked}
    assert by_id[changes[1].event_id].on_path is False and by_id[changes[1].event_id].score < 0.2
    assert by_id[changes[2].event_id].score <= 0.05
    assert by_id[changes[3].event_id].score == 0.0


def test_tied_changes_rank_the_narrower_one_first() -> None:
    """UpdateAuthorizer and the CreateDeployment that shipped it, in the same minute: the authorizer
    change is the one to revert (a deployment can produce many causes), whatever order they came in."""
    o = sg_blocks()
    onset = find_onset(o)
    gw = "apigateway.amazonaws.com"
    for order in (("CreateDeployment", "UpdateAuthorizer"), ("UpdateAuthorizer", "CreateDeployment")):
        changes = tuple(change(n, 2, [API], source=gw) for n in order)
        ranked = [c for c in correlate(replace(o, changes=changes), onset) if c.on_path]
        assert [c.change.event_name for c in ranked] == ["UpdateAuthorizer", "CreateDeployment"]
        assert ranked[0].score == ranked[1].score and len(ranked[0].produces) < len(ranked[1].produces)


def test_builder_merges_metrics_routes_events_and_keeps_status() -> None:
    topo = vpc_topology()
    b = ObservationBuilder(topo)
    five = series("5XXError", [0, 0, 5])
    b.add(MetricsUpdate("metrics", T0, (five,)))
    b.add(MetricsUpdate("metrics", T0 + 180, (replace(five, points=((T0 + 120, 7.0), (T0 + 180, 9.0))),)))
    trace = replace(
        exec_trace("r-1", T0, "Execution failed due to a timeout error", 504),
        log_group=topo.log_groups.execution,
    )
    lam = LogEvent("e1", T0, "/aws/lambda/orders-fn", "s", "Task timed out after 3.00 seconds")
    b.add(LogsUpdate("logs", T0, (), (trace,)))
    b.add(
        LogsUpdate(
            "lambda_logs", T0, (lam,), (replace(trace, request_id="lam", log_group="/aws/lambda/orders-fn"),)
        )
    )
    b.add(SourceStatus("changes", SourceState.DENIED, T0, last_error="cloudtrail:LookupEvents"))
    o = b.build(NOW, fix_time=T0)
    assert [v for _, v in o.metrics[0].points] == [0, 0, 7, 9]
    assert [t.request_id for t in o.traces] == ["r-1"]  # the Lambda trace is not an execution trace
    assert o.events == (lam,)
    assert o.source_problem("changes") == "denied: cloudtrail:LookupEvents"
    assert o.fix_time == T0
