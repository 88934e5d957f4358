"""`serve`'s server against real websocket clients on loopback: one shared app, the token, the
Origin and Host checks, the viewer limit, and viewers that cannot type into the app."""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from apigw_cockpit.serve.server import CockpitServer

from .helpers import WsScreen

pytestmark = pytest.mark.sim  # slow lane: serve processes


def _base(server: CockpitServer) -> str:
    return f"127.0.0.1:{server.guard.port}"


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _viewer(session: aiohttp.ClientSession, server: CockpitServer, **kw: Any) -> WsScreen:
    base = _base(server)
    kw.setdefault("origin", f"http://{base}")
    token = kw.pop("token", server.guard.token)
    return WsScreen(await session.ws_connect(f"ws://{base}/ws/{token}", **kw))


def _children(pid: int, needle: str) -> list[int]:
    """Live child processes of `pid` whose command line contains `needle` (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and needle in cmdline:
            out.append(int(entry.name))
    return out


async def test_two_viewers_share_one_app_process(
    tiny_server: CockpitServer, client: aiohttp.ClientSession
) -> None:
    a = await _viewer(client, tiny_server)
    first = await a.until(r"MARKER pid=\d+ nonce=\w+ size=100x30")
    b = await _viewer(client, tiny_server)
    # b joined after the marker line was drawn; it only sees it because the app repainted for it.
    second = await b.until(r"MARKER pid=\d+ nonce=\w+ size=100x30")
    marker = re.compile(r"MARKER pid=(\d+) nonce=(\w+)")
    m1, m2 = marker.search(first), marker.search(second)
    assert m1 and m2 and m1.groups() == m2.groups()
    assert int(m1[1]) == tiny_server.child.pid
    assert _children(os.getpid(), "tiny_app.py") == [tiny_server.child.pid]
    # Both keep receiving the same live feed.
    await a.until(r"tick [1-9]\d*")
    await b.until(r"tick [1-9]\d*")


async def test_viewer_count_is_broadcast(tiny_server: CockpitServer, client: aiohttp.ClientSession) -> None:
    a = await _viewer(client, tiny_server)
    await a.until_text(lambda m: m == ["viewers", {"count": 1, "max": 2}])
    b = await _viewer(client, tiny_server)
    for v in (a, b):
        await v.until_text(lambda m: m == ["viewers", {"count": 2, "max": 2}])
    await b.ws.close()
    await a.until_text(lambda m: m == ["viewers", {"count": 1, "max": 2}])


async def test_page_needs_the_token(tiny_server: CockpitServer, client: aiohttp.ClientSession) -> None:
    base = f"http://{_base(tiny_server)}"
    near = f"{tiny_server.guard.token}x"
    for url in (f"{base}/", f"{base}/?token=", f"{base}/?token=wrong", f"{base}/?token={near}"):
        async with client.get(url) as r:
            assert r.status == 403, url
            assert tiny_server.guard.token not in await r.text()
    async with client.get(f"{base}/?token={tiny_server.guard.token}") as r:
        assert r.status == 200
        page = await r.text()
    assert f"ws://{_base(tiny_server)}/ws/{tiny_server.guard.token}" in page


@pytest.mark.parametrize("token", ["", "wrong", "x" * 43])
async def test_websocket_needs_the_token(
    tiny_server: CockpitServer, client: aiohttp.ClientSession, token: str
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await _viewer(client, tiny_server, token=token)
    assert err.value.status in (403, 404)
    assert tiny_server.hub.count == 0


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1:{port}", "null", None],
)
async def test_foreign_origin_is_refused(
    tiny_server: CockpitServer, client: aiohttp.ClientSession, origin: str | None
) -> None:
    headers = {} if origin is None else {"Origin": origin.format(port=tiny_server.guard.port)}
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await _viewer(client, tiny_server, origin=None, headers=headers)
    assert err.value.status == 403
    assert tiny_server.hub.count == 0


async def test_localhost_origin_under_localhost_host_is_ours(
    tiny_server: CockpitServer, client: aiohttp.ClientSession
) -> None:
    """The same server reached as localhost: its own origin is accepted (it is not foreign)."""
    port = tiny_server.guard.port
    url = f"ws://localhost:{port}/ws/{tiny_server.guard.token}"
    ws = await client.ws_connect(url, origin=f"http://localhost:{port}")
    assert tiny_server.hub.count == 1
    await ws.close()


async def test_rebinding_host_header_is_refused(
    tiny_server: CockpitServer, client: aiohttp.ClientSession
) -> None:
    """DNS rebinding: a foreign name resolving to 127.0.0.1 still says so in its Host header."""
    url = f"http://{_base(tiny_server)}/?token={tiny_server.guard.token}"
    async with client.get(url, headers={"Host": f"evil.example:{tiny_server.guard.port}"}) as r:
        assert r.status == 421


async def test_viewer_limit(tiny_server: CockpitServer, client: aiohttp.ClientSession) -> None:
    a = await _viewer(client, tiny_server)
    b = await _viewer(client, tiny_server)
    await b.until_text(lambda m: m == ["viewers", {"count": 2, "max": 2}])
    c = await _viewer(client, tiny_server)
    msg = await c.ws.receive(timeout=10)
    assert msg.type == aiohttp.WSMsgType.CLOSE
    assert c.ws.close_code == 1013 and "viewer limit reached (2)" in str(msg.extra)
    assert tiny_server.hub.count == 2
    await a.ws.close()
    await b.until_text(lambda m: m == ["viewers", {"count": 1, "max": 2}])
    d = await _viewer(client, tiny_server)  # a seat freed up
    await d.until(r"MARKER")


async def test_viewer_input_never_reaches_the_app(
    tiny_server: CockpitServer, client: aiohttp.ClientSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, object]] = []
    child = tiny_server.child
    real_meta = child.send_meta

    async def send_bytes(data: bytes) -> bool:
        sent.append(("bytes", data))
        return True

    async def send_meta(data: dict[str, Any]) -> bool:
        sent.append(("meta", data.get("type")))
        return await real_meta(data)

    monkeypatch.setattr(child, "send_bytes", send_bytes)
    monkeypatch.setattr(child, "send_meta", send_meta)
    a = await _viewer(client, tiny_server)
    await a.until(r"MARKER")
    for envelope in (
        ["stdin", "s"],
        ["stdin", "F"],
        ["stdin", "n"],
        ["stdin", "R"],
        ["stdin", "\x1b[<0;10;5M"],  # a mouse click
        ["resize", {"width": 20, "height": 5}],
        ["focus"],
        ["blur"],
        ["quit"],
        "not json",
    ):
        await a.ws.send_str(envelope if isinstance(envelope, str) else json.dumps(envelope))
    await a.pong()  # the server has handled every message above
    # A second viewer's repaint: had any key reached the app, it was handled before this frame.
    b = await _viewer(client, tiny_server)
    await b.until(r"MARKER .* size=100x30")
    assert sent == [("meta", "repaint")] * 2  # one per viewer that joined, nothing else
    assert list((tmp_path / "out").iterdir()) == []
    assert tiny_server.child.returncode is None  # "quit" from a viewer did not stop the cockpit


async def test_page_loads_nothing_from_another_host(
    tiny_server: CockpitServer, client: aiohttp.ClientSession
) -> None:
    base = f"http://{_base(tiny_server)}"
    async with client.get(f"{base}/?token={tiny_server.guard.token}") as r:
        page, headers = await r.text(), r.headers
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs and all(ref.startswith("/static/") for ref in refs), refs
    assert "googleapis" not in page and "https://" not in page
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "font-src 'self'" in csp
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    for ref in refs:
        async with client.get(f"{base}{ref}") as r:
            assert r.status == 200, ref
            body = await r.read()
        if ref.endswith((".css", ".js")):
            assert not re.search(rb"url\(\s*['\"]?(https?:)?//", body), ref  # no remote fonts/images
            assert b"fonts.googleapis" not in body and b"@import" not in body


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/app_index.html", "/download/x", "/ws"])
async def test_only_known_files_are_served(
    tiny_server: CockpitServer, client: aiohttp.ClientSession, path: str
) -> None:
    async with client.get(f"http://{_base(tiny_server)}{path}") as r:
        assert r.status in (403, 404)
