"""What the user asked to watch and how often: one frozen settings object, passed in explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Intervals:
    """Poll periods in (simulated) seconds: DESIGN section 4 defaults."""

    metrics: float = 60.0
    logs: float = 2.0
    lambda_logs: float = 5.0
    target_health: float = 10.0
    changes: float = 60.0
    alarms: float = 60.0
    topology: float = 300.0  # configuration re-read; also at once after a change on the path


@dataclass(frozen=True)
class AwsSettings:
    """`api_id` may be a REST API id or its name. `endpoint_url` None → $AWS_ENDPOINT_URL or AWS.

    `max_attempts` / timeouts feed botocore's adaptive retry config; tests lower them.
    """

    api_id: str
    stage: str
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    live_tail: bool = False
    intervals: Intervals = field(default_factory=Intervals)
    max_attempts: int = 4
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    backfill_s: float = 3600.0
    history_s: float = 24 * 3600.0
    invoke_url: str | None = None  # override (the demo's loopback API); default from the topology
