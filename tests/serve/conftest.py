from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from apigw_cockpit.cli_values import listen
from apigw_cockpit.serve.guard import Guard, new_token
from apigw_cockpit.serve.server import CockpitServer, ServeConfig

from .helpers import TINY_ARGV


@pytest.fixture
async def tiny_server(tmp_path: Path) -> AsyncIterator[CockpitServer]:
    """The real server (routes, guard, hub, SharedApp, ViewerDriver) on a free loopback port,
    with the tiny app as its one cockpit process. `server.guard.port` is the port."""
    out = tmp_path / "out"
    out.mkdir()
    sock = listen("127.0.0.1", 0)
    guard = Guard(new_token(), "127.0.0.1", sock.getsockname()[1])
    config = ServeConfig(
        argv=TINY_ARGV, env=dict(os.environ, TINY_OUT=str(out)), size=(100, 30), max_viewers=2
    )
    server = CockpitServer(config, guard)
    runner = web.AppRunner(server.make_app(), access_log=None, shutdown_timeout=1)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield server
    finally:
        await runner.cleanup()
        sock.close()


@dataclass
class DemoServe:
    """`apigw-cockpit serve --scenario midnight-pager` run as a user runs it."""

    proc: subprocess.Popen[str]
    url: str
    state_dir: Path

    @property
    def host(self) -> str:
        return self.url.split("/")[2]

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]


@pytest.fixture(scope="session")
def demo_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServe]:
    home = tmp_path_factory.mktemp("serve-demo")
    env = dict(
        os.environ,
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    cmd = [sys.executable, "-m", "apigw_cockpit", "serve", "--scenario", "midnight-pager", "--port", "0"]
    err = (home / "serve.err").open("w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    assert proc.stdout is not None
    url = ""
    for _ in range(5):  # the URL is printed before the cockpit process starts
        line = proc.stdout.readline()
        if m := re.search(r"open: (http://\S+)", line):
            url = m[1]
            break
    assert url, f"no URL printed; stderr: {(home / 'serve.err').read_text()}"
    try:
        yield DemoServe(proc, url, home / "state")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()
