"""Quit latency (issue 15): how long `q` (or Ctrl+C) takes to give the shell prompt back.

`apigw-cockpit demo` runs in a pseudo-terminal (pty + subprocess, nothing else). The script waits
until the cockpit is live (the clock's "LIVE" is drawn and a few seconds of polling have run, so
polls are in flight), sends the key, and measures from the key to:

- the terminal restored: the driver leaves the alternate screen (`ESC[?1049l`),
- the process exited: what the user waits for before the prompt returns.

Run: .venv/bin/python bench/quit_time.py [--runs N] [--key q|ctrl+c] [--when first-frame|live]
     [--settle S]
Prints numbers, asserts nothing (DESIGN section 9).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COCKPIT = ROOT / ".venv" / "bin" / "apigw-cockpit"
COLS, ROWS = 120, 36
KEYS = {"q": b"q", "ctrl+c": b"\x03"}
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def _read(fd: int, timeout: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the child closed its side
        return b""


def one_run(key: str, settle: float, scenario: str, when: str) -> tuple[float, float, float] | None:
    """(first frame s, key -> terminal restored s, key -> process exit s); None if it never drew."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "TERM": "xterm-256color", "XDG_STATE_HOME": state, "COLUMNS": str(COLS)}
        env.pop("NO_COLOR", None)
        start = time.monotonic()
        proc = subprocess.Popen(
            [str(COCKPIT), "demo", "--scenario", scenario],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        seen = b""
        first = None
        try:
            deadline = start + 60
            while time.monotonic() < deadline and first is None:
                seen = (seen + _read(master, 0.2))[-4096:]
                # The first frame is the start-up screen ("starting the simulated AWS world…").
                if (b"starting" in seen and when == "first-frame") or b"LIVE" in seen:
                    first = time.monotonic() - start
            if first is None:
                return None
            # Let the pollers run so that requests are in flight when the key arrives.
            end_settle = time.monotonic() + settle
            while time.monotonic() < end_settle:
                _read(master, 0.2)
            sent = time.monotonic()
            os.write(master, KEYS[key])
            restored = None
            tail = b""
            while proc.poll() is None and time.monotonic() - sent < 30:
                chunk = _read(master, 0.01)
                tail = (tail + chunk)[-64:]
                if restored is None and LEAVE_ALT_SCREEN in tail:
                    restored = time.monotonic() - sent
            proc.wait(timeout=30)
            exited = time.monotonic() - sent
            return first, (restored if restored is not None else float("nan")), exited
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--key", choices=sorted(KEYS), default="q")
    parser.add_argument(
        "--settle", type=float, default=0.0, help="seconds after the first frame (or LIVE) before the key"
    )
    parser.add_argument("--scenario", default="midnight-pager")
    parser.add_argument(
        "--when",
        choices=("first-frame", "live"),
        default="first-frame",
        help="send the key at the first frame (the world still starting) or once the cockpit is LIVE",
    )
    args = parser.parse_args()
    with open("/proc/loadavg") as fh:
        print(f"load average {fh.read().split()[0]} (1 min), {os.cpu_count()} CPUs")
    exits: list[float] = []
    for i in range(args.runs):
        got = one_run(args.key, args.settle, args.scenario, args.when)
        if got is None:
            print(f"run {i + 1}: the cockpit never drew its first frame")
            continue
        first, restored, exited = got
        exits.append(exited)
        print(
            f"run {i + 1}: first frame {first:.2f} s; `{args.key}` -> terminal restored {restored:.3f} s,"
            f" -> process exited (prompt back) {exited:.3f} s"
        )
    if exits:
        print(f"{args.key}: prompt back median {statistics.median(exits):.3f} s, worst {max(exits):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
