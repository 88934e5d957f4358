"""Lambda logs (`/aws/lambda/<fn>`): the logs poller with the Lambda request-id grouping."""

from __future__ import annotations

from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import PollerOptions
from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import LAMBDA
from apigw_cockpit.model import Clock


def lambda_logs_poller(
    factory: ClientFactory,
    clock: Clock,
    groups: list[str],
    interval: float = 5.0,
    **kw: Unpack[PollerOptions],
) -> LogsPoller:
    return LogsPoller(factory, clock, groups, interval, name="lambda_logs", grouping=LAMBDA, **kw)
