"""Write results and errors back in the protocol the request came in.

Results for json/query/ec2/rest-json go through moto's model-driven response serializers;
CBOR through our encoder. Errors are rendered by hand because their shape is small and
fixed per protocol, and must parse in botocore as a ClientError with the right code.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from apigw_cockpit.demo.overlay import cbor
from apigw_cockpit.demo.overlay.protocol import AwsRequest, service_model

_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS.get(self.status, 'Status')}"


def _prune(value: Any) -> Any:
    """Drop None members: the CBOR encoder has no model to say what is optional."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_prune(v) for v in value]
    return value


def render_result(req: AwsRequest, result: dict[str, Any]) -> Reply:
    request_id = str(uuid.uuid4())
    if req.protocol == "smithy-rpc-v2-cbor":
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return Reply(200, [*headers, ("x-amzn-RequestId", request_id)], cbor.encode(_prune(result)))
    from moto.core.serialize import get_serializer_class

    op = service_model(req.service).operation_model(req.operation)
    out = get_serializer_class(req.service, req.protocol)(op).serialize(result)
    body = out["body"]
    if isinstance(body, str):
        body = body.replace(
            "<RequestId>request-id</RequestId>", f"<RequestId>{request_id}</RequestId>"
        ).encode()
    headers = [(k, str(v)) for k, v in out["headers"].items() if k.lower() != "content-type"]
    if req.protocol == "json":
        headers.append(("Content-Type", _json_content_type(req)))
    else:
        headers.append(("Content-Type", str(out["headers"].get("Content-Type", "application/json"))))
    return Reply(int(out["status_code"]), [*headers, ("x-amzn-RequestId", request_id)], body)


def render_error(req: AwsRequest, status: int, code: str, message: str, query_code: str = "") -> Reply:
    """An error botocore parses as ClientError(code); `query_code` is the awsQueryCompatible code."""
    rid = str(uuid.uuid4())
    base = [("x-amzn-RequestId", rid)]
    fault = "Sender" if status < 500 else "Receiver"
    if query_code and "awsQueryCompatible" in service_model(req.service).metadata:
        base.append(("x-amzn-query-error", f"{query_code};{fault}"))
    if req.protocol == "smithy-rpc-v2-cbor":
        headers = [*base, ("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return Reply(status, headers, cbor.encode({"__type": code, "message": message}))
    if req.protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        return Reply(status, [*base, ("Content-Type", _json_content_type(req))], body)
    if req.protocol == "rest-json":
        body = json.dumps({"message": message}).encode()
        return Reply(status, [*base, ("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], body)
    if req.protocol == "ec2":
        xml = (
            f"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>"
        )
        return Reply(status, [*base, ("Content-Type", "text/xml")], xml.encode())
    namespace = service_model(req.service).metadata.get("xmlNamespace", "")
    xml = (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>{fault}</Type><Code>{escape(code)}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>"
    )
    return Reply(status, [*base, ("Content-Type", "text/xml")], xml.encode())


def _json_content_type(req: AwsRequest) -> str:
    return f"application/x-amz-json-{service_model(req.service).metadata.get('jsonVersion', '1.1')}"


def epoch(dt_or_ts: Any) -> float:
    """Seconds since the epoch from whatever the protocol decoded (datetime, number, ISO text)."""
    if isinstance(dt_or_ts, datetime):
        # Query-protocol parsers hand back naive datetimes; AWS timestamps are UTC.
        return (dt_or_ts if dt_or_ts.tzinfo else dt_or_ts.replace(tzinfo=UTC)).timestamp()
    if isinstance(dt_or_ts, int | float):
        return float(dt_or_ts)
    if isinstance(dt_or_ts, str):
        try:
            return float(dt_or_ts)
        except ValueError:
            return datetime.fromisoformat(dt_or_ts.replace("Z", "+00:00")).timestamp()
    raise ValueError(f"not a timestamp: {dt_or_ts!r}")
