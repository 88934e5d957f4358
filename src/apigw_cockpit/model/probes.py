"""Results of on-demand actions (not polled): HTTP probes, TestInvokeMethod, policy simulation, load tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProbeResult:
    """One HTTP request and what came back, with a curl -v like transcript (secrets redacted).

    `kind` is "invoke-url" or "backend-direct"; `error` is set when no response came.
    """

    kind: str
    url: str
    method: str
    status: int | None
    latency_ms: float
    at: float
    headers: tuple[tuple[str, str], ...] = ()
    body_excerpt: str = ""
    transcript: tuple[str, ...] = ()
    error: str = ""
    note: str = ""  # which route was probed and why (verification evidence)


@dataclass(frozen=True)
class TestInvokeResult:
    status: int
    latency_ms: float
    at: float
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    log: str = ""
    error: str = ""
    note: str = ""  # which route was tested and why


@dataclass(frozen=True)
class PolicyDecision:
    """One SimulatePrincipalPolicy evaluation: decision is allowed, explicitDeny or implicitDeny."""

    principal_arn: str
    action: str
    resource: str
    decision: str


@dataclass(frozen=True)
class LoadTestResult:
    url: str
    concurrency: int
    rate_per_s: float
    duration_s: float
    requests: int
    errors: int
    status_counts: tuple[tuple[int, int], ...]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    started: float
    aborted: str = ""
    note: str = ""  # which route was loaded and why

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0
