"""Fault injection per AWS operation, switchable at run time, applied by the overlay to every call.

`sim.faults.set("GetMetricData", "throttle", count=2)` makes the next two GetMetricData calls
fail as AWS throttling does; "*" matches every operation. A fault with no count stays until
cleared. The codes per protocol are the ones real AWS returns, so botocore's retry logic and
the cockpit's error handling see what they would see in production.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

KINDS = ("throttle", "5xx", "latency", "reset", "denied")

# kind -> protocol -> (http status, error code, unused); the query code doubles as the
# awsQueryCompatible code for json/cbor services that used to speak query.
ERRORS: dict[str, dict[str, tuple[int, str, str]]] = {
    "throttle": {
        "json": (400, "ThrottlingException", ""),
        "query": (400, "Throttling", ""),
        "ec2": (503, "RequestLimitExceeded", ""),
        "rest-json": (429, "TooManyRequestsException", ""),
        "smithy-rpc-v2-cbor": (400, "ThrottlingException", ""),
    },
    "5xx": {
        "json": (500, "InternalFailure", ""),
        "query": (500, "InternalFailure", ""),
        "ec2": (500, "InternalError", ""),
        "rest-json": (500, "InternalFailure", ""),
        "smithy-rpc-v2-cbor": (500, "InternalFailure", ""),
    },
    "unavailable": {
        "json": (503, "ServiceUnavailableException", ""),
        "query": (503, "ServiceUnavailable", ""),
        "ec2": (503, "Unavailable", ""),
        "rest-json": (503, "ServiceUnavailableException", ""),
        "smithy-rpc-v2-cbor": (503, "ServiceUnavailable", ""),
    },
    "denied": {
        "json": (400, "AccessDeniedException", ""),
        "query": (403, "AccessDenied", ""),
        "ec2": (403, "UnauthorizedOperation", ""),
        "rest-json": (403, "AccessDeniedException", ""),
        "smithy-rpc-v2-cbor": (403, "AccessDeniedException", ""),
    },
}

DENIED_PRINCIPAL = "arn:aws:sts::123456789012:assumed-role/oncall/cockpit"


@dataclass
class Fault:
    operation: str
    kind: str
    seconds: float | None = None
    count: int | None = None


@dataclass(frozen=True)
class Decision:
    """What the overlay must do for one call: sleep `delay`, then answer, error or drop."""

    kind: str | None = None  # None: answer normally (after delay)
    delay: float = 0.0


class Faults:
    """Thread-safe table of active faults; `take()` consumes one use of a counted fault."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        self.hits: dict[str, int] = {}

    def set(self, operation: str, kind: str, seconds: float | None = None, count: int | None = None) -> None:
        if kind not in KINDS and kind != "unavailable":
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
        if kind == "latency" and not seconds:
            raise ValueError("a latency fault needs seconds")
        with self._lock:
            self._faults[operation] = Fault(operation, kind, seconds, count)

    def clear(self, operation: str | None = None) -> None:
        with self._lock:
            if operation is None:
                self._faults.clear()
            else:
                self._faults.pop(operation, None)

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults.values())

    def take(self, operation: str) -> Decision:
        with self._lock:
            fault = self._faults.get(operation) or self._faults.get("*")
            if fault is None:
                return Decision()
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.pop(fault.operation, None)
            self.hits[operation] = self.hits.get(operation, 0) + 1
        if fault.kind == "latency":
            return Decision(None, float(fault.seconds or 0.0))
        # An error fault with `seconds` answers late too (e.g. a slow throttle).
        return Decision(fault.kind, float(fault.seconds or 0.0))


def error_for(kind: str, protocol: str, action: str) -> tuple[int, str, str, str]:
    """(status, code, query-compatible code, message) for an error fault in one protocol."""
    status, code, _ = ERRORS[kind].get(protocol, ERRORS[kind]["json"])
    # awsQueryCompatible services (CloudWatch) also send the old query code in a header.
    query_code = ERRORS[kind]["query"][1]
    if kind == "denied":
        message = (
            f"User: {DENIED_PRINCIPAL} is not authorized to perform: {action} "
            "because no identity-based policy allows the action"
        )
    elif kind == "throttle":
        message = "Rate exceeded"
    else:
        message = "We encountered an internal error. Please try again."
    return status, code, query_code, message
