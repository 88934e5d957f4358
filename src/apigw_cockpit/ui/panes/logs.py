"""The execution-log stream: one line per request (time, id, method/path, status, verdict).

Failures only by default; in a storm identical failures merge into one row with a ×N count
(see log_rows). `/` filters; `enter` opens the whole trace; while paused the table freezes
but the bounded buffer keeps filling (overflow shows as "dropped N").
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable, Input

from apigw_cockpit.ui.panes.log_rows import COLUMNS, Item, QuietTable, Spec, content, grouped, per_request
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import LogRow
from apigw_cockpit.ui.view import Pane

MAX_ROWS_SHOWN = 120  # the buffer is larger (and `/` searches all of it); a human reads the top screenful
FIT_BEFORE_LAYOUT = 20


class LogPane(Pane):
    AREAS = ("logs", "pause", "verdicts")

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
        self._order: list[str] = []  # row keys on screen, top to bottom
        self._cells: dict[str, Spec] = {}  # what each row shows
        self._request_of: dict[str, str] = {}  # row key -> the request `enter` opens
        self._rank: dict[str, int] = {}  # group order: first seen on top, then stays put
        self._grouped = False
        self.rows_painted = 0  # rows (re)added to the table: full repaints, for tests and benches
        self.cells_painted = 0  # single cells rewritten in place

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter (request id, path, verdict, text) — enter to apply, esc to clear",
            id="log-filter",
        )
        yield QuietTable(id="log-table", cursor_type="row", zebra_stripes=False)

    def on_mount(self) -> None:
        table = self.query_one(QuietTable)
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
        if s is not None and s.dropped:  # what was dropped, not just a number (help says more)
            parts.append(f"dropped {s.dropped:,} (over the buffer)")
        self._subtitle(" · ".join(parts))

    def _subtitle(self, text: str) -> None:
        """Set the border subtitle, repainting only the bottom border line when it just changes.

        Setting `border_subtitle` repaints the whole pane, table included (~13 KB at 120x36), and
        once the buffer is full "dropped N" moves with every batch. Appearing or going away still
        goes the normal way. (`_border_subtitle` is what the descriptor sets, in Textual 8.2.)
        """
        if self.border_subtitle == text:
            return
        outer = self.outer_size
        if not text or not self.border_subtitle or outer.height < 2:
            self.border_subtitle = text
            return
        self._border_subtitle = self.render_str(text).expand_tabs(4).split()[0]
        dx, dy = self.content_offset
        self.refresh(Region(-dx, outer.height - 1 - dy, outer.width, 1))

    def _matches(self, row: LogRow) -> bool:
        if self.failed_only and not row.failed:
            return False
        if not self.query_text:
            return True
        q = self.query_text.lower()
        verdict = self.state.verdict_of(row) if self.state is not None else ""
        hay = f"{row.request_id} {row.method} {row.path} {row.status} {verdict}".lower()
        return q in hay or any(q in ln.lower() for ln in row.lines)

    def on_state(self) -> None:
        self._title()
        s = self.state
        if s is None or (s.paused and self._order):
            return
        # Newest first by request time, not by activity: a request gaining a line keeps its place.
        matching = sorted(
            (r for r in s.rows.values() if self._matches(r)), key=lambda r: (r.ts, r.request_id), reverse=True
        )
        fit = self._fit()
        if len(matching) > fit:
            self._grouped = True
        elif len(matching) <= fit // 2:  # hysteresis: no flapping between the two views
            self._grouped = False
        presenter = self.view.presenter

        def cleaned(text: str) -> str:
            return clean(text, presenter=presenter)

        if self._grouped and self.failed_only:  # all requests (`a`): one row each, newest first
            items = grouped(matching, s.verdict_of, cleaned, self._rank)[:MAX_ROWS_SHOWN]
        else:
            self._rank.clear()
            items = per_request(matching[:MAX_ROWS_SHOWN], s.verdict_of, cleaned)
        self._show(items)

    def _fit(self) -> int:
        """Rows the table shows without scrolling (a guess until it has been laid out)."""
        height = self.query_one(QuietTable).size.height - 1  # the header row
        return height if height > 0 else FIT_BEFORE_LAYOUT

    def _show(self, items: list[Item]) -> None:
        """Put `items` on screen, repainting as little as possible."""
        table = self.query_one(QuietTable)
        keys = [it.key for it in items]
        self._request_of = {it.key: it.request_id for it in items}
        if keys != self._order:
            cursor_key = self._cursor_key(table)
            table.clear()
            for it in items:
                table.add_row(*(content(c) for c in it.cells), key=it.key)
            self._order = keys
            self.rows_painted += len(items)
            if cursor_key in keys:
                table.move_cursor(row=keys.index(cursor_key), animate=False)
        else:
            for it in items:
                old = self._cells.get(it.key)
                changed = {
                    col: content(cell)
                    for col, cell, was in zip(COLUMNS, it.cells, old or (), strict=False)
                    if cell != was
                }
                if changed:
                    table.set_cells(it.key, changed)
                    self.cells_painted += len(changed)
        self._cells = {it.key: it.cells for it in items}

    def on_resize(self) -> None:
        # The table's height decides between one row per request and groups.
        if self.state is not None:
            self.on_state()

    @staticmethod
    def _cursor_key(table: DataTable[str | Content]) -> str | None:
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    # -- user actions (called by the screen's bindings) ----------------------------------
    def open_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("-open")
        box.focus()

    def toggle_failed(self) -> None:
        self.failed_only = not self.failed_only
        self._order = []
        self.on_state()

    def refilter(self, text: str) -> None:
        self.query_text = text
        self._order = []
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
        key = event.row_key.value
        if key is not None:
            # A group row opens its newest request (the one whose time and id it shows).
            self.post_message(self.OpenTrace(self._request_of.get(key, key)))
