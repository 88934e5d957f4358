"""The WSGI middleware in front of moto: faults first, then the world's answers, else moto."""

from __future__ import annotations

import io
import logging
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.demo.faults import Faults, error_for
from apigw_cockpit.demo.overlay.protocol import AwsRequest, identify
from apigw_cockpit.demo.overlay.render import Reply, render_error, render_result

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ApiError(Exception):
    """An AWS error a handler answers with (validation, not found, unsupported)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Context:
    """What handlers get: the world (under `lock`), ids of the account, and moto itself."""

    def __init__(self, world: Any, lock: threading.RLock, region: str, account: str) -> None:
        self.world = world
        self.lock = lock
        self.region = region
        self.account = account
        self.moto_app: WsgiApp | None = None
        # (api id, resource id, http method) -> {connectionType, connectionId}: what moto drops.
        self.connections: dict[tuple[str, str, str], dict[str, str]] = {}

    def call_moto(self, req: AwsRequest) -> Reply:
        """Pass the request to moto and collect its answer (for handlers that patch it)."""
        assert self.moto_app is not None
        environ = dict(req.environ)
        environ["wsgi.input"] = io.BytesIO(req.body)
        got: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            got["status"], got["headers"] = int(status.split()[0]), list(headers)

        chunks = self.moto_app(environ, start_response)
        body = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close:
            close()
        headers = [(k, v) for k, v in got["headers"] if k.lower() != "content-length"]
        return Reply(got["status"], headers, body)


# handler(ctx, req) -> result dict in the output shape (rendered for its protocol) or a Reply.
Handler = Callable[[Context, AwsRequest], "dict[str, Any] | Reply"]


@dataclass(frozen=True)
class Route:
    """One owned operation; `world` says whether it reads the world (taken under the lock)."""

    handler: Handler
    world: bool = True


class Overlay:
    """Sees every request first; answers owned operations from the world and passes the rest."""

    def __init__(
        self, moto_app: WsgiApp, ctx: Context, faults: Faults, routes: dict[tuple[str, str], Route]
    ) -> None:
        self.moto_app = moto_app
        self.ctx = ctx
        ctx.moto_app = moto_app
        self.faults = faults
        self.routes = routes
        self.calls: dict[str, int] = {}
        self._stopping = threading.Event()

    def stop(self) -> None:
        """Wake sleeping latency faults so shutdown is quick."""
        self._stopping.set()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        req = identify(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
            headers,
            body,
        )
        if req is None:
            return self.moto_app(environ, start_response)
        req.environ = environ
        self.calls[req.operation] = self.calls.get(req.operation, 0) + 1
        decision = self.faults.take(req.operation)
        if decision.delay:
            self._stopping.wait(decision.delay)
        if decision.kind == "reset":
            return self._drop(environ)
        if decision.kind is not None:
            status, code, query_code, message = error_for(decision.kind, req.protocol, req.action)
            return self._send(start_response, render_error(req, status, code, message, query_code))
        route = self.routes.get((req.service, req.operation))
        if route is None:
            return self.moto_app(environ, start_response)
        try:
            if route.world:
                with self.ctx.lock:
                    result = route.handler(self.ctx, req)
            else:
                result = route.handler(self.ctx, req)
            reply = result if isinstance(result, Reply) else render_result(req, result)
        except ApiError as e:
            reply = render_error(req, e.status, e.code, e.message)
        except Exception as e:  # a bug here must look like AWS failing, not hang the client
            log.exception("overlay handler %s failed", req.operation)
            reply = render_error(req, 500, "InternalFailure", f"simulator error: {e}")
        return self._send(start_response, reply)

    @staticmethod
    def _send(start_response: StartResponse, reply: Reply) -> Iterable[bytes]:
        headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
        start_response(reply.status_line, headers)
        return [reply.body]

    @staticmethod
    def _drop(environ: dict[str, Any]) -> Iterable[bytes]:
        """Close the TCP connection with no response; werkzeug treats the raise as a dropped client."""
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                # RST rather than FIN, like a middlebox resetting the connection.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionResetError("fault injection: connection reset")
