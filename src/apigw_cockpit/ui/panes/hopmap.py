"""client → APIGW → integration → (Lambda | VPC link → NLB → TG): the broken hop marked ✗.

The hops and their verdicts are the engine's (diagnose.hops); this pane only draws them.
"""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.diagnose.hops import BAD, OK, WARN, broken_hop
from apigw_cockpit.ui.view import Pane

_STYLE = {OK: "$success", WARN: "$warning", BAD: "$error bold", "unknown": "$text-muted"}


class HopMap(Pane):
    AREAS = ("hops",)

    def __init__(self) -> None:
        super().__init__(id="hopmap", classes="pane")
        self.border_title = "hop map"

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        g = self.view.glyphs
        path = list(self.state.hops)
        if not path:
            return Content.styled("waiting for the first diagnosis...", "$text-muted")
        blame = broken_hop(path)
        mark = {OK: g.ok, WARN: g.warn, BAD: g.bad, "unknown": g.unknown}
        parts: list[str | tuple[str, str]] = []
        for i, hop in enumerate(path):
            if i:
                parts.append((f" {g.arrow} ", "$text-muted"))
            style = _STYLE[hop.status] + (" reverse" if i == blame else "")
            parts.append((f"{hop.name} {mark[hop.status]}", style))
        detail = path[blame].detail if blame is not None else ""
        if blame is not None:
            parts.append(("\n" + f"{g.bad} {path[blame].name}: {detail}".rstrip(": "), "$error"))
        return Content.assemble(*parts)
