"""The viewers of the shared cockpit: who is connected, the limit, and fan-out of the screen.

Each viewer has its own bounded queue and writer task, so one slow browser (a laptop on a
hotel link) never holds up the screen for the others: when its queue overflows it is
disconnected with a reason, and its browser shows "reload".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger("apigw_cockpit.serve")

QUEUE_PACKETS = 2000  # ~ a few seconds of screen updates; more means the viewer cannot keep up
CLOSE_TRY_LATER = 1013  # RFC 6455 "Try Again Later": limit reached / too slow
CLOSE_GOING_AWAY = 1001


class Socket(Protocol):
    """What the hub needs of a websocket (aiohttp's WebSocketResponse has it)."""

    async def send_bytes(self, data: bytes) -> None: ...
    async def send_str(self, data: str) -> None: ...
    async def close(self, *, code: int = ..., message: bytes = ...) -> bool: ...


Packet = bytes | str


@dataclass(eq=False)
class Viewer:
    socket: Socket
    peer: str
    queue: asyncio.Queue[Packet | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_PACKETS))
    task: asyncio.Task[None] | None = None


class Hub:
    def __init__(self, max_viewers: int, on_join: Callable[[], Awaitable[None]] | None = None) -> None:
        self.max_viewers = max_viewers
        self.viewers: set[Viewer] = set()
        self._on_join = on_join  # asks the app for a full repaint, so the newcomer sees the whole screen
        self._dropping: set[asyncio.Task[None]] = set()
        self.preamble = b"\x1b[?25l"  # hide the cursor: the app switched it off before this viewer came

    @property
    def count(self) -> int:
        return len(self.viewers)

    def full(self) -> bool:
        return self.count >= self.max_viewers

    async def join(self, socket: Socket, peer: str) -> Viewer | None:
        """A new viewer, or None (and the socket closed with the reason) when the room is full."""
        if self.full():
            log.warning("viewer refused from %s: viewer limit reached (%d)", peer, self.max_viewers)
            await socket.close(
                code=CLOSE_TRY_LATER, message=f"viewer limit reached ({self.max_viewers})".encode()
            )
            return None
        viewer = Viewer(socket, peer)
        viewer.task = asyncio.create_task(self._write(viewer))
        self.viewers.add(viewer)
        log.info("viewer joined from %s (%d/%d)", peer, self.count, self.max_viewers)
        self._put(viewer, self.preamble)
        self._announce()
        if self._on_join is not None:
            await self._on_join()
        return viewer

    async def leave(self, viewer: Viewer) -> None:
        if viewer not in self.viewers:
            return
        self.viewers.discard(viewer)
        log.info("viewer left from %s (%d/%d)", viewer.peer, self.count, self.max_viewers)
        with contextlib.suppress(asyncio.QueueFull):
            viewer.queue.put_nowait(None)
        if viewer.task is not None and viewer.task is not asyncio.current_task():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(viewer.task, 2)
        self._announce()

    def broadcast(self, packet: Packet) -> None:
        for viewer in list(self.viewers):
            self._put(viewer, packet)

    def _announce(self) -> None:
        """The viewer count, as a text packet the page shows (title and banner)."""
        self.broadcast(json.dumps(["viewers", {"count": self.count, "max": self.max_viewers}]))

    def _put(self, viewer: Viewer, packet: Packet) -> None:
        try:
            viewer.queue.put_nowait(packet)
        except asyncio.QueueFull:
            log.warning("viewer %s too slow: disconnected", viewer.peer)
            self.viewers.discard(viewer)
            task = asyncio.create_task(self._drop(viewer, "too slow to keep up: reload the page"))
            self._dropping.add(task)  # a reference, or the loop may collect it mid-close
            task.add_done_callback(self._dropping.discard)

    async def _drop(self, viewer: Viewer, reason: str) -> None:
        if viewer.task is not None:
            viewer.task.cancel()
        with contextlib.suppress(Exception):
            await viewer.socket.close(code=CLOSE_TRY_LATER, message=reason.encode())
        self._announce()

    async def _write(self, viewer: Viewer) -> None:
        with contextlib.suppress(Exception):  # a closed socket ends its writer, nothing else
            while (packet := await viewer.queue.get()) is not None:
                if isinstance(packet, bytes):
                    await viewer.socket.send_bytes(packet)
                else:
                    await viewer.socket.send_str(packet)

    async def close_all(self, reason: str) -> None:
        for viewer in list(self.viewers):
            self.viewers.discard(viewer)
            if viewer.task is not None:
                viewer.task.cancel()
            with contextlib.suppress(Exception):
                await viewer.socket.close(code=CLOSE_GOING_AWAY, message=reason.encode()[:120])
