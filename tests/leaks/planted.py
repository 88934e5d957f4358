"""Planted secrets as the world delivers them: execution-log requests, Lambda log lines,
CloudTrail changes, source errors and notes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from apigw_cockpit.model import Change, LogEvent, RequestTrace

from .kinds import Plant

EXEC_CARRIERS = (
    "request-path",
    "query-string",
    "request-headers",
    "request-body",
    "response-body",
    "execution-log-text",
)


@dataclass(frozen=True)
class PlantedRequest:
    request_id: str
    lines: tuple[str, ...]  # without the "(id) " prefix


PER_REQUEST = 6  # planted lines per request: a whole trace stays on one screen


def requests(plants: list[Plant]) -> list[PlantedRequest]:
    """Failed requests shaped like API Gateway's trace, each carrying up to PER_REQUEST planted
    lines of one carrier (a planted path is the request's own path: one per request)."""
    groups: list[list[Plant]] = []
    for carrier in EXEC_CARRIERS:
        of_carrier = [p for p in plants if p.carrier == carrier]
        size = 1 if carrier == "request-path" else PER_REQUEST
        groups += [of_carrier[i : i + size] for i in range(0, len(of_carrier), size)]
    out = []
    for i, group in enumerate(groups):
        rid = f"5ec2e7{i:02x}-0000-4000-8000-{i:012x}"
        path = [] if group[0].carrier == "request-path" else ["HTTP Method: GET, Resource Path: /orders"]
        lines = (
            f"Starting execution for request: {rid}",
            *path,
            *(p.text for p in group),
            "Sending request to http://orders-nlb.elb.us-east-1.amazonaws.com/orders",
            "Execution failed due to configuration error: Invalid endpoint address",
            "Method completed with status: 500",
        )
        out.append(PlantedRequest(rid, lines))
    return out


def execution_log_text(plants: list[Plant]) -> str:
    """What `aws logs filter-log-events --output text` pastes into `explain`, plus Lambda lines."""
    lines = [f"({r.request_id}) {ln}" for r in requests(plants) for ln in r.lines]
    lines += [p.text for p in plants if p.carrier == "lambda-log-text"]
    return "\n".join(lines) + "\n"


def log_events(plants: list[Plant], group: str, now: float) -> Iterator[LogEvent]:
    for n, r in enumerate(requests(plants)):
        for k, ln in enumerate(r.lines):
            yield LogEvent(
                f"leak{n}-{k}", now - 30 + n * 0.1, group, "s", f"({r.request_id}) {ln}", 0.0, r.request_id
            )


def traces(plants: list[Plant], group: str, now: float) -> tuple[RequestTrace, ...]:
    return tuple(
        RequestTrace(
            r.request_id, now - 30 + n * 0.1, tuple(f"({r.request_id}) {ln}" for ln in r.lines), group, True
        )
        for n, r in enumerate(requests(plants))
    )


def changes(plants: list[Plant], now: float) -> tuple[Change, ...]:
    return tuple(
        Change(
            f"leak-change-{i}",
            now - 120 + i,
            "UpdateStage",
            "apigateway.amazonaws.com",
            "alex",
            ("a1b2",),
            p.text,
        )
        for i, p in enumerate(q for q in plants if q.carrier == "change-parameters")
    )


def of(plants: list[Plant], carrier: str) -> list[Plant]:
    return [p for p in plants if p.carrier == carrier]
