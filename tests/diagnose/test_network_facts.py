"""Target-health states/reasons as what they mean; secondary VPC CIDRs as traffic sources."""

from __future__ import annotations

from dataclasses import replace

import botocore.session
import pytest
from diagnose_world import obs, targets_health, vpc_topology

from apigw_cockpit.diagnose import run_check
from apigw_cockpit.diagnose.target_states import health_meaning, health_table
from apigw_cockpit.model import SecurityGroup, SgRule, Verdict


def _elbv2_enum(name: str) -> list[str]:
    # botocore's loader reads service-2.json(.gz) of the installed version.
    model = botocore.session.get_session().get_service_model("elbv2")
    return list(model.shape_for(name).enum)


def test_every_state_and_reason_in_the_elbv2_model_has_a_meaning() -> None:
    states, reasons = health_table()
    assert set(_elbv2_enum("TargetHealthStateEnum")) == set(states)
    assert set(_elbv2_enum("TargetHealthReasonEnum")) == set(reasons)


@pytest.mark.parametrize(
    ("state", "reason", "verdict"),
    [
        ("initial", "Elb.InitialHealthChecking", Verdict.UNKNOWN),  # a deploy in progress, not a fault
        ("draining", "Target.DeregistrationInProgress", Verdict.UNKNOWN),
        ("unavailable", "Target.HealthCheckDisabled", Verdict.UNKNOWN),
        ("unhealthy", "Target.Timeout", Verdict.ERROR),
        ("unhealthy", "Elb.InternalError", Verdict.ERROR),
        ("unused", "Target.NotInUse", Verdict.ERROR),
    ],
)
def test_target_health_verdicts_follow_meaning(state: str, reason: str, verdict: Verdict) -> None:
    f = run_check("target-health", obs(vpc_topology(), target_health=targets_health(state, reason)))
    assert f.verdict == verdict, f.summary
    assert health_meaning(state, reason).meaning.split()[0] in " ".join(f.evidence) + f.summary


def test_timeout_supports_a_blocked_path_and_internal_error_blames_nothing_of_ours() -> None:
    f = run_check(
        "target-health", obs(vpc_topology(), target_health=targets_health("unhealthy", "Target.Timeout"))
    )
    assert "sg-blocks-nlb-targets" in f.root_causes
    f = run_check(
        "target-health", obs(vpc_topology(), target_health=targets_health("unhealthy", "Elb.InternalError"))
    )
    assert f.root_causes == ()


def test_one_draining_target_beside_healthy_ones_is_not_a_fault() -> None:
    health = targets_health("healthy") + targets_health(
        "draining", "Target.DeregistrationInProgress", ("us-east-1a",)
    )
    f = run_check("target-health", obs(vpc_topology(), target_health=health))
    assert (
        f.verdict == Verdict.WARN
        and not f.root_causes
        and "draining" in f.summary.lower() + " ".join(f.evidence)
    )


def test_secondary_vpc_cidr_is_a_source_when_nlb_subnets_are_unknown() -> None:
    topo = vpc_topology()
    lb = replace(topo.load_balancers[0], subnet_cidrs=())
    sg = SecurityGroup("sg-0targets", "orders-tasks", "vpc-1", (SgRule("tcp", 80, 80, cidr="100.64.0.0/16"),))
    topo = replace(
        topo,
        load_balancers=(lb,),
        security_groups=(sg,),
        vpc_cidrs=("10.0.0.0/16", "100.64.0.0/16"),
    )
    assert run_check("security-groups", obs(topo)).verdict == Verdict.OK
    blocked = replace(topo, vpc_cidrs=("10.0.0.0/16", "100.65.0.0/16"))
    assert run_check("security-groups", obs(blocked)).verdict == Verdict.ERROR
