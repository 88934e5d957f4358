"""Change ↔ onset correlation: which CloudTrail change most plausibly started the incident.

A change scores by proximity (shortly before onset) times "on the failing hop": the
targets' security groups, the NLB, the VPC link, the Lambda/role of the failing method,
the stage/deployment. A change off the request path, or long before onset, cannot win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apigw_cockpit.diagnose.observations import Observations, failing, path_matches
from apigw_cockpit.diagnose.onset import Onset
from apigw_cockpit.model import Change, Topology

WINDOW_S = 30 * 60  # changes up to 30 min before onset are candidates
GRACE_S = 90  # onset is minute-aligned: a change up to 90 s "after" may be the cause

# event name → kind, for names that say what changed regardless of resource
_EVENT_KINDS = {
    "AddPermission": "lambda-permission",
    "RemovePermission": "lambda-permission",
    "UpdateFunctionCode": "lambda-code",
    "UpdateFunctionConfiguration": "lambda-config",
    "PublishVersion": "lambda-code",
    "UpdateAlias": "lambda-code",
    "DetachRolePolicy": "role",
    "DeleteRolePolicy": "role",
    "PutRolePolicy": "role",
    "AttachRolePolicy": "role",
    "UpdateAssumeRolePolicy": "role",
    "CreateDeployment": "deployment",
    "UpdateStage": "stage",
    "PutIntegration": "integration",
    "UpdateIntegration": "integration",
    "DeleteIntegration": "integration",
    "PutIntegrationResponse": "integration",
    "UpdateIntegrationResponse": "integration",
    "DeleteIntegrationResponse": "integration",
    "PutMethod": "method",
    "DeleteMethod": "method",
    "UpdateMethod": "method",
    "UpdateVpcLink": "vpc-link",
    "DeleteVpcLink": "vpc-link",
    "SetSubnets": "nlb",
    "ModifyLoadBalancerAttributes": "nlb",
    "DeleteLoadBalancer": "nlb-deleted",
    "RegisterTargets": "target-group",
    "DeregisterTargets": "target-group",
    "ModifyTargetGroup": "target-group",
    "RevokeSecurityGroupIngress": "sg",
    "AuthorizeSecurityGroupIngress": "sg",
    "ModifySecurityGroupRules": "sg",
    "UpdateSecurityGroupRuleDescriptionsIngress": "sg-description",
}


@dataclass(frozen=True)
class Correlated:
    change: Change
    kind: str
    score: float  # proximity × on-path, in [0, 1]
    delta_s: float  # onset - change time (positive: change came first)
    on_path: bool
    reason: str


_API_VERSION = re.compile(r"\d{8}(v\d+)?$")  # CloudTrail's "RemovePermission20150331v2"


# Event-name prefixes that take something away: on a tie, the likelier cause.
REMOVALS = ("Revoke", "Delete", "Remove", "Detach", "Deregister", "Disable")


def event_kind(event_name: str) -> str:
    return _EVENT_KINDS.get(_API_VERSION.sub("", event_name), "other")


def _mentions(change: Change, ids: set[str]) -> set[str]:
    text = " ".join(change.resources) + " " + change.request_parameters
    return {i for i in ids if len(i) >= 4 and i in text}


def _path_ids(topo: Topology, failing_paths: set[str]) -> dict[str, set[str]]:
    """Ids on the request path, by hop."""
    target_sgs = {sg for tg in topo.target_groups() for t in tg.targets for sg in t.security_groups}
    lb_ids: set[str] = set()
    tg_ids: set[str] = set()
    for lb in topo.load_balancers:
        lb_ids |= {lb.arn, lb.name} | {s for _, s in lb.azs}
        target_sgs |= set(lb.security_groups)
        tg_ids |= {x for tg in lb.target_groups for x in (tg.arn, tg.name)}
    fns: set[str] = set()
    roles: set[str] = set()
    for res, method in topo.methods():
        integ = method.integration
        if integ is None or (failing_paths and not any(path_matches(res.path, p) for p in failing_paths)):
            continue
        fn = topo.lambda_by_arn(integ.lambda_arn) if integ.lambda_arn else None
        if fn is not None:
            fns |= {fn.name, fn.arn}
            if fn.role_arn:
                roles.add(fn.role_arn)
        if integ.credentials:
            roles |= {integ.credentials, integ.credentials.split("/")[-1]}
    return {
        "sg": target_sgs,
        "nlb": lb_ids,
        "target-group": tg_ids,
        "vpc-link": {v.id for v in topo.vpc_links},
        "lambda": fns,
        "role": roles,
        "api": {topo.api_id},
    }


def _proximity(delta: float) -> float:
    if delta < -GRACE_S:
        return 0.0  # after onset: a reaction, not a cause
    if delta <= 0:
        return 1.0
    if delta <= WINDOW_S:
        return 1.0 - 0.6 * delta / WINDOW_S
    return 0.05  # hours before: still listed, never a winner


def correlate(obs: Observations, onset: Onset | None) -> list[Correlated]:
    topo = obs.topology
    paths = {c.result.path for c in failing(obs) if c.result.path}
    path_ids = _path_ids(topo, paths)
    all_ids = topo.resource_ids()
    out: list[Correlated] = []
    for ch in obs.changes:
        if ch.read_only:
            continue
        kind = event_kind(ch.event_name)
        hops = [hop for hop, ids in path_ids.items() if _mentions(ch, ids)]
        on_path = bool(hops) and kind != "sg-description"
        if kind == "sg" and "sg" not in hops:
            on_path = False  # a security group of something else
        if kind in ("lambda-permission", "lambda-code", "lambda-config") and "lambda" not in hops:
            on_path = False
        if kind == "other" and hops:
            kind = hops[0]
        weight = 1.0 if on_path else (0.15 if _mentions(ch, all_ids) else 0.05)
        delta = (onset.at - ch.time) if onset else 0.0
        prox = _proximity(delta) if onset else 0.3
        where = "on the failing path" if on_path else "not on the request path"
        when = (
            f"{abs(delta) / 60:.0f} min {'before' if delta >= 0 else 'after'} onset" if onset else "no onset"
        )
        out.append(
            Correlated(ch, kind, round(prox * weight, 3), delta, on_path, f"{ch.event_name} {where}, {when}")
        )
    # Same score and time (a rule swapped for another): the removal is the likelier cause.
    out.sort(key=lambda c: (-c.score, abs(c.delta_s), not c.change.event_name.startswith(REMOVALS)))
    return out
