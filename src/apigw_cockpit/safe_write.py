"""Every file the cockpit writes or reads back on a user's say-so goes through here.

Policy (one place, so `report --out`, screenshots and journals cannot drift apart):

- Only regular files are written. An existing directory, FIFO, socket or device node at
  the target is refused, never replaced (as root, `--out /dev/null` must not turn the
  device into a file; a FIFO must not block the cockpit).
- A symlink is followed only when it points to a regular file owned by the user running
  the cockpit; then the file it points to is written and the link stays a link. A dangling
  link, or one to someone else's file, is refused: the link may have been planted.
- New files are created with mode 0600 (they hold incident data: request ids, paths,
  error messages); a whole-file write is atomic (temp file beside the target, then rename),
  so a failed or interrupted run never leaves half a report.
- Reading a user-named file back (a journal) accepts regular files only, opened without
  blocking, and at most a bounded number of bytes.

Every refusal is a `RefusedPath` whose `str()` is one line naming the path and the reason.
Pure stdlib: usable from the incident layer and from headless commands.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

FILE_MODE = 0o600
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class RefusedPath(OSError):
    """A path the cockpit will not write (or read): `str()` is one line for the user."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        super().__init__(f"{os.fspath(path)}: {why}")
        self.path = os.fspath(path)
        self.why = why

    def __str__(self) -> str:
        return f"{self.path}: {self.why}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _owned(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The file to write for `path` (a symlink's regular, owned target), or RefusedPath.

    Checks everything that can be known before writing, so a command can refuse before it
    starts a long run (the world, a screenshot) rather than fail at the end."""
    p = Path(path)
    try:
        lst = os.lstat(p)
    except FileNotFoundError:
        lst = None
    except OSError as exc:
        raise RefusedPath(p, f"cannot inspect: {exc.strerror or exc}") from None
    target = p
    if lst is not None and stat.S_ISLNK(lst.st_mode):
        try:
            st = os.stat(p)
        except OSError:
            raise RefusedPath(p, "is a dangling symlink; refusing to write through it") from None
        if not stat.S_ISREG(st.st_mode):
            raise RefusedPath(p, f"is a symlink to {_kind(st.st_mode)}; refusing to replace it")
        if not _owned(st):
            raise RefusedPath(p, "is a symlink to a file owned by another user; refusing to write through it")
        target = Path(os.path.realpath(p))
    elif lst is not None and not stat.S_ISREG(lst.st_mode):
        raise RefusedPath(p, f"is {_kind(lst.st_mode)}; refusing to replace it (give a regular file path)")
    parent = target.parent
    if not parent.is_dir():
        raise RefusedPath(p, f"directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RefusedPath(p, f"directory {parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise RefusedPath(p, "is not writable")
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Atomically write `text` (UTF-8) to a regular file at `path`, new files 0600.

    Raises RefusedPath (policy) or OSError (e.g. ENOSPC); on any failure the old file is
    untouched and no temp file is left behind."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    target = writable_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def open_append(path: str | os.PathLike[str]) -> int:
    """An O_APPEND fd on a regular file (created 0600), for journals; RefusedPath otherwise."""
    target = writable_target(path)
    # O_NONBLOCK: if a FIFO appears between the check and the open, open does not hang.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _CLOEXEC | _NONBLOCK
    fd = os.open(target, flags, FILE_MODE)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedPath(path, f"is {_kind(st.st_mode)}; refusing to write to it")
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; RefusedPath for anything else.

    FileNotFoundError / IsADirectoryError / other OSError propagate for the caller to word."""
    p = Path(path)
    st = os.stat(p)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(p))
    if not stat.S_ISREG(st.st_mode):
        raise RefusedPath(p, f"is {_kind(st.st_mode)}, not a regular file; refusing to read it")
    fd = os.open(p, os.O_RDONLY | _CLOEXEC | _NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        fst = os.fstat(f.fileno())
        if not stat.S_ISREG(fst.st_mode):  # swapped between stat and open
            raise RefusedPath(p, f"is {_kind(fst.st_mode)}, not a regular file; refusing to read it")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise RefusedPath(p, f"larger than {limit // (1024 * 1024)} MiB; refusing to read it")
    return data
