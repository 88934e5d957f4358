"""Checks of API configuration: mapping templates, stage variables, CORS, recent changes."""

from __future__ import annotations

import re

from apigw_cockpit.diagnose.checks.base import CheckSpec
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Finding, Integration, Verdict

_STAGE_VAR = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_TRAILING_COMMA = re.compile(r",\s*[}\]]")
_MISSING_COMMA = re.compile(r"(\"|\}|\]|\d|true|false|null)\s*\n\s*\"[^\"\n]*\"\s*:")
_DIRECTIVE_OPEN = re.compile(r"#(if|foreach|macro|define)\b")
_DIRECTIVE_END = re.compile(r"#end\b")


def template_problems(text: str) -> list[str]:
    """Cheap VTL/JSON sanity: the mistakes the seed names (commas, braces, #end)."""
    problems = []
    if _TRAILING_COMMA.search(text):
        problems.append("trailing comma")
    if _MISSING_COMMA.search(text):
        problems.append("missing comma between fields")
    body = re.sub(r"\$\{[^}]*\}|\"(?:\\.|[^\"\\])*\"", "", text)
    if body.count("{") != body.count("}") or body.count("[") != body.count("]"):
        problems.append("unbalanced braces/brackets")
    if len(_DIRECTIVE_OPEN.findall(text)) != len(_DIRECTIVE_END.findall(text)):
        problems.append("unbalanced #if/#foreach … #end")
    return problems


def _coverage(where: str, integ: Integration, method_codes: tuple[str, ...]) -> list[str]:
    if integ.type not in ("AWS", "HTTP") or not integ.responses:
        return []
    problems = []
    if method_codes:
        for r in integ.responses:
            if r.status_code not in method_codes:
                problems.append(
                    f"{where}: integration response maps to {r.status_code}, no such method response"
                )
    if not any(r.selection_pattern == "" for r in integ.responses) and not any(
        re.fullmatch(r.selection_pattern, "500") for r in integ.responses if _valid_regex(r.selection_pattern)
    ):
        problems.append(f"{where}: no default integration response and no pattern for backend 5XX")
    return problems


def _valid_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return bool(pattern)


def check_mapping_templates(spec: CheckSpec, obs: Observations) -> Finding:
    evidence: list[str] = []
    syntax: list[str] = []
    coverage: list[str] = []
    for res, method in obs.topology.methods():
        integ = method.integration
        if integ is None:
            continue
        where = f"{method.http_method} {res.path}"
        templates = list(integ.request_templates) + [t for r in integ.responses for t in r.templates]
        for content_type, text in templates:
            for problem in template_problems(text):
                syntax.append(f"{where} template {content_type}: {problem}")
        coverage += _coverage(where, integ, method.method_response_codes)
    logged = {
        v: [c for c in obs.classified if c.result.verdict == v]
        for v in ("mapping-template", "output-mapping-invalid")
    }
    for group in logged.values():
        evidence += [g.result.evidence[0] for g in group[:2] if g.result.evidence]
    evidence += syntax + coverage
    if syntax or logged["mapping-template"]:
        n = len(logged["mapping-template"])
        summary = syntax[0] if syntax else f"{n} requests failed 'Unable to transform request'"
        return spec.finding(
            obs, Verdict.ERROR, summary, evidence=evidence, root_causes=("mapping-template-invalid",)
        )
    if logged["output-mapping-invalid"]:
        n = len(logged["output-mapping-invalid"])
        return spec.finding(
            obs,
            Verdict.ERROR,
            f"{n} backend responses matched no valid integration response (500)",
            evidence=evidence,
            root_causes=("backend-error-unmapped",),
        )
    if coverage:
        return spec.finding(
            obs, Verdict.WARN, coverage[0], evidence=evidence, root_causes=("backend-error-unmapped",)
        )
    return spec.finding(
        obs, Verdict.OK, "templates parse and integration responses cover errors", evidence=evidence
    )


def check_stage_variables(spec: CheckSpec, obs: Observations) -> Finding:
    topo = obs.topology
    variables = dict(topo.stage.variables)
    evidence = [f"stageVariables.{k}={v}" for k, v in variables.items()]
    problems: list[str] = []
    used = False
    for res, method in topo.methods():
        integ = method.integration
        if integ is None:
            continue
        names = _STAGE_VAR.findall(integ.uri) + _STAGE_VAR.findall(integ.connection_id)
        if not names:
            continue
        used = True
        where = f"{method.http_method} {res.path}"
        evidence.append(f"{where}: uri {integ.uri} → {integ.resolved_uri or '?'}")
        for name in names:
            if name not in variables:
                problems.append(f"{where} uses stageVariables.{name}, not set on stage {topo.stage.name}")
        if integ.lambda_arn and topo.lambda_by_arn(integ.lambda_arn) is None:
            problems.append(f"{where} resolves to {integ.lambda_arn}, which does not exist")
        elif "${" in integ.resolved_uri:
            problems.append(f"{where} resolves to an unresolved URI {integ.resolved_uri}")
        elif integ.connection_type == "VPC_LINK" and integ.resolved_uri:
            host = re.sub(r"^\w+://", "", integ.resolved_uri).split("/")[0].split(":")[0]
            dns = {lb.dns_name for lb in topo.load_balancers if lb.dns_name}
            if dns and host not in dns and not host.replace(".", "").isdigit():
                problems.append(f"{where} resolves to host {host}, not the NLB ({', '.join(sorted(dns))})")
    stale = [c for c in obs.changes if c.event_name == "UpdateStage" and "variables" in c.request_parameters]
    evidence += [f"{c.event_name} by {c.user}: {c.request_parameters[:120]}" for c in stale[-2:]]
    if problems:
        return spec.finding(
            obs,
            Verdict.ERROR,
            problems[0],
            evidence=evidence + problems[1:],
            root_causes=("stage-variable-stale",),
        )
    if not used:
        return spec.finding(obs, Verdict.OK, "no integration uses stage variables", evidence=evidence)
    return spec.finding(obs, Verdict.OK, "stage variables resolve to existing backends", evidence=evidence)


def check_cors_preflight(spec: CheckSpec, obs: Observations) -> Finding:
    evidence: list[str] = []
    problems: list[str] = []
    for res in obs.topology.resources:
        if not res.cors_enabled:
            continue
        options = next((m for m in res.methods if m.http_method == "OPTIONS"), None)
        if options is None:
            problems.append(f"{res.path}: CORS enabled but no OPTIONS method")
        elif options.integration is None:
            problems.append(f"{res.path}: OPTIONS method has no integration")
        else:
            evidence.append(f"{res.path}: OPTIONS → {options.integration.type}")
    failed_options = [c for c in obs.classified if c.result.method == "OPTIONS" and c.result.failed]
    evidence += [f"OPTIONS {c.result.path} → {c.result.status}" for c in failed_options[:3]]
    if problems:
        return spec.finding(
            obs,
            Verdict.ERROR,
            problems[0],
            evidence=evidence + problems[1:],
            root_causes=("cors-preflight-no-integration",),
        )
    if failed_options:
        return spec.finding(
            obs, Verdict.WARN, f"{len(failed_options)} preflight requests failed", evidence=evidence
        )
    return spec.finding(obs, Verdict.OK, "CORS preflights have integrations", evidence=evidence)
