"""Demo start-up (DESIGN section 9): first frame < 0.5 s, every pane populated < 2 s.

Two measurements on midnight-pager at 120x36:

1. `apigw-cockpit demo` as a user runs it, in a pseudo-terminal decoded by pyte: time from
   process start to the first non-empty screen, and to every pane showing data (a 5XX number,
   "n/m healthy" in targets, a 5xx request row in the execution log, a CloudTrail event name).
   This includes Python start-up, imports, the SimServer (moto + seed + 60 min backfill) and
   discovery, all of which happen before the app draws anything.
2. The same app (build_app, the real feed from open_feed) against a SimServer already started
   in this process: import / sim / discovery split out, then first frame (first bytes the
   driver writes that leave a non-empty screen) and all panes, timed from `run_async`.

Run: .venv/bin/python bench/demo_startup.py [--runs N]
The pty helpers here are reused by demo_idle.py and demo_soak.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[1]
COCKPIT = ROOT / ".venv" / "bin" / "apigw-cockpit"
COLS, ROWS = 120, 36
SCENARIO = "midnight-pager"

# What "this pane shows data" looks like on screen (midnight-pager: there are 5xx requests).
PANE_PATTERNS = {
    "5xx": re.compile(r"5XXError\s.*?\d[\d.,]*k?/min"),
    "targets": re.compile(r"\d+/\d+ healthy"),
    "log": re.compile(r"\d\d:\d\d:\d\d\s+[0-9a-f]{8}\s+.*\s5\d\d\s"),
    "changes": re.compile(r"\b(?:Authorize|Revoke|Update|Create|Delete|Put|Modify|Register)[A-Z]\w+"),
}


def panes_ready(lines: list[str]) -> dict[str, bool]:
    text = "\n".join(lines)
    return {name: bool(p.search(text)) for name, p in PANE_PATTERNS.items()}


def load_line() -> str:
    """Other work on the machine skews every number: print the load next to them."""
    with open("/proc/loadavg") as fh:
        one, five = fh.read().split()[:2]
    return f"load average {one} (1 min) {five} (5 min), {os.cpu_count()} CPUs"


class PtyApp:
    """A process in a pseudo-terminal of COLS x ROWS; its output is decoded by pyte and counted."""

    def __init__(self, argv: list[str], cols: int = COLS, rows: int = ROWS) -> None:
        import fcntl
        import struct
        import termios

        self.argv = argv
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes = 0
        self.first_frame: float | None = None  # seconds from spawn
        master, slave = os.openpty()
        # The size must be on the tty before the child asks for it.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.home = tempfile.TemporaryDirectory(prefix="apigw-bench-")
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            # A user's config, themes or journals must neither steer nor collect from the bench.
            "XDG_CONFIG_HOME": f"{self.home.name}/config",
            "XDG_STATE_HOME": f"{self.home.name}/state",
        }
        env.pop("NO_COLOR", None)
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.fd = master

    @property
    def pid(self) -> int:
        return self.proc.pid

    def pump(self, seconds: float, feed_screen: bool = True) -> int:
        """Read output for `seconds`; returns the bytes read. `feed_screen=False` only counts."""
        end = time.perf_counter() + seconds
        got = 0
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return got
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the child closed the tty
                return got
            if not data:
                return got
            got += len(data)
            self.bytes += len(data)
            if feed_screen:
                self.stream.feed(data)
                if self.first_frame is None and any(line.strip() for line in self.screen.display):
                    self.first_frame = time.perf_counter() - self.t0

    def wait_until(self, predicate: object, timeout: float) -> float | None:
        """Seconds from spawn until predicate(screen lines) holds, or None after `timeout`."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            self.pump(0.02)
            if predicate(self.screen.display):  # type: ignore[operator]
                return time.perf_counter() - self.t0
            if self.proc.poll() is not None:
                return None
        return None

    def stop(self) -> int | None:
        """SIGTERM (the app restores the terminal and exits 0), SIGKILL if it hangs; only our child."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            end = time.perf_counter() + 15
            while self.proc.poll() is None and time.perf_counter() < end:
                self.pump(0.05, feed_screen=False)  # keep draining: a full tty would block its exit
            if self.proc.poll() is None:
                self.proc.kill()
        rc = self.proc.wait(timeout=10)
        os.close(self.fd)
        self.home.cleanup()
        return rc


def demo_argv(*extra: str, scenario: str = SCENARIO) -> list[str]:
    return [str(COCKPIT), "demo", "--scenario", scenario, *extra]


def pty_run(timeout: float = 30.0) -> tuple[float | None, float | None, dict[str, float | None]]:
    app = PtyApp(demo_argv())
    each: dict[str, float | None] = dict.fromkeys(PANE_PATTERNS)
    all_at: float | None = None
    end = time.perf_counter() + timeout
    try:
        while time.perf_counter() < end and app.proc.poll() is None:
            app.pump(0.02)
            ready = panes_ready(app.screen.display)
            now = time.perf_counter() - app.t0
            for name, ok in ready.items():
                if ok and each[name] is None:
                    each[name] = now
            if all(ready.values()):
                all_at = now
                break
    finally:
        app.stop()
    return app.first_frame, all_at, each


# -- in-process: the app against an already started SimServer -------------------------------


async def _in_process_app(sim: object, timeout: float) -> dict[str, float | None]:
    from textual.drivers.headless_driver import HeadlessDriver

    from apigw_cockpit.aws.feed import open_feed
    from apigw_cockpit.commands.demo import sim_settings
    from apigw_cockpit.config import Settings
    from apigw_cockpit.ui.app import build_app

    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    marks: dict[str, float | None] = {"first_frame": None, "populated": None}
    t_run = 0.0

    class ScreenDriver(HeadlessDriver):
        """Renders as for a terminal (not headless) into a pyte screen instead of a tty."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            stream.feed(data)
            if marks["first_frame"] is None and any(line.strip() for line in screen.display):
                marks["first_frame"] = time.perf_counter() - t_run

    t = time.perf_counter()
    feed = await open_feed(sim_settings(sim, live_tail=False), sim.clock)  # type: ignore[attr-defined]
    marks["discovery"] = time.perf_counter() - t
    feed.apply_fix = sim.apply_fix  # type: ignore[attr-defined]
    app = build_app(Settings(), feed, sim.clock)  # type: ignore[attr-defined]
    app.driver_class = ScreenDriver

    async def drive(pilot: object) -> None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if all(panes_ready(screen.display).values()):
                marks["populated"] = time.perf_counter() - t_run
                break
            await asyncio.sleep(0.01)
        app.exit(0)

    try:
        t_run = time.perf_counter()
        await app.run_async(size=(COLS, ROWS), auto_pilot=drive)
    finally:
        await feed.aclose()
    return marks


