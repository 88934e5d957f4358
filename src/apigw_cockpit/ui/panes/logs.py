"""The execution-log stream: one line per request (time, id, method/path, status, verdict).

Failures only by default; `/` filters; `enter` opens the whole trace; while paused the
table freezes but the bounded buffer keeps filling (overflow shows as "dropped N").
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input

from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import LogRow
from apigw_cockpit.ui.view import Pane, hms

MAX_ROWS_SHOWN = 120  # the buffer is larger (and `/` searches all of it); a human reads the top screenful


class LogPane(Pane):
    AREAS = ("logs", "pause")

    class OpenTrace(Message):
        """The user asked for one request's full trace."""

        def __init__(self, request_id: str) -> None:
            super().__init__()
            self.request_id = request_id

    def __init__(self, *, narrow: bool = False) -> None:
        super().__init__(id="logs", classes="pane")
        self.failed_only = True
        self.query_text = ""
        self.narrow = narrow
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter (request id, path, verdict, text) — enter to apply, esc to clear",
            id="log-filter",
        )
        table: DataTable[str | Content] = DataTable(id="log-table", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("time", key="time", width=8)
        table.add_column("request", key="rid", width=8)
        table.add_column("method/path", key="path", width=16)
        table.add_column("st", key="status", width=3)
        table.add_column("verdict", key="verdict", width=30)
        self._title()

    def _title(self) -> None:
        what = "Execution failed" if self.failed_only else "all requests"
        flt = f" /{clean(self.query_text)}" if self.query_text else ""
        title = f"execution log ({what}){flt}"
        # Setting a border title repaints the whole pane region: only do it when it changes.
        if self.border_title != title:
            self.border_title = title
        s = self.state
        parts = []
        if s is not None and s.paused:
            parts.append("PAUSED")
        if s is not None and s.dropped:
            parts.append(f"dropped {s.dropped:,}")
        subtitle = " · ".join(parts)
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def _matches(self, row: LogRow) -> bool:
        if self.failed_only and not row.failed:
            return False
        if not self.query_text:
            return True
        q = self.query_text.lower()
        hay = f"{row.request_id} {row.method} {row.path} {row.status} {row.verdict or ''}".lower()
        return q in hay or any(q in ln.lower() for ln in row.lines)

    def on_state(self) -> None:
        self._title()
        s = self.state
        if s is None or (s.paused and self._shown):
            return
        rows = [r for r in reversed(s.rows.values()) if self._matches(r)][:MAX_ROWS_SHOWN]
        keys = [r.request_id for r in rows]
        table = self.query_one(DataTable)
        if keys == self._shown and not self._any_changed(rows):
            return
        cursor_key = self._cursor_key(table)
        table.clear()
        for r in rows:
            table.add_row(*self._cells(r), key=r.request_id)
        self._shown = keys
        if cursor_key in keys:
            table.move_cursor(row=keys.index(cursor_key), animate=False)

    def _any_changed(self, rows: list[LogRow]) -> bool:
        # Rows are rebuilt by the store when a request gains lines; compare by identity.
        current = getattr(self, "_row_ids", {})
        now = {r.request_id: id(r) for r in rows}
        self._row_ids = now
        return now != current

    @staticmethod
    def _cursor_key(table: DataTable[str | Content]) -> str | None:
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def _cells(self, r: LogRow) -> tuple[Content, ...]:
        presenter = self.view.presenter
        assert self.state is not None
        verdict = self.state.verdict_of(r)
        status_style = (
            "$error bold"
            if (r.status or 0) >= 500
            else ("$warning" if (r.status or 0) >= 400 else "$success")
        )
        verdict_style = "$error" if r.failed else "$text-muted"
        return (
            Content(hms(r.ts)),
            Content.styled(clean(r.request_id[:8], presenter=presenter), "$text-muted"),
            Content(clean(f"{r.method} {r.path}".strip() or "?", presenter=presenter)),
            Content.styled(str(r.status) if r.status else "…", status_style),
            Content.styled(clean(verdict, presenter=presenter), verdict_style),
        )

    # -- user actions (called by the screen's bindings) ----------------------------------
    def open_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("-open")
        box.focus()

    def toggle_failed(self) -> None:
        self.failed_only = not self.failed_only
        self._shown = []
        self.on_state()

    def refilter(self, text: str) -> None:
        self.query_text = text
        self._shown = []
        self.on_state()

    @on(Input.Changed, "#log-filter")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter(event.value)

    @on(Input.Submitted, "#log-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def key_escape(self) -> None:
        box = self.query_one(Input)
        if box.has_focus:
            box.value = ""
            box.remove_class("-open")
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#log-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenTrace(str(event.row_key.value)))
