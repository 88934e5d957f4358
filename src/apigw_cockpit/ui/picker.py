"""The front door's picker: every API and stage, worst first; Enter opens the cockpit on one.

It only draws the inventory it is given (aws/inventory.py made it, one GetMetricData call): no
AWS call, no threshold of its own — the order is the inventory's. An HTTP API is listed (the
user must see it is there) but not opened: the cockpit diagnoses REST APIs only so far, and the
row says so instead of opening a cockpit that would answer `unknown REST API`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from apigw_cockpit.aws.inventory import Inventory
from apigw_cockpit.service.apis_table import HEADER, NO_STAGE, NUMERIC_FROM, rows


@dataclass(frozen=True)
class Pick:
    api_type: str
    api_id: str
    stage: str
    region: str


class PickerApp(App[Pick | None]):
    """`PickerApp(inventory).run()` → the chosen Pick, or None when the user quit."""

    TITLE = "apigw-cockpit"
    CSS = """
    #title { height: 1; padding: 0 1; text-style: bold; }
    #note { height: auto; padding: 0 1; color: $warning; }
    DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "open_row", "open"),
        Binding("q", "quit_picker", "quit"),
        Binding("escape", "quit_picker", "quit", show=False),
    ]

    def __init__(self, inventory: Inventory) -> None:
        super().__init__()
        self.inventory = inventory
        self._rows = rows(inventory)

    def compose(self) -> ComposeResult:
        where = "every region" if self.inventory.region == "all" else self.inventory.region
        yield Static(
            f"Which API is on fire? 5XX in the last 15 minutes, worst first ({where})",
            id="title",
            markup=False,
        )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="apis")
        yield Static("\n".join(self.inventory.errors), id="note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*HEADER)
        for i, row in enumerate(self._rows):
            cells = [Text(c, justify="right") if n >= NUMERIC_FROM else Text(c) for n, c in enumerate(row)]
            table.add_row(*cells, key=str(i))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        api_type, _name, api_id, region, stage, *_ = self._rows[int(str(event.row_key.value))]
        if api_type not in ("rest", "http"):  # WebSocket APIs: no 5XX story of this kind
            self.query_one("#note", Static).update(f"{api_id} is a {api_type} API: not diagnosed")
            self.bell()
            return
        if stage == NO_STAGE:
            self.query_one("#note", Static).update(f"{api_id} has no stage: nothing to watch")
            return
        self.exit(Pick(api_type, api_id, stage, region))

    def action_open_row(self) -> None:
        """Enter when the table does not have it (focus elsewhere): open the row under the cursor."""
        self.query_one(DataTable).action_select_cursor()

    def action_quit_picker(self) -> None:
        self.exit(None)
