"""Argument parsing and wiring only. Each sub-command lives in `apigw_cockpit.commands.<name>`."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from apigw_cockpit import __version__
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)

SETTINGS_COMMANDS = frozenset({"watch", "demo", "screenshot"})  # commands that read config.toml


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (try --help)\n")


def _aws_options(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    g = p.add_argument_group("AWS target (flags > env > config file > defaults)")
    g.add_argument("--api-id", required=required, help="REST API id (or name)")
    g.add_argument("--stage", required=required, help="stage name")
    g.add_argument("--region", help="AWS region (default: from profile/env)")
    g.add_argument("--profile", help="AWS named profile")
    g.add_argument("--endpoint-url", help="AWS endpoint URL (default: $AWS_ENDPOINT_URL)")


def _url_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--url",
        metavar="URL",
        help="the URL from the alert: an execute-api host, a custom domain or a private API's vpce host;"
        " resolved to API + stage (+ route), printed in one line",
    )


def _region_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("AWS account (flags > env > defaults)")
    g.add_argument("--region", help="AWS region (default: from profile/env)")
    g.add_argument("--profile", help="AWS named profile")
    g.add_argument("--endpoint-url", help="AWS endpoint URL (default: $AWS_ENDPOINT_URL)")


def _invoke_url_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--invoke-url",
        metavar="URL",
        help="where probes go: a custom domain, a private API's vpce-… URL, the sim's loopback URL"
        " (default: [verify] invoke_url, else https://<api-id>.execute-api.<region>.amazonaws.com/<stage>)",
    )


def _journal_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--journal", help="incident journal path (default: XDG state dir)")


def _ui_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ascii", action="store_true", help="no box-drawing or braille characters")
    p.add_argument("--refresh", type=float, default=None, metavar="SECONDS", help="screen refresh interval")
    p.add_argument("--theme", help="theme name")
    p.add_argument("--live-tail", action="store_true", help="use CloudWatch Logs Live Tail for logs")
    p.add_argument(
        "--read-only",
        action="store_true",
        help="a viewer: no drill key, no journal written (what serve sets via APIGW_COCKPIT_READ_ONLY)",
    )
    p.add_argument(
        "--presenter",
        action="store_true",
        help="larger, high-contrast, identifiers redacted (what serve sets via APIGW_COCKPIT_PRESENTER)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="apigw-cockpit",
        description="A terminal incident cockpit for Amazon API Gateway 502s. Read-only against AWS.",
    )
    parser.add_argument("--version", action="version", version=f"apigw-cockpit {__version__}")
    parser.add_argument("--config", help="config file (default: $XDG_CONFIG_HOME/apigw-cockpit/config.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("watch", help="the full-screen cockpit against AWS (or $AWS_ENDPOINT_URL)")
    _aws_options(p)
    _ui_options(p)
    _journal_option(p)
    p.add_argument("--headless", action="store_true", help="no screen: print each update as a JSON line")
    p.add_argument("--json", action="store_true", help="with --headless: JSON lines (the default)")
    p.add_argument("--duration", type=float, default=None, help="with --headless: stop after SECONDS")
    _invoke_url_option(p)
    _url_option(p)
    p.add_argument(
        "--all-regions", action="store_true", help="with no --api-id: the picker lists every region"
    )

    p = sub.add_parser("demo", help="the cockpit on the embedded simulated AWS world")
    p.add_argument("--scenario", default="midnight-pager", help="scenario id (see `scenarios`)")
    p.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    p.add_argument(
        "--headless", type=float, default=None, metavar="SECONDS", help="no screen: run N simulated seconds"
    )
    p.add_argument("--json", action="store_true", help="with --headless: JSON output (the default)")
    p.add_argument(
        "--fix-at",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --headless: a drill; apply the scenario's fix SECONDS into the run",
    )
    _ui_options(p)
    _journal_option(p)

    p = sub.add_parser("check", help="run checks once and print findings")
    p.add_argument("checks", nargs="*", metavar="CHECK", help="check ids (default: all)")
    p.add_argument("--json", action="store_true", help="stable JSON output")
    _aws_options(p)
    _url_option(p)
    _journal_option(p)

    p = sub.add_parser("verify", help="run the verification checklist (exit 0 only if all pass)")
    p.add_argument("--since", help="fix time (ISO 8601, or relative: --since -10m)")
    p.add_argument("--load", type=int, default=0, metavar="N", help="bounded load test of N requests")
    p.add_argument(
        "--allow-remote-load", action="store_true", help="allow a load test to a non-loopback host"
    )
    p.add_argument("--confirm-test-invoke", action="store_true", help="allow TestInvokeMethod (V5)")
    p.add_argument(
        "--route",
        metavar='"METHOD /path"',
        help='probe this route (default: the one failing most; safe methods only), e.g. "POST /orders"',
    )
    p.add_argument(
        "--confirm-unsafe",
        action="store_true",
        help="allow probing a non-idempotent method (POST/PUT/PATCH/DELETE) named with --route",
    )
    _invoke_url_option(p)
    p.add_argument("--k6", metavar="FILE", help="also write an equivalent k6 script")
    p.add_argument("--json", action="store_true", help="stable JSON output")
    _aws_options(p)
    _url_option(p)
    _journal_option(p)

    p = sub.add_parser("apis", help="every REST and HTTP API with its stages' 5XX, worst first")
    p.add_argument("--json", action="store_true", help="stable JSON output")
    p.add_argument("--all-regions", action="store_true", help="every region API Gateway is offered in")
    _region_options(p)

    p = sub.add_parser("explain", help="classify execution-log or access-log lines read on stdin (offline)")
    p.add_argument("--json", action="store_true", help="stable JSON output")
    p.add_argument(
        "--access-format",
        metavar="FORMAT",
        help="the stage's access-log format string (accessLogSettings.format) its lines were written with",
    )

    p = sub.add_parser("report", help="write the incident postmortem from the journal")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("--out", help="output file (default: stdout)")
    _aws_options(p)
    _journal_option(p)

    p = sub.add_parser("scenarios", help="list the demo scenarios")
    p.add_argument("--json", action="store_true", help="stable JSON output")

    p = sub.add_parser("serve", help="one shared, view-only cockpit as a web page for the war room")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback only)")
    p.add_argument("--port", type=int, default=8000, help="port (0 = any free port)")
    p.add_argument("--size", default="160x48", help="COLSxROWS of the shared screen (default 160x48)")
    p.add_argument("--max-viewers", type=int, default=20, help="browsers at once (default 20)")
    p.add_argument("--presenter", action="store_true", help="larger, high-contrast, identifiers redacted")
    p.add_argument("--scenario", help="serve the demo world with this scenario instead of AWS")
    _aws_options(p)

    p = sub.add_parser("screenshot", help="save an SVG of the cockpit")
    p.add_argument("--scenario", default="midnight-pager")
    p.add_argument("--out", required=True, help="SVG file to write")
    p.add_argument("--size", default="120x36", help="COLSxROWS")
    p.add_argument("--at", type=float, default=None, metavar="SECONDS", help="simulated seconds to run first")
    return parser


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _output_failed(exc: OSError) -> int:
    """stdout could not be written: a reader that left (`| head`) is not an error; a full disk is."""
    _quiet_stdout()
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK
    err_line(f"apigw-cockpit: error: cannot write output: {exc.strerror or exc}")
    return EXIT_USAGE


# Options whose value may start with "-" (a relative time): argparse would read "-10m" as an
# unknown option, so `--since -10m` becomes `--since=-10m` before parsing.
_DASH_VALUE_OPTIONS = ("--since",)


def attach_dash_values(argv: Sequence[str]) -> list[str]:
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in _DASH_VALUE_OPTIONS:
            value = next(it, None)
            if value is None:
                out.append(arg)
            elif value.startswith("-") and value[1:2].isdigit():
                out.append(f"{arg}={value}")
            else:
                out += [arg, value]
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(attach_dash_values(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            parser.print_help()  # a script or a pipe: say what there is, do not open a screen
            return EXIT_USAGE
        # A person at a terminal: the front door (`watch` with no API: the picker).
        args = parser.parse_args(["watch"])
    from apigw_cockpit.logsetup import quiet_libraries

    quiet_libraries()
    from apigw_cockpit.cli_values import UsageError, validate
    from apigw_cockpit.config import load_settings
    from apigw_cockpit.errors import ConfigError

    try:
        validate(args)
        if args.command in SETTINGS_COMMANDS:
            # The config file and environment too, before a command imports its heavy
            # dependencies (botocore, Textual) or starts anything.
            load_settings(args)
    except (UsageError, ConfigError) as exc:
        err_line(f"apigw-cockpit {args.command}: error: {exc}")
        return EXIT_USAGE
    module = importlib.import_module(f"apigw_cockpit.commands.{args.command}")
    try:
        code = int(module.run(args))
        sys.stdout.flush()  # here, not at interpreter exit, so a full disk is reported
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (BrokenPipeError, ConnectionResetError) as exc:
        return _output_failed(exc)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EPIPE):
            return _output_failed(exc)
        if os.environ.get("APIGW_COCKPIT_DEBUG"):
            raise
        err_line(f"apigw-cockpit {args.command}: error: {exc}")
        return EXIT_USAGE
    except Exception as exc:  # the last net: a bug is one line + a traceback file, exit 70
        if os.environ.get("APIGW_COCKPIT_DEBUG"):
            raise
        from apigw_cockpit.crash import report_bug

        return report_bug(exc, args.command)
    if argv is None:  # the console script: a closed full-screen session ends here, at once
        from apigw_cockpit import quick_exit

        return quick_exit.leave(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
