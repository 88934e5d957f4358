"""Per root cause, a hand-built incident ranks that cause first; red herrings do not win."""

from __future__ import annotations

from dataclasses import replace

import pytest
from diagnose_world import ONSET, SG_OTHER, SG_TARGETS, T0, change
from scenarios import SCENARIOS, integration_timeout, sg_blocks

from apigw_cockpit.diagnose import ROOT_CAUSES, rank, run_checks
from apigw_cockpit.model import Verdict


def test_every_root_cause_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(ROOT_CAUSES)


@pytest.mark.parametrize("cause", sorted(SCENARIOS))
def test_root_cause_ranks_first(cause: str) -> None:
    obs = SCENARIOS[cause]()
    findings = run_checks(obs)
    hypotheses = rank(findings, obs)
    assert hypotheses, "an incident must produce hypotheses"
    top = hypotheses[0]
    assert top.root_cause == cause, [(h.root_cause, h.confidence) for h in hypotheses[:3]]
    assert 0 < top.confidence <= 1
    assert top.because, "the top hypothesis must say why"
    if len(hypotheses) > 1:
        assert top.confidence > hypotheses[1].confidence


def test_healthy_has_no_error_findings() -> None:
    findings = run_checks(SCENARIOS["none"]())
    assert [f.check_id for f in findings if f.verdict == Verdict.ERROR] == []


def test_unrelated_sg_change_right_before_onset_does_not_win() -> None:
    base = integration_timeout()
    herring = change("RevokeSecurityGroupIngress", 1, [SG_OTHER])
    obs = replace(base, changes=(herring,))
    top = rank(run_checks(obs), obs)[0]
    assert top.root_cause == "integration-timeout"
    assert not any("RevokeSecurityGroupIngress" in b for b in top.because)


def test_deploy_three_hours_before_onset_does_not_win() -> None:
    base = sg_blocks()
    deploy = change("CreateDeployment", 180, ["a1b2c3"], source="apigateway.amazonaws.com")
    obs = replace(base, changes=(deploy, *base.changes))
    hypotheses = rank(run_checks(obs), obs)
    assert hypotheses[0].root_cause == "sg-blocks-nlb-targets"
    assert "mapping-template-invalid" not in [h.root_cause for h in hypotheses[:2]]


def test_sg_change_without_onset_alignment_still_explained_by_checks() -> None:
    # No CloudTrail at all (LookupEvents denied): the SG check and target health carry it.
    obs = replace(sg_blocks(), changes=())
    assert rank(run_checks(obs), obs)[0].root_cause == "sg-blocks-nlb-targets"


def test_revoke_named_before_the_authorize_that_replaced_it() -> None:
    from apigw_cockpit.diagnose import run_check

    base = sg_blocks()
    swapped = (change("AuthorizeSecurityGroupIngress", 5, [SG_TARGETS]), *base.changes)
    f = run_check("recent-changes", replace(base, changes=swapped))
    assert f.summary.startswith("RevokeSecurityGroupIngress on the failing path 5 min before onset")


def test_onset_is_minute_45() -> None:
    from apigw_cockpit.diagnose import find_onset

    onset = find_onset(sg_blocks())
    assert onset is not None and onset.at == ONSET and onset.source == "5XXError"
    assert onset.at > T0


def test_a_fault_without_an_incident_is_latent_and_the_answer_is_none() -> None:
    """b55's kind: a check finds a real fault (here a resource policy that no longer allows API
    Gateway) but no request failed: a warning to fix in daylight, and `none` — not a root cause."""
    from diagnose_world import healthy_metrics, lambda_topology, obs, ok_traces

    from apigw_cockpit.diagnose.pipeline import run

    quiet = obs(lambda_topology(allow_apigw=False), metrics=healthy_metrics(), traces=ok_traces(8))
    result = run(quiet)
    assert [h.root_cause for h in result.diagnosis.hypotheses] == ["none"]
    perm = result.finding("lambda-permission")
    assert perm is not None and perm.verdict == Verdict.WARN and perm.summary.startswith("latent, no 5XX")
    assert any("lambda-permission: latent" in b for b in result.diagnosis.hypotheses[0].because)
    assert not any(f.verdict == Verdict.ERROR for f in result.diagnosis.findings)
    # No 5XX data yet (first poll, metrics denied) is no proof there is no incident: not latent.
    blind = run(obs(lambda_topology(allow_apigw=False), traces=ok_traces(8)))
    assert blind.finding("lambda-permission").verdict == Verdict.ERROR  # type: ignore[union-attr]
    # The same fault with the requests failing is the incident's cause, at error level.
    from scenarios import lambda_permission

    live = run(lambda_permission())
    assert live.diagnosis.hypotheses[0].root_cause == "lambda-permission-missing"
    assert live.finding("lambda-permission").verdict == Verdict.ERROR  # type: ignore[union-attr]
