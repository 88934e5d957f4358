"""Missing evidence never reads as a pass: a hole in the topology makes a check unknown with why."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import TG_ARN, healthy_metrics, lambda_topology, obs, series, vpc_topology

from apigw_cockpit.diagnose import run_check
from apigw_cockpit.model import PartError, Target, Topology, Verdict


def _with_targets(
    topo: Topology, targets: tuple[Target, ...], errors: tuple[PartError, ...] = ()
) -> Topology:
    lb = topo.load_balancers[0]
    tg = replace(lb.target_groups[0], targets=targets)
    return replace(topo, load_balancers=(replace(lb, target_groups=(tg,)),), errors=topo.errors + errors)


def test_security_groups_unknown_when_eni_lookup_denied() -> None:
    denied = PartError(f"enis:{TG_ARN}", "DescribeNetworkInterfaces", "UnauthorizedOperation", denied=True)
    topo = _with_targets(vpc_topology(), (Target("10.0.1.10", 80, "us-east-1a"),), (denied,))
    f = run_check("security-groups", obs(topo))
    assert f.verdict == Verdict.UNKNOWN
    assert "DescribeNetworkInterfaces" in f.why and "10.0.1.10" in f.why


def test_security_groups_unknown_for_instance_and_other_vpc_targets() -> None:
    inst = _with_targets(vpc_topology(), (Target("i-0abc", 80, "us-east-1a"),))
    f = run_check("security-groups", obs(inst))
    assert f.verdict == Verdict.UNKNOWN and "instance i-0abc" in f.why
    other = _with_targets(vpc_topology(), (Target("192.168.9.9", 80, "all"),))
    f = run_check("security-groups", obs(other))
    assert f.verdict == Verdict.UNKNOWN and "outside the NLB's VPC" in f.why


def test_security_groups_still_error_when_a_resolved_target_is_blocked() -> None:
    topo = vpc_topology(sg_cidr="192.168.0.0/16")
    lb = topo.load_balancers[0]
    extra = (*lb.target_groups[0].targets, Target("i-0abc", 80, "us-east-1a"))
    f = run_check("security-groups", obs(_with_targets(topo, extra)))
    assert f.verdict == Verdict.ERROR  # real evidence of a block outranks the hole


def test_unreadable_target_groups_are_unknown_not_empty() -> None:
    topo = vpc_topology()
    lb = replace(topo.load_balancers[0], target_groups=())
    err = PartError(f"target-groups:{lb.arn}", "DescribeTargetGroups", "AccessDenied: no", denied=True)
    topo = replace(topo, load_balancers=(lb,), errors=(err,))
    for check in ("security-groups", "target-health", "nlb-subnets"):
        f = run_check(check, obs(topo))
        assert f.verdict == Verdict.UNKNOWN, check
        assert "DescribeTargetGroups" in f.why, check


def test_unreadable_nlb_is_unknown_not_a_missing_nlb() -> None:
    topo = vpc_topology()
    err = PartError("load-balancers", "DescribeLoadBalancers", "AccessDenied: no", denied=True)
    topo = replace(topo, load_balancers=(), errors=(err,))
    for check in ("vpc-link", "security-groups", "target-health", "nlb-subnets"):
        f = run_check(check, obs(topo))
        assert f.verdict == Verdict.UNKNOWN, (check, f.summary)


def test_nlb_subnets_unknown_when_target_zone_unknown() -> None:
    topo = _with_targets(vpc_topology(), (Target("10.0.1.10", 80, ""),))
    assert run_check("nlb-subnets", obs(topo)).verdict == Verdict.UNKNOWN


def test_lambda_permission_unknown_when_function_unread() -> None:
    topo = lambda_topology()
    err = PartError("lambda:orders-fn", "GetFunctionConfiguration", "AccessDeniedException: no", denied=True)
    topo = replace(topo, lambdas=(), errors=(err,))
    f = run_check("lambda-permission", obs(topo))
    assert f.verdict == Verdict.UNKNOWN and "orders-fn" in f.why and "denied" in f.why


def test_lambda_health_unknown_without_lambda_metrics() -> None:
    topo = lambda_topology()
    f = run_check("lambda-health", obs(topo, metrics=healthy_metrics()))
    assert f.verdict == Verdict.UNKNOWN and "orders-fn" in f.why
    dims = (("FunctionName", "orders-fn"),)
    fn_metrics = (series("Errors", [0.0] * 60, namespace="AWS/Lambda", dims=dims),)
    f = run_check("lambda-health", obs(topo, metrics=healthy_metrics() + fn_metrics))
    assert f.verdict == Verdict.OK


def test_alb_targets_are_judged_by_the_albs_security_groups() -> None:
    alb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders-alb/1"
    unread = _with_targets(vpc_topology(), (Target(alb, 80, "all"),))
    f = run_check("security-groups", obs(unread))
    assert f.verdict == Verdict.UNKNOWN and "ALB" in f.why
    read = _with_targets(vpc_topology(sg_cidr="192.168.0.0/16"), (Target(alb, 80, "all", ("sg-0targets",)),))
    assert run_check("security-groups", obs(read)).verdict == Verdict.ERROR  # the ALB's SG blocks the NLB
