"""`serve` in a real headless browser: the page renders the cockpit, it updates, two tabs show
the same world, and the browser fetches nothing from any other host.

Runs when Debian's Chromium is installed (`apt-get install -y chromium`), skips otherwise.
Set APIGW_SERVE_SHOTS=DIR to keep the PNG screenshots.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from .cdp import CHROMIUM, Browser, chromium
from .conftest import DemoServe
from .test_server import _children

pytestmark = [
    pytest.mark.sim,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no /usr/bin/chromium: the browser test needs `apt-get install -y chromium`",
    ),
]

HEADER = r"api: \S+ \((\w+)\)"
CLOCK = r"LIVE (\d\d:\d\d:\d\d)"


async def _screen_until(browser: Browser, tab: str, pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = str(await browser.evaluate(tab, "window.cockpitScreenText ? cockpitScreenText() : ''"))
        if re.search(pattern, text):
            return text
        assert time.monotonic() < deadline, f"{pattern!r} not on the page; it shows:\n{text}"
        await asyncio.sleep(0.25)  # polling the page's own state, not standing in for a sync


async def test_page_renders_updates_and_two_tabs_share_the_world(
    demo_serve: DemoServe, tmp_path: Path
) -> None:
    try:
        await _check_page(demo_serve, tmp_path)
    finally:
        if keep := os.environ.get("APIGW_SERVE_SHOTS"):
            Path(keep).mkdir(parents=True, exist_ok=True)
            for png in tmp_path.glob("*.png"):
                shutil.copy(png, Path(keep) / png.name)


async def _check_page(demo_serve: DemoServe, tmp_path: Path) -> None:
    async with chromium(tmp_path / "profile") as browser:
        a = await browser.open_tab(demo_serve.url)
        text1 = await _screen_until(browser, a, rf"{HEADER}[\s\S]*{CLOCK}|{CLOCK}[\s\S]*{HEADER}", 240)
        clock1 = re.search(CLOCK, text1)
        png1 = await browser.screenshot(a, tmp_path / "tab-a-1.png")
        after = re.search(CLOCK, await _screen_until(browser, a, CLOCK, 30))
        assert clock1 and after
        # The picture shows one of the clocks read around it; wait for a later one, then shoot again.
        shown = "|".join(sorted({clock1[1], after[1]}))
        await _screen_until(browser, a, rf"LIVE (?!{shown})\d\d:\d\d:\d\d", 30)
        png2 = await browser.screenshot(a, tmp_path / "tab-a-2.png")
        assert png1 != png2  # the picture moved with the clock

        b = await browser.open_tab(demo_serve.url)
        await _screen_until(browser, b, HEADER, 60)
        await browser.screenshot(b, tmp_path / "tab-b.png")
        # The same world: one cockpit process behind both tabs, and the same screen in both at
        # one moment (the layout is the server's 160x48, not each tab's).
        assert len(_children(demo_serve.proc.pid, "apigw_cockpit demo")) == 1
        now_a, now_b = [str(await browser.evaluate(t, "cockpitScreenText()")).split("\n") for t in (a, b)]
        assert len(now_a) == len(now_b) == 48
        same = sum(x == y for x, y in zip(now_a, now_b, strict=True))
        assert same >= 44, "\n".join([*now_a, "----", *now_b])  # a tick may land between the reads
        titles = [await browser.evaluate(t, "document.title") for t in (a, b)]
        assert all(re.search(r"· [2-9]\d* viewers", str(t)) for t in titles), titles

        host = demo_serve.host
        urls = browser.requested_urls()
        assert urls and all(
            u.startswith((f"http://{host}/", f"ws://{host}/", "about:", "data:")) for u in urls
        ), urls
