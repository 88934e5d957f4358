"""`apigw-cockpit watch`: the cockpit against AWS, or `--headless` JSON lines of every update.

Headless output is one JSON object per line, stable keys:
`{"type": "metrics"|"logs"|"target_health"|"changes"|"alarms"|"status", "source": …, "at": …, …}`
with the update's other fields as plain JSON (dataclasses → objects, tuples → arrays).
The first line is `{"type": "topology", …}` so a reader knows what is being watched.
Errors a user can act on are one line on stderr: exit 2 (unknown API/stage, bad flags),
exit 3 (credentials, endpoint, denied). Never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import enum
import errno
import os
import sys
import time
from typing import Any, TextIO

from apigw_cockpit import outbound
from apigw_cockpit.aws.errors import CockpitAwsError, ConfigError
from apigw_cockpit.aws.feed import Feed, open_feed
from apigw_cockpit.aws.settings import AwsSettings, Intervals
from apigw_cockpit.config import ConfigError as SettingsError
from apigw_cockpit.config import load_settings
from apigw_cockpit.model import (
    AlarmsUpdate,
    ChangesUpdate,
    Clock,
    LogsUpdate,
    MetricsUpdate,
    SourceStatus,
    SystemClock,
    TargetHealthUpdate,
    Update,
)

TYPES: dict[type, str] = {
    MetricsUpdate: "metrics",
    LogsUpdate: "logs",
    TargetHealthUpdate: "target_health",
    ChangesUpdate: "changes",
    AlarmsUpdate: "alarms",
    SourceStatus: "status",
}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_json_line(update: Update | Any) -> str:
    body = _plain(update)
    kind = TYPES.get(type(update), type(update).__name__.lower())
    if isinstance(update, MetricsUpdate):
        body["series"] = [{**_plain(s), "label": s.key.label} for s in update.series]
    # The one writer of headless lines, so the one place they are redacted: log lines carry
    # request headers, paths and bodies verbatim.
    return outbound.dumps({"type": kind, **body}, separators=(",", ":"), sort_keys=False)


def settings_from_args(args: argparse.Namespace) -> AwsSettings:
    if not getattr(args, "api_id", None) or not getattr(args, "stage", None):
        raise ConfigError("--api-id and --stage are required")
    return AwsSettings(
        api_id=args.api_id,
        stage=args.stage,
        region=getattr(args, "region", None),
        profile=getattr(args, "profile", None),
        endpoint_url=getattr(args, "endpoint_url", None),
        live_tail=bool(getattr(args, "live_tail", False)),
        invoke_url=getattr(args, "invoke_url", None) or None,
        # The standard AWS variable; our Config would otherwise override it.
        max_attempts=_int_env("AWS_MAX_ATTEMPTS", 4),
    )


def aws_intervals(settings: Any) -> Intervals:
    """Config `[intervals]` (config.Settings.intervals) as the pollers' periods; unknown names ignored."""
    known = {f.name for f in dataclasses.fields(Intervals)}
    given = {k: float(v) for k, v in dict(getattr(settings, "intervals", {}) or {}).items() if k in known}
    return dataclasses.replace(Intervals(), **given)


def _int_env(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        raise ConfigError(f"{name} must be an integer") from None


async def headless(
    settings: AwsSettings, clock: Clock, out: TextIO, duration: float | None, **kw: Any
) -> int:
    feed = await open_feed(settings, clock, **kw)
    try:
        await _stream(feed, out, duration)
    finally:
        await feed.aclose()
    return 0


async def _stream(feed: Feed, out: TextIO, duration: float | None) -> None:
    topo = feed.topology
    head = {"type": "topology", "source": "discovery", "at": clock_now(feed), "topology": _plain(topo)}
    out.write(outbound.dumps(head, separators=(",", ":")) + "\n")
    out.flush()
    deadline = None if duration is None else time.monotonic() + duration
    it = feed.updates().__aiter__()
    try:
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                update = await asyncio.wait_for(it.__anext__(), timeout)
            except (TimeoutError, StopAsyncIteration):
                return
            out.write(to_json_line(update) + "\n")
            out.flush()
    finally:
        await it.aclose()  # type: ignore[attr-defined]


def clock_now(feed: Feed) -> float:
    return feed.clock.now()


async def _open_for_tui(settings: AwsSettings, clock: Clock) -> Feed:
    feed = await open_feed(settings, clock)
    # The app runs its own event loop: hand over a feed whose clients open lazily there.
    await feed.factory.release()
    return feed


_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)


def _error(exc: object) -> None:
    print(f"apigw-cockpit: error: {exc}", file=sys.stderr)


def _tui_hook() -> Any:
    """`run_tui(args, feed, clock) -> int` from the UI layer, imported lazily (headless needs no Textual)."""
    try:
        from apigw_cockpit.ui import run_tui
    except ImportError:
        from apigw_cockpit.ui.app import run_tui
    return run_tui


def run(args: argparse.Namespace) -> int:
    clock: Clock = SystemClock()
    try:
        config = load_settings(args)
        intervals = aws_intervals(config)
    except SettingsError as exc:
        _error(exc)
        return 2
    try:
        settings = dataclasses.replace(settings_from_args(args), intervals=intervals)
        if not settings.invoke_url and config.invoke_url:  # [verify] invoke_url: the probes' target
            settings = dataclasses.replace(settings, invoke_url=config.invoke_url)
        if args.headless:
            return asyncio.run(headless(settings, clock, sys.stdout, args.duration))
        feed = asyncio.run(_open_for_tui(settings, clock))
    except CockpitAwsError as exc:
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
        return 1
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(feed.aclose())
