from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from apigw_cockpit.commands.serve import bind
from apigw_cockpit.serve.guard import Guard, new_token
from apigw_cockpit.serve.server import CockpitServer, ServeConfig

from .helpers import TINY_ARGV


@pytest.fixture
async def tiny_server(tmp_path: Path) -> AsyncIterator[CockpitServer]:
    """The real server (routes, guard, hub, SharedApp, ViewerDriver) on a free loopback port,
    with the tiny app as its one cockpit process. `server.guard.port` is the port."""
    out = tmp_path / "out"
    out.mkdir()
    sock = bind("127.0.0.1", 0)
    guard = Guard(new_token(), "127.0.0.1", sock.getsockname()[1])
    config = ServeConfig(
        argv=TINY_ARGV, env=dict(os.environ, TINY_OUT=str(out)), size=(100, 30), max_viewers=2
    )
    server = CockpitServer(config, guard)
    runner = web.AppRunner(server.make_app(), access_log=None, shutdown_timeout=1)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield server
    finally:
        await runner.cleanup()
        sock.close()
