"""The line the on-call reads first: the suspect root cause, how sure, the evidence that decides
it and the change that likely caused it (who, when, what). `c` opens the detail.

Everything here is the engine's `Headline` (diagnose.pipeline); this pane only words it.
"""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.diagnose.pipeline import Headline
from apigw_cockpit.ui.panes.full_text import FullTextPane
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import hm


def _when(delta_s: float) -> str:
    minutes = abs(delta_s) / 60
    if minutes < 1:
        return "in the onset minute"
    return f"{minutes:.0f} min {'before' if delta_s >= 0 else 'after'} onset"


def headline_content(h: Headline | None, *, presenter: bool = False, sep: str = "·") -> Content:
    if h is None:
        return Content.styled("diagnosing... (the first answer comes with the first data)", "$text-muted")
    if h.healthy:
        return Content.assemble(("healthy ", "$success bold"), (clean(h.evidence), "$text-muted"))
    if h.root_cause is None:
        return Content.assemble(("unexplained 5XX ", "$error bold"), (clean(h.evidence), "$text-muted"))
    parts: list[str | tuple[str, str]] = [
        ("suspect ", "$text-muted"),
        (h.root_cause, "$error bold"),
        (f" {h.confidence:.0%}", "bold"),
    ]
    if h.evidence:
        parts += [("  because ", "$text-muted"), clean(h.evidence, presenter=presenter)]
    # Second line: the change that likely caused it, or that none on the path came before onset.
    parts.append("\n")
    if h.change is None:
        parts.append(("no change on the request path before onset", "$text-muted"))
    else:
        ch = h.change.change
        resource = f" {ch.resources[0]}" if ch.resources else ""
        parts += [
            ("likely change ", "$text-muted"),
            (clean(ch.event_name), "$error"),
            clean(resource, presenter=presenter),
            " by ",
            (clean(ch.user or "?", presenter=presenter), "$accent"),
            f" at {hm(ch.time)} ({_when(h.change.delta_s)})",
        ]
    parts.append((f"  {sep} c details", "$text-muted"))
    return Content.assemble(*parts)


class VerdictBar(FullTextPane):
    AREAS = ("headline",)
    TITLE = "verdict"

    def __init__(self) -> None:
        super().__init__(id="verdict")

    def render(self) -> Content:
        s = self.state
        result = s.result if s is not None else None
        return headline_content(
            result.headline if result else None, presenter=self.view.presenter, sep=self.view.glyphs.sep
        )
