"""The real `serve --scenario midnight-pager`: one simulated world for every viewer, view only."""

from __future__ import annotations

import re

import aiohttp
import pytest

from .conftest import DemoServe
from .helpers import WsScreen
from .test_server import _children

pytestmark = pytest.mark.sim

HEADER = r"api: \S+ \((\w+)\)"  # the API id: moto makes a new random one for every world


async def test_two_viewers_one_world_and_no_writes(demo_serve: DemoServe) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"ws://{demo_serve.host}/ws/{demo_serve.token}"
        origin = f"http://{demo_serve.host}"
        a = WsScreen(await session.ws_connect(url, origin=origin))
        first = await a.until(HEADER, timeout=240)  # the world starts slowly on a busy machine
        b = WsScreen(await session.ws_connect(url, origin=origin))
        second = await b.until(HEADER, timeout=60)
        ids = {m[1] for m in (re.search(HEADER, first), re.search(HEADER, second)) if m}
        assert len(ids) == 1, ids  # the same world
        cockpits = _children(demo_serve.proc.pid, "apigw_cockpit demo")
        assert len(cockpits) == 1, cockpits  # one world process, whatever the number of viewers
        # The keys that write (fix time, note, screenshot, postmortem, drill fix), sent by a viewer.
        for key in ("F", "n", "s", "R", "X"):
            await a.ws.send_str(f'["stdin", "{key}"]')
        await a.pong()
        await b.until(r"LIVE", timeout=30)
        written = [p for p in demo_serve.state_dir.rglob("*") if p.is_file()]
        assert written == []  # no journal, no screenshot, no report on the server's disk
        await a.ws.close()
        await b.ws.close()
