"""The aiohttp side of `serve`: the page, the websocket, the static files, and the one cockpit.

Routes (nothing else answers; every request's Host header is checked first):
- `GET /?token=T`        the page (403 without the right token)
- `GET /ws/T`            the websocket: right token, our Origin, under the viewer limit
- `GET /static/<name>`   the page's files (public library code, no token: they carry no data)

Viewers' websocket messages are read and dropped (except `ping`): the screen is shared and
look-only, and nothing a viewer sends reaches the cockpit process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import WSMsgType, web

from apigw_cockpit.serve.assets import Asset, load_assets, page, security_headers
from apigw_cockpit.serve.child import SharedApp
from apigw_cockpit.serve.guard import Guard, token_ok
from apigw_cockpit.serve.hub import Hub

log = logging.getLogger("apigw_cockpit.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

HEARTBEAT_S = 15.0
MAX_VIEWER_MESSAGE = 4096  # viewers send pings and resizes at most; anything bigger is refused


@dataclass(frozen=True)
class ServeConfig:
    argv: Sequence[str]  # the one cockpit process
    env: dict[str, str]
    size: tuple[int, int]
    max_viewers: int
    title: str = "apigw-cockpit"


class CockpitServer:
    def __init__(self, config: ServeConfig, guard: Guard) -> None:
        self.config, self.guard = config, guard
        self.assets: dict[str, Asset] = load_assets()
        self.hub = Hub(config.max_viewers, on_join=self._repaint)
        self.child = SharedApp(config.argv, self.hub, config.size, config.env, on_exit=self._child_exited)
        self.ended = asyncio.Event()
        self.exit_code = 0
        self.end_reason = "the server is shutting down"

    # -- the cockpit process ------------------------------------------------------------
    async def _repaint(self) -> None:
        await self.child.repaint()

    def _child_exited(self, code: int | None, stderr_tail: str) -> None:
        last = stderr_tail.splitlines()[-1] if stderr_tail else ""
        log.warning("the cockpit exited (code %s)%s", code, f": {last}" if last else "")
        # The cockpit's own exit code (2 usage, 3 AWS) is serve's; a signal or a crash is 1.
        self.exit_code = code if code is not None and 0 <= code < 126 else 1
        self.end_reason = f"the cockpit ended{': ' + last if last else ''}"
        self.ended.set()

    # -- the web app ---------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._check_host], client_max_size=1024)
        app.add_routes(
            [
                web.get("/", self.handle_page),
                web.get("/ws/{token}", self.handle_websocket),
                web.get("/static/{name}", self.handle_static),
            ]
        )
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def _on_startup(self, _: web.Application) -> None:
        await self.child.begin()

    async def _on_shutdown(self, _: web.Application) -> None:
        await self.hub.close_all(self.end_reason)
        await self.child.stop()

    @web.middleware
    async def _check_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.guard.host_ok(request.headers.get("Host")):
            log.warning("refused %s from %s: unknown Host header", request.path, request.remote)
            return web.Response(status=421, text="wrong host for this server\n")
        return await handler(request)

    def _headers(self, request: web.Request) -> dict[str, str]:
        return security_headers(f"ws://{request.host}")

    async def handle_page(self, request: web.Request) -> web.Response:
        if not token_ok(request.query.get("token"), self.guard.token):
            log.warning("page refused from %s: missing or wrong token", request.remote)
            return web.Response(status=403, text="forbidden: open the URL with the token serve printed\n")
        cols, rows = self.config.size
        body = page(
            title=self.config.title, ws_url=f"ws://{request.host}/ws/{self.guard.token}", cols=cols, rows=rows
        )
        return web.Response(text=body, content_type="text/html", headers=self._headers(request))

    async def handle_static(self, request: web.Request) -> web.Response:
        asset = self.assets.get(request.match_info["name"])
        if asset is None:
            raise web.HTTPNotFound()
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
        return web.Response(body=asset.body, content_type=asset.content_type, headers=headers)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        peer = request.remote or "?"
        if not token_ok(request.match_info["token"], self.guard.token):
            log.warning("websocket refused from %s: wrong token", peer)
            return web.Response(status=403, text="forbidden: wrong token\n")
        origin = request.headers.get("Origin")
        if not self.guard.origin_ok(origin, request.headers.get("Host")):
            log.warning("websocket refused from %s: Origin %r is not this server", peer, origin)
            return web.Response(status=403, text="forbidden: this page is not from this server\n")
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_VIEWER_MESSAGE)
        await ws.prepare(request)
        viewer = await self.hub.join(ws, peer)
        if viewer is None:
            return ws
        try:
            await self._read_viewer(ws)
        finally:
            await self.hub.leave(viewer)
        return ws

    async def _read_viewer(self, ws: web.WebSocketResponse) -> None:
        """Drain what the viewer sends: a ping gets its pong, everything else is dropped."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            with contextlib.suppress(ValueError, TypeError, IndexError):
                envelope = json.loads(message.data)
                if envelope[0] == "ping":
                    await ws.send_str(json.dumps(["pong", str(envelope[1])[:32]]))


async def serve_forever(server: CockpitServer, sock: socket.socket) -> int:
    """Serve on an already-bound socket until the cockpit ends or the task is cancelled."""
    runner = web.AppRunner(server.make_app(), access_log=None, handle_signals=False, shutdown_timeout=2)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        await server.ended.wait()
        return server.exit_code
    finally:
        await runner.cleanup()
