"""Root-cause ids (DESIGN section 5) and which classifier verdicts point at which causes."""

from __future__ import annotations

from apigw_cockpit.model.vocabulary import ENGINE_CAUSES, ROOT_CAUSES

__all__ = ["ENGINE_CAUSES", "ROOT_CAUSES", "VERDICT_CAUSES", "RegistryError", "causes_of_verdict"]

# What a failing trace's verdict is consistent with; the ranking weighs the rest.
VERDICT_CAUSES: dict[str, tuple[str, ...]] = {
    "integration-timeout": ("integration-timeout", "sg-blocks-nlb-targets"),
    "network-error": (
        "sg-blocks-nlb-targets",
        "backend-crash-under-load",
        "backend-unreachable",
        "nlb-subnet-mismatch",
    ),
    "connection-refused": ("backend-unreachable",),
    "lambda-function-error": ("lambda-function-error",),
    "lambda-timeout": ("lambda-timeout",),
    "lambda-throttled": ("lambda-throttled",),
    "authorizer-failure": ("authorizer-failure",),
    "malformed-proxy-response": ("malformed-lambda-proxy-response",),
    "lambda-permission": (
        "lambda-permission-missing",
        "execution-role-missing-invoke",
        "stage-variable-stale",
    ),
    "vpc-link-internal": ("vpc-link-unavailable", "nlb-subnet-mismatch"),
    "tls-name-mismatch": ("tls-name-mismatch",),
    "tls-certificate-invalid": ("tls-certificate-invalid",),
    "backend-5xx": ("backend-5xx-passthrough",),
    "mapping-template": ("mapping-template-invalid",),
    "output-mapping-invalid": ("backend-error-unmapped",),
    "invalid-backend-response": ("invalid-backend-response",),
    "throttled": ("usage-plan-throttled",),
}


class RegistryError(RuntimeError):
    """A table (rules, lessons, change effects) disagrees with the root-cause vocabulary."""


def causes_of_verdict(verdict: str) -> tuple[str, ...]:
    return VERDICT_CAUSES.get(verdict, ())


def check_registry(name: str, have: set[str], *, engine_too: bool = False) -> None:
    """Fail loudly when a table lacks a root cause or names one the vocabulary does not know."""
    wanted = set(ROOT_CAUSES) if engine_too else set(ROOT_CAUSES) - set(ENGINE_CAUSES)
    missing = sorted(wanted - have)
    unknown = sorted(have - set(ROOT_CAUSES))
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise RegistryError(f"{name}: {'; '.join(parts)}")
