"""The front door: every REST and HTTP/WebSocket API of a region, its stages, and which is on fire.

One listing per product (apigateway GetRestApis, apigatewayv2 GetApis; both botocore
paginators), each API's stages (apigateway GetStages answers every stage at once;
apigatewayv2 GetStages has a paginator), then ONE GetMetricData call for the 5XX and
request counts of every stage over the last 15 minutes (chunked only past 500 queries,
i.e. 250 stages). Sorted worst first: the stage with the most 5XX, then the highest rate.

Metric identities (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html):
REST `AWS/ApiGateway` `5XXError`/`Count` by {ApiName, Stage} (the name, so two REST APIs with
one name share a series — AWS's limitation, not ours); HTTP `AWS/ApiGateway` `5xx`/`Count` by
{ApiId, Stage}. WebSocket APIs publish no 5XX metric: they are listed with no counts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field

from apigw_cockpit.aws._parts import Parts, paginate
from apigw_cockpit.aws.errors import (
    AwsAccessError,
    is_denied,
    raise_if_fatal,
    short,
)
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.sources.metrics import metric_api_name

WINDOW_S = 15 * 60
_MAX_QUERIES = 500  # GetMetricData's limit per call
_NAMESPACE = "AWS/ApiGateway"


@dataclass(frozen=True)
class StageHealth:
    """One stage and its last-15-minute 5XX and request counts (None: no metric for it)."""

    name: str
    errors_5xx: float | None = None
    requests: float | None = None

    @property
    def rate(self) -> float | None:
        """5XX / requests; None when nothing was counted (no traffic is not a 0 % error rate)."""
        if self.errors_5xx is None or not self.requests:
            return None
        return self.errors_5xx / self.requests


@dataclass(frozen=True)
class ApiEntry:
    """A REST (`rest`), HTTP (`http`) or WebSocket (`websocket`) API with its stages."""

    api_type: str
    id: str
    name: str
    region: str
    endpoint_type: str = ""  # REST: EDGE | REGIONAL | PRIVATE; v2 APIs: ""
    stages: tuple[StageHealth, ...] = ()
    errors: tuple[str, ...] = ()  # parts of this API that could not be read ("GetStages: denied")

    @property
    def worst(self) -> StageHealth | None:
        return self.stages[0] if self.stages else None


@dataclass(frozen=True)
class Inventory:
    apis: tuple[ApiEntry, ...]
    region: str
    window_s: float = WINDOW_S
    errors: tuple[str, ...] = field(default=())  # whole listings that failed ("apigatewayv2 GetApis: …")


def _heat(s: StageHealth) -> tuple[float, float]:
    return (s.errors_5xx or 0.0, s.rate or 0.0)


def _sorted_stages(stages: Iterable[StageHealth]) -> tuple[StageHealth, ...]:
    return tuple(sorted(stages, key=lambda s: (-_heat(s)[0], -_heat(s)[1], s.name)))


def worst_first(apis: Iterable[ApiEntry]) -> tuple[ApiEntry, ...]:
    def key(a: ApiEntry) -> tuple[float, float, str, str]:
        w = _heat(a.worst) if a.worst else (0.0, 0.0)
        return (-w[0], -w[1], a.name, a.id)

    return tuple(sorted(apis, key=key))


async def _rest_apis(factory: ClientFactory, region: str, parts: Parts) -> list[tuple[ApiEntry, list[str]]]:
    gw = await factory.client("apigateway", region)
    items = await paginate(gw, "get_rest_apis", "items")
    out = []
    for api in items:
        api_id = str(api.get("id") or "")
        if not api_id:
            continue
        before = len(parts.errors)
        got = await parts.get(f"stages:{api_id}", "GetStages", gw.get_stages(restApiId=api_id))
        names = sorted({str(s.get("stageName")) for s in (got or {}).get("item") or [] if s.get("stageName")})
        endpoint = ((api.get("endpointConfiguration") or {}).get("types") or [""])[0] or ""
        errs = _errors_since(parts, before)
        out.append(
            (ApiEntry("rest", api_id, str(api.get("name") or ""), region, str(endpoint), errors=errs), names)
        )
    return out


async def _v2_apis(factory: ClientFactory, region: str, parts: Parts) -> list[tuple[ApiEntry, list[str]]]:
    v2 = await factory.client("apigatewayv2", region)
    items = await paginate(v2, "get_apis", "Items")
    out = []
    for api in items:
        api_id = str(api.get("ApiId") or "")
        if not api_id:
            continue
        before = len(parts.errors)
        got = await parts.get(
            f"stages:{api_id}", "GetStages", paginate(v2, "get_stages", "Items", ApiId=api_id)
        )
        names = sorted({str(s.get("StageName")) for s in got or [] if s.get("StageName")})
        kind = "websocket" if str(api.get("ProtocolType") or "").upper() == "WEBSOCKET" else "http"
        errs = _errors_since(parts, before)
        out.append((ApiEntry(kind, api_id, str(api.get("Name") or ""), region, errors=errs), names))
    return out


def _errors_since(parts: Parts, before: int) -> tuple[str, ...]:
    return tuple(f"{e.operation}: {'denied: ' if e.denied else ''}{e.error}" for e in parts.errors[before:])


def metric_queries(
    listed: list[tuple[ApiEntry, list[str]]],
) -> tuple[list[dict[str, object]], list[tuple[int, str]]]:
    """GetMetricData queries (5XX and Count per stage, Sum per minute) and, per query pair, its
    (api index, stage name). WebSocket APIs have no 5XX metric and get no query."""
    queries: list[dict[str, object]] = []
    keys: list[tuple[int, str]] = []
    for i, (api, stages) in enumerate(listed):
        if api.api_type == "rest":
            base = [{"Name": "ApiName", "Value": metric_api_name(api.name, api.id)}]
            errors_metric = "5XXError"
        elif api.api_type == "http":
            base = [{"Name": "ApiId", "Value": api.id}]
            errors_metric = "5xx"
        else:
            continue
        for stage in stages:
            n = len(keys)
            dims = [*base, {"Name": "Stage", "Value": stage}]
            for qid, metric in ((f"e{n}", errors_metric), (f"c{n}", "Count")):
                queries.append(
                    {
                        "Id": qid,
                        "MetricStat": {
                            "Metric": {"Namespace": _NAMESPACE, "MetricName": metric, "Dimensions": dims},
                            "Period": 60,
                            "Stat": "Sum",
                        },
                        "ReturnData": True,
                    }
                )
            keys.append((i, stage))
    return queries, keys


async def _counts(
    factory: ClientFactory, region: str, queries: list[dict[str, object]], start: float, end: float
) -> dict[str, float]:
    """Query id → the sum of its per-minute points over the window (one call per 500 queries)."""
    cw = await factory.client("cloudwatch", region)
    points: dict[str, dict[float, float]] = {}
    for at in range(0, len(queries), _MAX_QUERIES):
        token: str | None = None
        while True:
            kwargs: dict[str, object] = {
                "MetricDataQueries": queries[at : at + _MAX_QUERIES],
                "StartTime": dt.datetime.fromtimestamp(start, dt.UTC),
                "EndTime": dt.datetime.fromtimestamp(end, dt.UTC),
                "ScanBy": "TimestampAscending",
            }
            if token:
                kwargs["NextToken"] = token
            resp = await cw.get_metric_data(**kwargs)
            for r in resp.get("MetricDataResults") or []:
                pts = points.setdefault(str(r.get("Id") or ""), {})
                for ts, v in zip(r.get("Timestamps") or [], r.get("Values") or [], strict=False):
                    t = ts.timestamp() if isinstance(ts, dt.datetime) else float(ts)
                    if v == v:  # NaN: no value
                        pts[t] = float(v)
            token = resp.get("NextToken")
            if not token:
                break
    return {qid: sum(pts.values()) for qid, pts in points.items()}


async def _listing(
    name: str, coro: Awaitable[list[tuple[ApiEntry, list[str]]]], errors: list[str]
) -> list[tuple[ApiEntry, list[str]]]:
    """One product's listing; a denied or failing listing is reported, the other product kept."""
    try:
        result: list[tuple[ApiEntry, list[str]]] = await coro
        return result
    except Exception as exc:
        raise_if_fatal(exc)
        errors.append(f"{name}: {'denied: ' if is_denied(exc) else ''}{short(exc)}")
        return []


