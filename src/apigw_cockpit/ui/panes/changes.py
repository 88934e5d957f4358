"""Recent mutating CloudTrail events, newest first; the one nearest before onset marked ◆."""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Pane, hm, relative


class ChangesPane(Pane):
    AREAS = ("changes", "onset")

    def __init__(self) -> None:
        super().__init__(id="changes", classes="pane")
        self.border_title = "recent changes (CloudTrail)"

    def render(self) -> Content:
        s = self.state
        if s is None:
            return Content("")
        changes = s.sorted_changes()
        if not changes:
            return Content.styled("no mutating events on this API's resources", "$text-muted")
        suspect = s.suspect_change()
        g = self.view.glyphs
        parts: list[str | tuple[str, str]] = []
        for i, ch in enumerate(changes[:50]):
            marked = suspect is not None and ch.event_id == suspect.event_id
            resource = ch.resources[0] if ch.resources else ""
            if i:
                parts.append("\n")
            parts += [
                (f"{g.mark} " if marked else "  ", "$error bold"),
                (hm(ch.time) + " ", "$text-muted"),
                (clean(ch.event_name), "$error bold" if marked else "bold"),
                f" {clean(resource, presenter=self.view.presenter)} by ",
                (clean(ch.user, presenter=self.view.presenter), "$accent"),
            ]
            if s.onset is not None:
                in_minute = s.onset <= ch.time < s.onset + 60
                when = "in the onset minute" if in_minute else f"{relative(ch.time, s.onset)} onset"
                parts.append((f"  {when}", "$error" if marked else "$text-muted"))
        return Content.assemble(*parts)
