"""The default screen: header, sparklines, hop map, targets, next step, log stream, changes, status.

Pane heights come from `cockpit_layout.plan` (priority-based collapsing): measured from what
the panes want to show now, recomputed on resize and when those wants change.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen

from apigw_cockpit.ui.bindings import bindings
from apigw_cockpit.ui.feed import meter_snapshot
from apigw_cockpit.ui.footer import FitFooter
from apigw_cockpit.ui.panes.bars import HeaderBar, LiveClock, StatusBar
from apigw_cockpit.ui.panes.changes import ChangesPane
from apigw_cockpit.ui.panes.full_text import ShowFull
from apigw_cockpit.ui.panes.hopmap import HopMap
from apigw_cockpit.ui.panes.logs import LogPane
from apigw_cockpit.ui.panes.next_step import NextStep
from apigw_cockpit.ui.panes.route_summary import summarize
from apigw_cockpit.ui.panes.sparks import Spark
from apigw_cockpit.ui.panes.targets import TargetGrid
from apigw_cockpit.ui.panes.verdict import VerdictBar
from apigw_cockpit.ui.screens.cockpit_layout import NARROW, Needs, Plan, plan
from apigw_cockpit.ui.screens.timeline import DetailScreen
from apigw_cockpit.ui.view import Pane, cockpit_of

# The store areas whose changes can change what a pane wants (and so the layout).
_NEEDS_AREAS = ("hops", "targets", "changes", "logs", "verdicts", "metrics", "topology")


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
                yield NextStep()
        with Horizontal(id="bottom"):
            yield LogPane()
            yield ChangesPane()
        yield StatusBar()
        # --ascii: the palette hint is drawn with a block glyph; ctrl+p still works.
        yield FitFooter(show_command_palette=not cockpit_of(self).settings.ascii)

    def on_mount(self) -> None:
        self.query_one("#log-table").focus()
        self.sync()
        # SIGTERM/SIGHUP while this screen composed waited for it (ui/signals.py).
        signals = getattr(self.app, "signals", None)
        if signals is not None:
            signals.screen_ready()

    _plan: Plan | None = None
    _needs_key: tuple[object, ...] = ()

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        # Narrow: the footer drops the palette hint and packs its keys (ctrl+p still works), so
        # the keys that matter are not cut at "w Walkth".
        for footer in self.query(FitFooter):
            footer.compact = narrow
            footer.show_command_palette = not narrow and not cockpit_of(self).settings.ascii
        self._relayout()

    def _needs(self) -> Needs:
        state = cockpit_of(self).state
        hop = self.query_one(HopMap)
        path = tuple(state.hops)
        full = compact = 1
        if path:
            was = hop.compact
            hop.compact = False
            full = len(hop.lines(path))
            hop.compact = True
            compact = len(hop.lines(path))
            hop.compact = was
        # The log pane's lines of this sync (it runs first); computed here only before it has.
        lines = self.query_one(LogPane).route_lines
        if lines is None:
            lines = summarize(state, cockpit_of(self).view().now)
        measured = [ln for ln in lines if ln.source]
        return Needs(
            hop_lines=full,
            hop_compact=compact,
            target_lines=self.query_one(TargetGrid).lines_wanted(),
            target_compact=self.query_one(TargetGrid).lines_compact(),
            changes=len(state.changes),
            routes=len(measured),
        )

    def _relayout(self) -> None:
        """Size every pane by the plan; a no-op unless the plan changed (styles cost a layout)."""
        if not self.is_mounted or not self.query(HopMap):
            return
        width, height = self.size
        state = cockpit_of(self).state
        # Measuring is not free (the hop map's lines, the route summary): only when its inputs moved.
        key = (width, height, *(state.version(a) for a in _NEEDS_AREAS))
        if key == self._needs_key:
            return
        self._needs_key = key
        p = plan(width, height, self._needs())
        if p == self._plan:
            return
        self._plan = p
        self.query_one("#top").styles.height = p.top_rows
        self.query_one("#metrics").styles.height = p.metrics_rows
        for spark in self.query(Spark):
            spark.styles.height = p.spark_rows
        hop = self.query_one(HopMap)
        hop.compact = p.hop_compact
        hop.styles.height = p.hop_rows
        hop.refresh()
        self.query_one(TargetGrid).styles.height = p.targets_rows
        nxt = self.query_one(NextStep)
        nxt.display = p.next_rows > 0
        nxt.styles.height = max(p.next_rows, 1)
        changes = self.query_one(ChangesPane)
        changes.styles.height = p.changes_rows if p.narrow else "1fr"
        summary = self.query_one("#route-summary")
        summary.display = p.summary_rows > 0
        summary.styles.height = max(p.summary_rows, 1)

    def sync(self) -> None:
        """Push state down into every pane; each redraws only if its areas changed."""
        app = cockpit_of(self)
        state, view = app.state, app.view()
        # query(), not query_one(): a tick may land while the screen is still composing.
        for bar in self.query(StatusBar):
            bar.meter = meter_snapshot(app.feed)
        for pane in self.query(Pane):
            pane.sync(state, view)
        self._relayout()

    # -- actions bound on this screen ---------------------------------------------------
    def action_toggle_pause(self) -> None:
        cockpit_of(self).toggle_pause()

    def action_filter(self) -> None:
        self.query_one(LogPane).open_filter()

    def action_toggle_failed(self) -> None:
        self.query_one(LogPane).toggle_failed()

    @on(ShowFull)
    def _show_full(self, event: ShowFull) -> None:
        self.app.push_screen(DetailScreen(event.title, event.text, box_title="full text"))

    @on(LogPane.OpenTrace)
    def _open_trace(self, event: LogPane.OpenTrace) -> None:
        cockpit_of(self).open_trace(event.request_id)
