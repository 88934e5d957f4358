"""Checks of the Lambda hop: resource policy, credentials role, function health, proxy shape."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

from apigw_cockpit.diagnose.checks.base import CheckSpec, fmt_ms
from apigw_cockpit.diagnose.observations import Observations, find_series
from apigw_cockpit.model import (
    Finding,
    Integration,
    LambdaFunction,
    PolicyDecision,
    PolicyStatement,
    Topology,
    Verdict,
)

INVOKE_ACTIONS = ("lambda:InvokeFunction", "lambda:*", "*")
# Managed policies known to grant lambda:InvokeFunction on any function.
INVOKE_MANAGED = ("AWSLambdaRole", "AWSLambda_FullAccess", "AdministratorAccess")


def _lambda_methods(topo: Topology) -> list[tuple[str, Integration]]:
    out = []
    for res, method in topo.methods():
        integ = method.integration
        if integ is not None and integ.lambda_arn:
            out.append((f"{method.http_method} {res.path}", integ))
    return out


def _allows_invoke(st: PolicyStatement) -> bool:
    return st.effect.lower() == "allow" and any(a in INVOKE_ACTIONS for a in st.actions)


def _source_ok(st: PolicyStatement, topo: Topology, where: str) -> bool:
    if not st.source_arn:
        return True
    method, _, path = where.partition(" ")
    parts = st.source_arn.split(":")
    account = topo.account or (parts[4] if len(parts) > 4 else "*")
    candidate = f"arn:aws:execute-api:{topo.region}:{account}:{topo.api_id}/{topo.stage.name}/{method}{path}"
    return fnmatchcase(candidate, st.source_arn)


def _policy_denied(topo: Topology, fn: LambdaFunction) -> str:
    for err in topo.errors:
        # This function's GetPolicy only: a role named after the function (the console's
        # "<fn>-role-<suffix>") has policy parts whose names contain the function name too.
        if err.part == f"lambda-policy:{fn.name}" and "policy" in err.operation.lower():
            if not err.denied and "NotFound" in err.error:
                return ""  # GetPolicy's answer for "this function has no resource policy at all"
            return f"{'denied' if err.denied else 'error'}: {err.operation} ({err.error})"
    return ""


def _function_unread(topo: Topology, arn: str, where: str) -> str:
    name = arn.split(":function:")[-1].split(":")[0] if ":function:" in arn else arn
    for err in topo.errors:
        if err.part in (f"lambda:{name}", f"lambda:{arn}"):
            how = "denied" if err.denied else "error"
            return f"{where}: cannot read function {name} ({how}: {err.error})"
    return f"{where}: function {name} not found in discovery"


def check_lambda_permission(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    methods = [(w, i) for w, i in _lambda_methods(topo) if not i.credentials]
    if not methods:
        return spec.finding(obs, Verdict.OK, "no Lambda integration relies on a resource policy")
    evidence: list[str] = []
    missing: list[str] = []
    for where, integ in methods:
        fn = topo.lambda_by_arn(integ.lambda_arn)
        if fn is None:
            # Not read is not allowed: without the function's policy there is nothing to pass.
            return spec.unknown(obs, _function_unread(topo, integ.lambda_arn, where), evidence=evidence)
        denied = _policy_denied(topo, fn)
        if denied:
            return spec.unknown(obs, denied)
        ok = [
            st
            for st in fn.resource_policy
            if _allows_invoke(st)
            and any("apigateway.amazonaws.com" in p or p == "*" for p in st.principals)
            and _source_ok(st, topo, where)
        ]
        if ok:
            evidence.append(
                f"{fn.name}: statement {ok[0].sid or '?'} allows {ok[0].source_arn or 'any source'}"
            )
        else:
            missing.append(fn.name)
            evidence.append(
                f"{fn.name}: {len(fn.resource_policy)} policy statements, none lets apigateway.amazonaws.com "
                f"invoke from {topo.api_id} ({where})"
            )
    denied_lines = [
        c.result.evidence[0]
        for c in obs.classified
        if c.result.verdict == "lambda-permission" and c.result.evidence
    ]
    evidence += denied_lines[:2]
    if missing:
        summary = f"resource policy of {', '.join(sorted(set(missing)))} does not allow API Gateway to invoke"
        return spec.finding(
            obs, Verdict.ERROR, summary, evidence=evidence, root_causes=("lambda-permission-missing",)
        )
    return spec.finding(obs, Verdict.OK, "API Gateway is allowed to invoke every Lambda", evidence=evidence)


def _role_allows(topo: Topology, role_arn: str, fn_arn: str) -> bool | None:
    role = next((r for r in topo.roles if r.arn == role_arn or r.name == role_arn.split("/")[-1]), None)
    if role is None:
        return None
    for st in role.statements:
        denies = st.effect.lower() == "deny" and any(a in INVOKE_ACTIONS for a in st.actions)
        if denies and any(fnmatchcase(fn_arn, r) for r in st.resources or ("*",)):
            return False
    for st in role.statements:
        if _allows_invoke(st) and any(
            fnmatchcase(fn_arn, r) or fnmatchcase(fn_arn + ":x", r) for r in st.resources or ("*",)
        ):
            return True
    if any(p.rsplit("/", 1)[-1] in INVOKE_MANAGED for p in role.attached_policy_arns):
        return True
    if role.attached_policy_arns and not role.statements:
        return None  # managed policies we cannot read: simulate instead
    return False


def check_execution_role(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    methods = [(w, i) for w, i in _lambda_methods(topo) if i.credentials]
    if not methods:
        return spec.finding(obs, Verdict.OK, "no integration uses a credentials role")
    decisions = [p for p in obs.probes if isinstance(p, PolicyDecision)]
    evidence: list[str] = []
    blocked: list[str] = []
    unknown: list[str] = []
    for where, integ in methods:
        fn = topo.lambda_by_arn(integ.lambda_arn)
        fn_arn = fn.arn if fn else integ.lambda_arn
        sim = [
            d
            for d in decisions
            if d.principal_arn == integ.credentials and d.action == "lambda:InvokeFunction"
        ]
        if sim:
            d = sim[-1]
            evidence.append(
                f"SimulatePrincipalPolicy {d.principal_arn} {d.action} {d.resource}: {d.decision}"
            )
            if d.decision != "allowed":
                blocked.append(integ.credentials)
            continue
        static = _role_allows(topo, integ.credentials, fn_arn)
        evidence.append(f"{where}: role {integ.credentials} (static reading: {static})")
        if static is False:
            blocked.append(integ.credentials)
        elif static is None:
            unknown.append(integ.credentials)
    perm_lines = [c.result.evidence[0] for c in obs.classified if c.result.verdict == "lambda-permission"]
    evidence += perm_lines[:2]
    if blocked:
        how = "simulated" if decisions else "its policies (simulate to confirm)"
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"role {blocked[0].split('/')[-1]} lacks lambda:InvokeFunction per {how}",
            evidence=evidence,
            root_causes=("execution-role-missing-invoke",),
        )
    if unknown:
        return spec.unknown(
            obs,
            "not run: simulate the role (SimulatePrincipalPolicy) from the checks screen",
            evidence=evidence,
        )
    return spec.finding(obs, Verdict.OK, "credentials role may invoke the function", evidence=evidence)


def _sum_recent(obs: Observations, metric: str, fn: str, stat: str = "Sum") -> tuple[float, float]:
    found = find_series(obs, metric, namespace="AWS/Lambda", stat=stat, dims={"FunctionName": fn})
    pts = [v for s in found for _, v in s.points[-5:]]
    return (sum(pts), max(pts)) if pts else (0.0, 0.0)


def check_lambda_health(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    fns = [
        f
        for f in topo.lambdas
        if any(i.lambda_arn and topo.lambda_by_arn(i.lambda_arn) == f for _, i in _lambda_methods(topo))
    ]
    if not fns:
        return spec.finding(obs, Verdict.OK, "no Lambda integrations")
    evidence: list[str] = []
    problems: list[str] = []
    unseen: list[str] = []
    causes: list[str] = []
    for fn in fns:
        if not find_series(obs, "Errors", namespace="AWS/Lambda", dims={"FunctionName": fn.name}):
            unseen.append(fn.name)  # no metric is not zero errors
        errors, _ = _sum_recent(obs, "Errors", fn.name)
        throttles, _ = _sum_recent(obs, "Throttles", fn.name)
        _, duration_max = _sum_recent(obs, "Duration", fn.name, "Maximum")
        evidence.append(
            f"{fn.name}: Errors {errors:.0f}, Throttles {throttles:.0f}, Duration max {fmt_ms(duration_max)}"
        )
        logs = [e.message for e in obs.events_in(fn.log_group or f"/aws/lambda/{fn.name}")]
        bad_logs = [m for m in logs if "Task timed out" in m or "ERROR" in m or "Runtime." in m]
        evidence += [f"/aws/lambda/{fn.name}: {m}" for m in bad_logs[-3:]]
        if errors > 0 or bad_logs:
            timed_out = any("Task timed out" in m for m in bad_logs)
            problems.append(f"{fn.name} {'times out' if timed_out else 'fails'} ({errors:.0f} errors)")
            # Its own timeout is a different fault (and fix) from an exception in the code.
            causes.append("lambda-timeout" if timed_out else "lambda-function-error")
        if throttles > 0:
            problems.append(f"{fn.name} throttled {throttles:.0f} times")
            causes.append("lambda-throttled")
    fn_errors = [c for c in obs.classified if c.result.verdict in ("lambda-function-error", "lambda-timeout")]
    if fn_errors and not problems:
        problems.append(f"{len(fn_errors)} traces report a customer function error")
        causes += sorted({c.result.verdict for c in fn_errors})
    evidence += [c.result.evidence[0] for c in fn_errors[:2] if c.result.evidence]
    if problems:
        return spec.finding(
            obs,
            Verdict.ERROR,
            "; ".join(problems),
            evidence=evidence,
            root_causes=tuple(dict.fromkeys(causes)),
        )
    if unseen:
        return spec.unknown(
            obs, f"no data: no AWS/Lambda Errors metric for {', '.join(unseen)} yet", evidence=evidence
        )
    return spec.finding(obs, Verdict.OK, "no Lambda errors or throttles", evidence=evidence)


def _shape_problem(body: str) -> str:
    try:
        value = json.loads(body)
    except ValueError:
        return "response is not JSON"
    if not isinstance(value, dict):
        return f"response is a JSON {type(value).__name__}, not an object"
    if "statusCode" not in value:
        return "no statusCode"
    if not isinstance(value["statusCode"], int) and not str(value["statusCode"]).isdigit():
        return "statusCode is not an integer"
    if "body" in value and not isinstance(value["body"], str):
        return f"body is a JSON {type(value['body']).__name__}, must be a string"
    extra = set(value) - {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"}
    return f"unexpected keys {sorted(extra)}" if extra else ""


def check_proxy_response(spec: CheckSpec, obs: Observations) -> Finding:
    if not any(i.type == "AWS_PROXY" for i in obs.topology.integrations()):
        return spec.finding(obs, Verdict.OK, "no Lambda proxy integrations")
    malformed = [c for c in obs.classified if c.result.verdict == "malformed-proxy-response"]
    if malformed:
        evidence = list(malformed[0].result.evidence[:1])
        for line in malformed[0].trace.lines:
            _, sep, body = line.partition("Endpoint response body before transformations: ")
            if sep:
                problem = _shape_problem(body.strip())
                evidence.append(f"response body: {body.strip()[:120]}" + (f" → {problem}" if problem else ""))
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"{len(malformed)} requests got 'Malformed Lambda proxy response' (502)",
            evidence=evidence,
            root_causes=("malformed-lambda-proxy-response",),
        )
    if not obs.classified:
        return spec.unknown(obs, "no data: no execution-log traces to inspect")
    return spec.finding(obs, Verdict.OK, "no malformed proxy responses in the traces")
