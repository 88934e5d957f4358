"""`watch` start-up against the standalone simulated server (issue 17): first frame, first pane.

The world runs in its own process (`python -m apigw_cockpit.demo.server`), as AWS would; the
cockpit is `apigw-cockpit watch` as a user runs it, in a 120x36 pseudo-terminal decoded by pyte
(the pty helpers of demo_startup.py). Per run, timed from the `watch` process start:

- first frame: the first non-empty screen (Python start-up and imports included);
- start-up screen: the screen saying "discovering API …" (discovery runs behind it);
- cockpit: the first screen after discovery (the start-up screen gone);
- first pane with data, and every pane with data (demo_startup.PANE_PATTERNS).

Goals (issue 17): first frame < 0.3 s; every pane < 2 s after discovery. Prints, asserts nothing.
Run: .venv/bin/python bench/watch_first_frame.py [--runs N] [--timeout S]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from demo_startup import COCKPIT, SCENARIO, PtyApp, load_line, panes_ready

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"


class SimProcess:
    """The standalone simulated server, started here and stopped by its own pid."""

    def __init__(self, scenario: str) -> None:
        self.proc = subprocess.Popen(
            [str(PYTHON), "-m", "apigw_cockpit.demo.server", "--scenario", scenario],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.endpoint = self.api_id = self.stage = ""
        self.env: dict[str, str] = {}
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # its banner, then a status line a second
            if m := re.match(r"endpoint\s+(\S+)", line):
                self.endpoint = m.group(1)
            elif m := re.match(r"api id\s+(\S+)\s+stage\s+(\S+)", line):
                self.api_id, self.stage = m.group(1), m.group(2)
            elif line.startswith("export "):
                self.env = dict(kv.split("=", 1) for kv in line.split()[1:])
            elif line.startswith("apigw-cockpit watch"):
                break
        if not (self.endpoint and self.api_id):
            self.stop()
            raise SystemExit("the simulated server did not start")
        # Drain its status lines so a full pipe never blocks it.
        self._drain = threading.Thread(target=self.proc.stdout.read, daemon=True)
        self._drain.start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        drain = getattr(self, "_drain", None)
        if drain is not None:
            drain.join(timeout=5)


def one_run(sim: SimProcess, timeout: float, cockpit: str) -> dict[str, float | None]:
    argv = [cockpit, "watch", "--api-id", sim.api_id, "--stage", sim.stage]
    argv += ["--endpoint-url", sim.endpoint, "--region", sim.env.get("AWS_DEFAULT_REGION", "us-east-1")]
    app = PtyApp(argv)
    got: dict[str, float | None] = dict.fromkeys(("startup", "cockpit", "first_pane", "all_panes"))
    first_pane = ""
    end = time.perf_counter() + timeout
    try:
        while time.perf_counter() < end and app.proc.poll() is None:
            app.pump(0.01)
            now = time.perf_counter() - app.t0
            text = "\n".join(app.screen.display)
            if got["startup"] is None and "discovering API" in text:
                got["startup"] = now
            if got["cockpit"] is None and got["startup"] is not None and "discovering API" not in text:
                got["cockpit"] = now
            ready = panes_ready(app.screen.display)
            if got["first_pane"] is None and any(ready.values()):
                got["first_pane"] = now
                first_pane = ",".join(k for k, v in ready.items() if v)
            if all(ready.values()):
                got["all_panes"] = now
                break
    finally:
        rc = app.stop()
    got["first_frame"] = app.first_frame
    print(
        f"  first frame {_s(app.first_frame)}  start-up screen {_s(got['startup'])}  "
        f"cockpit {_s(got['cockpit'])}  first pane {_s(got['first_pane'])} ({first_pane or '-'})  "
        f"every pane {_s(got['all_panes'])}  exit {rc}",
        flush=True,
    )
    return got


def _s(v: float | None) -> str:
    return "   -   " if v is None else f"{v:6.2f}s"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=30.0, help="per run, seconds")
    p.add_argument("--scenario", default=SCENARIO)
    p.add_argument(
        "--cockpit", default=str(COCKPIT), help="the apigw-cockpit to run (e.g. another checkout's)"
    )
    args = p.parse_args()
    print(load_line())
    t = time.perf_counter()
    sim = SimProcess(args.scenario)
    print(f"simulated server ({args.scenario}) up in {time.perf_counter() - t:.1f} s at {sim.endpoint}")
    os.environ.update(sim.env)  # its fake credentials and region, for the cockpit it spawns
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    results = []
    try:
        for i in range(args.runs):
            print(f"run {i + 1}/{args.runs}: apigw-cockpit watch, 120x36 pty", flush=True)
            results.append(one_run(sim, args.timeout, args.cockpit))
    finally:
        sim.stop()
    print("medians (seconds from `watch` process start):")
    for key in ("first_frame", "startup", "cockpit", "first_pane", "all_panes"):
        vals = [v for r in results if (v := r[key]) is not None]
        med = f"{statistics.median(vals):.2f} s" if vals else "-"
        span = f" (range {min(vals):.2f}–{max(vals):.2f})" if vals else ""
        print(f"  {key:12s} {med}{span}  [{len(vals)}/{len(results)} runs]")
    after = [r["all_panes"] - r["cockpit"] for r in results if r["all_panes"] and r["cockpit"]]
    if after:
        print(f"  every pane after discovery: median {statistics.median(after):.2f} s")
    print(load_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
