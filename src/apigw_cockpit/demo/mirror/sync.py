"""Keep moto in step with the world after each mutating action, so discovery sees the new state.

Rather than re-interpret each action's parameters, we re-read the part of `world.state` an
action touches and make moto match it (diff, then the same API calls a person would make).
The table maps action names to the parts they touch; an unknown action syncs every part.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from apigw_cockpit.demo.mirror.apigw import put_integration, update_stage
from apigw_cockpit.demo.mirror.apigw_v2 import sync_http_api, sync_http_stage
from apigw_cockpit.demo.mirror.clients import Clients
from apigw_cockpit.demo.mirror.seed import Bindings, _ip_permission, add_permission, policy_document

log = logging.getLogger(__name__)


def _rule_key(perm: dict[str, Any]) -> set[tuple[Any, ...]]:
    """Flatten IpPermissions into comparable (proto, from, to, source) tuples."""
    proto = perm.get("IpProtocol")
    lo, hi = perm.get("FromPort", -1), perm.get("ToPort", -1)
    if proto == "-1":
        lo = hi = -1
    keys = {(proto, lo, hi, r.get("CidrIp")) for r in perm.get("IpRanges", [])}
    keys |= {(proto, lo, hi, g.get("GroupId")) for g in perm.get("UserIdGroupPairs", [])}
    return keys


def _perm_for(key: tuple[Any, ...], descriptions: dict[tuple[Any, ...], str]) -> dict[str, Any]:
    proto, lo, hi, source = key
    perm: dict[str, Any] = {"IpProtocol": proto}
    if proto != "-1":
        perm |= {"FromPort": lo, "ToPort": hi}
    entry: dict[str, str] = {"GroupId" if str(source).startswith("sg-") else "CidrIp": source}
    if descriptions.get(key):
        entry["Description"] = descriptions[key]
    perm["UserIdGroupPairs" if "GroupId" in entry else "IpRanges"] = [entry]
    return perm


def sync_security_groups(c: Clients, st: Any, ids: Bindings) -> None:
    """Revoke and authorize rule by rule: moto merges CIDRs of one port range into one
    IpPermission, so revoking whole permissions would take innocent rules with them."""
    sg_ids = {n: ids[("security_groups", n)] for n in st.security_groups}
    got = c.ec2.describe_security_groups(GroupIds=list(sg_ids.values()))["SecurityGroups"]
    by_id = {g["GroupId"]: g for g in got}
    for name, sg in st.security_groups.items():
        have: set[tuple[Any, ...]] = set()
        for perm in by_id[sg_ids[name]].get("IpPermissions", []):
            have |= _rule_key(perm)
        want: set[tuple[Any, ...]] = set()
        descriptions: dict[tuple[Any, ...], str] = {}
        for rule in sg.ingress:
            keys = _rule_key(_ip_permission(rule, sg_ids))
            want |= keys
            descriptions |= dict.fromkeys(keys, rule.description)
        if have - want:
            perms = [_perm_for(k, {}) for k in sorted(have - want, key=str)]
            c.ec2.revoke_security_group_ingress(GroupId=sg_ids[name], IpPermissions=perms)
        if want - have:
            perms = [_perm_for(k, descriptions) for k in sorted(want - have, key=str)]
            c.ec2.authorize_security_group_ingress(GroupId=sg_ids[name], IpPermissions=perms)


def sync_lambdas(c: Clients, st: Any, ids: Bindings) -> None:
    for fn in st.lambdas.values():
        conf = c.lambda_.get_function_configuration(FunctionName=fn.name)
        if conf.get("Timeout") != fn.timeout_s:
            c.lambda_.update_function_configuration(FunctionName=fn.name, Timeout=fn.timeout_s)
        try:
            policy = json.loads(c.lambda_.get_policy(FunctionName=fn.name)["Policy"])
            have = {s.get("Sid") for s in policy.get("Statement", [])}
        except c.lambda_.exceptions.ResourceNotFoundException:
            have = set()
        want = {p.sid: p for p in fn.permissions}
        for sid in have - set(want):
            c.lambda_.remove_permission(FunctionName=fn.name, StatementId=sid)
        for sid in set(want) - have:
            add_permission(c, fn.name, want[sid])


def sync_roles(c: Clients, st: Any, ids: Bindings) -> None:
    for name, role in st.roles.items():
        role_name = role.arn.rsplit("/", 1)[-1]
        attached = {
            p["PolicyArn"] for p in c.iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        }
        inline = set(c.iam.list_role_policies(RoleName=role_name)["PolicyNames"])
        for pname, pol in role.policies.items():
            if ":policy/" in pol.arn:
                arn = ids.get(("policies", f"{name}.{pname}"), pol.arn)
                if pol.attached and arn not in attached:
                    c.iam.attach_role_policy(RoleName=role_name, PolicyArn=arn)
                elif not pol.attached and arn in attached:
                    c.iam.detach_role_policy(RoleName=role_name, PolicyArn=arn)
            elif pol.attached and pname not in inline:
                doc = policy_document(pol.statements)
                c.iam.put_role_policy(RoleName=role_name, PolicyName=pname, PolicyDocument=doc)
            elif not pol.attached and pname in inline:
                c.iam.delete_role_policy(RoleName=role_name, PolicyName=pname)


def sync_api(c: Clients, st: Any, ids: Bindings) -> None:
    gw = c.apigateway
    api_id = st.api.id
    for name, res in st.resources.items():
        rid = ids[("resources", name)]
        have = set((gw.get_resource(restApiId=api_id, resourceId=rid).get("resourceMethods") or {}).keys())
        for verb in have - set(res.methods):
            gw.delete_method(restApiId=api_id, resourceId=rid, httpMethod=verb)
        for verb, method in res.methods.items():
            if verb not in have:
                gw.put_method(
                    restApiId=api_id, resourceId=rid, httpMethod=verb, authorizationType=method.authorization
                )
            if method.integration is None:
                if verb in have:
                    with contextlib.suppress(gw.exceptions.NotFoundException):
                        gw.delete_integration(restApiId=api_id, resourceId=rid, httpMethod=verb)
                continue
            put_integration(gw, st, ids, api_id, rid, verb, method.integration)


def sync_stage(c: Clients, st: Any, ids: Bindings) -> None:
    gw = c.apigateway
    current = gw.get_stage(restApiId=st.api.id, stageName=st.stage.name).get("deploymentId")
    if current != st.stage.deployment_id:
        from apigw_cockpit.demo.mirror.apigw import _custom_id

        _custom_id("deployment", st, st.stage.name)(st.stage.deployment_id)
        gw.create_deployment(restApiId=st.api.id, stageName=st.stage.name, description="redeploy")
    update_stage(c, st)


def sync_nlbs(c: Clients, st: Any, ids: Bindings) -> None:
    for name, nlb in st.nlbs.items():
        arn = ids[("nlbs", name)]
        found: list[dict[str, Any]] = []
        if not nlb.deleted:
            with contextlib.suppress(c.elbv2.exceptions.LoadBalancerNotFoundException):
                found = c.elbv2.describe_load_balancers(Names=[nlb.lb_name])["LoadBalancers"]
        if nlb.deleted:
            with contextlib.suppress(c.elbv2.exceptions.LoadBalancerNotFoundException):
                c.elbv2.delete_load_balancer(LoadBalancerArn=arn)
            continue
        if not found:
            _recreate_nlb(c, st, ids, name)
            continue
        want = {ids[("subnets", s)] for s in nlb.subnets}
        have = {z["SubnetId"] for z in found[0].get("AvailabilityZones", [])}
        if want and want != have:
            try:
                c.elbv2.set_subnets(LoadBalancerArn=arn, Subnets=sorted(want))
            except c.elbv2.exceptions.InvalidConfigurationRequestException:
                _set_single_subnet(st, arn, sorted(want))


def _set_single_subnet(st: Any, arn: str, subnet_ids: list[str]) -> None:
    """moto applies the ALB rule (two AZs at least) to NLBs too; AWS lets an NLB use one subnet,
    which is exactly how the nlb-subnet-mismatch incident happens. Set it in-process."""
    from moto.ec2.models import ec2_backends
    from moto.elbv2.models import elbv2_backends

    lb = elbv2_backends[st.api.account][st.api.region].load_balancers[arn]
    ec2 = ec2_backends[st.api.account][st.api.region]
    lb.subnets = [ec2.get_subnet(s) for s in subnet_ids]


def _recreate_nlb(c: Clients, st: Any, ids: Bindings, name: str) -> None:
    """Create it again under its old ARN: the world (and the VPC link) still name that ARN."""
    from apigw_cockpit.demo.mirror.seed import create_nlb

    create_nlb(c, st, ids, name, rekey_to=ids[("nlbs", name)])


Sync = Callable[[Clients, Any, Bindings], None]
ALL: dict[str, Sync] = {
    "security_groups": sync_security_groups,
    "lambdas": sync_lambdas,
    "roles": sync_roles,
    "api": sync_api,
    "stage": sync_stage,
    "nlbs": sync_nlbs,
}
# Action name -> the parts of the account it changes in moto. Backend behaviour (latency,
# crashes, TLS) lives only in the world: moto has nothing to mirror, hence the empty tuples.
TOUCHES: dict[str, tuple[str, ...]] = {
    "revoke_ingress": ("security_groups",),
    "authorize_ingress": ("security_groups",),
    "remove_lambda_permission": ("lambdas",),
    "add_lambda_permission": ("lambdas",),
    "set_lambda_timeout": ("lambdas",),
    "set_lambda_code": (),
    "lambda_raise": (),
    "lambda_malformed_response": (),
    "set_lambda_duration": (),
    "detach_role_policy": ("roles",),
    "attach_role_policy": ("roles",),
    "set_backend": (),
    "set_backend_latency": (),
    "crash_targets_above": (),
    "return_invalid_responses": (),
    "serve_tls_cert": (),
    "set_backend_down": (),
    "set_backend_up": (),
    "break_request_template": ("api",),
    "set_request_template": ("api",),
    "set_integration_timeout": ("api",),
    "put_integration_response": ("api",),
    "delete_integration_response": ("api",),
    "put_method_response": ("api",),
    "remove_integration": ("api",),
    "put_integration": ("api",),
    "set_stage_variable": ("stage",),
    "set_logging": ("stage",),
    "create_deployment": ("stage",),
    "set_vpc_link_status": (),  # moto cannot hold a status; the overlay answers it from the world
    "set_nlb_subnets": ("nlbs",),
    "delete_load_balancer": ("nlbs",),
    "create_load_balancer": ("nlbs",),
    "update_integration": ("api",),
    # Registration is answered from the world (DescribeTargetHealth is the overlay's); moto
    # has the person's own call already.
    "register_targets": (),
    "deregister_targets": (),
    # Issue 13's primitives change what the world answers, nothing moto's discovery reads.
    **dict.fromkeys(
        (
            "set_lambda_concurrency",
            "delete_lambda_concurrency",
            "update_authorizer",
            "update_jwt_authorizer",  # GetAuthorizers is the overlay's, read from the world
            "set_usage_plan_throttle",
            "expire_backend_cert",
            "renew_backend_cert",
            "crash_backend",
            "restart_backend",
            "set_latency_tail",
        ),
        (),
    ),
}


REST_ONLY = ("api", "stage")


def parts_for(action: str) -> tuple[str, ...]:
    if action in TOUCHES:
        return TOUCHES[action]
    if "stage" in action or "deploy" in action:
        return ("stage", "api")
    if "subnet" in action or "nlb" in action:
        return ("nlbs",)
    return tuple(ALL)


def mirror(c: Clients, st: Any, ids: Bindings, action: str) -> None:
    for part in parts_for(action):
        fn = ALL[part]
        if part in REST_ONLY and st.is_http:
            fn = sync_http_api if part == "api" else sync_http_stage  # apigatewayv2's own calls
        try:
            fn(c, st, ids)
        except Exception:  # a mirror failure must not stop the world; discovery shows stale state
            log.exception("mirroring %s after %s failed", part, action)
