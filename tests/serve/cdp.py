"""A headless Chromium driven over the DevTools protocol (aiohttp websocket; no new dependency).

Loopback only: the browser is started with every background service off and a fresh profile,
and its DevTools endpoint listens on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--window-size=1600,1000",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]


class Browser:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            else:
                self.events.append(data)

    async def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[msg_id] = fut
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        await self.ws.send_str(json.dumps(msg))
        reply = await asyncio.wait_for(fut, 60)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    async def open_tab(self, url: str) -> str:
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        session = str(attached["sessionId"])
        await self.send("Network.enable", session)
        await self.send("Page.enable", session)
        await self.send("Page.navigate", session, url=url)
        return session

    async def evaluate(self, session: str, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def screenshot(self, session: str, path: Path) -> bytes:
        """The tab as drawn: brought to front (a background tab gets no animation frames, and
        xterm paints in them), then two frames later, so the canvas shows the current buffer."""
        await self.send("Page.bringToFront", session)
        frames = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
        await self.send("Runtime.evaluate", session, expression=frames, awaitPromise=True)
        shot = await self.send("Page.captureScreenshot", session, format="png")
        data = base64.b64decode(shot["data"])
        path.write_bytes(data)
        return data

    def requested_urls(self) -> list[str]:
        return [
            str(e["params"]["request"]["url"])
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ] + [str(e["params"]["url"]) for e in self.events if e.get("method") == "Network.webSocketCreated"]


@asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[Browser]:
    proc = await asyncio.create_subprocess_exec(
        str(CHROMIUM),
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    try:
        endpoint = ""
        while not endpoint:
            line = (await asyncio.wait_for(proc.stderr.readline(), 60)).decode()
            assert line, "chromium ended before it listened"
            if m := re.search(r"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)", line):
                endpoint = m[1]
        drain = asyncio.create_task(proc.stderr.read())  # keep its pipe from filling up
        async with aiohttp.ClientSession() as session, session.ws_connect(endpoint, max_msg_size=0) as ws:
            browser = Browser(ws)
            try:
                yield browser
            finally:
                browser._reader.cancel()
        drain.cancel()
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()
