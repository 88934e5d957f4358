"""Full charts (plotext): 5XX, 4XX, Count, latency p50/p99, healthy hosts; markers at changes and onset."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Grid
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from apigw_cockpit.ui.charts import PARTIAL_MARK, RGB, Line, build_chart
from apigw_cockpit.ui.footer import FitFooter
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import ASCII, cockpit_of, glyphs_of

WINDOWS = {"15m": 15 * 60.0, "1h": 3600.0, "6h": 6 * 3600.0}
# (title, [(metric, stat, namespace, label, theme colour)])
CHARTS: tuple[tuple[str, tuple[tuple[str, str | None, str, str, str], ...]], ...] = (
    ("5XXError /min", (("5XXError", None, "AWS/ApiGateway", "5XX", "error"),)),
    ("4XXError /min", (("4XXError", None, "AWS/ApiGateway", "4XX", "warning"),)),
    ("Count /min", (("Count", None, "AWS/ApiGateway", "Count", "primary"),)),
    (
        "Latency vs IntegrationLatency (ms)",
        (
            ("Latency", "p99", "AWS/ApiGateway", "Latency p99", "accent"),
            ("IntegrationLatency", "p99", "AWS/ApiGateway", "IntLat p99", "error"),
            ("IntegrationLatency", "p50", "AWS/ApiGateway", "IntLat p50", "primary"),
        ),
    ),
    ("Healthy hosts", (("HealthyHostCount", None, "AWS/NetworkELB", "healthy", "success"),)),
)


class Chart(Widget):
    def __init__(self, index: int) -> None:
        super().__init__(classes="chart pane")
        self.index = index
        self.border_title = CHARTS[index][0]

    def render(self) -> Text:
        app = cockpit_of(self)
        state: CockpitState = app.state
        screen = self.screen
        assert isinstance(screen, ChartScreen)
        _title, specs = CHARTS[self.index]
        theme = app.current_theme
        lines = []
        for metric, stat, ns, label, colour in specs:
            series = state.series(metric, stat, ns)
            if series is not None:
                rgb = _rgb(getattr(theme, colour) or theme.primary)
                # A sum's partial minute scales to a full one; a p99 or an average does not.
                additive = series.key.stat in ("Sum", "SampleCount")
                lines.append(Line(label, series.points, rgb, additive, float(series.key.period or 60)))
        markers = [c.time for c in state.changes.values()] + ([state.onset] if state.onset else [])
        markers += [state.fix_time] if state.fix_time else []
        out = build_chart(
            f" {glyphs_of(app).sep} ".join(spec[3] for spec in specs),
            lines,
            markers,
            now=app.view().now,
            window_s=WINDOWS[screen.window],
            width=self.size.width,
            height=self.size.height,
            ascii=app.settings.ascii,
            marker_rgb=_rgb(theme.accent or theme.primary),  # the changes pane's colour
        )
        return Text.from_ansi(out, no_wrap=True)


def _rgb(colour: str) -> RGB:
    c = Color.parse(colour)
    return (c.r, c.g, c.b)


class ChartScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "window('15m')", "15m", tooltip="show the last 15 minutes", id="window_15m"),
        Binding("2", "window('1h')", "1h", tooltip="show the last hour", id="window_1h"),
        Binding("3", "window('6h')", "6h", tooltip="show the last 6 hours", id="window_6h"),
        Binding("escape,g", "app.pop_screen", "Back", tooltip="back to the cockpit", id="close_chart"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = "1h"

    def compose(self) -> ComposeResult:
        yield Static(id="chart-caption")
        with Grid(id="charts"):
            for i in range(len(CHARTS)):
                yield Chart(i)
        # --ascii: the palette hint is drawn with a block glyph; ctrl+p still works.
        yield FitFooter(show_command_palette=not cockpit_of(self).settings.ascii)

    def on_mount(self) -> None:
        self._caption()

    def _caption(self) -> None:
        g = glyphs_of(self.app)
        partial = PARTIAL_MARK[g is ASCII]
        self.query_one("#chart-caption", Static).update(
            f"  {g.sep}  ".join(
                (  # fits 80 columns: the caption is one row
                    f"window {self.window}",
                    "UTC",
                    "vertical lines: changes, onset, fix",
                    f"{partial} partial minute",
                )
            )
        )

    def action_window(self, name: str) -> None:
        self.window = name
        self._caption()
        for chart in self.query(Chart):
            chart.refresh()

    def sync(self) -> None:
        for chart in self.query(Chart):
            chart.refresh()
