"""The third snapshot picture: midnight-pager on a stage with execution logging off.

Same world as `fixtures.midnight_pager` (the revoked rule, four unhealthy targets, 5XX since
00:12), but the stage's loggingLevel is OFF and detailed metrics are off, so the logs poller
polls fine and finds nothing: the cockpit must say "no log evidence", not look calm.
"""

from __future__ import annotations

from dataclasses import replace

from apigw_cockpit.model import Topology

from .fixtures import FakeFeed, FakePoller, changes, metrics, statuses, targets, topology


def logging_off_topology() -> Topology:
    topo = topology(True)
    return replace(topo, stage=replace(topo.stage, logging_level="OFF", metrics_enabled=False))


def logging_off(hold: bool = False) -> FakeFeed:
    status = statuses()
    pollers = [
        FakePoller("metrics", [metrics(True), status[0]], hold),
        FakePoller("logs", [status[1]], hold),  # polled fine: an empty log group
        FakePoller("target_health", [targets(True), status[2]], hold),
        FakePoller("changes", [changes(True), status[3]], hold),
        FakePoller("alarms", [status[4]], hold),
    ]
    return FakeFeed(logging_off_topology(), pollers)
