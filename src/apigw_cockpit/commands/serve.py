"""`apigw-cockpit serve`: ONE shared, look-only cockpit for every browser in the war room.

Everything the user can get wrong is checked before anything starts (scenario, config, port,
host, size, viewer limit, the port being free): one line on stderr, exit 2. Then the socket
is bound, the single cockpit process is started and the URL with its token is printed.
See `apigw_cockpit.serve` for the parts and docs/SERVE.md for the security model.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import re
import signal
import socket
import sys
from pathlib import Path

from apigw_cockpit import cli_values
from apigw_cockpit.cli_values import UsageError
from apigw_cockpit.outbound import SafeFormatter, err_line
from apigw_cockpit.serve.guard import Guard, is_loopback, new_token

__all__ = ["is_loopback", "run"]

EXIT_USAGE = 2
PROG = "apigw-cockpit serve"
SIZE_RANGE = ((60, 400), (20, 150))  # cols, rows: 80×24 is usable, a wall screen is ~250×70
VIEWERS_RANGE = (1, 200)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{1,4})\s*[xX×]\s*(\d{1,4})\s*", text or "")
    (cmin, cmax), (rmin, rmax) = SIZE_RANGE
    if not m:
        raise UsageError(f"--size must be COLSxROWS like 160x48, got {text!r}")
    cols, rows = int(m[1]), int(m[2])
    if not (cmin <= cols <= cmax and rmin <= rows <= rmax):
        raise UsageError(f"--size {cols}x{rows} is out of range ({cmin}-{cmax} x {rmin}-{rmax})")
    return cols, rows


def served_command(args: argparse.Namespace) -> list[str]:
    """The one cockpit process: the demo world or `watch` against AWS, read-only either way."""
    base = [sys.executable, "-m", "apigw_cockpit"]
    if getattr(args, "config", None):
        base += ["--config", str(Path(args.config).resolve())]
    flags = ["--read-only", *(["--presenter"] if args.presenter else [])]
    if args.scenario:
        scenario = args.scenario
        if Path(scenario).exists():  # a scenario file: the child may not share our cwd assumptions
            scenario = str(Path(scenario).resolve())
        return [*base, "demo", "--scenario", scenario, *flags]
    cmd = [*base, "watch", *flags]
    for flag in ("api_id", "stage", "region", "profile", "endpoint_url"):
        value = getattr(args, flag, None)
        if value:
            cmd += [f"--{flag.replace('_', '-')}", str(value)]
    return cmd


def _validate(args: argparse.Namespace) -> tuple[tuple[int, int], int]:
    if not args.scenario and not (args.api_id and args.stage):
        raise UsageError("give --scenario, or --api-id and --stage")
    cli_values.port("--port", args.port)  # the one port and host validators (cli_values.py)
    lo, hi = VIEWERS_RANGE
    if not lo <= args.max_viewers <= hi:
        raise UsageError(f"--max-viewers must be {lo}-{hi}, got {args.max_viewers}")
    size = parse_size(args.size)
    cli_values.host("--host", args.host)
    if args.scenario:
        from apigw_cockpit.extras import INSTALL, missing_demo_modules

        missing = missing_demo_modules()
        if missing:
            needed = ", ".join(missing)
            raise UsageError(
                f"the simulated AWS world needs the demo extra ({needed} not installed): {INSTALL}"
            )
        from apigw_cockpit.commands.scenarios import load_or_exit

        load_or_exit(args.scenario)  # one line and exit 2 for an unknown or broken scenario
    from apigw_cockpit.config import load_settings
    from apigw_cockpit.errors import ConfigError

    try:
        load_settings(args)  # the cockpit would refuse it after start; refuse it before serving
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return size, args.max_viewers


def _logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("%(asctime)s serve: %(message)s", "%H:%M:%S"))
    log = logging.getLogger("apigw_cockpit.serve")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


async def _serve(args: argparse.Namespace, size: tuple[int, int], sock: socket.socket) -> int:
    from apigw_cockpit.serve.server import CockpitServer, ServeConfig, serve_forever

    port = sock.getsockname()[1]
    guard = Guard(new_token(), args.host, port)
    what = f"demo {args.scenario}" if args.scenario else f"{args.api_id} stage {args.stage}"
    config = ServeConfig(
        argv=served_command(args),
        env=dict(os.environ),
        size=size,
        max_viewers=args.max_viewers,
        title=f"apigw-cockpit · {what}",
    )
    server = CockpitServer(config, guard)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, server.ended.set)
    print(
        f"{PROG}: one shared cockpit ({what}) at {size[0]}x{size[1]}, view only, "
        f"up to {args.max_viewers} viewers\n  open: {guard.page_url()}\n  Ctrl+C to stop",
        flush=True,
    )
    return await serve_forever(server, sock)


def preflight(args: argparse.Namespace) -> tuple[tuple[int, int], socket.socket, list[str]]:
    """Every check that can fail, then the bound socket: (size, socket, warnings). UsageError else."""
    size, _ = _validate(args)
    sock = cli_values.listen(args.host, args.port)
    warnings = []
    if not is_loopback(args.host):
        warnings.append(
            f"{args.host} is not loopback: anyone who can reach it and has the URL (with its "
            "token) sees the cockpit; prefer an SSH tunnel to 127.0.0.1"
        )
    return size, sock, warnings


def run(args: argparse.Namespace) -> int:
    try:
        size, sock, warnings = preflight(args)
    except UsageError as exc:
        err_line(f"{PROG}: error: {exc}")
        return EXIT_USAGE
    for line in warnings:
        err_line(f"{PROG}: warning: {line}")
    _logging()
    try:
        return asyncio.run(_serve(args, size, sock))
    finally:
        sock.close()
