"""`--url URL`: the URL from the alert → API (REST or HTTP), stage and route.

Host forms (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html):
- `{api-id}.execute-api.{region}.amazonaws.com/{stage}/{route}` — the default endpoint (also a
  private API's name inside a VPC with private DNS); an HTTP API's `$default` stage has no
  path segment.
- `{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com/{stage}/...` — a private API's Route 53 alias.
- `vpce-….execute-api.{region}.vpce.amazonaws.com/{stage}/...` — a VPC endpoint's own name: the
  API is chosen by the `x-apigw-api-id` (or `Host`) header, not by the URL, so `--api-id` must say it.
- anything else: a custom domain — apigateway GetDomainNames (exact, then wildcard `*.example.com`),
  its base-path mappings (apigateway GetBasePathMappings: REST) and API mappings (apigatewayv2
  GetApiMappings: REST and HTTP), the longest mapping key that prefixes the path wins.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from apigw_cockpit.aws._parts import paginate
from apigw_cockpit.aws.errors import (
    AwsAccessError,
    ReadOnlyViolation,
    as_access_error,
    is_denied,
    is_not_found,
    raise_if_fatal,
    short,
)
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.errors import ConfigError

_REGION = r"(?P<region>[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2})"
_EXECUTE_API = re.compile(
    rf"^(?P<id>[a-z0-9]{{10}})(?:-(?P<vpce>vpce-[0-9a-f]+))?\.execute-api\.{_REGION}\.amazonaws\.com(?:\.cn)?$"
)
_VPCE_HOST = re.compile(
    rf"^(?P<vpce>vpce-[0-9a-f]+)-[a-z0-9]+(?:-[a-z0-9-]+)?\.execute-api\.{_REGION}\.vpce\.amazonaws\.com(?:\.cn)?$"
)
WEBSOCKET_NOT_YET = "{id} is a WebSocket API (apigatewayv2); WebSocket APIs are not diagnosed"


@dataclass(frozen=True)
class Resolved:
    api_type: str  # "rest" | "http"
    api_id: str
    stage: str
    route: str  # the path below the stage / base path ("/" when none)
    region: str | None  # the region the host names (None: the user's)
    how: str  # what the host was, for the one line printed
    base_url: str = ""  # custom domain: where the stage is served (https://host/base-path), for probes

    def line(self, url: str) -> str:
        kind = "REST API" if self.api_type == "rest" else "HTTP API"
        where = f" in {self.region}" if self.region else ""
        return f"--url {url}: {kind} {self.api_id} stage {self.stage} route {self.route}{where} ({self.how})"


def _split(url: str) -> tuple[str, list[str]]:
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError as exc:
        raise ConfigError(f"--url {url!r}: not a URL ({exc})") from None
    if not host:
        raise ConfigError(f"--url {url!r}: not a URL (no host)")
    return host, [s for s in parts.path.split("/") if s]


_T = TypeVar("_T")


def _route(segments: list[str]) -> str:
    return "/" + "/".join(segments)


async def _call(call: Awaitable[_T], operation: str) -> _T | None:
    """One read whose NotFound is an answer (None); access problems end the run (exit 3)."""
    try:
        return await call
    except Exception as exc:
        raise_if_fatal(exc)
        if is_not_found(exc):
            return None
        what = "denied" if is_denied(exc) else "failed"
        raise AwsAccessError(f"{operation} {what}: {short(exc)}") from None


async def api_type_of(factory: ClientFactory, api_id: str, region: str | None = None) -> str | None:
    """ "rest", "http" ("websocket") or None when neither product knows the id."""
    gw = await factory.client("apigateway", region)
    if await _call(gw.get_rest_api(restApiId=api_id), "apigateway:GetRestApi") is not None:
        return "rest"
    v2 = await factory.client("apigatewayv2", region)
    api = await _call(v2.get_api(ApiId=api_id), "apigatewayv2:GetApi")
    if api is None:
        return None
    return "websocket" if str(api.get("ProtocolType") or "").upper() == "WEBSOCKET" else "http"


async def _v2_stage_names(factory: ClientFactory, api_id: str, region: str | None) -> list[str]:
    v2 = await factory.client("apigatewayv2", region)
    try:
        stages = await paginate(v2, "get_stages", "Items", ApiId=api_id)
    except ReadOnlyViolation:
        raise
    except Exception as exc:
        raise as_access_error(exc) or AwsAccessError(f"apigatewayv2:GetStages failed: {short(exc)}") from None
    return [str(s.get("StageName")) for s in stages if s.get("StageName")]


async def _by_api_id(
    factory: ClientFactory, api_id: str, segments: list[str], region: str | None, how: str
) -> Resolved:
    kind = await api_type_of(factory, api_id, region)
    if kind is None:
        raise ConfigError(
            f"no REST or HTTP API {api_id!r} in region {region or factory.region} (check --region)"
        )
    if kind == "rest":
        if not segments:
            raise ConfigError(f"the URL names REST API {api_id} but no stage (…amazonaws.com/<stage>/…)")
        return Resolved("rest", api_id, segments[0], _route(segments[1:]), region, how)
    names = await _v2_stage_names(factory, api_id, region)
    if segments and segments[0] in names:
        return Resolved(kind, api_id, segments[0], _route(segments[1:]), region, how)
    if "$default" in names:  # the $default stage is served at the root
        return Resolved(kind, api_id, "$default", _route(segments), region, how)
    raise ConfigError(
        f"the URL names HTTP API {api_id} but none of its stages ({', '.join(names) or 'none'})"
    )


def _key_segments(key: str) -> list[str]:
    key = key.strip()
    return [] if key in ("", "(none)") else [s for s in key.split("/") if s]


async def _domain(factory: ClientFactory, host: str) -> str | None:
    """The custom domain name serving `host`: exact, else the wildcard one level up."""
    gw = await factory.client("apigateway")
    try:
        domains = await paginate(gw, "get_domain_names", "items")
    except ReadOnlyViolation:
        raise
    except Exception as exc:
        raise as_access_error(exc) or AwsAccessError(
            f"apigateway:GetDomainNames failed: {short(exc)}"
        ) from None
    names = {str(d.get("domainName") or "").lower() for d in domains}
    if host in names:
        return host
    wildcard = "*." + host.split(".", 1)[-1]
    return wildcard if wildcard in names else None


async def _mappings(factory: ClientFactory, domain: str) -> list[tuple[list[str], str, str]]:
    """(key segments, api id, stage) of every base-path mapping (REST) and API mapping (v2)."""
    gw = await factory.client("apigateway")
    out: list[tuple[list[str], str, str]] = []
    try:
        base = await paginate(gw, "get_base_path_mappings", "items", domainName=domain)
    except Exception as exc:
        raise_if_fatal(exc)
        if not is_not_found(exc):
            raise AwsAccessError(f"apigateway:GetBasePathMappings failed: {short(exc)}") from None
        base = []
    for m in base:
        if m.get("restApiId"):
            out.append(
                (_key_segments(str(m.get("basePath") or "")), str(m["restApiId"]), str(m.get("stage") or ""))
            )
    # GetApiMappings has no botocore paginator: follow NextToken here.
    v2 = await factory.client("apigatewayv2")
    token: str | None = None
    for _ in range(100):  # a domain holds at most a few hundred mappings; never loop forever
        kwargs: dict[str, object] = {"DomainName": domain}
        if token:
            kwargs["NextToken"] = token
        page = await _call(v2.get_api_mappings(**kwargs), "apigatewayv2:GetApiMappings")
        if page is None:
            break
        for m in page.get("Items") or []:
            if m.get("ApiId"):
                out.append(
                    (
                        _key_segments(str(m.get("ApiMappingKey") or "")),
                        str(m["ApiId"]),
                        str(m.get("Stage") or ""),
                    )
                )
        token = page.get("NextToken")
        if not token:
            break
    return out


async def _custom_domain(factory: ClientFactory, host: str, segments: list[str]) -> Resolved:
    domain = await _domain(factory, host)
    if domain is None:
        raise ConfigError(
            f"{host} is not an execute-api host nor a custom domain name of this account in "
            f"{factory.region} (check --region; GetDomainNames)"
        )
    best: tuple[list[str], str, str] | None = None
    for key, api_id, stage in await _mappings(factory, domain):
        if segments[: len(key)] == key and (best is None or len(key) > len(best[0])):
            best = (key, api_id, stage)
    if best is None:
        raise ConfigError(f"custom domain {domain} maps no API at {_route(segments)}")
    key, api_id, stage = best
    rest = segments[len(key) :]
    if not stage:  # a mapping without a stage: the caller names it after the base path
        if not rest:
            raise ConfigError(
                f"custom domain {domain} maps API {api_id} with no stage and the URL names none"
            )
        stage, rest = rest[0], rest[1:]
    kind = await api_type_of(factory, api_id) or "rest"
    shown = "/".join(key) or "(none)"
    how = f"custom domain {domain}, base path {shown}"
    base = "/".join([f"https://{host}", *key, *([stage] if not best[2] else [])])
    return Resolved(kind, api_id, stage, _route(rest), None, how, base_url=base)


async def resolve_url(factory: ClientFactory, url: str, api_id: str | None = None) -> Resolved:
    """See the module docstring. `api_id`: the user's --api-id (what a vpce host needs)."""
    host, segments = _split(url)
    m = _EXECUTE_API.match(host)
    if m:
        how = "private API, VPC endpoint alias" if m.group("vpce") else "execute-api host"
        return await _by_api_id(factory, m.group("id"), segments, m.group("region"), how)
    m = _VPCE_HOST.match(host)
    if m:
        if not api_id:
            raise ConfigError(
                f"{host} is VPC endpoint {m.group('vpce')}'s own name: it serves every private API it "
                "may reach, chosen by the x-apigw-api-id (or Host) header — pass that API id as --api-id"
            )
        got = await _by_api_id(
            factory, api_id, segments, m.group("region"), f"private API via {m.group('vpce')}"
        )
        # Probes may go the same way (they add the x-apigw-api-id header for a vpce host).
        stage_path = "" if got.stage == "$default" else f"/{got.stage}"
        return dataclasses.replace(got, base_url=f"https://{host}{stage_path}")
    return await _custom_domain(factory, host, segments)
