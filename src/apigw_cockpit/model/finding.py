"""What a check concludes, and what the diagnosis ranks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    ERROR = "error"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Finding:
    """One check's answer.

    `why` explains an UNKNOWN verdict (e.g. "denied: logs:FilterLogEvents");
    `evidence` holds the log lines, metric points and API fields the check used;
    `root_causes` names the root-cause ids (DESIGN section 5) this finding supports.
    """

    check_id: str
    title: str
    verdict: Verdict
    summary: str
    severity: Severity = Severity.INFO
    evidence: tuple[str, ...] = ()
    fix: str = ""
    doc_url: str = ""
    why: str = ""
    root_causes: tuple[str, ...] = ()
    at: float = 0.0


@dataclass(frozen=True)
class Hypothesis:
    """A ranked root cause: `confidence` in [0, 1], `because` the evidence in words."""

    root_cause: str
    confidence: float
    because: tuple[str, ...] = field(default_factory=tuple)
    check_ids: tuple[str, ...] = ()
