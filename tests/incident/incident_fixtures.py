"""The journal a midnight-pager drill writes, via the real Journal API (tests and bench share it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from apigw_cockpit.incident import Journal
from apigw_cockpit.model import Alarm, Change, Finding, FrozenClock, Hypothesis, Severity, Verdict

DAY = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
API = "a1b2c3d4e5"
STAGE = "prod"
SG = "sg-0ab12cd34ef567890"


def at(hh: int, mm: int, ss: int = 0) -> float:
    return (DAY + dt.timedelta(hours=hh, minutes=mm, seconds=ss)).timestamp()


def _finding(check_id: str, verdict: Verdict, summary: str, when: float, **kw: object) -> Finding:
    return Finding(check_id=check_id, title=check_id, verdict=verdict, summary=summary, at=when, **kw)  # type: ignore[arg-type]


def write_midnight_pager(path: Path) -> Path:
    """What a midnight-pager drill journals, in the order the cockpit would observe it."""
    clock = FrozenClock(at(0, 15))
    j = Journal.open(path, api=API, stage=STAGE, clock=clock, session={"scenario": "midnight-pager"})
    j.note_alarms(
        [
            Alarm(
                "orders-prod-5xx",
                "ALARM",
                "Threshold Crossed: 1 datapoint [150.0] > 10",
                "5XXError",
                "AWS/ApiGateway",
                at(0, 15),
            )
        ]
    )
    j.mark_onset(at(0, 12), source="metrics", detail="5XXError rose from 0 to 150 per minute")
    revoke = Change(
        "e-revoke-0010",
        at(0, 10),
        "RevokeSecurityGroupIngress",
        "ec2.amazonaws.com",
        "alex",
        (SG,),
        json.dumps(
            {
                "groupId": SG,
                "ipPermissions": [
                    {"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "ipRanges": ["10.0.0.0/16"]}
                ],
            }
        ),
    )
    j.note_changes([revoke])
    clock.set(at(0, 16))
    findings = [
        _finding(
            "target-health",
            Verdict.ERROR,
            "0/4 healthy",
            at(0, 16),
            severity=Severity.CRITICAL,
            evidence=(
                "10.0.1.10:80 us-east-1a unhealthy Target.FailedHealthChecks",
                "10.0.1.11:80 us-east-1a unhealthy Target.FailedHealthChecks",
                "10.0.2.10:80 us-east-1b unhealthy Target.FailedHealthChecks",
                "10.0.2.11:80 us-east-1b unhealthy Target.FailedHealthChecks",
            ),
            root_causes=("sg-blocks-nlb-targets",),
        ),
        _finding(
            "security-groups",
            Verdict.ERROR,
            f"{SG} does not admit 10.0.0.0/16 on TCP 80 (NLB health checks)",
            at(0, 16),
            evidence=(f"{SG} ingress: tcp 80 from 172.16.0.0/16 only",),
            root_causes=("sg-blocks-nlb-targets",),
        ),
        _finding(
            "latency-shape",
            Verdict.ERROR,
            "IntegrationLatency p99 28.9 s pinned near the 29 s timeout",
            at(0, 16),
            evidence=("00:13 p99 28.7 s", "00:14 p99 28.9 s", "00:15 p99 28.9 s"),
            root_causes=("integration-timeout", "sg-blocks-nlb-targets"),
        ),
        _finding(
            "exec-log-errors",
            Verdict.ERROR,
            "150 requests: Execution failed due to a timeout error",
            at(0, 16),
            evidence=(
                "(7f3a) Method request headers: {Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.secretpart.sig, "
                "Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com}",
                "(7f3a) Execution failed due to a timeout error",
                "(7f3a) Method completed with status: 504",
            ),
        ),
        _finding(
            "backend-direct",
            Verdict.OK,
            "10.0.1.10:80 answers 200 in 4 ms when probed directly (bypasses the NLB)",
            at(0, 16),
        ),
    ]
    j.note_findings(findings)
    j.note_findings(findings[:1], at=at(0, 17))  # re-observed, unchanged: deduplicated
    j.note_hypotheses(
        [
            Hypothesis(
                "sg-blocks-nlb-targets",
                0.9,
                (
                    "all 4 targets unhealthy (Target.FailedHealthChecks) in both AZs",
                    f"RevokeSecurityGroupIngress on {SG} by alex 2 min before onset",
                    "IntegrationLatency pinned at the 29 s timeout: requests reach no healthy target",
                ),
                ("target-health", "security-groups", "latency-shape"),
            ),
            Hypothesis("integration-timeout", 0.2, ("latency near the timeout",), ("latency-shape",)),
        ],
        at=at(0, 18),
    )
    j.note_drill(
        "midnight-pager",
        at=at(0, 18),
        root_cause="sg-blocks-nlb-targets",
        time_to_root_cause_s=360.0,
        keystrokes=14,
        correct=True,
    )
    j.note("Direct curl to a task works: the problem is between the NLB and the tasks.", at(0, 25))
    j.note_changes(
        [
            Change(
                "e-authorize-0040",
                at(0, 40),
                "AuthorizeSecurityGroupIngress",
                "ec2.amazonaws.com",
                "alex",
                (SG,),
                json.dumps(
                    {
                        "groupId": SG,
                        "ipPermissions": [
                            {"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "ipRanges": ["10.0.0.0/16"]}
                        ],
                    }
                ),
            ),
            revoke,  # CloudTrail returns it again on the next poll: deduplicated
        ]
    )
    j.mark_fix(
        "Re-added inbound TCP 80 from 10.0.0.0/16 (VPC endpoint and NLB subnets)", at(0, 40), by="alex"
    )
    j.note_findings(
        [
            _finding("target-health", Verdict.OK, "4/4 healthy", at(0, 42)),
            _finding("security-groups", Verdict.OK, f"{SG} admits 10.0.0.0/16 on TCP 80", at(0, 42)),
            _finding("latency-shape", Verdict.OK, "IntegrationLatency p99 0.2 s", at(0, 44)),
        ]
    )
    j.note_impact(
        at(0, 45),
        peak_5xx_per_min=150.0,
        error_rate=0.8,
        requests=6200,
        requests_failed=4960,
        window_start=at(0, 12),
        window_end=at(0, 45),
    )
    j.mark_recovery(at(0, 45), source="metrics", detail="5XXError back to 0")
    steps = [
        {
            "id": "V1",
            "status": "pass",
            "summary": "GET /orders → 200 in 212 ms",
            "evidence": ["> GET /prod/orders HTTP/1.1", "> x-api-key: [REDACTED]", "< HTTP/1.1 200 OK"],
        },
        {"id": "V2", "status": "pass", "summary": "5XXError 0 for 3 consecutive minutes since 00:40"},
        {
            "id": "V3",
            "status": "pass",
            "summary": "42 × Successfully completed execution, 0 × Execution failed",
        },
        {"id": "V4", "status": "pass", "summary": "Method completed with status: 200"},
        {"id": "V5", "status": "pass", "summary": "TestInvokeMethod → 200 in 35 ms"},
        {
            "id": "V6",
            "status": "pass",
            "summary": "200 requests, concurrency 10: 0 errors, p50 180 ms, p99 410 ms",
        },
    ]
    j.note_verification(steps, at=at(0, 46))
    j.note_screenshot("screens/midnight-pager-0046.svg", "Cockpit after the fix", at=at(0, 46))
    j.close("exit", at=at(0, 50))
    return path
