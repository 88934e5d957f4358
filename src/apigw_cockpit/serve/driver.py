"""The Textual driver of the one shared cockpit process behind `serve`: output only, no input.

It is Textual's WebDriver (the packet protocol textual-serve speaks) with three changes, so
that a viewer cannot reach the app even if the server in front of it had a bug:

- terminal data coming in (keystrokes, mouse, paste) is dropped, never parsed;
- no mouse tracking is switched on, so viewers can select and copy text in their browser;
- the app cannot open URLs or deliver files to viewers (nothing leaves except the screen).

The server asks for a full repaint with a `{"type": "repaint"}` meta packet when a viewer
joins, so a new browser tab draws the whole screen instead of waiting for the next change.

Selected by `TEXTUAL_DRIVER=apigw_cockpit.serve.driver:ViewerDriver` in the child's environment.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

# Meta packets the shared app acts on; focus/blur come from one viewer and mean nothing to the rest.
_ACCEPTED_META = frozenset({"resize", "quit", "exit"})


class ViewerDriver(WebDriver):
    def _enable_mouse_support(self) -> None:
        """No mouse reporting: nothing would read it, and the browser's text selection keeps working."""

    def run_input_thread(self) -> None:
        byte_stream = ByteStream()
        try:
            for data in self._input_reader:
                if not data:
                    continue
                for packet_type, payload in byte_stream.feed(data):
                    if packet_type == "M":  # "D" (terminal input) is dropped: viewers only look
                        self._on_meta(packet_type, payload)
        except _ExitInput:
            pass
        finally:
            self._input_reader.close()

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "repaint":
            with contextlib.suppress(RuntimeError):  # the app is not running (yet / any more)
                self._app.call_from_thread(self._app.refresh)
        elif packet_type in _ACCEPTED_META:
            super().on_meta(packet_type, payload)

    def open_url(self, url: str, new_tab: bool = True) -> None:
        """Never: a shared screen must not open tabs in every viewer's browser."""

    def deliver_binary(
        self,
        binary: BinaryIO | TextIO,
        *,
        delivery_key: str,
        save_path: Path,
        open_method: Literal["browser", "download"] = "download",
        encoding: str | None = None,
        mime_type: str | None = None,
        name: str | None = None,
    ) -> None:
        """Never: viewers get the screen, not files."""
