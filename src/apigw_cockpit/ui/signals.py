"""SIGTERM/SIGHUP (a dropped SSH session) end the cockpit like `q` does: terminal restored,
the journal's session-end written with the signal's name as the reason."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


class SignalExit:
    """`reason` is why the session ended ("exit" unless a signal said otherwise).
    `starting()`: the app is still on its start-up screen (no journal yet, no panes)."""

    def __init__(self, app: App[int], starting: Callable[[], bool]) -> None:
        self._app, self._starting = app, starting
        self.reason = "exit"
        self._screen_ready = self._exit_when_ready = False

    def install(self) -> None:
        if self._app.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._signalled, sig.name)

    def _signalled(self, reason: str) -> None:
        self.reason = reason
        # Exiting while the first screen still composes leaves half-mounted panes raising: wait for it.
        # While starting there is nothing to wait for.
        if self._screen_ready or self._starting():
            self._app.exit()
        else:
            self._exit_when_ready = True

    def screen_ready(self) -> None:
        """The cockpit screen finished mounting."""
        self._screen_ready = True
        if self._exit_when_ready:
            self._app.exit()
