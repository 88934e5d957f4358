"""Recent mutating CloudTrail events, newest first; the engine's suspect (◆) first when space is short.

Each change is one or two lines that never wrap mid-phrase: the first says when and what, the
second (when the pane has room) on what, by whom and how it sits against the onset. Lines too
long for the pane end in an ellipsis (the pane's CSS); the full event is in the timeline (t).
"""

from __future__ import annotations

import re

from textual.content import Content

from apigw_cockpit.model import Change
from apigw_cockpit.ui.panes.full_text import FullTextPane
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import hm, relative

# Lambda's CloudTrail event names carry the API version: UpdateFunctionConfiguration20150331v2.
_API_VERSION = re.compile(r"(?<=[a-z])\d{8}(v\d+)?$")


def event_name(name: str) -> str:
    return _API_VERSION.sub("", name)


class ChangesPane(FullTextPane):
    AREAS = ("changes", "onset")

    def __init__(self) -> None:
        super().__init__(id="changes", classes="pane")
        self.border_title = "recent changes (CloudTrail)"

    def on_resize(self) -> None:
        self.refresh()  # one or two lines per change, suspect first, depend on the height

    def render(self) -> Content:
        s = self.state
        if s is None:
            return Content("")
        changes = s.sorted_changes()
        if not changes:
            return Content.styled("no mutating events on this API's resources", "$text-muted")
        suspect = s.suspect_change()
        room = self.size.height or 2 * len(changes)
        two_lines = room >= 2 * min(len(changes), 50)
        if not two_lines and suspect is not None:
            # Short of space: the change the engine blames goes first, then the rest newest first.
            changes = [c for c in changes if c.event_id == suspect.event_id] + [
                c for c in changes if c.event_id != suspect.event_id
            ]
        shown = changes[: max(1, room // (2 if two_lines else 1))]
        hidden = len(changes) - len(shown)
        subtitle = f"+{hidden} more (t timeline)" if hidden else ""
        if self.border_subtitle != subtitle:  # setting it repaints the pane: only on a change
            self.border_subtitle = subtitle
        lines: list[Content] = []
        for ch in shown:
            marked = suspect is not None and ch.event_id == suspect.event_id
            lines += self._change(ch, marked, two_lines)
        return Content("\n").join(lines)

    def _change(self, ch: Change, marked: bool, two_lines: bool) -> list[Content]:
        s, g, presenter = self.state, self.view.glyphs, self.view.presenter
        assert s is not None
        resource = clean(ch.resources[0] if ch.resources else "", presenter=presenter)
        who = clean(ch.user or "?", presenter=presenter)
        when = ""
        if s.onset is not None:
            in_minute = s.onset <= ch.time < s.onset + 60
            when = "in the onset minute" if in_minute else f"{relative(ch.time, s.onset)} onset"
        first: list[str | tuple[str, str]] = [
            (f"{g.mark} " if marked else "  ", "$error bold"),
            (hm(ch.time) + " ", "$text-muted"),
            (clean(event_name(ch.event_name)), "$error bold" if marked else "bold"),
        ]
        # Who and when before what on: a long resource id is what the ellipsis may take.
        detail: list[str | tuple[str, str]] = [
            "by ",
            (who, "$accent"),
            (f" {g.sep} {when}" if when else "", "$error" if marked else "$text-muted"),
            (f" {g.sep} {resource}" if resource else "", ""),
        ]
        if two_lines:
            return [Content.assemble(*first), Content.assemble("    ", *detail)]
        return [Content.assemble(*first, " ", *detail)]
