"""The whole execution-log trace of one request, sanitized and redacted, in a modal.

Each line shows the seconds since the line before ("+29.0s" before "Execution failed due to a
timeout error" is the integration timeout); the first failing line is scrolled into view.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import LogRow
from apigw_cockpit.ui.view import hms


class TraceScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", tooltip="back to where it was opened", id="close_trace")
    ]

    def __init__(self, row: LogRow, verdict: str, *, presenter: bool = False) -> None:
        super().__init__()
        self.row = row
        self.verdict = verdict  # the engine's classification of this request
        self.presenter = presenter

    def compose(self) -> ComposeResult:
        r = self.row
        gaps = line_gaps(r.times) if len(r.times) == len(r.lines) else []
        took = f"  took {r.times[-1] - r.times[0]:.1f} s" if len(gaps) > 1 else ""
        head = Content.assemble(
            ("request ", "$text-muted"),
            (clean(r.request_id, presenter=self.presenter), "bold"),
            f"  {hms(r.ts)}  {clean(r.method)} {clean(r.path)}  ",
            (
                f"status {r.status}" if r.status else "status ?",
                "$error bold" if (r.status or 0) >= 500 else "",
            ),
            ("  verdict: ", "$text-muted"),
            (clean(self.verdict), "$error" if r.failed else ""),
            (took, "$text-muted"),
        )
        with Vertical(id="trace-box", classes="pane") as box:
            box.border_title = "request trace"
            box.border_subtitle = "+s: since the line before · esc close"
            yield Static(head, id="trace-head")
            with VerticalScroll(id="trace-lines"):
                for i, line in enumerate(r.lines):
                    failed = "failed" in line.lower() or "status: 5" in line
                    classes = "trace-line -failed" if failed else "trace-line"
                    gap = gaps[i] if gaps else None
                    # Content(...) is plain text: markup-looking text in the log stays literal.
                    yield Static(
                        Content.assemble(
                            (_gap_text(gap), "$warning bold" if gap and gap >= SLOW_GAP_S else "$text-muted"),
                            (clean(line, presenter=self.presenter), "$error" if failed else ""),
                        ),
                        classes=classes,
                    )

    def on_mount(self) -> None:
        # At 80x24 the failing line sits below the fold: bring the first one into view.
        self.call_after_refresh(self._show_failure)

    def _show_failure(self) -> None:
        failing = self.query(".trace-line.-failed")
        if failing:
            self.query_one("#trace-lines", VerticalScroll).scroll_to_widget(
                failing.first(), animate=False, center=True
            )


SLOW_GAP_S = 1.0  # a gap this long between two lines of one request is worth the eye


def line_gaps(times: tuple[float, ...]) -> list[float]:
    """Seconds since the line before (0 for the first); [] when the times are not known."""
    return [t - times[i - 1] if i else 0.0 for i, t in enumerate(times)]


def _gap_text(gap: float | None) -> str:
    if gap is None:
        return ""
    return f"{f'+{gap:.1f}s' if gap < 100 else f'+{gap:.0f}s':>7} "
