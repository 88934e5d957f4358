"""`apigw-cockpit screenshot --scenario X --out file.svg [--size 120x36] [--at SECONDS]`.

Runs the cockpit headless on the demo world, waits until every pane has data (or
`--at` simulated seconds have passed), writes the SVG and exits.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from apigw_cockpit import safe_write
from apigw_cockpit.cli_values import parse_size
from apigw_cockpit.commands.demo import open_demo_feed
from apigw_cockpit.config import load_settings
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.outbound import err_line

if TYPE_CHECKING:  # ui/ is imported in run(), after the demo-extra check
    from textual.pilot import Pilot

    from apigw_cockpit.ui.app import CockpitApp

POPULATE_TIMEOUT_S = 15.0


def _populated(app: CockpitApp) -> bool:
    s = app.state
    return bool(s.metrics) and bool(s.rows or s.targets) and bool(s.sources)


def run(args: argparse.Namespace) -> int:
    try:
        size = parse_size(args.size)
        settings = load_settings(args)
    except (ValueError, ConfigError) as exc:
        err_line(f"apigw-cockpit screenshot: error: {exc}")
        return 2
    from apigw_cockpit.extras import require_demo_extra

    refused = require_demo_extra("screenshot")
    if refused is not None:
        return refused
    try:  # before the world starts: a directory, FIFO or unwritable --out is refused now
        safe_write.writable_target(args.out)
    except safe_write.RefusedPath as exc:
        err_line(f"apigw-cockpit screenshot: error: cannot write --out {exc}")
        return 2
    out = Path(args.out)
    from apigw_cockpit.ui.app import build_app

    failed: list[str] = []
    with open_demo_feed(args.scenario, speed=1.0) as (feed, clock):
        app = build_app(settings, feed, clock)
        app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
        start = clock.now()

        async def pilot_fn(pilot: Pilot[object]) -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + POPULATE_TIMEOUT_S
            at = args.at or 0.0
            while loop.time() < deadline and not (_populated(app) and clock.now() - start >= at):
                await pilot.pause(0.05)
            await app.engine.settled()  # the picture shows the engine's answer on this data
            app.tick()
            await pilot.pause()
            try:  # regular files only, atomic, 0600 (safe_write)
                safe_write.write_text(out, app.export_screenshot())
            except OSError as exc:
                failed.append(str(exc))
                app.exit(2)
                return
            app.exit(0)

        app.run(headless=True, size=size, auto_pilot=pilot_fn)
    if failed:
        err_line(f"apigw-cockpit screenshot: error: cannot write --out: {failed[0]}")
        return 2
    print(str(out))
    return 0
