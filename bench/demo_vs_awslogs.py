"""A log line, from written to printed: `awslogs get --watch` vs `apigw-cockpit watch --headless`.

Both tools run at the same time against one simulated world (midnight-pager, speed 1) and
print every execution-log line they get. Marker requests go through the invoke URL with a
unique path (/orders/mk<hex>); the world writes their execution-log lines into its LogStore,
and a spy on the store records the wall time each marker line becomes visible to
FilterLogEvents (put time + the line's ingestion delay). Each tool's latency is the time from
then to the first line it prints that carries the marker (stdout read line by line here).

Clock note: `watch` uses the system clock, while the SimServer's clock starts at the scenario's
time, and midnight-pager's `start_time = "00:15"` puts it hours behind: `watch` would ask for
the last five minutes of *now* and see nothing. So the world here is midnight-pager with its
start moved to the current second (the story and the fault are unchanged, only the date of
"00:15"), which makes simulated time = system time. `awslogs -s` is given the same time.

awslogs is NOT installed in the project venv: make a throwaway venv first,
    python3 -m venv /tmp/awslogs-venv && /tmp/awslogs-venv/bin/pip install awslogs
(awslogs 0.15 has --aws-endpoint-url, used here; its boto3 also honours AWS_ENDPOINT_URL: checked
with `awslogs groups` against the sim. `awslogs --watch` re-runs the same FilterLogEvents from
the start time every --watch-interval (1 s), so its calls grow with the window.)

Run: .venv/bin/python bench/demo_vs_awslogs.py [--markers 8] [--awslogs /tmp/awslogs-venv/bin/awslogs]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from demo_startup import COCKPIT, SCENARIO, load_line

AWSLOGS = "/tmp/awslogs-venv/bin/awslogs"


class MarkerSpy:
    """Wraps LogStore.put_many: wall time at which each marker's first line is visible."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.visible: dict[str, float] = {}
        self.markers: set[str] = set()
        self.lock = threading.Lock()
        store = sim.world.logs
        put_many = store.put_many

        def spy(group: str, stream: str, events: Iterable[tuple[int, str]], delay: int = 0) -> None:
            events = list(events)
            wall, sim_now = time.time(), sim.clock.now()
            with self.lock:
                for ts_ms, msg in events:
                    for m in self.markers:
                        if m in msg:
                            # Invisible to FilterLogEvents until the simulated clock passes ts + delay.
                            late = max(0.0, (ts_ms + max(0, delay)) / 1000 - sim_now) / sim.clock.speed
                            at = wall + late
                            self.visible[m] = min(self.visible.get(m, at), at)
            put_many(group, stream, events, delay)

        store.put_many = spy

    def send(self, marker: str) -> None:
        with self.lock:
            self.markers.add(marker)
        url = f"{self.sim.invoke_url}/orders/{marker}"

        def get() -> None:
            # midnight-pager holds /orders for the 29 s timeout: fire and forget (bounded by timeout).
            with contextlib.suppress(Exception):
                urllib.request.urlopen(url, timeout=40).read()

        threading.Thread(target=get, daemon=True).start()


class Reader:
    """Reads a tool's stdout line by line and records when each marker first appears."""

    def __init__(self, name: str, proc: subprocess.Popen[bytes], spy: MarkerSpy) -> None:
        self.name, self.proc, self.spy = name, proc, spy
        self.seen: dict[str, float] = {}
        self.lines = 0
        self.first_line: float | None = None
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            now = time.time()
            self.lines += 1
            if self.first_line is None:
                self.first_line = now
            line = raw.decode("utf-8", "replace")
            for m in list(self.spy.markers):
                if m in line and m not in self.seen:
                    self.seen[m] = now


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markers", type=int, default=8, help="marker requests (default 8, 3-5 s apart)")
    ap.add_argument("--awslogs", default=AWSLOGS, help=f"awslogs executable (default {AWSLOGS})")
    args = ap.parse_args()
    if not Path(args.awslogs).exists():
        print(f"awslogs not found at {args.awslogs}: see this script's docstring to install it; skipped")
        return 0
    from apigw_cockpit.commands.demo import sim_environment
    from apigw_cockpit.demo.server import SimServer
    from apigw_cockpit.demo.world import load_scenario

    scenario = dataclasses.replace(load_scenario(SCENARIO), start=float(int(time.time())))
    print(f"{SCENARIO} moved to now, speed 1; {args.markers} markers; {load_line()}")
    with sim_environment(), SimServer(scenario, speed=1.0) as sim:
        spy = MarkerSpy(sim)
        group = f"API-Gateway-Execution-Logs_{sim.api_id}/{sim.stage}"
        env = {**os.environ, **sim.env(), "PYTHONUNBUFFERED": "1"}
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sim.clock.now() - 120))
        awslogs = subprocess.Popen(
            [args.awslogs, "get", group, "ALL", "--watch", "-s", start, "-G", "-S",
             "--aws-endpoint-url", sim.endpoint_url],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        ours = subprocess.Popen(
            [str(COCKPIT), "watch", "--api-id", sim.api_id, "--stage", sim.stage,
             "--endpoint-url", sim.endpoint_url, "--headless", "--json", "--duration", "300"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        readers = [Reader("awslogs get --watch", awslogs, spy), Reader("apigw-cockpit watch", ours, spy)]
        try:
            end = time.time() + 30
            while time.time() < end and not all(r.first_line for r in readers):
                if any(r.proc.poll() is not None for r in readers):
                    break
                time.sleep(0.1)
            time.sleep(3.0)  # past the first (backfill) reads
            markers = [f"mk{uuid.uuid4().hex[:12]}" for _ in range(args.markers)]
            rng = random.Random(7)
            for m in markers:
                spy.send(m)
                # Irregular gaps: markers land at different phases of both tools' poll loops.
                time.sleep(rng.uniform(3.0, 5.0))
            end = time.time() + 15
            while time.time() < end and not all(len(r.seen) == len(markers) for r in readers):
                time.sleep(0.1)
        finally:
            for r in readers:
                stop(r.proc)
        for r in readers:
            if r.proc.stderr is not None and r.first_line is None:
                err = r.proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
                print(f"  {r.name}: printed nothing; stderr: {' | '.join(err[-3:])}")
    print(
        f"  {'tool':22s} {'lines':>7s} {'got':>5s} {'median':>8s} {'worst':>8s} {'best':>8s}  per marker (s)"
    )
    for r in readers:
        lat = [r.seen[m] - spy.visible[m] for m in markers if m in r.seen and m in spy.visible]
        each = " ".join(f"{x:.2f}" for x in lat)
        if lat:
            print(f"  {r.name:22s} {r.lines:7d} {len(lat):3d}/{len(markers)} {statistics.median(lat):7.2f}s "
                  f"{max(lat):7.2f}s {min(lat):7.2f}s  {each}")  # fmt: skip
        else:
            print(f"  {r.name:22s} {r.lines:7d}   0/{len(markers)}")
    missing = [m for m in markers if m not in spy.visible]
    if missing:
        print(f"  {len(missing)} markers never reached the LogStore (the world did not log them)")
    print("  (budget: a log line on screen <= 1.5 s after it is written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
