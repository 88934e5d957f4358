"""Plain boto3 / aiobotocore clients pointed at a SimServer, and small metric helpers."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(sim: Any, service: str, config: Config = NO_RETRY) -> Any:
    # The world's own region: its account answers there (an ap-southeast-2 trail is asked there).
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=sim.region
    )
    return session.client(service, endpoint_url=sim.endpoint_url, config=config)


def api_dims(sim: Any) -> list[dict[str, str]]:
    st = sim.world.state
    if st.is_http:  # apigatewayv2 metrics are by ApiId (AWS-FACTS "Metrics")
        return [{"Name": "ApiId", "Value": st.api.id}, {"Name": "Stage", "Value": st.stage.name}]
    return [{"Name": "ApiName", "Value": st.api.name}, {"Name": "Stage", "Value": st.stage.name}]


HTTP_NAMES = {"5XXError": "5xx", "4XXError": "4xx"}  # REST's metric names as an HTTP API spells them


def metric(
    sim: Any, name: str, stat: str, minutes: int = 5, dims: list[dict[str, str]] | None = None
) -> list[float]:
    """Values of the last `minutes` complete minutes, newest first (AWS's default order)."""
    now = sim.clock.now()
    end = now // 60 * 60
    got = client(sim, "cloudwatch").get_metric_data(
        MetricDataQueries=[
            {
                "Id": "m",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/ApiGateway",
                        "MetricName": HTTP_NAMES.get(name, name) if sim.world.state.is_http else name,
                        "Dimensions": dims or api_dims(sim),
                    },
                    "Period": 60,
                    "Stat": stat,
                },
            }
        ],
        StartTime=end - minutes * 60,
        EndTime=end,
    )
    return list(got["MetricDataResults"][0]["Values"])
