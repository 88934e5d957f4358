"""Keys and what each pane means; generated from the bindings table so it cannot drift."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from apigw_cockpit.ui.bindings import KEYS, display_key, offered

PANES = (
    ("header", "API, stage, region, account; LIVE or PAUSED with the clock; number of findings."),
    (
        "metrics",
        "5XXError per minute and IntegrationLatency p99 against the integration timeout; "
        "red from the incident onset. p99 pinned at the timeout means the backend is slow or unreachable.",
    ),
    (
        "hop map",
        "client → APIGW → integration → Lambda | VPC link → NLB → TG; each hop judged from its own "
        "evidence; ✗ marks the furthest-downstream broken hop.",
    ),
    ("targets", "NLB target health per target group and AZ with reason codes (Target.FailedHealthChecks …)."),
    (
        "execution log",
        "one line per request: time, id, method/path, status, verdict. Failures only by default.",
    ),
    (
        "recent changes",
        "mutating CloudTrail events on this API's resources, newest first; ◆ marks the one "
        "nearest before onset — the first suspect.",
    ),
    ("status bar", "age of each source (stale/throttled/denied), API cost per hour, fix time."),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="close_help")]

    def compose(self) -> ComposeResult:
        demo = bool(getattr(self.app, "can_apply_fix", False))
        read_only = bool(getattr(getattr(self.app, "settings", None), "read_only", False))
        keys = [
            Content.assemble((f"{display_key(k):>8}  ", "$accent bold"), f"{k.label} — {k.help}")
            for k in KEYS
            if offered(k, demo=demo, read_only=read_only)
        ]
        keys.append(
            Content.assemble(
                (f"{'enter':>8}  ", "$accent bold"),
                "the request's full trace; on the timeline, the row's evidence",
            )
        )
        keys.append(
            Content.assemble((f"{'ctrl+p':>8}  ", "$accent bold"), "command palette: every action by name")
        )
        panes = [Content.assemble((f"{name}: ", "$primary bold"), text) for name, text in PANES]
        with VerticalScroll(id="help-box", classes="pane") as box:
            box.border_title = "help"
            box.border_subtitle = "esc close"
            yield Static(Content.styled("Keys", "bold"))
            yield Static(Content("\n").join(keys))
            yield Static(Content.styled("\nPanes", "bold"))
            yield Static(Content("\n").join(panes))
