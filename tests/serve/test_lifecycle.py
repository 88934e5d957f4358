"""The one cockpit process ends the serve: its exit code and its last stderr line say why."""

from __future__ import annotations

import asyncio
import os
import sys

import aiohttp

from apigw_cockpit.cli_values import listen
from apigw_cockpit.serve.guard import Guard, new_token
from apigw_cockpit.serve.server import CockpitServer, ServeConfig, serve_forever

from .helpers import TINY_ARGV, WsScreen

FAILS = [sys.executable, "-c", "import sys; sys.exit('apigw-cockpit: error: no credentials')"]


def _server(argv: list[str]) -> tuple[CockpitServer, object]:
    sock = listen("127.0.0.1", 0)
    guard = Guard(new_token(), "127.0.0.1", sock.getsockname()[1])
    config = ServeConfig(argv=argv, env=dict(os.environ), size=(100, 30), max_viewers=5)
    return CockpitServer(config, guard), sock


async def test_a_cockpit_that_fails_to_start_ends_serve_with_its_code() -> None:
    server, sock = _server(FAILS)
    code = await asyncio.wait_for(serve_forever(server, sock), 60)  # type: ignore[arg-type]
    assert code == 1
    assert server.end_reason == "the cockpit ended: apigw-cockpit: error: no credentials"


async def test_viewers_are_told_when_the_cockpit_ends(tmp_path: object) -> None:
    server, sock = _server(TINY_ARGV)
    serving = asyncio.create_task(serve_forever(server, sock))  # type: ignore[arg-type]
    port = server.guard.port
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(
            f"ws://127.0.0.1:{port}/ws/{server.guard.token}", origin=f"http://127.0.0.1:{port}"
        )
        viewer = WsScreen(ws)
        await viewer.until("MARKER")
        await server.child.send_meta({"type": "quit"})  # the app quits (as `q` would on its own terminal)
        msg = await ws.receive(timeout=60)
        while msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            msg = await ws.receive(timeout=60)
        assert msg.type == aiohttp.WSMsgType.CLOSE and str(msg.extra).startswith("the cockpit ended")
    assert await asyncio.wait_for(serving, 60) == 0
