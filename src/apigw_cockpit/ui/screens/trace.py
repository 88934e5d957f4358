"""The whole execution-log trace of one request, sanitized and redacted, in a modal."""

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
        )
        with Vertical(id="trace-box", classes="pane") as box:
            box.border_title = "request trace"
            box.border_subtitle = "esc close"
            yield Static(head, id="trace-head")
            with VerticalScroll(id="trace-lines"):
                for line in r.lines:
                    failed = "failed" in line.lower() or "status: 5" in line
                    # Content(...) is plain text: markup-looking text in the log stays literal.
                    yield Static(
                        Content.styled(clean(line, presenter=self.presenter), "$error" if failed else ""),
                        classes="trace-line",
                    )
