"""Just enough IAM: identity policies of a role and Lambda resource policies, with wildcards."""

from __future__ import annotations

from fnmatch import fnmatchcase

from apigw_cockpit.demo.world.state import LambdaState, RoleState, WorldState


def _m(pattern: str, value: str) -> bool:
    # IAM wildcards: * and ?; action names are case-insensitive.
    return fnmatchcase(value, pattern)


def _strings(v: object) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, list | tuple):
        return [str(x) for x in v]
    return []


def role_decision(role: RoleState | None, action: str, resource: str) -> str:
    """allowed | explicitDeny | implicitDeny, as SimulatePrincipalPolicy reports it."""
    if role is None:
        return "implicitDeny"
    allowed = False
    for pol in role.policies.values():
        if not pol.attached:
            continue
        for st in pol.statements:
            acts = _strings(st.get("actions", []))
            ress = _strings(st.get("resources", ["*"]))
            if not any(_m(str(a).lower(), action.lower()) for a in acts):
                continue
            if not any(_m(str(r), resource) for r in ress):
                continue
            if str(st.get("effect", "Allow")) == "Deny":
                return "explicitDeny"
            allowed = True
    return "allowed" if allowed else "implicitDeny"


def role_by_arn(ws: WorldState, arn: str) -> RoleState | None:
    return next((r for r in ws.roles.values() if r.arn == arn or r.name == arn), None)


def lambda_allows_apigw(fn: LambdaState, source_arn: str) -> bool:
    """Does the function's resource policy let API Gateway invoke it for this method ARN?"""
    for p in fn.permissions:
        if p.principal not in ("apigateway.amazonaws.com", "*"):
            continue
        if p.action not in ("lambda:InvokeFunction", "lambda:*"):
            continue
        if not p.source_arn or _m(p.source_arn, source_arn):
            return True
    return False


def simulate(
    ws: WorldState, role_arn: str, actions: list[str], resources: list[str]
) -> list[dict[str, object]]:
    """IAM SimulatePrincipalPolicy "EvaluationResults"."""
    role = role_by_arn(ws, role_arn)
    out: list[dict[str, object]] = []
    for a in actions:
        for r in resources or ["*"]:
            d = role_decision(role, a, r)
            out.append(
                {
                    "EvalActionName": a,
                    "EvalResourceName": r,
                    "EvalDecision": d,
                    "MatchedStatements": [],
                    "MissingContextValues": [],
                }
            )
    return out
