"""Target health: DescribeTargetHealth per target group every 10 s, with reason codes and AZ."""

from __future__ import annotations

import asyncio
from typing import Unpack

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.base import Poller, PollerOptions
from apigw_cockpit.model import Clock, TargetHealth, TargetHealthUpdate, Topology, Update


class TargetHealthPoller(Poller):
    name = "target_health"

    def __init__(
        self,
        factory: ClientFactory,
        clock: Clock,
        topology: Topology,
        interval: float = 10.0,
        **kw: Unpack[PollerOptions],
    ) -> None:
        super().__init__(factory, clock, interval, **kw)
        self.retarget(topology)

    def retarget(self, topology: Topology) -> None:
        self.target_groups = topology.target_groups()
        # DescribeTargetHealth leaves AvailabilityZone out for in-VPC targets: discovery knows it.
        self._az = {(tg.arn, t.id): t.az for tg in self.target_groups for t in tg.targets}

    async def poll(self) -> list[Update]:
        if not self.target_groups:
            return []
        elb = await self.factory.client("elbv2")
        answers = await asyncio.gather(
            *(elb.describe_target_health(TargetGroupArn=tg.arn) for tg in self.target_groups)
        )
        out: list[TargetHealth] = []
        for tg, resp in zip(self.target_groups, answers, strict=True):
            for d in resp.get("TargetHealthDescriptions", []):
                t, h = d.get("Target", {}), d.get("TargetHealth", {})
                az = t.get("AvailabilityZone", "") or self._az.get((tg.arn, t.get("Id", "")), "")
                out.append(
                    TargetHealth(
                        target_group_arn=tg.arn,
                        target_id=t.get("Id", ""),
                        port=int(t.get("Port", 0) or 0),
                        az=az,
                        state=h.get("State", ""),
                        reason=h.get("Reason", "") or "",
                        description=h.get("Description", "") or "",
                    )
                )
        return [TargetHealthUpdate(self.name, self.clock.now(), tuple(out))]
