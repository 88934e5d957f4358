"""`[[aws_faults]]` in a scenario file: AWS API calls that fail from t=0 (the on-call's role may not
call LookupEvents, Logs throttles, …), validated against botocore's own service models so a
misspelt operation fails when the file loads instead of never firing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import botocore.session

from apigw_cockpit.demo.faults import KINDS
from apigw_cockpit.demo.world.errors import ScenarioError

# The services the simulated account answers (what the cockpit reads).
SERVICES = (
    "apigateway",
    "apigatewayv2",
    "cloudtrail",
    "cloudwatch",
    "logs",
    "ec2",
    "elbv2",
    "lambda",
    "iam",
    "sts",
    "xray",
)
MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class AwsFault:
    operation: str  # a botocore operation name (LookupEvents), or "*" for every call
    kind: str  # demo.faults.KINDS
    count: int | None = None  # the first N calls only; None: for the whole run


@cache
def _operations() -> frozenset[str]:
    session = botocore.session.get_session()
    return frozenset(op for svc in SERVICES for op in session.get_service_model(svc).operation_names)


def parse_aws_faults(raw: object, file: str) -> tuple[AwsFault, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ScenarioError(file, "aws_faults", "must be an array of tables ([[aws_faults]])")
    out: list[AwsFault] = []
    for i, entry in enumerate(raw):
        key = f"aws_faults[{i}]"
        if not isinstance(entry, dict):
            raise ScenarioError(file, key, f"must be a table, got {entry!r}")
        unknown = set(entry) - {"operation", "kind", "count"}
        if unknown:
            raise ScenarioError(file, key, f"unknown keys {sorted(unknown)} (operation, kind, count)")
        op, kind, count = entry.get("operation"), entry.get("kind"), entry.get("count")
        if not isinstance(op, str) or not (op == "*" or op in _operations()):
            raise ScenarioError(
                file, f"{key}.operation", f"not an AWS operation the simulated account answers: {op!r}"
            )
        if kind not in KINDS or kind == "latency":  # a latency fault needs seconds: not from a file
            allowed = ", ".join(k for k in KINDS if k != "latency")
            raise ScenarioError(file, f"{key}.kind", f"must be one of {allowed}, got {kind!r}")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT
        ):
            raise ScenarioError(file, f"{key}.count", f"must be a whole number 1–{MAX_COUNT}, got {count!r}")
        out.append(AwsFault(op, str(kind), count))
    return tuple(out)
