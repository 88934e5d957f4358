"""The Host and Origin rules, per bind address (pure)."""

from __future__ import annotations

import pytest

from apigw_cockpit.serve.guard import Guard, token_ok

T = "t" * 43


@pytest.mark.parametrize(
    ("bind", "host", "ok"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),  # another port: not us
        ("127.0.0.1", "evil.example:8000", False),  # DNS rebinding
        ("127.0.0.1", "127.0.0.1", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", "[bad:8000", False),
        ("10.0.0.5", "10.0.0.5:8000", True),
        ("10.0.0.5", "localhost:8000", False),
        ("0.0.0.0", "jump-box.corp:8000", True),  # any name, but the Origin must still match it
    ],
)
def test_host_header(bind: str, host: str, ok: bool) -> None:
    assert Guard(T, bind, 8000).host_ok(host) is ok


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("http://localhost:8000", "127.0.0.1:8000", False),  # a page from another origin
        ("http://evil.example", "127.0.0.1:8000", False),
        ("https://127.0.0.1:8000", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),  # sandboxed iframes, file:// pages
        (None, "127.0.0.1:8000", False),
    ],
)
def test_origin(origin: str | None, host: str, ok: bool) -> None:
    assert Guard(T, "127.0.0.1", 8000).origin_ok(origin, host) is ok


def test_token_compare() -> None:
    assert token_ok(T, T)
    assert not token_ok(None, T) and not token_ok("", T) and not token_ok(T[:-1], T)
    assert not token_ok("é" * 43, T)


def test_page_url_names_a_reachable_address() -> None:
    assert Guard(T, "0.0.0.0", 9).page_url() == f"http://127.0.0.1:9/?token={T}"
    assert Guard(T, "::1", 9).page_url() == f"http://[::1]:9/?token={T}"
