"""The hub: a viewer that cannot keep up is dropped with a reason; the others keep the feed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from apigw_cockpit.serve.hub import CLOSE_TRY_LATER, QUEUE_PACKETS, Hub


async def _until(condition: Callable[[], bool]) -> None:
    """Yield to the loop until `condition` holds (bounded: the hub's tasks run in between)."""

    async def spin() -> None:
        while not condition():
            await asyncio.sleep(0)

    await asyncio.wait_for(spin(), 10)


class FakeSocket:
    def __init__(self, stuck: bool) -> None:
        self.stuck, self.got = stuck, list[bytes | str]()
        self.closed: tuple[int, bytes] | None = None
        self.release = asyncio.Event()

    async def send_bytes(self, data: bytes) -> None:
        if self.stuck:
            await self.release.wait()  # a browser on a dead link: the send never completes
        self.got.append(data)

    async def send_str(self, data: str) -> None:
        await self.send_bytes(data.encode())

    async def close(self, *, code: int = 1000, message: bytes = b"") -> bool:
        self.closed = (code, message)
        return True


async def test_a_stuck_viewer_is_dropped_and_the_others_keep_the_feed() -> None:
    hub = Hub(max_viewers=5)
    stuck, fine = FakeSocket(stuck=True), FakeSocket(stuck=False)
    await hub.join(stuck, "10.0.0.1")
    await hub.join(fine, "10.0.0.2")
    for i in range(QUEUE_PACKETS + 10):
        hub.broadcast(b"frame %d" % i)
        await asyncio.sleep(0)  # let the healthy writer run, as the event loop would between packets
    await _until(lambda: stuck.closed is not None)  # the drop is a task
    assert stuck.closed == (CLOSE_TRY_LATER, b"too slow to keep up: reload the page")
    assert hub.count == 1
    await _until(lambda: bool(fine.got) and fine.got[-1] == b"frame %d" % (QUEUE_PACKETS + 9))
    assert b"frame 0" in fine.got


async def test_the_room_is_full_at_the_limit() -> None:
    hub = Hub(max_viewers=1)
    first, second = FakeSocket(stuck=False), FakeSocket(stuck=False)
    assert await hub.join(first, "a") is not None
    assert await hub.join(second, "b") is None
    assert second.closed == (CLOSE_TRY_LATER, b"viewer limit reached (1)")
    assert hub.count == 1