def in_process_runs(runs: int, timeout: float = 20.0) -> None:
    t = time.perf_counter()
    from apigw_cockpit.commands.demo import sim_environment
    from apigw_cockpit.demo.server import SimServer
    from apigw_cockpit.ui.app import build_app  # noqa: F401  (Textual + the UI: part of the import cost)

    imports = time.perf_counter() - t
    print(f"in-process: import sim + aws + ui {imports:.2f} s (first time in this process)")
    rows = []
    for i in range(runs):
        with sim_environment():
            t = time.perf_counter()
            with SimServer(SCENARIO, speed=1.0) as sim:
                sim_s = time.perf_counter() - t
                marks = asyncio.run(_in_process_app(sim, timeout))
        rows.append({"sim": sim_s, **marks})
        ff, pop = marks["first_frame"], marks["populated"]
        print(
            f"  run {i + 1}: sim start {sim_s:5.2f} s  discovery {marks['discovery']:5.2f} s  "
            f"first frame {_ms(ff)}  all panes {_ms(pop)}  (from run_async)"
        )
    for key, label in (("first_frame", "first frame"), ("populated", "all panes populated")):
        vals = [v for r in rows if (v := r[key]) is not None]
        if vals:
            print(f"  median {label:22s} {statistics.median(vals) * 1000:6.0f} ms  (n={len(vals)})")
    sims = [v for r in rows if (v := r["sim"]) is not None]
    discs = [v for r in rows if (v := r["discovery"]) is not None]
    print(f"  median sim start {statistics.median(sims):.2f} s, discovery {statistics.median(discs):.2f} s")


def _ms(v: float | None) -> str:
    return "   never" if v is None else f"{v * 1000:6.0f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    args = ap.parse_args()
    print(f"apigw-cockpit demo --scenario {SCENARIO}, {COLS}x{ROWS}; {load_line()}")
    firsts, alls = [], []
    for i in range(args.runs):
        first, all_at, each = pty_run()
        detail = "  ".join(f"{k} {_ms(v).strip()}" for k, v in each.items())
        print(f"  pty run {i + 1}: first frame {_ms(first)}  all panes {_ms(all_at)}   ({detail})")
        if first is not None:
            firsts.append(first)
        if first is not None and all_at is not None:
            alls.append((all_at, all_at - first))
    if firsts:
        print(
            f"  median process start -> first frame   {statistics.median(firsts) * 1000:6.0f} ms (budget 500)"
        )
    if alls:
        to_all = statistics.median(a for a, _ in alls) * 1000
        after_first = statistics.median(d for _, d in alls) * 1000
        print(f"  median process start -> all panes     {to_all:6.0f} ms "
              f"(first frame -> all panes {after_first:.0f} ms; budget 2000)")  # fmt: skip
    in_process_runs(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
