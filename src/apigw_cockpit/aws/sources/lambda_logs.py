"""Lambda logs (`/aws/lambda/<fn>`): the logs poller with the Lambda request-id grouping."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import LAMBDA
from apigw_cockpit.model import Clock


def lambda_logs_poller(
    factory: Any, clock: Clock, groups: list[str], interval: float = 5.0, **kw: Any
) -> LogsPoller:
    return LogsPoller(factory, clock, groups, interval, name="lambda_logs", grouping=LAMBDA, **kw)
