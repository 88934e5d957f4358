"""Discovery of the Lambda functions behind integrations and the IAM roles on the path."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from typing import Any

from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import LambdaFunction, PartError, PolicyStatement, Role, Topology


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _principals(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    out: list[str] = []
    for v in value.values():
        out.extend(_as_tuple(v))
    return tuple(out)


def _source_arn(condition: Any) -> str:
    """`{"ArnLike": {"AWS:SourceArn": "..."}}` in any operator/case → the ARN."""
    for block in (condition or {}).values():
        for key, val in (block or {}).items():
            if key.lower() == "aws:sourcearn":
                vals = _as_tuple(val)
                return vals[0] if vals else ""
    return ""


def _statements(parts: Parts, part: str, operation: str, document: Any) -> tuple[PolicyStatement, ...]:
    """`statements()`, but a document we cannot read is a PartError of its part, not a crash."""
    try:
        return statements(document)
    except (ValueError, TypeError, AttributeError) as exc:
        parts.errors.append(PartError(part, operation, f"unreadable policy document ({type(exc).__name__})"))
        return ()


def statements(document: Any) -> tuple[PolicyStatement, ...]:
    """A policy document (dict, JSON or URL-encoded JSON) → flattened statements."""
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
        document = json.loads(text)
    raw = document.get("Statement", [])
    if isinstance(raw, dict):
        raw = [raw]
    return tuple(
        PolicyStatement(
            effect=s.get("Effect", ""),
            actions=_as_tuple(s.get("Action")),
            resources=_as_tuple(s.get("Resource")),
            principals=_principals(s.get("Principal")),
            source_arn=_source_arn(s.get("Condition")),
            sid=s.get("Sid", "") or "",
        )
        for s in raw
    )


async def _function(lam: Client, arn: str, parts: Parts) -> LambdaFunction | None:
    name = arn.split(":function:")[-1].split(":")[0] if ":function:" in arn else arn
    cfg = await parts.get(
        f"lambda:{name}", "GetFunctionConfiguration", lam.get_function_configuration(FunctionName=arn)
    )
    if cfg is None:
        return None
    policy = await parts.get(f"lambda-policy:{name}", "GetPolicy", lam.get_policy(FunctionName=arn))
    fn_name = cfg.get("FunctionName", name)
    log_cfg = cfg.get("LoggingConfig") or {}
    return LambdaFunction(
        name=fn_name,
        arn=cfg.get("FunctionArn", arn),
        timeout_s=int(cfg.get("Timeout", 3)),
        runtime=cfg.get("Runtime", "") or "",
        role_arn=cfg.get("Role", "") or "",
        resource_policy=(
            _statements(parts, f"lambda-policy:{name}", "GetPolicy", policy["Policy"])
            if policy and policy.get("Policy")
            else ()
        ),
        log_group=log_cfg.get("LogGroup") or f"/aws/lambda/{fn_name}",
    )


async def _role(iam: Client, arn: str, parts: Parts) -> Role | None:
    name = arn.rsplit("/", 1)[-1]
    got = await parts.get(f"role:{name}", "GetRole", iam.get_role(RoleName=name))
    if got is None:
        return None
    stmts: list[PolicyStatement] = []
    inline = await parts.get(
        f"role-policies:{name}",
        "ListRolePolicies",
        paginate(iam, "list_role_policies", "PolicyNames", RoleName=name),
    )
    for pname in inline or []:
        doc = await parts.get(
            f"role-policy:{name}/{pname}",
            "GetRolePolicy",
            iam.get_role_policy(RoleName=name, PolicyName=pname),
        )
        if doc:
            stmts.extend(
                _statements(parts, f"role-policy:{name}/{pname}", "GetRolePolicy", doc["PolicyDocument"])
            )
    attached = await parts.get(
        f"attached-policies:{name}",
        "ListAttachedRolePolicies",
        paginate(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name),
    )
    arns = tuple(p["PolicyArn"] for p in attached or [])
    for parn in arns:
        pol = await parts.get(f"policy:{parn}", "GetPolicy", iam.get_policy(PolicyArn=parn))
        version = ((pol or {}).get("Policy") or {}).get("DefaultVersionId")
        if not version:
            continue
        ver = await parts.get(
            f"policy:{parn}",
            "GetPolicyVersion",
            iam.get_policy_version(PolicyArn=parn, VersionId=version),
        )
        document = ((ver or {}).get("PolicyVersion") or {}).get("Document")
        if document:
            stmts.extend(_statements(parts, f"policy:{parn}", "GetPolicyVersion", document))
    return Role(
        arn=got["Role"].get("Arn", arn), name=name, statements=tuple(stmts), attached_policy_arns=arns
    )


async def discover_lambdas(
    factory: ClientFactory, topo: Topology, parts: Parts
) -> tuple[tuple[LambdaFunction, ...], tuple[Role, ...]]:
    arns = sorted({i.lambda_arn for i in topo.integrations() if i.lambda_arn and "${" not in i.lambda_arn})
    for i in topo.integrations():
        if i.lambda_arn and "${" in i.lambda_arn:
            parts.errors.append(
                PartError(
                    f"lambda:{i.lambda_arn}", "stage-variables", "stage variable in the ARN does not resolve"
                )
            )
    fns: tuple[LambdaFunction, ...] = ()
    if arns:
        lam = await factory.client("lambda")
        got = await asyncio.gather(*(_function(lam, arn, parts) for arn in arns))
        fns = tuple(f for f in got if f is not None)
    role_arns = sorted({i.credentials for i in topo.integrations() if i.credentials.startswith("arn:")})
    role_arns += sorted({f.role_arn for f in fns if f.role_arn} - set(role_arns))
    roles: tuple[Role, ...] = ()
    if role_arns:
        iam = await factory.client("iam")
        got_roles = await asyncio.gather(*(_role(iam, arn, parts) for arn in role_arns))
        roles = tuple(r for r in got_roles if r is not None)
    return fns, roles
