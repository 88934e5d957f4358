"""What one request came to (Outcome) and the helpers every integration kind shares."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from apigw_cockpit.demo.world.state import (
    IntegrationResponseState,
    IntegrationState,
    MethodState,
    TargetState,
    UsagePlanState,
)

Line = tuple[float, str, bool]
FAIL = "Execution failed due to configuration error: "
MSG_INTERNAL = b'{"message": "Internal server error"}'
MSG_TIMEOUT = b'{"message": "Endpoint request timed out"}'
MSG_NETWORK = b'{"message": "Network error communicating with endpoint"}'
MSG_THROTTLED = b'{"message": "Too Many Requests"}'


@dataclass
class LambdaCall:
    function: str
    qualifier: str
    request_id: str
    duration_ms: float
    error: str = ""  # errorMessage when the function failed
    timed_out: bool = False
    malformed: bool = False
    throttled: bool = False  # Lambda answered 429: no invocation, one Throttles count


@dataclass
class Outcome:
    status: int
    body: bytes
    integration_latency_ms: float
    lines: list[Line] = field(default_factory=list)
    error_type: str = ""
    lambda_call: LambdaCall | None = None
    flow: tuple[TargetState, bool] | None = None
    endpoint_request_id: str = ""
    authorizer_call: LambdaCall | None = None  # the Lambda authorizer's own invocation
    usage_plan: UsagePlanState | None = None  # the plan the request's API key counted against

    @property
    def failed(self) -> bool:
        return self.status >= 500


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _jitter(rng: random.Random, base: float, j: float) -> float:
    return max(1.0, base * (1.0 + (rng.random() * 2 - 1) * j))


def _gateway_error(status: int, body: bytes, il: float, lines: list[Line], **kw: object) -> Outcome:
    return Outcome(status, body, il, lines, error_type="InternalServerErrorException", **kw)  # type: ignore[arg-type]


def _select(
    integ: IntegrationState,
    method: MethodState,
    value: str,
    endpoint_status: int,
    il: float,
    lines: list[Line],
) -> Outcome | int:
    """Non-proxy integration response selection: a status, or the 500 AWS gives when mapping fails."""
    default: IntegrationResponseState | None = None
    chosen: IntegrationResponseState | None
    for r in integ.responses:
        if not r.pattern:
            default = r
            continue
        if re.fullmatch(r.pattern, value, re.DOTALL):
            chosen = r
            break
    else:
        chosen = default
    if chosen is None:
        lines.append(
            (
                il,
                f"{FAIL}No match for output mapping and no default output mapping configured. "
                f"Endpoint Response Status Code: {endpoint_status}",
                True,
            )
        )
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    if chosen.status not in method.method_responses:
        lines.append(
            (il, f"{FAIL}Output mapping refers to an invalid method response: {chosen.status}", True)
        )
        return _gateway_error(500, MSG_INTERNAL, il, lines)
    return int(chosen.status)


def template_renders(template: str) -> bool:
    """A cheap VTL sanity check: directives closed and parentheses balanced outside quotes."""
    depth, quote = 0, ""
    for ch in template:
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    opens = len(re.findall(r"#(?:if|foreach|macro|define)\b", template))
    return depth == 0 and not quote and opens == len(re.findall(r"#end\b", template))


def _done(o: Outcome, il: float) -> Outcome:
    o.lines += [
        (il, f"Method response body after transformations: {o.body.decode(errors='replace')[:200]}", False),
        (il, "Method response headers: {X-Amzn-Trace-Id=Root=1-..., Content-Type=application/json}", False),
        (il, "Successfully completed execution", False),
    ]
    return o
