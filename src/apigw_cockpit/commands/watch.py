"""`apigw-cockpit watch`: the cockpit against AWS, or `--headless` JSON lines of every update.

Headless output is one JSON object per line (shape in service/stream.py): the topology first,
then every update, and `{"type": "diagnosis", ...}` — the `check --json` object — whenever the
engine's answer changes.
The TUI draws its start-up screen at once and discovers the stage behind it (ui/startup.py);
the panes fill as each source answers.
Errors a user can act on are one line on stderr: exit 2 (unknown API/stage, bad flags),
exit 3 (credentials, endpoint, denied) -- in the TUI printed once the app has left the screen.
Never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TextIO, Unpack

from apigw_cockpit import quick_exit
from apigw_cockpit.config import Settings, load_settings
from apigw_cockpit.errors import CockpitError, ConfigError
from apigw_cockpit.model import Clock, SystemClock
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_BUG, EXIT_FINDINGS, EXIT_USAGE

# aws/ (botocore, aiobotocore: ~0.5 s of imports) is imported where it is used, so the TUI's
# first frame is drawn before it (issue 17); `headless` imports it at once anyway.
if TYPE_CHECKING:
    from apigw_cockpit.aws.feed import Feed
    from apigw_cockpit.aws.inventory import Inventory
    from apigw_cockpit.aws.settings import AwsSettings
    from apigw_cockpit.aws.sources.base import PollerLimits
    from apigw_cockpit.ui.app import CockpitApp
    from apigw_cockpit.ui.picker import Pick
    from apigw_cockpit.ui.startup import FeedOpener, Opened


async def open_feed(settings: AwsSettings, clock: Clock, **kw: Unpack[PollerLimits]) -> Feed:
    """aws/'s discovery and pollers (ConfigError exit 2, AwsAccessError exit 3)."""
    from apigw_cockpit.aws.feed import open_feed as open_aws_feed

    return await open_aws_feed(settings, clock, **kw)


def aws_settings(args: argparse.Namespace, config: Settings) -> AwsSettings:
    """The aws/ settings from the flags and the config file's `[intervals]` and invoke_url."""
    from apigw_cockpit.service.settings import aws_intervals, settings_from_args

    settings = dataclasses.replace(settings_from_args(args), intervals=aws_intervals(config))
    if not settings.invoke_url and config.invoke_url:  # [verify] invoke_url: the probes' target
        settings = dataclasses.replace(settings, invoke_url=config.invoke_url)
    return settings


async def headless(
    settings: AwsSettings, clock: Clock, out: TextIO, duration: float | None, **kw: Unpack[PollerLimits]
) -> int:
    from apigw_cockpit.service.stream import stream

    feed = await open_feed(settings, clock, **kw)
    try:
        await stream(feed, out, duration)
    finally:
        await feed.aclose()
    return 0


_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)
# On the way out the feed's in-flight polls are not waited for longer than this.
CLOSE_BOUND_S = 0.5


def _error(exc: object) -> None:
    err_line(f"apigw-cockpit: error: {exc}")


def _tui_hook() -> Callable[[CockpitApp], Awaitable[object]]:
    """`drive(app) -> Awaitable`: how the built cockpit is run (tests drive it with Pilot)."""
    return lambda app: app.run_async()


class _StartFailed(Exception):
    """Opening failed in a way the app reports as one line and an exit code (ui/startup.failure)."""

    def __init__(self, line: str, exit_code: int) -> None:
        super().__init__(line)
        self.exit_code = exit_code


@dataclasses.dataclass
class _Opening:
    """What the opener leaves for `_tui` once the app has left: the feed to close, a bug to report."""

    feed: Feed | None = None
    bug: Exception | None = None


def _opener(args: argparse.Namespace, config: Settings, clock: Clock, opening: _Opening) -> FeedOpener:
    """The app's FeedOpener: aws/ settings, discovery and the journal, in the app's loop, behind
    the first frame."""

    async def opener(say: Callable[[str], None]) -> Opened:
        from apigw_cockpit.incident.sink import sink_for
        from apigw_cockpit.ui.startup import Opened

        read_only = bool(config.read_only)
        try:
            settings = aws_settings(args, config)
            feed = await open_feed(settings, clock)
            opening.feed = feed
            # Read-only views (serve's war room) watch; only the driving session keeps the record.
            journal = None if read_only else sink_for(getattr(args, "journal", None), feed.topology, clock)
        except CockpitError:
            raise  # unknown API (2), credentials / endpoint / denied (3): its own line and code
        except OSError as exc:
            raise _StartFailed(f"{type(exc).__name__}: {exc}", EXIT_FINDINGS) from exc
        except Exception as exc:
            opening.bug = exc  # reported after the app left the alternate screen: line + traceback file
            raise _StartFailed(f"{type(exc).__name__}: {exc}", EXIT_BUG) from exc
        return Opened(feed, clock, journal)

    return opener


def _discovering(args: argparse.Namespace) -> str:
    region = getattr(args, "region", None)
    where = f" in {region}" if region else ""
    return f"discovering API {args.api_id} stage {args.stage}{where}…"


async def _tui(args: argparse.Namespace, config: Settings, clock: Clock) -> int:
    """The cockpit at once on the start-up screen; discovery runs behind it (issue 17)."""
    try:
        from apigw_cockpit.ui.app import build_app
        from apigw_cockpit.ui.startup import finish
    except ImportError as exc:
        _error(f"the full-screen cockpit is not available ({exc}); use --headless")
        return EXIT_FINDINGS
    opening = _Opening()
    opener = _opener(args, config, clock, opening)
    app = build_app(config, None, None, opener=opener, starting=_discovering(args))
    try:
        await _tui_hook()(app)
    finally:
        if app.journal is not None:
            app.journal.close(app.signals.reason)  # no-op after unmount closed it
        if opening.feed is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(opening.feed.aclose(), CLOSE_BOUND_S)
    if opening.bug is not None:
        from apigw_cockpit.crash import report_bug

        return report_bug(opening.bug, "watch")
    code = finish(app)
    quick_exit.arm()  # journal and feed closed: the entry point may end the process at once
    return code


def _picker_hook() -> Callable[[Inventory], Pick | None]:
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
    if getattr(args, "url", None):
        from apigw_cockpit.service.target import apply_url

        code = apply_url(args, "watch")
        if code is not None:
            return code
    if not (args.api_id and args.stage):
        code = _choose(args, clock)
        if code is not None:
            return code
    try:
        config = load_settings(args)
    except ConfigError as exc:
        _error(exc)
        return EXIT_USAGE
    if not args.headless:
        # The first frame at once; flags, discovery and their errors come behind it.
        return asyncio.run(_tui(args, config, clock))
    try:
        settings = aws_settings(args, config)
        return asyncio.run(headless(settings, clock, sys.stdout, args.duration))
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
