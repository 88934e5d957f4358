"""A tiny Textual app standing in for the cockpit in the protocol tests (starts in < 1 s).

It shows a marker line (its pid, a per-process nonce and its size) and a ticking counter, and
writes a file into $TINY_OUT for each of the keys s/F/n/R: a viewer's keystroke that reached
it would leave a file behind.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

NONCE = secrets.token_hex(4)


class Marker(Static):
    def render(self) -> str:
        size = self.app.size
        return f"MARKER pid={os.getpid()} nonce={NONCE} size={size.width}x{size.height}"


class Tiny(App[None]):
    BINDINGS = [(key, f"write('{key}')", key) for key in ("s", "F", "n", "R")]

    def compose(self) -> ComposeResult:
        yield Marker()
        yield Static("tick 0", id="tick")

    def on_mount(self) -> None:
        self.ticks = 0
        self.set_interval(0.2, self._tick)

    def _tick(self) -> None:
        self.ticks += 1
        self.query_one("#tick", Static).update(f"tick {self.ticks}")

    def action_write(self, key: str) -> None:
        out = Path(os.environ["TINY_OUT"])
        (out / f"pressed-{ord(key)}").write_text(key)


if __name__ == "__main__":
    Tiny().run()
