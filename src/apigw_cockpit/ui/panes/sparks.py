"""One-line sparklines: 5XXError/min and IntegrationLatency p99 against the integration timeout."""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.model import MetricSeries, Verdict
from apigw_cockpit.ui.view import Pane, hm, sparkline


class Spark(Pane):
    """`kind` is "5xx" or "latency"; the onset bucket and everything after it is drawn in $error."""

    AREAS = ("metrics", "onset", "findings")
    LAYOUT = False

    def __init__(self, kind: str, *, id: str) -> None:
        super().__init__(id=id, classes="spark")
        self.kind = kind

    def _series(self) -> tuple[str, list[tuple[float, float]], str, str]:
        s = self.state
        assert s is not None
        if self.kind == "5xx":
            series = s.series("5XXError")
            points = self._complete(series)
            value = f"{points[-1][1]:.0f}/min" if points else self.view.glyphs.dash
            return ("5XXError" if self.size.width > 50 else "5XX"), points, value, ""
        series = s.series("IntegrationLatency", "p99")
        points = self._complete(series)
        timeout_s = s.integration_timeout_ms() / 1000
        value = f"{points[-1][1] / 1000:.1f}s" if points else self.view.glyphs.dash
        if self.size.width > 50:
            return "IntLatency p99", points, value, f" (timeout {timeout_s:g}s)"
        return "p99", points, value, f"/{timeout_s:g}s"

    def _complete(self, series: MetricSeries | None) -> list[tuple[float, float]]:
        """Points whose period has ended: the minute in progress would read as a sudden drop."""
        if series is None:
            return []
        period = series.key.period or 60
        done = [p for p in series.points if p[0] + period <= self.view.now]
        return done or list(series.points)

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        label, points, value, ref = self._series()
        onset = self.state.onset
        tail = f" {value}{ref}" + (f" since {hm(onset)}" if onset and self.kind == "5xx" else "")
        width = max(0, self.size.width - len(label) - len(tail) - 2)
        ceiling = self.state.integration_timeout_ms() if self.kind == "latency" else 0.0
        line = sparkline([p[1] for p in points], width, self.view.glyphs.spark, ceiling)
        cut = len(line)
        if onset is not None:
            shown = points[-len(line) :] if line else []
            cut = next((i for i, (ts, _) in enumerate(shown) if ts >= onset), len(line))
        hot = self._is_hot(points)
        return Content.assemble(
            (label, "bold"),
            " ",
            (line[:cut], "$success" if not hot else "$text-muted"),
            (line[cut:], "$error"),
            (tail, "$error bold" if hot else ""),
        )

    def _is_hot(self, points: list[tuple[float, float]]) -> bool:
        if not points or self.state is None:
            return False
        if self.kind == "5xx":
            return points[-1][1] > 0
        # "Pinned at the timeout" is the latency-shape check's verdict, not a threshold of ours.
        result = self.state.result
        shape = result.finding("latency-shape") if result else None
        return shape is not None and shape.verdict == Verdict.ERROR
