"""Reading the screen the cockpit sends: packets from a child process, text from a websocket."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path

import aiohttp

TINY_APP = Path(__file__).with_name("tiny_app.py")
TINY_ARGV = [sys.executable, str(TINY_APP)]
_ESCAPE = re.compile(rb"\x1b(\[[0-9;?<=>$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def plain(data: bytes) -> str:
    """Terminal output without its escape sequences (enough to find the text on the screen)."""
    return _ESCAPE.sub(b"", data).decode("utf-8", "replace")


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def meta(**fields: object) -> bytes:
    return packet(b"M", json.dumps(fields).encode())


async def read_prelude(stream: asyncio.StreamReader, timeout: float = 60.0) -> None:
    """Skip what a WebDriver child prints before its packets start."""
    while (line := await asyncio.wait_for(stream.readline(), timeout)) != b"__GANGLION__\n":
        assert line, "the app ended before it started"


async def read_until(stream: asyncio.StreamReader, pattern: str, timeout: float = 60.0) -> bytes:
    """Raw screen data from a WebDriver child's packets until `pattern` shows in its text."""
    deadline = time.monotonic() + timeout
    screen = b""
    while not re.search(pattern, plain(screen)):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{pattern!r} never appeared; screen so far: {plain(screen)[-500:]!r}"
        kind = await asyncio.wait_for(stream.readexactly(1), remaining)
        size = int.from_bytes(await stream.readexactly(4), "big")
        payload = await stream.readexactly(size)
        if kind == b"D":
            screen += payload
    return screen


class WsScreen:
    """One viewer: collects what the server sends on its websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.data, self.texts = ws, b"", list[object]()
        self.closed: tuple[int | None, str] | None = None

    async def until(self, pattern: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, plain(self.data)):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{pattern!r} never appeared; screen: {plain(self.data)[-400:]!r}"
            await self._receive(remaining)
        return plain(self.data)

    async def until_text(self, predicate: object, timeout: float = 30.0) -> object:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for item in self.texts[seen:]:
                if callable(predicate) and predicate(item):
                    return item
            seen = len(self.texts)
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no matching text message; got {self.texts!r}"
            await self._receive(remaining)

    async def _receive(self, timeout: float) -> None:
        msg = await asyncio.wait_for(self.ws.receive(), timeout)
        if msg.type == aiohttp.WSMsgType.BINARY:
            self.data += msg.data
        elif msg.type == aiohttp.WSMsgType.TEXT:
            self.texts.append(json.loads(msg.data))
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
            self.closed = (self.ws.close_code, str(msg.extra or ""))
            raise ConnectionError(f"closed: {self.closed}")

    async def pong(self, nonce: str = "42") -> None:
        """A round trip: everything this viewer sent before has been handled by the server."""
        await self.ws.send_str(json.dumps(["ping", nonce]))
        await self.until_text(lambda m: m == ["pong", nonce])
