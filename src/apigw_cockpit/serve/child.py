"""The ONE cockpit process behind `serve`, started once, its screen fanned out to every viewer.

textual-serve's AppService starts one process per websocket; here it starts one per server.
We reuse its process start and packet reader and change what goes where:

- the child runs our ViewerDriver (keystrokes dropped inside the app too) at the server's size;
- its screen data goes to the hub (every viewer), not to one websocket;
- its meta packets (open a URL, deliver a file) are dropped: viewers only see the screen;
- the process is started with the read-only flags in its environment (no journal, no drill,
  no probes, no screenshots) and without the textual-serve debug hooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
from asyncio.subprocess import Process
from collections.abc import Callable, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from apigw_cockpit.serve.hub import Hub

log = logging.getLogger("apigw_cockpit.serve")

DRIVER = "apigw_cockpit.serve.driver:ViewerDriver"
STOP_S = 10.0  # the demo's world takes a few seconds to stop; then the process is killed


class SharedApp(AppService):
    def __init__(
        self,
        argv: Sequence[str],
        hub: Hub,
        size: tuple[int, int],
        env: dict[str, str],
        on_exit: Callable[[int | None, str], None] | None = None,
    ) -> None:
        async def _drop_str(_: str) -> None:
            return None

        async def _no_close() -> None:
            return None

        super().__init__(
            shlex.join(argv),
            write_bytes=self._broadcast,
            write_str=_drop_str,
            close=_no_close,
            download_manager=DownloadManager(),
        )
        self.argv = list(argv)
        self.hub, self.size, self.env, self.on_exit = hub, size, env, on_exit
        self.returncode: int | None = None
        self.stderr_tail = ""

    async def _broadcast(self, data: bytes) -> None:  # AppService's write_bytes; run() broadcasts itself
        self.hub.broadcast(data)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = dict(self.env)
        env.update(
            TEXTUAL_DRIVER=DRIVER,
            TEXTUAL_COLOR_SYSTEM="truecolor",
            TEXTUAL_FPS="30",  # a wall display, not a game: half the bytes of textual-serve's 60
            TERM_PROGRAM="textual",
            COLUMNS=str(width),
            ROWS=str(height),
        )
        for key in ("TEXTUAL", "TEXTUAL_LOG"):  # devtools would let another process drive the app
            env.pop(key, None)
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """As AppService does, but exec'd from an argv (no shell between us and the cockpit)."""
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        with contextlib.suppress(ValueError):
            kind = json.loads(data).get("type")
            if kind not in ("exit",):
                log.debug("dropped meta packet %r from the cockpit", kind)

    async def begin(self) -> None:
        await self.start(*self.size)

    async def run(self) -> None:
        """Read the child's packets until it ends (AppService's loop, keeping stderr to say why)."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stdout, stderr = process.stdout, process.stderr
        tail: list[bytes] = []

        async def read_stderr() -> None:
            while chunk := await stderr.read(4096):
                tail.append(chunk)
                del tail[:-8]  # bounded: the last lines say why it ended

        reader = asyncio.create_task(read_stderr())
        try:
            while (line := await stdout.readline()) and line != b"__GANGLION__\n":
                pass  # anything printed before the driver starts is not screen data
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if kind == b"D":
                    self.hub.broadcast(payload)
                elif kind == b"M":
                    await self.on_meta(payload)
                # b"P" (file chunks) cannot happen: the driver delivers no files
        except (asyncio.IncompleteReadError, ConnectionResetError):
            pass
        finally:
            self.returncode = await process.wait()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader, 2)
            self.stderr_tail = b"".join(tail).decode("utf-8", "replace").strip()
            if self.on_exit is not None:
                self.on_exit(self.returncode, self.stderr_tail)

    async def repaint(self) -> None:
        if self._process is not None and self._process.returncode is None:
            await self.send_meta({"type": "repaint"})

    async def stop(self) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        await self.send_meta({"type": "quit"})
        # A read-only cockpit keeps nothing on disk, so a slow stop can be cut short: TERM, then KILL.
        for escalate in (process.terminate, process.kill):
            try:
                await asyncio.wait_for(process.wait(), STOP_S)
                return
            except TimeoutError:
                log.warning("the cockpit did not stop in %.0f s: %s", STOP_S, escalate.__name__)
                with contextlib.suppress(ProcessLookupError):
                    escalate()
        await process.wait()
