"""`apigw-cockpit apis [--json] [--all-regions]`: every REST and HTTP API, worst first.

The front door's first question — which API is on fire — answered from one GetMetricData call
(5XX and request counts of every stage over the last 15 minutes). `--json` (stable): a list of
`{"api_type": "rest"|"http"|"websocket", "id", "name", "region", "endpoint_type", "stages":
[{"name", "errors_5xx", "requests", "rate_5xx"}], "errors": [...]}`, worst first. Listings that
failed are one line each on stderr; exit 3 when nothing could be listed.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TextIO

from apigw_cockpit.aws.inventory import Inventory, entry_json, list_all_regions, list_apis, regions_of
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.commands.output import emit, write_json
from apigw_cockpit.errors import CockpitError
from apigw_cockpit.model import Clock, SystemClock
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.apis_table import HEADER, NUMERIC_FROM, rows
from apigw_cockpit.service.exits import EXIT_OK


def factory_for(args: argparse.Namespace, clock: Clock) -> ClientFactory:
    """A client factory for account-wide reads (no API chosen yet)."""
    settings = AwsSettings(
        api_id="",
        stage="",
        region=getattr(args, "region", None),
        profile=getattr(args, "profile", None),
        endpoint_url=getattr(args, "endpoint_url", None),
    )
    return ClientFactory(settings, clock)


async def inventory(args: argparse.Namespace, clock: Clock) -> Inventory:
    factory = factory_for(args, clock)
    try:
        if getattr(args, "all_regions", False):
            return await list_all_regions(factory, clock.now(), regions_of(factory.region))
        return await list_apis(factory, clock.now())
    finally:
        await factory.aclose()


def render_text(inv: Inventory, out: TextIO) -> None:
    if not inv.apis:
        out.write(f"no REST or HTTP API in {'any region' if inv.region == 'all' else inv.region}\n")
        return
    table = [HEADER, *rows(inv)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    for r in table:
        cells = (
            c.rjust(w) if i >= NUMERIC_FROM else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        out.write("  ".join(cells).rstrip() + "\n")
    out.write(f"(5XX and requests over the last {inv.window_s / 60:.0f} minutes, worst first)\n")


def inventory_json(inv: Inventory) -> list[dict[str, object]]:
    return [entry_json(a) for a in inv.apis]


def run(args: argparse.Namespace) -> int:
    try:
        inv = asyncio.run(inventory(args, SystemClock()))
    except CockpitError as exc:
        err_line(f"apigw-cockpit apis: {exc}")
        return exc.exit_code
    for err in inv.errors:
        err_line(f"apigw-cockpit apis: {err}")
    emit(write_json(inventory_json(inv)) if args.json else lambda out: render_text(inv, out))
    return EXIT_OK
