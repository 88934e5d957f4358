"""A real terminal for end-to-end tests: a child process on a pseudo-terminal, rendered by pyte.

    with PtyScreen([sys.executable, "-m", "apigw_cockpit", "demo"], cols=120, rows=36, env=env) as term:
        term.wait_for(lambda text: "0/4 healthy" in text, timeout=20)
        term.press("c")
        term.wait_exit(timeout=5)

`text()` is what a person would see on the screen right now: one line per row, trailing spaces
trimmed, the last complete frame (the terminal offers synchronized output, Textual uses it).
`raw` is every byte the program wrote, for escape-sequence assertions. Waiting is always a poll
of the virtual screen against a deadline: no fixed sleeps.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pyte

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
# Synchronized output (mode 2026): the app asks whether the terminal has it (DECRQM); this one says
# yes, so each frame arrives between BEGIN and END and `text()` never shows half a frame.
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
_SYNC_MARK = re.compile(rb"\x1b\[\?2026([hl])")

# Variables that could point the child at a real account, a user's settings, or change how it draws.
_SCRUB_PREFIXES = ("AWS_", "APIGW_COCKPIT_", "TEXTUAL", "XDG_", "NO_COLOR", "COLUMNS", "LINES", "TMUX")


def isolated_env(root: Path, **extra: str) -> dict[str, str]:
    """The child's environment: HOME and every XDG dir under `root`, fake AWS credentials, no user
    config/profile/endpoint, TERM=xterm-256color. Only PATH-like basics survive from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
    home = root / "home"
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": root / "run",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    (root / "run").chmod(0o700)
    env.update({k: str(v) for k, v in dirs.items()})
    env.update(
        {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    env.update(extra)
    return env


class ScreenTimeout(AssertionError):
    pass


class PtyScreen:
    """A child process whose stdin/stdout/stderr are the slave side of a pty of `cols`×`rows`."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 36,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
    ) -> None:
        self.argv, self.cols, self.rows = list(argv), cols, rows
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.eof = False
        self.proc: subprocess.Popen[bytes] | None = None
        self._fd = -1
        self.started_at = 0.0
        self.left_alt_at = float("nan")  # elapsed() when the alternate screen was last left
        self.frames = 0  # synchronized-output frames completed
        self._in_frame = False
        self._shown: list[str] = self._display()

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> PtyScreen:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        # The terminal answers the app's queries (device attributes, cursor position) like xterm.
        self.screen.write_process_input = self._answer  # type: ignore[method-assign]
        self.started_at = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env={**(self.env or os.environ), "COLUMNS": str(self.cols), "LINES": str(self.rows)},
                cwd=self.cwd,
                start_new_session=True,  # its own session: signals to it never reach pytest
                close_fds=True,
            )
        finally:
            os.close(slave)
        self._fd = master
        return self

    def __enter__(self) -> PtyScreen:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    # -- terminal I/O ----------------------------------------------------------------------
    def _answer(self, data: str) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.write(self._fd, data.encode())

    def pump(self, timeout: float = 0.05) -> bool:
        """Read whatever the child wrote within `timeout` s into the virtual screen; False at EOF."""
        if self.eof or self._fd < 0:
            return False
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self._fd, 65536)
        except OSError:  # EIO: every slave fd is closed (the child and its children are gone)
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.raw += chunk
        recent = self.raw[-(len(chunk) + len(SYNC_QUERY)) :]
        if SYNC_QUERY in recent:
            self._answer(SYNC_SUPPORTED.decode())
        if ALT_SCREEN_OFF in recent:
            self.left_alt_at = self.elapsed()
        self._feed(chunk)
        return True

    def _feed(self, chunk: bytes) -> None:
        """Feed pyte; the shown screen moves on at each frame end (or with every write, outside frames)."""
        pos = 0
        for mark in _SYNC_MARK.finditer(chunk):
            self.stream.feed(chunk[pos : mark.end()])
            pos = mark.end()
            if mark.group(1) == b"h":
                self._in_frame = True
            else:
                self._in_frame = False
                self.frames += 1
                self._shown = self._display()
        self.stream.feed(chunk[pos:])
        if not self._in_frame:
            self._shown = self._display()

    def _display(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def press(self, *keys: str) -> None:
        for key in keys:
            os.write(self._fd, key.encode())

    # -- what a person sees ----------------------------------------------------------------
    def lines(self) -> list[str]:
        return list(self._shown)

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, condition: Callable[[str], object], timeout: float, what: str = "") -> str:
        """Poll the screen until `condition(text)` is truthy; the screen text, or a timeout that shows it."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if condition(text):
                return text
            if self.eof:
                raise ScreenTimeout(
                    f"process ended ({self.returncode()}) before {what or condition}:\n{text}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ScreenTimeout(f"not on screen within {timeout:.0f} s: {what or condition}\n{text}")
            self.pump(min(0.1, remaining))

    def wait_for_text(self, pattern: str, timeout: float) -> re.Match[str]:
        rx = re.compile(pattern)
        text = self.wait_for(rx.search, timeout, what=f"/{pattern}/")
        match = rx.search(text)
        assert match is not None
        return match

    def wait_exit(self, timeout: float) -> int:
        """Drain the output to EOF and reap the process; its return code."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while not self.eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ScreenTimeout(
                    f"still running {timeout:.0f} s after being asked to quit:\n{self.text()}"
                )
            self.pump(min(0.1, remaining))
        try:
            return self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise ScreenTimeout(
                f"output closed but the process did not exit within {timeout:.0f} s"
            ) from None

    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at
