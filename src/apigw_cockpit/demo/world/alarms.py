"""CloudWatch alarms whose state is computed from the metric store each minute."""

from __future__ import annotations

import math
from typing import Any

from apigw_cockpit.demo.world.metricstore import MetricStore
from apigw_cockpit.demo.world.state import AlarmState, WorldState

_CMP = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


class AlarmBook:
    def __init__(self, ws: WorldState, metrics: MetricStore) -> None:
        self.ws = ws
        self.metrics = metrics
        self._state: dict[str, tuple[str, str, float]] = {}  # name -> (state, reason, since)

    def _dims(self, a: AlarmState) -> dict[str, str]:
        out = {}
        for k, v in a.dims.items():
            if v.startswith("@"):
                n = v[1:]
                if n in self.ws.nlbs:
                    v = self.ws.nlbs[n].dims_value
                elif n in self.ws.target_groups:
                    v = self.ws.target_groups[n].id.split(":", 5)[-1]
            out[k] = v
        return out

    def _evaluate(self, a: AlarmState, now: float) -> tuple[str, str]:
        end = math.floor(now / a.period_s) * a.period_s
        pts = self.metrics.query(
            a.namespace, a.metric, self._dims(a), a.stat, end - a.period_s * a.periods, end, a.period_s
        )
        if not pts:
            return (
                "INSUFFICIENT_DATA",
                "Insufficient Data: no datapoints were received for the evaluation period.",
            )
        vals = [v for _, v in pts]
        breaching = len(pts) >= a.periods and all(_CMP[a.comparison](v, a.threshold) for v in vals)
        shown = ", ".join(f"{v:g}" for v in vals)
        if breaching:
            return (
                "ALARM",
                f"Threshold Crossed: {len(vals)} datapoint(s) [{shown}] was {a.comparison} "
                f"the threshold ({a.threshold:g}).",
            )
        return (
            "OK",
            f"Threshold Crossed: {len(vals)} datapoint(s) [{shown}] was not {a.comparison} "
            f"the threshold ({a.threshold:g}).",
        )

    def tick(self, now: float) -> None:
        for a in self.ws.alarms.values():
            st, reason = self._evaluate(a, now)
            prev = self._state.get(a.name)
            if prev is None or prev[0] != st:
                self._state[a.name] = (st, reason, now)
            else:
                self._state[a.name] = (st, reason, prev[2])

    def describe(self, now: float) -> list[dict[str, Any]]:
        """DescribeAlarms "MetricAlarms"."""
        self.tick(now)
        out = []
        region, account = self.ws.api.region, self.ws.api.account
        for a in self.ws.alarms.values():
            st, reason, since = self._state[a.name]
            out.append(
                {
                    "AlarmName": a.alarm_name,
                    "AlarmArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:{a.alarm_name}",
                    "ActionsEnabled": True,
                    "AlarmActions": [
                        f"arn:aws:sns:{self.ws.api.region}:{self.ws.api.account}:pagerduty-oncall"
                    ],
                    "StateValue": st,
                    "StateReason": reason,
                    "StateUpdatedTimestamp": since,
                    "MetricName": a.metric,
                    "Namespace": a.namespace,
                    "Statistic": a.stat,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(self._dims(a).items())],
                    "Period": a.period_s,
                    "EvaluationPeriods": a.periods,
                    "Threshold": a.threshold,
                    "ComparisonOperator": a.comparison,
                    "TreatMissingData": "missing",
                }
            )
        return out
