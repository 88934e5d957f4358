"""Alarms: DescribeAlarms, kept when an alarm watches the API's, the NLB's or a Lambda's metrics."""

from __future__ import annotations

import datetime as dt
from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerOptions
from apigw_cockpit.aws.sources.metrics import lb_dimension, metric_api_name
from apigw_cockpit.aws.untyped import Raw
from apigw_cockpit.model import Alarm, AlarmsUpdate, Clock, Topology, Update


def _watches(metric: Raw, wanted: dict[str, set[str]]) -> bool:
    ns = metric.get("Namespace", "")
    dims = {d.get("Name"): d.get("Value") for d in metric.get("Dimensions", [])}
    return any(dims.get(name) in values for name, values in _by_ns(wanted, ns).items())


def _by_ns(wanted: dict[str, set[str]], ns: str) -> dict[str, set[str]]:
    key = {"AWS/ApiGateway": "ApiName", "AWS/NetworkELB": "LoadBalancer", "AWS/Lambda": "FunctionName"}.get(
        ns
    )
    return {key: wanted.get(key, set())} if key else {}


class AlarmsPoller(Poller):
    name = "alarms"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        topology: Topology,
        interval: float = 60.0,
        **kw: Unpack[PollerOptions],
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        self.wanted = {
            "ApiName": {metric_api_name(topology.api_name, topology.api_id)},
            "LoadBalancer": {lb_dimension(lb.arn) for lb in topology.load_balancers},
            "FunctionName": {fn.name for fn in topology.lambdas},
        }

    async def poll(self) -> list[Update]:
        cw = await self.factory.client("cloudwatch")
        alarms: list[Alarm] = []
        token: str | None = None
        while True:
            kwargs: dict[str, object] = {"AlarmTypes": ["MetricAlarm"], "MaxRecords": 100}
            if token:
                kwargs["NextToken"] = token
            resp = await cw.describe_alarms(**kwargs)
            for a in resp.get("MetricAlarms", []):
                metrics = [a] + [q["MetricStat"]["Metric"] for q in a.get("Metrics", []) if "MetricStat" in q]
                hit = next((m for m in metrics if _watches(m, self.wanted)), None)
                if hit is None:
                    continue
                t = a.get("StateUpdatedTimestamp")
                alarms.append(
                    Alarm(
                        name=a.get("AlarmName", ""),
                        state=a.get("StateValue", ""),
                        reason=a.get("StateReason", ""),
                        metric=hit.get("MetricName", ""),
                        namespace=hit.get("Namespace", ""),
                        updated=t.timestamp() if isinstance(t, dt.datetime) else 0.0,
                    )
                )
            token = resp.get("NextToken")
            if not token:
                break
        return [AlarmsUpdate(self.name, self.clock.now(), tuple(sorted(alarms, key=lambda x: x.name)))]
