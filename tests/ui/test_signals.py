"""SIGTERM / SIGHUP (a dropped SSH session) leave like `q`: exit 0 and the terminal restored."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

_APP = """
import sys
sys.path.insert(0, {here!r})  # the test doubles live beside the tests, not in the wheel
import fixtures
from apigw_cockpit.config import Settings
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui import build_app
app = build_app(Settings(), fixtures.midnight_pager(hold=True), FrozenClock(fixtures.NOW), theme_dirs=[])
app.start_theme_watcher = lambda: None
app.run()
sys.exit(app.return_code or 0)
"""

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    out = b""
    deadline = time.monotonic() + timeout
    while needle not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pty")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_exits_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    pid, fd = pty.fork()
    if pid == 0:  # child: the cockpit on a real (pseudo) terminal
        os.execve(sys.executable, [sys.executable, "-c", _APP.format(here=str(Path(__file__).parent))], env)
    try:
        started = _read_until(fd, b"RevokeSecurityGroupIngress", timeout=20)
        assert ALT_SCREEN_ON in started, "the app never drew"
        os.kill(pid, sig)
        rest = _read_until(fd, ALT_SCREEN_OFF, timeout=10)
        _, status = os.waitpid(pid, 0)
        assert ALT_SCREEN_OFF in rest, "alternate screen not left: terminal not restored"
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
