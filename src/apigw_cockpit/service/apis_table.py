"""The API inventory as table rows: one row per stage, worst first — `apis` and the picker alike."""

from __future__ import annotations

from apigw_cockpit.aws.inventory import Inventory

HEADER = ("TYPE", "API", "ID", "REGION", "STAGE", "5XX", "REQUESTS", "RATE")  # over 15 minutes
NUMERIC_FROM = 5  # columns from here on are right-aligned numbers
NO_STAGE = "(no stage)"


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _n(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}"


def rows(inv: Inventory) -> list[tuple[str, ...]]:
    """One row per stage (an API without stages gets one row), in the inventory's order."""
    out: list[tuple[str, ...]] = []
    for api in inv.apis:
        head = (api.api_type, api.name, api.id, api.region)
        for s in api.stages:
            out.append((*head, s.name, _n(s.errors_5xx), _n(s.requests), _pct(s.rate)))
        if not api.stages:
            out.append((*head, NO_STAGE, "-", "-", "-"))
    return out
