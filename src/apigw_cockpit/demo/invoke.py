"""The loopback invoke URL: answers like API Gateway by running the request through the world.

`http://127.0.0.1:<port>/<stage>/<path>`; the response is held for the simulated latency
(divided by the clock's speed, capped) so a load test sees realistic timing.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from apigw_cockpit.demo.overlay.shapes import field

MAX_HOLD_S = 30.0
_REASONS = {
    200: "OK",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class QuietHandler(WSGIRequestHandler):
    """No access log on stderr: the demo prints its own screen."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def log_error(self, format: str, *args: Any) -> None:
        return


class InvokeApp:
    def __init__(
        self,
        world: Any,
        lock: threading.RLock,
        stage: str,
        speed: Callable[[], float],
        stopping: threading.Event,
    ) -> None:
        self.world = world
        self.lock = lock
        self.stage = stage
        self.speed = speed
        self.stopping = stopping
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        self.requests += 1
        # The world answers unknown stages and paths as API Gateway does (403, Missing
        # Authentication Token); the query string does not take part in routing.
        with self.lock:
            resp = self.world.handle(method, path, headers, body)
        status = int(field(resp, "status"))
        out_headers = dict(field(resp, "headers", default={}) or {})
        rid = str(field(resp, "request_id", default="") or uuid.uuid4())
        out_headers.setdefault("x-amzn-RequestId", rid)
        if status >= 400 and "x-amzn-ErrorType" not in out_headers and "x-amzn-errortype" not in out_headers:
            out_headers["x-amzn-ErrorType"] = _error_type(status)
        latency_s = float(field(resp, "latency_ms", default=0.0) or 0.0) / 1000.0
        hold = min(MAX_HOLD_S, latency_s / max(self.speed(), 1e-9))
        if hold > 0:
            self.stopping.wait(hold)
        payload = field(resp, "body", default=b"") or b""
        if isinstance(payload, str):
            payload = payload.encode()
        elif not isinstance(payload, bytes):
            payload = json.dumps(payload).encode()
        return self._reply(start_response, status, out_headers, payload)

    @staticmethod
    def _reply(
        start_response: Callable[..., Any], status: int, headers: dict[str, str], body: bytes
    ) -> Iterable[bytes]:
        headers = {
            k: v
            for k, v in headers.items()
            if k.lower() not in ("content-length", "transfer-encoding", "connection")
        }
        headers.setdefault("Content-Type", "application/json")
        start_response(
            f"{status} {_REASONS.get(status, 'Status')}",
            [*headers.items(), ("Content-Length", str(len(body)))],
        )
        return [body]


def _error_type(status: int) -> str:
    return {403: "ForbiddenException", 404: "NotFoundException", 429: "TooManyRequestsException"}.get(
        status, "InternalServerErrorException" if status >= 500 else "BadRequestException"
    )


class InvokeServer:
    """A threaded werkzeug server for the invoke URL; start()/stop() are quick and leak nothing."""

    def __init__(self, app: InvokeApp, port: int = 0) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", port, app, threaded=True, request_handler=QuietHandler
        )
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="sim-invoke", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.app.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
