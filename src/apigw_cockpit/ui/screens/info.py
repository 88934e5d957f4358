"""Checks, walkthrough, verification and timeline: simple screens over whatever the lower layers give.

Other layers fill these in; until they exist each screen says so instead of guessing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import hms

_VERDICT_STYLE = {"ok": "$success", "warn": "$warning", "error": "$error bold", "unknown": "$text-muted"}


def _lookup(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found = getattr(importlib.import_module(module), name, None)
    except Exception:
        return None
    return found if callable(found) else None


def checks_lines(state: CockpitState) -> list[Content]:
    if not state.diagnoser.can_check:
        return [
            Content.styled(
                "checks are not available yet (apigw_cockpit.diagnose.run_checks missing)", "$text-muted"
            )
        ]
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
    return out or [Content.styled("no findings yet (waiting for data)", "$text-muted")]


_STEP_STYLE = {
    "pass": "$success bold",
    "answered": "$success",
    "fail": "$error bold",
    "current": "$warning bold",
    "blocked": "$error",
    "pending": "$text-muted",
}


def step_lines(steps: Any) -> list[Content]:
    """VerifyStep (status) and walkthrough StepState (state) rows: marker, title, outcome, evidence."""
    out: list[Content] = []
    for step in steps:
        status = str(getattr(step, "status", None) or getattr(step, "state", "") or "")
        title = clean(str(getattr(step, "title", step)))
        out.append(Content.assemble((f"{status:>9} ", _STEP_STYLE.get(status, "")), (title, "bold")))
        for extra in (
            getattr(step, "outcome", ""),
            getattr(step, "look_at", "") if status == "current" else "",
        ):
            if extra:
                out.append(Content.styled(f"{'':>10}{clean(str(extra))}", "$text-muted"))
        for ev in tuple(getattr(step, "evidence", ()))[:3]:
            out.append(Content.styled(f"{'':>10}· {clean(str(ev))}", "$text-muted"))
    return out or [Content.styled("nothing to show yet", "$text-muted")]


def generic_lines(result: Any) -> list[Content]:
    if result is None:
        return [Content.styled("not available yet", "$text-muted")]
    items = result if isinstance(result, list | tuple) else [result]
    return [
        Content(clean(str(getattr(i, "title", None) or getattr(i, "summary", None) or i))) for i in items
    ] or [Content.styled("nothing to show", "$text-muted")]


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

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="close_info")]

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
        yield Footer(show_command_palette=not self.app.settings.ascii)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.sync()

    def lines(self) -> list[Content]:
        state: CockpitState = self.app.state  # type: ignore[attr-defined]
        if self.kind == "checks":
            return checks_lines(state)
        if self.kind == "timeline":
            return timeline_lines(state)
        fn = _lookup("apigw_cockpit.diagnose", "walk" if self.kind == "walkthrough" else "verify")
        make_obs = _lookup("apigw_cockpit.diagnose", "Observations")
        if fn is None or make_obs is None:
            return generic_lines(None)
        try:
            obs = make_obs(**state.observations(self.app.clock.now()))  # type: ignore[attr-defined]
            if self.kind == "walkthrough":
                return step_lines(fn(obs, state.findings))
            steps = list(fn(obs))
            state.set_verification(steps)  # computed here: the journal records what the screen showed
            return step_lines(steps)
        except Exception as exc:  # their signature may differ while they build it
            return [Content.styled(f"not available yet ({clean(str(exc))})", "$text-muted")]

    def sync(self) -> None:
        self.query_one("#info-body", Static).update(Content("\n").join(self.lines()))