async def list_apis(factory: ClientFactory, now: float, region: str | None = None) -> Inventory:
    """Every API of `region` (default: the factory's) with last-15-minute 5XX per stage, worst first."""
    region = region or factory.region
    parts = Parts()
    errors: list[str] = []
    listed = await _listing("apigateway GetRestApis", _rest_apis(factory, region, parts), errors)
    listed += await _listing("apigatewayv2 GetApis", _v2_apis(factory, region, parts), errors)
    if len(errors) == 2:
        raise AwsAccessError(f"cannot list APIs in {region}: {'; '.join(errors)}")
    queries, keys = metric_queries(listed)
    end = float(int(now // 60) * 60)
    counts: dict[str, float] | None = {}
    if queries:
        try:
            counts = await _counts(factory, region, queries, end - WINDOW_S, end)
        except Exception as exc:
            raise_if_fatal(exc)
            errors.append(f"cloudwatch GetMetricData: {short(exc)} (5XX counts unknown)")
            counts = None
    by_stage = {key: n for n, key in enumerate(keys)}
    apis = []
    for i, (api, stages) in enumerate(listed):
        health = []
        for stage in stages:
            n = by_stage.get((i, stage))
            if n is None or counts is None:
                health.append(StageHealth(stage))
                continue
            # A query CloudWatch did not answer is unknown (None); one answered with no points is 0.
            health.append(StageHealth(stage, counts.get(f"e{n}"), counts.get(f"c{n}")))
        apis.append(dataclasses.replace(api, stages=_sorted_stages(health)))
    return Inventory(worst_first(apis), region, errors=tuple(errors))


async def list_all_regions(factory: ClientFactory, now: float, regions: list[str]) -> Inventory:
    """`--all-regions`: the same listing in each region (concurrently); a region that fails is
    reported in `errors`, the others kept."""

    async def one(region: str) -> Inventory | str:
        try:
            return await list_apis(factory, now, region)
        except AwsAccessError as exc:
            return f"{region}: {exc}"

    got = await asyncio.gather(*(one(r) for r in regions))
    apis = [a for inv in got if isinstance(inv, Inventory) for a in inv.apis]
    errors = [e for inv in got if isinstance(inv, str) for e in [inv]]
    errors += [
        e for inv in got if isinstance(inv, Inventory) for e in (f"{inv.region}: {x}" for x in inv.errors)
    ]
    return Inventory(worst_first(apis), "all", errors=tuple(errors))


def regions_of(fallback: str) -> list[str]:
    """Every region API Gateway is offered in (botocore's endpoint data: no call)."""
    import botocore.session

    return sorted(botocore.session.get_session().get_available_regions("apigateway")) or [fallback]


def entry_json(api: ApiEntry) -> dict[str, object]:
    """The stable `apis --json` object of one API."""
    return {
        "api_type": api.api_type,
        "id": api.id,
        "name": api.name,
        "region": api.region,
        "endpoint_type": api.endpoint_type or None,
        "stages": [
            {
                "name": s.name,
                "errors_5xx": s.errors_5xx,
                "requests": s.requests,
                "rate_5xx": None if s.rate is None else round(s.rate, 6),
            }
            for s in api.stages
        ],
        "errors": list(api.errors),
    }
