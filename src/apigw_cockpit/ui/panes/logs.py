"""The execution-log stream: one line per request (time, id, method/path, status, verdict).

Above the table, a per-route summary (route_summary: requests/min, 5XX/min and share, status
mix, p99, the engine's verdict); below it, failures only by default; in a storm identical
failures merge into one row with a ×N count (see log_rows). With execution logging off the
pane says so in its title and body instead of looking like "no failures". `/` filters;
`enter` opens the whole trace; while paused the table freezes but the bounded buffer keeps
filling (overflow shows as "dropped N").
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from apigw_cockpit.ui.panes.log_rows import (
    COLUMNS,
    IN_FLIGHT_KEY,
    Item,
    QuietTable,
    Spec,
    content,
    grouped,
    per_request,
)
from apigw_cockpit.ui.panes.route_summary import RouteLine, logging_off, summarize, turn_on_hint
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.state import LogRow
from apigw_cockpit.ui.view import Glyphs, Pane, same_drawing

MIX_WIDTH = 16  # columns of the route summary's status mix ("504×375 200×12")
MAX_ROWS_SHOWN = 120  # the buffer is larger (and `/` searches all of it); a human reads the top screenful
FIT_BEFORE_LAYOUT = 20


class LogPane(Pane):
    # metrics and topology: the route summary's per-method rates and routes come from them.
    AREAS = ("logs", "pause", "verdicts", "metrics", "topology")

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
        self.route_lines: list[RouteLine] | None = None  # the summary's last lines (the screen sizes it)
        self.rows_painted = 0  # rows (re)added to the table: full repaints, for tests and benches
        self.cells_painted = 0  # single cells rewritten in place

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter (request id, path, verdict, text): enter to apply, esc to clear",
            id="log-filter",
        )
        yield Static(id="log-off")
        yield Static(id="route-summary")
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
        topo = self.state.topology if self.state is not None else None
        http = topo is not None and topo.is_http
        log = "access log" if topo is not None and topo.access_is_request_log else "execution log"
        what = ("5XX" if http else "Execution failed") if self.failed_only else "all requests"
        flt = f" /{clean(self.query_text)}" if self.query_text else ""
        title = f"{log} ({what}){flt}"
        if self.state is not None and logging_off(self.state.topology):
            title = f"{log}: OFF, no log evidence"
        # Setting a border title repaints the whole pane region: only do it when it changes.
        if self.border_title != title:
            self.border_title = title
        s = self.state
        parts = []
        if s is not None and s.paused:
            parts.append("PAUSED")
        if s is not None and s.dropped:  # what was dropped, not just a number (help says more)
            parts.append(f"dropped {s.dropped:,} (over the buffer)")
        self._subtitle(f" {self.view.glyphs.sep} ".join(parts))

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
        self._banner()
        self._summary()
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
            g = self.view.glyphs
            items = grouped(matching, s.verdict_of, cleaned, self._rank, g.times, g.ellipsis)
            items = items[:MAX_ROWS_SHOWN]
        else:
            self._rank.clear()
            items = per_request(matching[:MAX_ROWS_SHOWN], s.verdict_of, cleaned, self.view.glyphs.ellipsis)
        self._show(items)

    def _banner(self) -> None:
        """Logging off: say it loudly, with the fix, instead of an empty table that reads as calm."""
        assert self.state is not None
        box = self.query_one("#log-off", Static)
        why = logging_off(self.state.topology)
        box.set_class(bool(why), "-on")
        if why:
            text = Content.assemble(
                (f"{why} {self.view.glyphs.dash} no log evidence; ", "$error bold"),
                ("turn it on: ", "bold"),
                clean(turn_on_hint(self.state.topology), presenter=self.view.presenter),
            )
            if str(box.content) != str(text):
                box.update(text)

    def _summary(self) -> None:
        """The per-route lines above the table (its height is the screen layout's: 0 hides it)."""
        assert self.state is not None
        box = self.query_one("#route-summary", Static)
        lines = self.route_lines = summarize(self.state, self.view.now)
        text = summary_content(lines, self.view.glyphs, self.view.presenter)
        if same_drawing(box.content, text):
            return
        # Its height is the screen plan's; a layout pass (which repaints the pane) only when
        # the number of lines changes, not for a new count in a line.
        height = str(text).count("\n")
        box.update(text, layout=height != str(box.content).count("\n"))

    def _fit(self) -> int:
        """Rows the table shows without scrolling (a guess until it has been laid out)."""
        height = self.query_one(QuietTable).size.height - 1  # the header row
        return height if height > 0 else FIT_BEFORE_LAYOUT

    def _show(self, items: list[Item]) -> None:
        """Put `items` on screen, repainting as little as possible."""
        table = self.query_one(QuietTable)
        keys = [it.key for it in items]
        if self._order[-1:] == [IN_FLIGHT_KEY] and keys == self._order[:-1]:
            # The in-flight row comes and goes with every batch (new lines wait for the engine's
            # next answer); removing it would rebuild the table, repainting every row (issue 17).
            # So it stays, blank, until the rows above it change.
            items = [*items, Item(IN_FLIGHT_KEY, "", (("", ""),) * len(COLUMNS))]
            keys = [*keys, IN_FLIGHT_KEY]
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
        # A group row opens its newest request (the one whose time and id it shows); the blank
        # in-flight row opens nothing.
        request = self._request_of.get(key, key) if key is not None else ""
        if request:
            self.post_message(self.OpenTrace(request))


def _rate(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 10 or value == 0 else f"{value:.1f}"


def summary_content(lines: list[RouteLine], g: Glyphs, presenter: bool = False) -> Content:
    """`route  req/m  5XX/m  share  p99  status mix  verdict`, one route per line; the rates'
    source (per-method metrics or the logs) is named in the header."""
    if not any(ln.source for ln in lines):
        return Content("")  # nothing measured per route (no logs, no detailed metrics): no table of dashes
    width = max(12, *(len(ln.route) for ln in lines))
    mixes = [ln.mix.replace("×", g.times) for ln in lines]
    mix_w = max(len("status 5m"), min(MIX_WIDTH, max(len(m) for m in mixes)))
    source = {ln.source for ln in lines if ln.source}
    where = "rates: metrics 1m" if source == {"metrics"} else "rates: logs 5m"
    out = [
        Content.styled(
            f"{'route':<{width}} {'req/m':>5} {'5XX/m':>5} {'share':>5} {'p99':>5}"
            f"   {'status 5m':<{mix_w}}  verdict {g.sep} {where}",
            "$text-muted bold",
        )
    ]
    for ln, mix in zip(lines, mixes, strict=True):
        failing = bool(ln.errors_per_min) or bool(ln.verdict)
        share = f"{ln.share:.0%}" if ln.share is not None else "-"
        p99 = f"{ln.p99_ms / 1000:.1f}s" if ln.p99_ms is not None else "-"
        mark = (g.bad, "$error bold") if failing else ((g.ok, "$success") if ln.source else (" ", ""))
        if len(mix) > mix_w:  # the commonest statuses first; the rest is in the table below
            mix = mix[: mix_w - 1].rsplit(" ", 1)[0] + "+"
        out.append(
            Content.assemble(
                (f"{clean(ln.route, presenter=presenter):<{width}} ", "bold" if failing else ""),
                f"{_rate(ln.per_min):>5} ",
                (f"{_rate(ln.errors_per_min):>5} {share:>5} ", "$error" if failing else ""),
                f"{p99:>5}  ",
                mark,
                (f" {mix:<{mix_w}}", "$text-muted"),
                (f"  {clean(ln.verdict)}" if ln.verdict else "", "$error" if failing else ""),
            )
        )
    return Content("\n").join(out)
