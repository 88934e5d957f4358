"""Root-cause ids (DESIGN section 5) and which classifier verdicts point at which causes."""

from __future__ import annotations

from apigw_cockpit.model.vocabulary import ROOT_CAUSES

__all__ = ["ROOT_CAUSES", "VERDICT_CAUSES"]

# What a failing trace's verdict is consistent with; the ranking weighs the rest.
VERDICT_CAUSES: dict[str, tuple[str, ...]] = {
    "integration-timeout": ("integration-timeout", "sg-blocks-nlb-targets"),
    "network-error": ("sg-blocks-nlb-targets", "backend-crash-under-load", "nlb-subnet-mismatch"),
    "lambda-function-error": ("lambda-function-error",),
    "lambda-timeout": ("lambda-function-error",),
    "malformed-proxy-response": ("malformed-lambda-proxy-response",),
    "lambda-permission": ("lambda-permission-missing", "execution-role-missing-invoke"),
    "vpc-link-internal": ("vpc-link-unavailable", "nlb-subnet-mismatch"),
    "tls-name-mismatch": ("tls-name-mismatch",),
    "mapping-template": ("mapping-template-invalid",),
    "output-mapping-invalid": ("backend-error-unmapped",),
    "invalid-backend-response": ("invalid-backend-response",),
}
