"""Recognise which AWS operation a raw HTTP request is, in every wire protocol botocore speaks.

The service comes from the SigV4 credential scope (as moto's own dispatcher does); the
operation from the protocol: `X-Amz-Target` (json), the form `Action` (query, ec2), the
request line matched against the service model's `requestUri` templates (rest-json), or
`/service/<Svc>/operation/<Op>` (smithy-rpc-v2-cbor).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from apigw_cockpit.demo.overlay import cbor

# SigV4 signing name -> botocore service name (where they differ).
_SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "elasticloadbalancing": "elbv2"}
# Smithy service shape names used in rpc-v2-cbor paths.
_CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
_CBOR_PATH = re.compile(r"^/service/([^/]+)/operation/([^/]+)$")


@dataclass
class AwsRequest:
    """One identified AWS API call: enough to answer it or to render an error in its protocol."""

    service: str  # botocore name: logs, cloudtrail, elbv2, cloudwatch, apigateway, ...
    protocol: str  # json | query | ec2 | rest-json | smithy-rpc-v2-cbor
    operation: str  # e.g. FilterLogEvents
    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    query: dict[str, list[str]] = field(default_factory=dict)
    path_params: dict[str, str] = field(default_factory=dict)
    environ: dict[str, Any] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def params(self) -> dict[str, Any]:
        """The request's parameters, decoded but untyped (query protocols stay flat)."""
        if self.protocol == "smithy-rpc-v2-cbor":
            decoded = cbor.decode(self.body) if self.body else {}
            return decoded if isinstance(decoded, dict) else {}
        if self.protocol in ("query", "ec2"):
            form = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            flat = {k: v[0] for k, v in form.items()}
            # moto's model-driven parser turns `A.member.1.B` keys into the nested input shape.
            from moto.core.parse import EC2QueryParser, QueryParser

            parser = EC2QueryParser if self.protocol == "ec2" else QueryParser
            try:
                op = service_model(self.service).operation_model(self.operation)
                request: Any = {"values": flat}  # moto's parser reads only "values" of its RequestDict
                return dict(parser(op).parse(request))
            except Exception:
                return flat
        if self.body:
            try:
                loaded = json.loads(self.body)
            except ValueError:
                return {}
            return loaded if isinstance(loaded, dict) else {}
        return {}

    @property
    def action(self) -> str:
        """The IAM action string (`logs:FilterLogEvents`) for messages like AWS writes."""
        prefix = {"cloudwatch": "cloudwatch", "elbv2": "elasticloadbalancing"}.get(self.service, self.service)
        return f"{prefix}:{self.operation}"


@functools.cache
def service_model(service: str) -> Any:
    """moto's flavour of the botocore model (its serializers need moto's shape classes)."""
    from moto.core.utils import get_service_model

    return get_service_model(service)


def signed_region(headers: dict[str, str]) -> str | None:
    """The region of the SigV4 credential scope (`Credential=AKID/date/REGION/service/...`)."""
    auth = headers.get("authorization", "")
    try:
        scope = auth.split(",")[0].split()[1]
        return scope.split("=", 1)[1].split("/")[2] or None
    except IndexError:
        return None


def _signing_service(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    try:
        scope = auth.split(",")[0].split()[1]
        _, _, _region, service, _ = scope.split("=", 1)[1].split("/")
    except (IndexError, ValueError):
        return None
    return service.lower()


@functools.cache
def _rest_routes(service: str) -> list[tuple[str, re.Pattern[str], str, tuple[str, ...]]]:
    """(http method, path regex, operation, param names), most specific template first."""
    model = service_model(service)
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http["requestUri"].split("?")[0]
        names: list[str] = []

        def _param(m: re.Match[str], names: list[str] = names) -> str:
            name = m.group(1).replace("\\", "")
            names.append(name.rstrip("+"))
            return "(.+)" if name.endswith("+") else "([^/]+)"

        regex = re.sub(r"\\\{([^}]+)\\\}", _param, re.escape(uri))
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        routes.append((literal, http["method"], re.compile(f"^{regex}/?$"), name, tuple(names)))
    routes.sort(key=lambda r: -r[0])
    return [(m, rx, name, names) for _, m, rx, name, names in routes]


def identify(
    method: str, raw_path: str, query_string: str, headers: dict[str, str], body: bytes
) -> AwsRequest | None:
    """The AWS operation this request is, or None (moto-api, unsigned or unknown calls)."""
    query = parse_qs(query_string, keep_blank_values=True)
    cbor_match = _CBOR_PATH.match(raw_path)
    if cbor_match and cbor_match.group(1) in _CBOR_SERVICES:
        return AwsRequest(
            _CBOR_SERVICES[cbor_match.group(1)],
            "smithy-rpc-v2-cbor",
            cbor_match.group(2),
            method,
            raw_path,
            body,
            headers,
            query,
        )
    signing = _signing_service(headers)
    if signing is None:
        return None
    service = _SIGNING_TO_SERVICE.get(signing, signing)
    if service == "apigateway" and raw_path.startswith("/v2/"):
        service = "apigatewayv2"  # HTTP/WebSocket APIs sign as apigateway too; their paths say v2
    target = headers.get("x-amz-target", "")
    if target:
        return AwsRequest(service, "json", target.rsplit(".", 1)[-1], method, raw_path, body, headers, query)
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(body.decode("utf-8", "replace"))
        action = form.get("Action", [""])[0]
        if action:
            if signing == "elasticloadbalancing" and form.get("Version", [""])[0] != "2015-12-01":
                service = "elb"
            protocol = "ec2" if service == "ec2" else "query"
            return AwsRequest(service, protocol, action, method, raw_path, body, headers, query)
    try:
        routes = _rest_routes(service)
    except Exception:  # unknown service name: let moto decide
        return None
    for http_method, regex, name, names in routes:
        if http_method != method:
            continue
        m = regex.match(raw_path)
        if m:
            params = {k: unquote(v) for k, v in zip(names, m.groups(), strict=True)}
            return AwsRequest(service, "rest-json", name, method, raw_path, body, headers, query, params)
    return None
