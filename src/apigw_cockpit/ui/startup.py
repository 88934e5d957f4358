"""Start-up before the feed exists: the first frame at once, then the feed attached.

`build_app(settings, None, None, opener=...)` draws `StartupScreen` straight away and runs
the opener in the app's loop; the opener reports what it is doing through `say(text)` and
returns an `Opened`. A failing opener ends the app with one line (`Startup.error`)
and an exit code: an exception's `exit_code` when it has one (aws/ errors: 2 or 3), else 3.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_AWS
from apigw_cockpit.ui.view import glyphs_of

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.incident.sink import JournalSink
    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.app import CockpitApp
    from apigw_cockpit.ui.feed import Feed


@dataclass
class Opened:
    """What an opener hands the app: the feed, its clock and (optionally) the journal."""

    feed: Feed
    clock: Clock
    journal: JournalSink | None = None


FeedOpener = Callable[[Callable[[str], None]], Awaitable[Opened]]


def failure(exc: BaseException) -> tuple[str, int]:
    """(one line for stderr, exit code) for an exception raised while starting."""
    code = getattr(exc, "exit_code", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(code, int) and code > 0:
        return text or type(exc).__name__, code
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__, EXIT_AWS


class StartupScreen(Screen[None]):
    """The cockpit's header row and one line saying what start-up is waiting for."""

    DEFAULT_CSS = """
    StartupScreen #startup-title { height: 1; background: $panel; padding: 0 1; }
    StartupScreen #startup-box { width: auto; min-width: 40; border: round $primary; padding: 1 2; }
    """

    def __init__(self, message: str = "starting…") -> None:
        super().__init__(id="startup")
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(f"apigw-cockpit {glyphs_of(self.app).sep} starting", id="startup-title")
        with Middle(), Center():
            yield Static(self.message, id="startup-box")
        yield Footer()

    def say(self, message: str) -> None:
        self.message = message
        for box in self.query("#startup-box").results(Static):
            box.update(message)


class Startup:
    """The start-up screen at once, then `opener` in a worker once the first frame is drawn; what it
    opened goes to `attach`. A failing opener ends the app: `error` is its line for stderr."""

    def __init__(
        self, app: App[int], opener: FeedOpener, starting: str, attach: Callable[[Opened], None]
    ) -> None:
        self._app, self._opener, self._starting, self._attach = app, opener, starting, attach
        self.error: str | None = None

    def begin(self) -> None:
        app = self._app
        app.push_screen(StartupScreen(self._starting))
        # After the first frame: the world's start-up (imports, moto) would hold the GIL while it draws.
        app.call_after_refresh(lambda: app.run_worker(self._open(), name="startup", exit_on_error=False))

    async def _open(self) -> None:
        try:
            opened = await self._opener(self._say)
        except Exception as exc:
            self.error, code = failure(exc)
            self._app.exit(return_code=code)
            return
        self._attach(opened)

    def _say(self, message: str) -> None:
        screen = self._app.screen
        if isinstance(screen, StartupScreen):
            screen.say(message)


def finish(app: CockpitApp, err: TextIO | None = None) -> int:
    """After `run_async`: a failed start is one line on stderr; the app's exit code either way."""
    line = None if app.startup is None else app.startup.error
    if line is not None:
        err_line(f"apigw-cockpit: error: {line}", err)
    return int(app.return_code or 0)
