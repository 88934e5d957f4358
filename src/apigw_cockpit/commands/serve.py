"""`apigw-cockpit serve`: the cockpit as a web page (textual-serve), loopback unless told otherwise."""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_command(args: argparse.Namespace) -> list[str]:
    """The command each browser session runs: the demo world or `watch` against AWS."""
    base = [sys.executable, "-m", "apigw_cockpit"]
    if getattr(args, "config", None):
        base += ["--config", args.config]
    if args.scenario:
        return [*base, "demo", "--scenario", args.scenario]
    cmd = [*base, "watch"]
    for flag in ("api_id", "stage", "region", "profile", "endpoint_url"):
        value = getattr(args, flag, None)
        if value:
            cmd += [f"--{flag.replace('_', '-')}", str(value)]
    return cmd


def run(args: argparse.Namespace) -> int:
    if not args.scenario and not (args.api_id and args.stage):
        print("apigw-cockpit serve: error: give --scenario, or --api-id and --stage", file=sys.stderr)
        return 2
    if args.scenario:
        from apigw_cockpit.commands.demo_extra import require_demo_extra

        refused = require_demo_extra("serve --scenario")
        if refused is not None:
            return refused
    if not is_loopback(args.host):
        print(
            f"apigw-cockpit serve: warning: {args.host} is not loopback: "
            "anyone who can reach it sees the cockpit",
            file=sys.stderr,
        )
    # The served sessions are read-only war-room views; the flags travel by environment
    # because the spawned command's parser has no such options.
    os.environ["APIGW_COCKPIT_READ_ONLY"] = "1"
    if args.presenter:
        os.environ["APIGW_COCKPIT_PRESENTER"] = "1"
    from textual_serve.server import Server

    command = shlex.join(served_command(args))
    Server(command, host=args.host, port=args.port, title="apigw-cockpit").serve()
    return 0
