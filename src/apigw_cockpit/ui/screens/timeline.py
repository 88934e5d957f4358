"""The incident timeline (`t`): the journal's timeline merged with what the state knows, oldest first.

`enter` on a row jumps to its evidence: a change opens its detail, a check or hypothesis the
checks screen, a trace the trace modal (if still buffered), verification the checklist.
The journal is read in a thread worker (after the writer drained its queue); until then,
and without a journal, the rows come from the state alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from apigw_cockpit.incident import TimelineRow, build_timeline
from apigw_cockpit.incident.entries import Entry
from apigw_cockpit.ui.footer import FitFooter
from apigw_cockpit.ui.sanitize import clean_lines, one_line
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import UNICODE, Glyphs, cockpit_of, glyphs_of, hms

_KIND_STYLE = {
    "change": "$accent",
    "onset": "$error bold",
    "recovery": "$success bold",
    "fix-mark": "$success bold",
    "note": "$primary",
    "check": "$warning",
    "hypothesis": "$error",
    "verification": "$success",
    "alarm": "$error",
    "drill": "$primary",
    "trace": "$error",
    "rediscovery": "$accent",
}
_KIND_LABEL = {
    "fix-mark": "fix",
    "hypothesis": "suspect",
    "verification": "verify",
    "session-start": "session",
    "screenshot": "shot",
    "rediscovery": "config",
}


def _journal_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Like the report: a check matters when it goes bad or comes back, not while it stays ok."""
    keep: list[Entry] = []
    last: dict[str, str] = {}
    for e in sorted(entries, key=lambda e: e["at"]):
        if e["kind"] == "check":
            prev = last.get(e["id"])
            last[e["id"]] = e["verdict"]
            # "unknown" (not run, no data) is noise here, as is "ok" unless it follows a bad verdict.
            if e["verdict"] == "unknown" or (e["verdict"] == "ok" and prev in (None, "ok", "unknown")):
                continue
        if e["kind"] in ("session-end",):
            continue
        keep.append(e)
    return keep


def state_rows(state: CockpitState) -> list[TimelineRow]:
    rows: list[TimelineRow] = []
    for ch in state.changes.values():
        on = f" on {', '.join(ch.resources)}" if ch.resources else ""
        rows.append(
            TimelineRow(
                ch.time,
                "change",
                f"{ch.event_name} by {ch.user or 'unknown'}{on}",
                ch.request_parameters,
                ("change", ch.event_id),
            )
        )
    if state.onset is not None:
        rows.append(TimelineRow(state.onset, "onset", "onset: 5XX starts"))
    for note in state.notes:
        rows.append(TimelineRow(note.at, "note", note.text, note.text))
    if state.fix_time is not None:
        rows.append(TimelineRow(state.fix_time, "fix-mark", "fix marked"))
    for flip in state.rediscoveries:  # live configuration changed a verdict
        rows.append(TimelineRow(flip.at, "rediscovery", flip.title, flip.summary, ("check", flip.check_id)))
    # The oldest failing request still buffered: `enter` opens its whole trace.
    failed = next((r for r in state.rows.values() if r.failed), None)
    if failed is not None:
        what = f"{failed.method} {failed.path}".strip() or "request"
        status = f" returned {failed.status}" if failed.status else ""
        title = f"oldest failing request in the buffer: {what}{status} ({failed.request_id[:8]})"
        rows.append(TimelineRow(failed.ts, "trace", title, "", ("trace", failed.request_id)))
    return rows


def merged_rows(state: CockpitState, entries: Sequence[Entry]) -> list[TimelineRow]:
    """State rows plus journal rows, without showing the same event twice."""
    own = state_rows(state)
    notes = {(round(r.at, 3), r.detail) for r in own if r.kind == "note"}
    flips = {(round(r.at, 3), r.title) for r in own if r.kind == "rediscovery"}
    rows = list(own)
    for r in build_timeline(_journal_entries(entries)):
        if r.kind == "change" and r.evidence_ref and r.evidence_ref[1] in state.changes:
            continue
        if r.kind == "onset" and state.onset is not None and abs(r.at - state.onset) < 1:
            continue
        if r.kind == "fix-mark" and state.fix_time is not None and abs(r.at - state.fix_time) < 1e-3:
            continue
        if r.kind == "note" and (round(r.at, 3), r.detail) in notes:
            continue
        if r.kind == "rediscovery" and (round(r.at, 3), r.title) in flips:
            continue
        rows.append(r)
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (r.at, order[id(r)]))


