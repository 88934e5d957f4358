"""The default screen: header, sparklines, hop map, targets, log stream, changes, status."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from apigw_cockpit.ui.bindings import bindings
from apigw_cockpit.ui.panes.bars import HeaderBar, LiveClock, StatusBar
from apigw_cockpit.ui.panes.changes import ChangesPane
from apigw_cockpit.ui.panes.hopmap import HopMap
from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.panes.sparks import Spark
from apigw_cockpit.ui.panes.targets import TargetGrid
from apigw_cockpit.ui.panes.verdict import VerdictBar
from apigw_cockpit.ui.view import Pane

NARROW = 100  # below this many columns the hop map goes and the changes stack under the log
SHORT = 30


class CockpitScreen(Screen[None]):
    BINDINGS = bindings("cockpit")

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-row"):
            yield HeaderBar()
            yield LiveClock()
        yield VerdictBar()
        with Horizontal(id="top"):
            with Vertical(id="left"):
                with Vertical(id="metrics", classes="pane") as metrics:
                    metrics.border_title = "metrics"
                    yield Spark("5xx", id="spark-5xx")
                    yield Spark("latency", id="spark-latency")
                yield HopMap()
            with Vertical(id="right"):
                yield TargetGrid()
        with Horizontal(id="bottom"):
            yield LogPane()
            yield ChangesPane()
        yield StatusBar()
        # --ascii: the palette hint is drawn with a block glyph; ctrl+p still works.
        yield Footer(show_command_palette=not self.app.settings.ascii)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.query_one("#log-table").focus()
        self.sync()
        ready = getattr(self.app, "screen_ready", None)
        if callable(ready):
            ready()

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.set_class(event.size.height < SHORT, "-short")

    def sync(self) -> None:
        """Push state down into every pane; each redraws only if its areas changed."""
        app = self.app
        state, view = app.state, app.view()  # type: ignore[attr-defined]
        # query(), not query_one(): a tick may land while the screen is still composing.
        for bar in self.query(StatusBar):
            bar.meter = app.meter_snapshot()  # type: ignore[attr-defined]
        for pane in self.query(Pane):
            pane.sync(state, view)

    # -- actions bound on this screen ---------------------------------------------------
    def action_toggle_pause(self) -> None:
        self.app.toggle_pause()  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        self.query_one(LogPane).open_filter()

    def action_toggle_failed(self) -> None:
        self.query_one(LogPane).toggle_failed()

    @on(LogPane.OpenTrace)
    def _open_trace(self, event: LogPane.OpenTrace) -> None:
        self.app.open_trace(event.request_id)  # type: ignore[attr-defined]
