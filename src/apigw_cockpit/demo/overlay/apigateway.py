"""API Gateway: TestInvokeMethod from the world, and VPC-link `connectionId` that moto drops.

moto stores integrations without connectionType/connectionId. We remember them from the
PutIntegration/UpdateIntegration calls that pass through (the mirror's and anyone's), and put
them back into every GetIntegration / GetMethod / GetResources(embed) answer.
"""

from __future__ import annotations

import json
from typing import Any

from apigw_cockpit.demo.overlay.app import ApiError, Context
from apigw_cockpit.demo.overlay.protocol import AwsRequest
from apigw_cockpit.demo.overlay.render import Reply

_KEYS = ("connectionType", "connectionId")


def _key(req: AwsRequest, resource_id: str | None = None) -> tuple[str, str, str]:
    pp = req.path_params
    return (
        pp.get("restapi_id", ""),
        resource_id or pp.get("resource_id", ""),
        pp.get("http_method", "").upper(),
    )


def test_invoke_method(ctx: Context, req: AwsRequest) -> dict[str, Any]:
    _, resource_id, method = _key(req)
    body = req.params
    try:
        result = ctx.world.test_invoke(
            resource_id,
            method,
            body.get("pathWithQueryString") or "/",
            body.get("body") or "",
            body.get("headers") or {},
        )
    except KeyError:
        raise ApiError(404, "NotFoundException", "Invalid Method identifier specified") from None
    return dict(result)


def _with_json(reply: Reply, patch: Any) -> Reply:
    if reply.status >= 300 or not reply.body:
        return reply
    doc = json.loads(reply.body)
    patch(doc)
    return Reply(reply.status, reply.headers, json.dumps(doc).encode())


def _fill(integration: dict[str, Any], saved: dict[str, str] | None) -> None:
    if saved:
        integration.update(saved)
    integration.setdefault("connectionType", "INTERNET")


def put_integration(ctx: Context, req: AwsRequest) -> Reply:
    saved = {k: str(req.params[k]) for k in _KEYS if req.params.get(k)}
    if saved:
        ctx.connections[_key(req)] = saved
    return _with_json(ctx.call_moto(req), lambda doc: _fill(doc, ctx.connections.get(_key(req))))


def update_integration(ctx: Context, req: AwsRequest) -> Reply:
    saved = ctx.connections.setdefault(_key(req), {})
    for op in req.params.get("patchOperations") or []:
        field = str(op.get("path", "")).lstrip("/")
        if field in _KEYS:
            if op.get("op") == "remove":
                saved.pop(field, None)
            else:
                saved[field] = str(op.get("value", ""))
    return _with_json(ctx.call_moto(req), lambda doc: _fill(doc, saved))


def get_integration(ctx: Context, req: AwsRequest) -> Reply:
    reply = ctx.call_moto(req)
    if reply.status == 200 and not json.loads(reply.body or b"{}").get("type"):
        # moto answers 200 {} for a method whose integration was deleted; AWS says 404.
        raise ApiError(404, "NotFoundException", "Invalid Integration identifier specified")
    return _with_json(reply, lambda doc: _fill(doc, ctx.connections.get(_key(req))))


def get_method(ctx: Context, req: AwsRequest) -> Reply:
    def patch(doc: dict[str, Any]) -> None:
        if isinstance(doc.get("methodIntegration"), dict):
            _fill(doc["methodIntegration"], ctx.connections.get(_key(req)))

    return _with_json(ctx.call_moto(req), patch)


def get_resources(ctx: Context, req: AwsRequest) -> Reply:
    api_id = req.path_params.get("restapi_id", "")

    def patch(doc: dict[str, Any]) -> None:
        for item in doc.get("item") or doc.get("items") or []:
            for verb, method in (item.get("resourceMethods") or {}).items():
                if isinstance(method, dict) and isinstance(method.get("methodIntegration"), dict):
                    _fill(
                        method["methodIntegration"],
                        ctx.connections.get((api_id, item.get("id", ""), verb.upper())),
                    )

    return _with_json(ctx.call_moto(req), patch)


def _link_status(ctx: Context, link: dict[str, Any]) -> None:
    state = next((v for v in ctx.world.state.vpc_links.values() if v.id == link.get("id")), None)
    if state is not None:
        link["status"], link["statusMessage"] = state.status, state.status_message


def get_vpc_link(ctx: Context, req: AwsRequest) -> Reply:
    """moto's VPC links are always AVAILABLE; the world knows when the NLB behind one is gone."""
    return _with_json(ctx.call_moto(req), lambda doc: _link_status(ctx, doc))


def get_vpc_links(ctx: Context, req: AwsRequest) -> Reply:
    def patch(doc: dict[str, Any]) -> None:
        for link in doc.get("item") or doc.get("items") or []:
            _link_status(ctx, link)

    return _with_json(ctx.call_moto(req), patch)
