"""Every command-line value checked in one place, before any command starts work.

argparse only knows types: `--speed 1e9`, `--headless inf`, `--port 99999` all parse. The
table below says, per (command, option), what a sane value is; `validate(args)` runs it
right after parsing, so a bad value is one line naming the flag and what is wrong, exit 2,
and nothing (a simulated world, a screenshot run, a server) has started yet.

Bounds are finite and generous but not absurd; each says why next to it. `serve`'s host and
port checks live here too (`serve_address`), so the serve command carries no copies.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import math
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


class UsageError(ValueError):
    """A bad command-line value: `str()` is one line naming the flag."""


Check = Callable[[str, object], None]


def number(lo: float, hi: float, *, lo_open: bool = False, unit: str = "") -> Check:
    """A finite number in [lo, hi] (or (lo, hi] with lo_open)."""

    def check(flag: str, value: object) -> None:
        if value is None:
            return
        what = f" ({unit})" if unit else ""
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise UsageError(f"{flag} {value!r}: must be a finite number{what}")
        if (value <= lo) if lo_open else (value < lo):
            bound = f"greater than {lo:g}" if lo_open else f"at least {lo:g}"
            raise UsageError(f"{flag} {value:g}: must be {bound}{what}")
        if value > hi:
            raise UsageError(f"{flag} {value:g}: must be at most {hi:g}{what}")

    return check


MIN_COLS, MAX_COLS = 40, 500  # 80x24 is the smallest usable; 500x200 is a wall of screens
MIN_ROWS, MAX_ROWS = 12, 200


def parse_size(text: str) -> tuple[int, int]:
    """`COLSxROWS` within sane bounds (9999x9999 took 73 s and 1.6 GB); ValueError otherwise."""
    m = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text.strip())
    if not m:
        raise ValueError(f"--size must look like 120x36, got {text!r}")
    cols, rows = int(m.group(1)), int(m.group(2))
    if not (MIN_COLS <= cols <= MAX_COLS and MIN_ROWS <= rows <= MAX_ROWS):
        raise ValueError(
            f"--size {text.strip()}: columns must be {MIN_COLS}..{MAX_COLS} and rows {MIN_ROWS}..{MAX_ROWS}"
        )
    return cols, rows


def size(flag: str, value: object) -> None:
    try:
        parse_size(str(value))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def port(flag: str, value: object) -> None:
    # 0 is the usual "any free port" (the server prints the one it got).
    if not isinstance(value, int) or not 0 <= value <= 65535:
        raise UsageError(f"{flag} {value}: must be a TCP port 0..65535 (0: any free port)")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text(max_len: int, pattern: str | None = None, hint: str = "") -> Check:
    """A non-empty string without control characters, optionally matching `pattern`."""
    rx = re.compile(pattern) if pattern else None

    def check(flag: str, value: object) -> None:
        if value is None:
            return
        s = str(value)
        if not s.strip():
            raise UsageError(f"{flag}: must not be empty")
        if _CONTROL.search(s):
            raise UsageError(f"{flag} {s!r}: contains control characters")
        if len(s) > max_len:
            raise UsageError(f"{flag}: longer than {max_len} characters")
        if rx is not None and not rx.fullmatch(s):
            raise UsageError(f"{flag} {s!r}: {hint}")

    return check


def endpoint_url(flag: str, value: object) -> None:
    if value is None:
        return
    s = str(value)
    try:
        parts = urlsplit(s)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise UsageError(f"{flag} {s!r}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(s):
        raise UsageError(f"{flag} {s!r}: not a URL (expected http(s)://host[:port])")


def out_file(flag: str, value: object) -> None:
    """A file we may write: regular (or absent) in an existing, writable directory."""
    if value is None:
        return
    from apigw_cockpit.safe_write import RefusedPath, writable_target

    try:
        writable_target(str(value))
    except RefusedPath as exc:
        raise UsageError(f"{flag} {exc}") from None


def scenario(flag: str, value: object) -> None:
    """The scenario must load (validated whole) before a world is started for it."""
    if value is None:
        return
    from apigw_cockpit.demo.world import ScenarioError, load_scenario

    try:
        load_scenario(str(value))
    except ScenarioError as exc:
        raise UsageError(f"{flag}: bad scenario: {exc}") from None


@dataclass(frozen=True)
class Rule:
    commands: tuple[str, ...]
    dest: str  # argparse dest
    check: Check

    @property
    def flag(self) -> str:
        return "--" + self.dest.replace("_", "-")


_ALL_AWS = ("watch", "check", "verify", "report", "serve", "apis")
_STAGE = r"[A-Za-z0-9_-]{1,128}"  # API Gateway stage names: alphanumerics, hyphen, underscore
_REGION = r"[a-z]{2}(-[a-z0-9]+)+-\d{1,2}"  # us-east-1, us-gov-west-1, eu-central-2

RULES: tuple[Rule, ...] = (
    # Simulated seconds per real second: at 240 the world already uses most of a core (bench/);
    # 1e9 pinned the CPU and ignored `q`.
    Rule(("demo",), "speed", number(0, 600, lo_open=True, unit="simulated seconds per second")),
    # One simulated day is the longest story a scenario tells.
    Rule(("demo",), "headless", number(0, 86_400, lo_open=True, unit="simulated seconds")),
    Rule(("watch",), "duration", number(0, 7 * 86_400, lo_open=True, unit="seconds")),
    Rule(("watch", "demo"), "refresh", number(0.05, 60, unit="seconds")),
    Rule(("screenshot",), "at", number(0, 3_600, unit="simulated seconds")),
    Rule(("screenshot",), "size", size),
    Rule(("verify",), "load", number(0, 10_000, unit="requests; the load test's own cap")),
    Rule(("serve",), "port", port),
    Rule(_ALL_AWS, "endpoint_url", endpoint_url),
    Rule(_ALL_AWS, "region", text(40, _REGION, "not an AWS region name (like us-east-1)")),
    Rule(_ALL_AWS, "api_id", text(1024)),
    Rule(_ALL_AWS, "stage", text(128, _STAGE, "stage names are letters, digits, '-' and '_'")),
    Rule(_ALL_AWS, "profile", text(256)),
    Rule(("watch", "check", "verify"), "url", text(2048)),
    Rule(("watch", "demo"), "theme", text(256)),
    Rule(("serve", "screenshot"), "scenario", scenario),
    Rule(("screenshot",), "out", out_file),
    Rule(("verify",), "k6", out_file),
    Rule(("watch", "demo", "check", "verify"), "journal", out_file),
)


_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def host(flag: str, value: object) -> None:
    """An IP literal or a well-formed host name; junk is refused here, without asking DNS."""
    text(253)(flag, value)
    name = str(value).strip("[]")
    try:
        ipaddress.ip_address(name)
        return
    except ValueError:
        pass
    labels = name.rstrip(".").split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise UsageError(f"{flag} {value!r}: cannot resolve (not an IP address or a host name)")
    if labels[-1].isdigit():
        raise UsageError(f"{flag} {value!r}: cannot resolve (not a valid IP address)")


def listen(host_name: str, port_number: int) -> socket.socket:
    """The listening socket `serve` uses, bound now so a bad or busy address is one line (exit 2)
    before anything starts."""
    name = host_name.strip("[]")
    try:
        infos = socket.getaddrinfo(name, port_number, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host_name!r}: cannot resolve ({exc})") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"--port {port_number}: already in use on {host_name}") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"--host {host_name!r}: not an address of this machine") from None
        if exc.errno == errno.EACCES:
            raise UsageError(
                f"--port {port_number}: permission denied (ports below 1024 need root)"
            ) from None
        raise UsageError(f"--host {host_name} --port {port_number}: cannot bind: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


def serve_address(host_name: str, port_number: int) -> None:
    """The address `serve` will bind: well-formed, resolvable, local, free (bound once, closed)."""
    host("--host", host_name)
    port("--port", port_number)
    listen(host_name, port_number).close()


def validate(args: argparse.Namespace) -> None:
    """Raise UsageError for the first bad value of `args.command`'s options."""
    command = getattr(args, "command", None)
    for rule in RULES:
        if command in rule.commands and hasattr(args, rule.dest):
            rule.check(rule.flag, getattr(args, rule.dest))
    if command == "serve":
        serve_address(args.host, args.port)
