"""Checks, walkthrough, verification and timeline: simple screens over the engine's last result.

They compute nothing: the diagnosis runs in the app's engine worker (diagnose.pipeline) and
these screens draw `state.result`; they never write the store.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from apigw_cockpit.diagnose.verification import VerifyStep
from apigw_cockpit.diagnose.walkthrough import StepState
from apigw_cockpit.ui.footer import FitFooter
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import UNICODE, Glyphs, cockpit_of, glyphs_of, hms

_VERDICT_STYLE = {"ok": "$success", "warn": "$warning", "error": "$error bold", "unknown": "$text-muted"}


def checks_lines(state: CockpitState) -> list[Content]:
    if state.result is None:
        return [Content.styled("diagnosing... (waiting for the first data)", "$text-muted")]
    out: list[Content] = []
    for h in state.hypotheses[:3]:
        out.append(
            Content.assemble(
                ("suspect ", "$text-muted"), (h.root_cause, "$error bold"), f"  {h.confidence:.0%}"
            )
        )
    for f in state.findings:
        verdict = str(f.verdict)
        out.append(
            Content.assemble(
                (f"{verdict:>7} ", _VERDICT_STYLE.get(verdict, "")),
                (f"{f.check_id:<18} ", "bold"),
                clean(f.summary or f.why),
            )
        )
    # The README's promise: which way to fix each failing check. Below the list, so the list of
    # verdicts stays one line per check and whole at 80x24; the screen scrolls to these.
    fixes = [f for f in state.findings if f.fix and str(f.verdict) in ("warn", "error")]
    if fixes:
        out.append(Content.styled("\nfix direction (failing checks)", "bold"))
        out += [Content.assemble((f"{f.check_id}: ", "$success bold"), clean(f.fix)) for f in fixes]
    return out or [Content.styled("no findings yet (waiting for data)", "$text-muted")]


_STEP_STYLE = {
    "pass": "$success bold",
    "answered": "$success",
    "fail": "$error bold",
    "current": "$warning bold",
    "blocked": "$error",
    "pending": "$text-muted",
}


def step_lines(steps: Iterable[VerifyStep | StepState], glyphs: Glyphs = UNICODE) -> list[Content]:
    """VerifyStep (status) and walkthrough StepState (state) rows: marker, title, outcome, evidence."""
    out: list[Content] = []
    for step in steps:
        extras: tuple[str, ...] = ()
        if isinstance(step, VerifyStep):
            status = str(step.status)
        else:
            status = str(step.state)
            extras = (step.outcome, step.look_at if status == "current" else "")
        title = clean(str(step.title))
        out.append(Content.assemble((f"{status:>9} ", _STEP_STYLE.get(status, "")), (title, "bold")))
        for extra in extras:
            if extra:
                out.append(Content.styled(f"{'':>10}{clean(str(extra))}", "$text-muted"))
        for ev in tuple(step.evidence)[:3]:
            out.append(Content.styled(f"{'':>10}{glyphs.bullet} {clean(str(ev))}", "$text-muted"))
    return out or [Content.styled("nothing to show yet", "$text-muted")]


def timeline_lines(state: CockpitState) -> list[Content]:
    events: list[tuple[float, Content]] = []
    for ch in state.changes.values():
        events.append(
            (ch.time, Content.assemble(("change ", "$accent"), f"{clean(ch.event_name)} by {clean(ch.user)}"))
        )
    if state.onset is not None:
        events.append((state.onset, Content.styled("onset: 5XX starts", "$error bold")))
    for note in state.notes:
        events.append((note.at, Content.assemble(("note   ", "$primary"), clean(note.text))))
    if state.fix_time is not None:
        events.append((state.fix_time, Content.styled("fix marked", "$success bold")))
    events.sort(key=lambda e: e[0])
    return [Content.assemble((hms(ts) + "  ", "$text-muted"), c) for ts, c in events] or [
        Content.styled("nothing on the timeline yet", "$text-muted")
    ]


class InfoScreen(Screen[None]):
    """A titled scrolling list; `kind` picks the source of its lines."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="back one screen", id="close_info")]

    def __init__(self, kind: str, title: str) -> None:
        super().__init__(id=f"{kind}-screen")
        self.kind = kind
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="pane info") as box:
            box.border_title = self.title_text
            box.border_subtitle = "esc back"
            yield Static(id="info-body")
        # --ascii: the palette hint is drawn with a block glyph; ctrl+p still works.
        yield FitFooter(show_command_palette=not cockpit_of(self).settings.ascii)

    def on_mount(self) -> None:
        self.sync()

    def lines(self) -> list[Content]:
        state: CockpitState = cockpit_of(self).state
        if self.kind == "checks":
            return checks_lines(state)
        if self.kind == "timeline":
            return timeline_lines(state)
        if state.result is None:
            return [Content.styled("diagnosing... (waiting for the first data)", "$text-muted")]
        d = state.result.diagnosis
        return step_lines(
            d.walkthrough if self.kind == "walkthrough" else d.verification, glyphs_of(self.app)
        )

    def sync(self) -> None:
        for body in self.query("#info-body").results(Static):  # none while the screen unmounts
            body.update(Content("\n").join(self.lines()))
