"""The checks catalog: metadata in catalog.toml, one function per id, `run_checks` to run them."""

from __future__ import annotations

from collections.abc import Iterable

from apigw_cockpit.diagnose.checks import changes, config, lambdas, logs, network, probes
from apigw_cockpit.diagnose.checks.base import CheckFn, CheckSpec, catalog
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Finding, Severity, Verdict

_FUNCTIONS: dict[str, CheckFn] = {
    "logging": logs.check_logging,
    "exec-log-errors": logs.check_exec_log_errors,
    "latency-shape": logs.check_latency_shape,
    "timeouts": logs.check_timeouts,
    "xray": logs.check_xray,
    "lambda-permission": lambdas.check_lambda_permission,
    "execution-role": lambdas.check_execution_role,
    "lambda-health": lambdas.check_lambda_health,
    "proxy-response": lambdas.check_proxy_response,
    "mapping-templates": config.check_mapping_templates,
    "stage-variables": config.check_stage_variables,
    "cors-preflight": config.check_cors_preflight,
    "recent-changes": changes.check_recent_changes,
    "vpc-link": network.check_vpc_link,
    "target-health": network.check_target_health,
    "nlb-subnets": network.check_nlb_subnets,
    "security-groups": network.check_security_groups,
    "flow-logs": network.check_flow_logs,
    "backend-direct": probes.check_backend_direct,
    "test-invoke": probes.check_test_invoke,
}


def checks() -> dict[str, CheckSpec]:
    """Every check's spec, in catalog order (id → CheckSpec)."""
    return catalog()


def run_check(check_id: str, obs: Observations) -> Finding:
    spec = catalog()[check_id]
    if spec.http_absent and obs.topology.is_http:
        # Nothing to be wrong: the product has no such thing (catalog `http_absent`).
        return spec.finding(obs, Verdict.OK, f"not applicable: HTTP APIs have no {spec.http_absent}")
    try:
        return _FUNCTIONS[check_id](spec, obs)
    except Exception as exc:  # one broken check must not hide the others
        return spec.finding(
            obs,
            Verdict.UNKNOWN,
            f"unknown: check failed ({type(exc).__name__}: {exc})"[:200],
            why=f"internal error: {type(exc).__name__}",
            severity=Severity.WARNING,
        )


def run_checks(obs: Observations, ids: Iterable[str] | None = None) -> list[Finding]:
    """Run the named checks (all when None) in catalog order; unknown id → ValueError."""
    known = catalog()
    wanted = list(known) if ids is None else list(ids)
    bad = [i for i in wanted if i not in known]
    if bad:
        raise ValueError(f"unknown check id(s): {', '.join(bad)}; known: {', '.join(known)}")
    order = [i for i in known if i in set(wanted)]
    return [run_check(i, obs) for i in order]


__all__ = ["CheckSpec", "checks", "run_check", "run_checks"]
