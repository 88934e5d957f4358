"""`apigw-cockpit watch`: the cockpit against AWS, or `--headless` JSON lines of every update.

Headless output is one JSON object per line (shape in service/stream.py): the topology first,
then every update, and `{"type": "diagnosis", ...}` — the `check --json` object — whenever the
engine's answer changes.
Errors a user can act on are one line on stderr: exit 2 (unknown API/stage, bad flags),
exit 3 (credentials, endpoint, denied). Never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import sys
from typing import Any, TextIO

from apigw_cockpit.aws.feed import Feed, open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.config import load_settings
from apigw_cockpit.errors import CockpitError, ConfigError
from apigw_cockpit.model import Clock, SystemClock
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_FINDINGS, EXIT_USAGE
from apigw_cockpit.service.settings import aws_intervals, settings_from_args
from apigw_cockpit.service.stream import stream


async def headless(
    settings: AwsSettings, clock: Clock, out: TextIO, duration: float | None, **kw: Any
) -> int:
    feed = await open_feed(settings, clock, **kw)
    try:
        await stream(feed, out, duration)
    finally:
        await feed.aclose()
    return 0


async def _open_for_tui(settings: AwsSettings, clock: Clock) -> Feed:
    feed = await open_feed(settings, clock)
    # The app runs its own event loop: hand over a feed whose clients open lazily there.
    await feed.factory.release()
    return feed


_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)


def _error(exc: object) -> None:
    err_line(f"apigw-cockpit: error: {exc}")


def _tui_hook() -> Any:
    """`run_tui(args, feed, clock) -> int` from the UI layer, imported lazily (headless needs no Textual)."""
    from apigw_cockpit.ui.app import run_tui

    return run_tui


def _picker_hook() -> Any:
    """`pick(inventory) -> Pick | None` from the UI layer (the picker screen), imported lazily."""
    from apigw_cockpit.ui.picker import PickerApp

    return lambda inventory: PickerApp(inventory).run()


def _choose(args: argparse.Namespace, clock: Clock) -> int | None:
    """No API named: the front door. None to go on (args filled in), else the exit code."""
    if args.headless:
        from apigw_cockpit.service.target import require_target

        return require_target(args, "watch")
    from apigw_cockpit.commands.apis import inventory

    where = "every region" if getattr(args, "all_regions", False) else (args.region or "the default region")
    err_line(f"apigw-cockpit: listing the APIs of {where} (5XX over the last 15 minutes)…")
    try:
        inv = asyncio.run(inventory(args, clock))
    except CockpitError as exc:
        _error(exc)
        return exc.exit_code
    if not inv.apis:
        _error(f"no REST or HTTP API in {inv.region} (check --region){''.join('; ' + e for e in inv.errors)}")
        return EXIT_USAGE
    picked = _picker_hook()(inv)
    if picked is None:
        return 0  # the user quit the picker
    args.api_id, args.stage, args.region = picked.api_id, picked.stage, picked.region
    return None


def run(args: argparse.Namespace) -> int:
    clock: Clock = SystemClock()
    from apigw_cockpit.service.target import apply_url

    code = apply_url(args, "watch")
    if code is None and not (args.api_id and args.stage):
        code = _choose(args, clock)
    if code is not None:
        return code
    try:
        config = load_settings(args)
        intervals = aws_intervals(config)
    except ConfigError as exc:
        _error(exc)
        return EXIT_USAGE
    try:
        settings = dataclasses.replace(settings_from_args(args), intervals=intervals)
        if not settings.invoke_url and config.invoke_url:  # [verify] invoke_url: the probes' target
            settings = dataclasses.replace(settings, invoke_url=config.invoke_url)
        if args.headless:
            return asyncio.run(headless(settings, clock, sys.stdout, args.duration))
        feed = asyncio.run(_open_for_tui(settings, clock))
    except CockpitError as exc:
        _error(exc)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno in _OUTPUT_ERRNOS:
            raise  # stdout is full or gone: cli.main ends it in one line, exit 2
        _error(f"{type(exc).__name__}: {exc}")
        return 1
    except Exception as exc:  # a bug: one line + traceback file, exit 70
        from apigw_cockpit.crash import report_bug

        return report_bug(exc, "watch")
    try:
        run_tui = _tui_hook()
        return int(run_tui(args, feed, clock))
    except ImportError as exc:
        _error(f"the full-screen cockpit is not available ({exc}); use --headless")
        return EXIT_FINDINGS
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(feed.aclose())
