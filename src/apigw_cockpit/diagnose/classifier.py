"""Execution-log classifier: one request's lines → what went wrong and the status it implies.

The table of line patterns lives in patterns.toml; this module is the small engine over it.
It never raises: whatever the input, the worst answer is verdict "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from apigw_cockpit.diagnose.lines import ParsedLine, parse_line
from apigw_cockpit.diagnose.patterns import LinePattern, match_line

VERDICTS = (
    "success",
    "integration-timeout",
    "network-error",
    "lambda-function-error",
    "lambda-timeout",
    "lambda-throttled",
    "authorizer-failure",
    "malformed-proxy-response",
    "lambda-permission",
    "vpc-link-internal",
    "tls-name-mismatch",
    "tls-certificate-invalid",
    "connection-refused",
    "backend-5xx",
    "mapping-template",
    "output-mapping-invalid",
    "invalid-backend-response",
    "throttled",
    "unknown",
)

_FUNCTION_ERROR = re.compile(r"X-Amz-Function-Error[=:] ?(\w+)")  # Endpoint response headers
_COMPLETED = re.compile(r"^Method completed with status: (\d{3})")
_RECEIVED = re.compile(
    r"^Received response\.\s*(?:Status: (\d{3}),\s*)?Integration latency: (\d+(?:\.\d+)?) ms"
)
_METHOD = re.compile(r"^HTTP Method: (\S+?), Resource Path: (\S+)")
_MAX_EVIDENCE = 6


@dataclass(frozen=True)
class Classification:
    verdict: str
    status: int | None
    evidence: tuple[str, ...] = ()
    integration_latency_ms: float | None = None
    request_id: str = ""
    method: str = ""
    path: str = ""
    backend_status: int | None = None

    @property
    def failed(self) -> bool:
        return self.verdict not in ("success", "unknown") or (self.status or 0) >= 500


def classify(lines: Sequence[str]) -> Classification:
    """Classify one request's execution-log lines (any prefixes, any junk)."""
    try:
        return _classify([parse_line(str(raw)) for raw in lines])
    except Exception as exc:  # the contract: never raise on any input
        return Classification("unknown", None, (f"classifier error: {type(exc).__name__}",))


def _classify(parsed: list[ParsedLine]) -> Classification:
    failure: LinePattern | None = None
    success: LinePattern | None = None
    evidence: list[str] = []
    completed: int | None = None
    latency: float | None = None
    backend_status: int | None = None
    request_id = method = path = ""
    pending_next: LinePattern | None = None
    function_error = ""  # Lambda's X-Amz-Function-Error header: the function failed, whatever maps it
    for line in parsed:
        text = line.text
        if not text:
            continue
        request_id = request_id or line.request_id
        if pending_next is not None:
            # The line after "…integration error" names the reason (seed guide).
            follow = match_line(text)
            if follow is not None and follow.failure and follow.verdict != "unknown":
                failure = follow
            evidence.append(text)
            pending_next = None
            continue
        head = text[:4]
        if head == "Endp" and not function_error and text.startswith("Endpoint response headers"):
            fe = _FUNCTION_ERROR.search(text)
            function_error = fe.group(1) if fe else ""
        m = _COMPLETED.match(text) if head == "Meth" else None
        if m:
            completed = int(m.group(1))
            evidence.append(text)
            continue
        m = _RECEIVED.match(text) if head == "Rece" else None
        if m:
            latency = float(m.group(2))
            backend_status = int(m.group(1)) if m.group(1) else backend_status
            continue
        m = _METHOD.match(text) if head == "HTTP" else None
        if m:
            method, path = m.group(1), m.group(2)
            continue
        pattern = match_line(text)
        if pattern is None:
            continue
        if not pattern.failure:
            success = success or pattern
            evidence.append(text)
        elif (
            failure is None
            or (failure.verdict == "unknown" and pattern.verdict != "unknown")
            or pattern.priority > failure.priority
        ):
            if failure is not None and pattern.priority > failure.priority:
                evidence.insert(0, text)  # the line that decides goes first
            else:
                evidence.append(text)
            failure = pattern
            if pattern.use_next:
                pending_next = pattern
        elif len(evidence) < _MAX_EVIDENCE:
            evidence.append(text)
    chosen = failure or success
    if chosen is None:
        verdict = "unknown"
        status = completed
        if completed is not None and completed < 400:
            verdict = "success"
    else:
        verdict = chosen.verdict
        status = completed if completed is not None else chosen.status
    if verdict == "success" and status is not None and status >= 500 and function_error:
        # A non-proxy Lambda integration: the function failed and an integration response's
        # selection pattern mapped its errorMessage to a 5XX. The backend is the function.
        verdict = "lambda-function-error"
        evidence.insert(
            0, f"the function failed (X-Amz-Function-Error: {function_error}), mapped to {status}"
        )
    elif verdict == "success" and status is not None and status >= 500:
        # API Gateway did its job ("Successfully completed execution") and the method still
        # completed 5XX: the backend answered it and a proxy (or a mapping) passed it through.
        verdict = "backend-5xx"
        evidence.append(
            f"backend answered {backend_status}" if backend_status else f"method completed {status}"
        )
    return Classification(
        verdict=verdict,
        status=status,
        evidence=tuple(e[:500] for e in evidence[:_MAX_EVIDENCE]),
        integration_latency_ms=latency,
        request_id=request_id,
        method=method,
        path=path,
        backend_status=backend_status,
    )


def group_lines(lines: Iterable[str]) -> list[list[str]]:
    """Group pasted lines into requests: by "(<id>) " prefix; a TestInvoke log is one trace.

    Lines without any id are split at "Starting execution…" / "Execution log for request…"
    headers, after "Method completed with status", and when a second decisive line
    (success/failure) shows up in a group that already has one — except follow-up lines
    (patterns.toml `follow_up`), which always stay with the request before them.
    """
    groups: dict[str, list[str]] = {}
    loose: list[list[str]] = []
    order: list[tuple[str, int]] = []  # ("id", 0) or ("", index into loose)
    test_invoke: list[str] | None = None
    current: list[str] | None = None
    current_decided = current_closed = False
    prev_use_next = False
    for raw in lines:
        try:
            line = parse_line(str(raw))
        except Exception:
            continue
        if not line.text:
            continue
        if line.request_id and line.prefixed and not line.test_invoke:
            if line.request_id not in groups:
                groups[line.request_id] = []
                order.append((line.request_id, 0))
            groups[line.request_id].append(str(raw))
            continue
        if line.test_invoke:
            if test_invoke is None or (line.starts_request and test_invoke):
                test_invoke = []
                loose.append(test_invoke)
                order.append(("", len(loose) - 1))
            test_invoke.append(str(raw))
            continue
        pattern = match_line(line.text)
        # A follow-up line ("Authorizer error", a bare "Network error") belongs to the request
        # before it: it neither starts a new group nor counts as that group's deciding line.
        decisive = pattern is not None and not prev_use_next and not pattern.follow_up
        if (
            current is None
            or line.starts_request
            or current_closed
            or (decisive and current_decided and not prev_use_next)
        ):
            current = []
            loose.append(current)
            order.append(("", len(loose) - 1))
            current_decided = current_closed = False
            if line.request_id and line.request_id not in groups:
                # "Starting execution for request: <id>" without a prefix: later lines that do
                # carry "(<id>) " belong to this same request.
                groups[line.request_id] = current
        current.append(str(raw))
        current_decided = current_decided or decisive
        current_closed = bool(_COMPLETED.match(line.text))
        prev_use_next = pattern is not None and pattern.use_next
    return [groups[key] if key else loose[idx] for key, idx in order]
