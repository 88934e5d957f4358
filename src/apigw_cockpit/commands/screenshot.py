"""`apigw-cockpit screenshot --scenario X --out file.svg [--size 120x36] [--at SECONDS]`.

Runs the cockpit headless on the demo world, waits until every pane has data (or
`--at` simulated seconds have passed), writes the SVG and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apigw_cockpit import safe_write
from apigw_cockpit.cli_values import parse_size
from apigw_cockpit.config import ConfigError, load_settings

POPULATE_TIMEOUT_S = 15.0


@contextlib.contextmanager
def _demo_feed(scenario: str, speed: float) -> Iterator[tuple[Any, Any]]:
    """`commands.demo.open_demo_feed(scenario, speed)` → context manager of (feed, clock);
    falls back to the built-in fixture feed, and says so, if the demo wiring is absent."""
    try:
        from apigw_cockpit.commands.demo import open_demo_feed  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        from apigw_cockpit.model import FrozenClock
        from apigw_cockpit.ui import fixtures

        print(
            "apigw-cockpit screenshot: note: demo feed unavailable; using the built-in fixture",
            file=sys.stderr,
        )
        feed = fixtures.healthy() if scenario == "healthy" else fixtures.midnight_pager()
        yield feed, FrozenClock(fixtures.NOW)
        return
    with open_demo_feed(scenario, speed) as opened:
        yield opened


def _populated(app: Any) -> bool:
    s = app.state
    return bool(s.metrics) and bool(s.rows or s.targets) and bool(s.sources)


def run(args: argparse.Namespace) -> int:
    try:
        size = parse_size(args.size)
        settings = load_settings(args)
    except (ValueError, ConfigError) as exc:
        print(f"apigw-cockpit screenshot: error: {exc}", file=sys.stderr)
        return 2
    from apigw_cockpit.commands.demo_extra import require_demo_extra

    refused = require_demo_extra("screenshot")
    if refused is not None:
        return refused
    try:  # before the world starts: a directory, FIFO or unwritable --out is refused now
        safe_write.writable_target(args.out)
    except safe_write.RefusedPath as exc:
        print(f"apigw-cockpit screenshot: error: cannot write --out {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    from apigw_cockpit.ui.app import build_app

    failed: list[str] = []
    with _demo_feed(args.scenario, speed=1.0) as (feed, clock):
        app = build_app(settings, feed, clock)
        app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
        start = clock.now()

        async def pilot_fn(pilot: Any) -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + POPULATE_TIMEOUT_S
            at = args.at or 0.0
            while loop.time() < deadline and not (_populated(app) and clock.now() - start >= at):
                await pilot.pause(0.05)
            app.state.maybe_diagnose(clock.now(), mono=float("inf"))
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
        print(f"apigw-cockpit screenshot: error: cannot write --out: {failed[0]}", file=sys.stderr)
        return 2
    print(str(out))
    return 0
