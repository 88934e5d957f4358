"""The driver inside the shared cockpit process drops terminal input; the stock one does not."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from .helpers import TINY_ARGV, meta, packet, read_prelude, read_until

STOCK = "textual.drivers.web_driver:WebDriver"
OURS = "apigw_cockpit.serve.driver:ViewerDriver"


async def _press_then_resize(driver: str, out: Path) -> None:
    env = dict(os.environ, TEXTUAL_DRIVER=driver, COLUMNS="100", ROWS="30", TINY_OUT=str(out))
    proc = await asyncio.create_subprocess_exec(
        *TINY_ARGV, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        await read_prelude(proc.stdout)
        await read_until(proc.stdout, r"size=100x30")
        # A keystroke, then a resize: the app handles them in order, so once the new size is on
        # the screen the key has been handled (or dropped) — no waiting on a clock.
        proc.stdin.write(packet(b"D", b"s") + meta(type="resize", width=101, height=30))
        await proc.stdin.drain()
        await read_until(proc.stdout, r"size=101x30")
    finally:
        proc.stdin.write(meta(type="quit"))
        await proc.stdin.drain()
        await asyncio.wait_for(proc.wait(), 30)


async def test_stock_driver_passes_a_key_through(tmp_path: Path) -> None:
    """The control: the same key reaches the app under textual's own WebDriver."""
    await _press_then_resize(STOCK, tmp_path)
    assert (tmp_path / f"pressed-{ord('s')}").read_text() == "s"


async def test_viewer_driver_drops_keys(tmp_path: Path) -> None:
    await _press_then_resize(OURS, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("driver", "mouse_on"), [(STOCK, True), (OURS, False)])
async def test_viewer_driver_leaves_mouse_reporting_off(tmp_path: Path, driver: str, mouse_on: bool) -> None:
    env = dict(os.environ, TEXTUAL_DRIVER=driver, COLUMNS="100", ROWS="30", TINY_OUT=str(tmp_path))
    proc = await asyncio.create_subprocess_exec(
        *TINY_ARGV, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        await read_prelude(proc.stdout)
        raw = await read_until(proc.stdout, r"MARKER")
    finally:
        proc.stdin.write(meta(type="quit"))
        await proc.stdin.drain()
        await asyncio.wait_for(proc.wait(), 30)
    assert (b"\x1b[?1000h" in raw) is mouse_on
