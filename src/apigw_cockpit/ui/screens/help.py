"""Keys and what each pane means; the keys come from every screen's bindings (ui/keyhelp.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from apigw_cockpit.ui.keyhelp import sections

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
        "one line per request: time, id, method/path, status, verdict. Failures only by default "
        "(a: all requests, newest first; 'in flight' = no status yet). 'dropped N (over the "
        "buffer)': requests the bounded buffer let go (oldest first, over log_buffer) and lines "
        "a poll skipped to keep the newest; the checks still saw them.",
    ),
    (
        "recent changes",
        "mutating CloudTrail events on this API's resources, newest first; ◆ marks the one "
        "nearest before onset — the first suspect.",
    ),
    ("status bar", "age of each source (stale/throttled/denied), API cost per hour, fix time."),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", tooltip="close help", id="close_help")
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        settings = getattr(app, "settings", None)
        read_only = bool(getattr(settings, "read_only", False))

        def hidden(cls: type, binding: Binding) -> bool:
            # A read-only view disables the keys that send traffic (VerificationScreen.SENDS).
            return read_only and binding.action in getattr(cls, "SENDS", ())

        def display(key: str) -> str:
            # As the footer writes it ("?", "esc", "^c", "⏎"); --ascii gets the key's name instead.
            shown = app.get_key_display(Binding(key, ""))
            return key if getattr(settings, "ascii", False) and not shown.isascii() else shown

        keys: list[Content] = []
        for section in sections(
            display,
            keymap=dict(getattr(settings, "keys", None) or {}),
            demo=bool(getattr(app, "can_apply_fix", False)),
            read_only=read_only,
            hidden=hidden,
        ):
            keys.append(Content.styled(f"\n{section.title}", "$primary bold"))
            for row in section.rows:
                words = f"{row.label} — {row.help}" if row.help else row.label
                keys.append(Content.assemble((f"{' '.join(row.keys):>10}  ", "$accent bold"), words))
        panes = [Content.assemble((f"{name}: ", "$primary bold"), text) for name, text in PANES]
        with VerticalScroll(id="help-box", classes="pane") as box:
            box.border_title = "help"
            box.border_subtitle = "esc close · h home"
            yield Static(Content.styled("Keys", "bold"))
            yield Static(Content("\n").join(keys), id="help-keys")
            yield Static(Content.styled("\nPanes", "bold"))
            yield Static(Content("\n").join(panes))
