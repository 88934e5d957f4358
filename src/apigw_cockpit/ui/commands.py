"""Every cockpit action in the command palette (ctrl+p), from the same table as the keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from apigw_cockpit.ui.bindings import KEYS, display_key, offered

# Textual's built-in palette commands that one of our keys does (title -> our key's id):
# listing both shows "Quit" next to "Quit (q)" and "Screenshot" next to "Screenshot (s)".
# Dropped even where ours is not offered: a read-only viewer must not get Textual's
# screenshot (it writes to the server's disk) once ours is hidden.
SUPERSEDED = {"Quit": "quit", "Keys": "help", "Screenshot": "screenshot"}


def without_duplicates(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    return (c for c in commands if c.title not in SUPERSEDED)


class CockpitCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        out: list[tuple[str, Callable[[], object], str]] = []
        demo = bool(getattr(app, "can_apply_fix", False))
        read_only = bool(getattr(getattr(app, "settings", None), "read_only", False))
        for k in KEYS:
            if not offered(k, demo=demo, read_only=read_only):
                continue
            action = k.action if k.scope == "app" else f"screen.{k.action}"
            out.append((f"{k.label} ({display_key(k)})", partial(app.run_action, action), k.help))
        from apigw_cockpit.diagnose import CHECKS  # here: the app's first frame waits for no diagnose/

        for check_id in CHECKS:
            out.append((f"Check: {check_id}", partial(app.run_action, "checks"), "open the checks list"))
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