def row_content(row: TimelineRow, glyphs: Glyphs = UNICODE) -> Content:
    label = _KIND_LABEL.get(row.kind, row.kind)
    return Content.assemble(
        (hms(row.at) + "  ", "$text-muted"),
        (f"{label:<8} ", _KIND_STYLE.get(row.kind, "$text-muted")),
        one_line(row.title, newline=glyphs.newline),
    )


class DetailScreen(ModalScreen[None]):
    """A change (or any row without a richer view): what, when, and its raw parameters."""

    BINDINGS = [
        Binding("escape,q,enter", "dismiss", "Close", tooltip="back to the timeline", id="close_detail")
    ]

    def __init__(self, title: str, body: str, *, box_title: str = "evidence") -> None:
        super().__init__()
        self.title_text, self.body, self.box_title = title, body, box_title

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box", classes="pane") as box:
            box.border_title = self.box_title
            box.border_subtitle = "esc close"
            newline = glyphs_of(self.app).newline
            yield Static(Content.styled(one_line(self.title_text, newline=newline), "bold"))
            with VerticalScroll():
                # The detail's own lines stay lines (clean() would turn each break into U+FFFD).
                yield Static(Content(clean_lines(self.body) or "(no further detail)"))


class TimelineScreen(InfoScreen):
    def __init__(self) -> None:
        super().__init__("timeline", "timeline")
        self.entries: list[Entry] = []
        self.rows: list[TimelineRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="pane info") as box:
            box.border_title = self.title_text
            box.border_subtitle = f"enter evidence {glyphs_of(self.app).sep} esc back"
            yield OptionList(id="timeline-list")
        yield FitFooter(show_command_palette=not cockpit_of(self).settings.ascii)

    def on_mount(self) -> None:
        self.sync()
        self.query_one(OptionList).focus()
        sink = getattr(self.app, "journal", None)
        if sink is not None:
            self.run_worker(self._load, thread=True, group="timeline", exit_on_error=False)

    def _load(self) -> None:
        from apigw_cockpit.incident import read_journal

        sink = cockpit_of(self).journal
        if sink is None:  # checked before the worker started; the app never drops its sink
            return
        sink.flush(timeout=2.0)  # what the UI already submitted is on the timeline too
        entries = list(read_journal(sink.path).entries)
        self.app.call_from_thread(self._loaded, entries)

    def _loaded(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.sync()

    def sync(self) -> None:
        rows = merged_rows(cockpit_of(self).state, self.entries)
        if rows == self.rows:
            return
        self.rows = rows
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        if not rows:
            empty = Content.styled("nothing on the timeline yet", "$text-muted")
            options.add_option(Option(empty, disabled=True))
            return
        options.add_options([Option(row_content(r, glyphs_of(self.app))) for r in rows])
        options.highlighted = min(keep, len(rows) - 1) if keep is not None else None

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.rows):
            self.open_evidence(self.rows[event.option_index])

    def open_evidence(self, row: TimelineRow) -> None:
        app = cockpit_of(self)
        kind, ref = row.evidence_ref or (row.kind, "")
        if kind == "change":
            change = app.state.changes.get(ref)
            body = row.detail
            if change is not None:
                api = f", API version {change.api_version}" if change.api_version else ""
                body = "\n".join(
                    [
                        f"time      {hms(change.time)} UTC",
                        f"event     {change.event_name} ({change.event_source}{api})",
                        f"user      {change.user}",
                        f"resources {', '.join(change.resources) or 'none'}",
                        f"event id  {change.event_id}",
                        "",
                        change.request_parameters or "",
                    ]
                )
            app.push_screen(DetailScreen(row.title, body))
        elif kind in ("check", "hypothesis"):
            app.action_checks()
        elif kind == "verification":
            app.action_verify()
        elif kind == "trace":
            if ref in app.state.rows:
                app.open_trace(ref)
            else:
                app.notify(f"trace {ref[:12]} is no longer in the buffer", severity="warning")
        elif kind == "screenshot":
            app.notify(f"screenshot: {ref}", title="timeline")
        else:
            app.push_screen(DetailScreen(row.title, row.detail))
