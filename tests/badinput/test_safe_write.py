"""safe_write: regular files only, 0600, atomic; FIFOs, devices and planted symlinks refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from apigw_cockpit import safe_write
from apigw_cockpit.incident import Journal, JournalError, read_journal
from apigw_cockpit.safe_write import RefusedPath


def test_new_file_is_0600_and_complete(tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    safe_write.write_text(target, "# report\n")
    assert target.read_text() == "# report\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["pm.md"]  # no temp file left behind


def test_replacing_a_regular_file_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    target.write_text("old\n")
    inode = target.stat().st_ino
    safe_write.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_ino != inode  # renamed into place, not rewritten in place


def test_symlink_to_own_regular_file_writes_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    safe_write.write_text(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


@pytest.mark.parametrize("kind", ["fifo", "dir", "device", "dangling", "link-to-dir"])
def test_refused_targets_are_left_alone(tmp_path: Path, kind: str) -> None:
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/null")
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere")
    else:
        (tmp_path / "d").mkdir()
        path.symlink_to(tmp_path / "d")
    before = os.lstat(path)
    with pytest.raises(RefusedPath) as err:
        safe_write.write_text(path, "x")
    assert "\n" not in str(err.value) and str(path) in str(err.value)
    after = os.lstat(path)
    assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a file to another user")
def test_symlink_to_someone_elses_file_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.write_text("keep\n")
    os.chown(theirs, 65534, 65534)
    link = tmp_path / "link"
    link.symlink_to(theirs)
    with pytest.raises(RefusedPath, match="owned by another user"):
        safe_write.write_text(link, "x")
    assert theirs.read_text() == "keep\n"


def test_journal_on_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "j.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(JournalError, match="FIFO"):
        Journal.open(fifo, api="a", stage="p")
    with pytest.raises(JournalError, match="FIFO"):
        read_journal(fifo)


def test_journal_file_is_created_0600(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    Journal.open(path, api="a", stage="p").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_read_regular_is_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1025)
    assert safe_write.read_regular(big, 2048) == b"x" * 1025
    with pytest.raises(RefusedPath, match="larger than"):
        safe_write.read_regular(big, 1024)
    with pytest.raises(RefusedPath, match="device"):
        safe_write.read_regular("/dev/zero", 1024)
