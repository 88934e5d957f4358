"""VPC flow logs: the logs poller, REJECT records only, no request grouping."""

from __future__ import annotations

from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import PollerOptions
from apigw_cockpit.aws.sources.logs import LogsPoller
from apigw_cockpit.aws.sources.traces import NONE
from apigw_cockpit.model import Clock


def flow_logs_poller(
    factory: ClientFactory,
    clock: Clock,
    groups: list[str],
    interval: float = 30.0,
    **kw: Unpack[PollerOptions],
) -> LogsPoller:
    # Flow-log records are space-separated; the term pattern matches the action field.
    return LogsPoller(
        factory, clock, groups, interval, name="flow_logs", pattern="REJECT", grouping=NONE, **kw
    )
