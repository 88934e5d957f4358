"""The root-cause vocabulary (DESIGN section 5): the ids scenarios declare and the diagnosis reports.

It is the contract between the simulated world and the diagnosis, so it lives in `model`,
the one layer both may import.
"""

from __future__ import annotations

ROOT_CAUSES: tuple[str, ...] = (
    "sg-blocks-nlb-targets",
    "nlb-subnet-mismatch",
    "vpc-link-unavailable",
    "lambda-permission-missing",
    "execution-role-missing-invoke",
    "integration-timeout",
    "lambda-function-error",
    "malformed-lambda-proxy-response",
    "mapping-template-invalid",
    "backend-error-unmapped",
    "stage-variable-stale",
    "cors-preflight-no-integration",
    "invalid-backend-response",
    "backend-crash-under-load",
    "tls-name-mismatch",
    "tls-certificate-invalid",
    "backend-5xx-passthrough",
    "backend-unreachable",
    "lambda-throttled",
    "lambda-timeout",
    "authorizer-failure",
    "usage-plan-throttled",
    "recovered",
    "none",
)

# Decided by the engine itself rather than by an evidence rule: `none` (no incident above the
# noise floor) and `recovered` (there was one, it is over). Every other id needs a rule.
ENGINE_CAUSES: tuple[str, ...] = ("none", "recovered")
