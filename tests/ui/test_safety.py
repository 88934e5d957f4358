"""Untrusted log text is shown literally and harmlessly; secrets and identities are redacted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apigw_cockpit.model import LogEvent, RequestTrace
from apigw_cockpit.ui.sanitize import clean, redact_identity, safe_text, strip_controls

from .conftest import screen_text, settle
from .fakes import NOW, feed_with, log_update

RID = "deadbeef-0000-4000-8000-000000000001"


def test_strip_controls_removes_escapes_and_survives_bad_utf8() -> None:
    raw = b"ok \x1b[31mred\x1b[0m \x1b]0;pwned\x07 bell\x07 \xff\xfe end"
    out = strip_controls(raw)
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("ok red ") and out.endswith(" end")
    assert "\N{REPLACEMENT CHARACTER}" in out


def test_secrets_redacted() -> None:
    line = (
        "Method request headers: {Authorization=Bearer abc.def.ghi123, x-api-key=K3Y, "
        "Cookie=session=s3cr3t} ?token=t0k3n&x=1 AKIAABCDEFGHIJKLMNOP"
    )
    out = clean(line)
    for secret in ("abc.def.ghi123", "K3Y", "s3cr3t", "t0k3n", "AKIAABCDEFGHIJKLMNOP"):
        assert secret not in out
    assert "x=1" in out


def test_presenter_redacts_accounts_arns_and_ips() -> None:
    out = redact_identity("arn:aws:iam::123456789012:role/x target 10.0.1.10 acct 123456789012")
    assert "123456789012" not in out and "10.0.1.10" not in out
    assert "arn:aws:iam::************:role/x" in out


def test_markup_stays_literal() -> None:
    assert safe_text("[bold red]boom[/]").plain == "[bold red]boom[/]"


async def test_hostile_log_text_is_shown_literally(make_app: Callable[..., Any]) -> None:
    lines = (
        "HTTP Method: GET, Resource Path: /[bold red]pwn[/]",
        "Execution failed: \x1b[2J\x1b[31mESC\x1b[0m [link=http://x]click[/link] \udcff bad",
        "Method completed with status: 502",
    )
    trace = RequestTrace(RID, NOW - 5, lines, "g", True)
    events = [
        LogEvent(f"e{i}", NOW - 5, "g", "s", f"({RID}) {ln}", request_id=RID) for i, ln in enumerate(lines)
    ]
    update = log_update(*events)
    feed = feed_with(type(update)(update.source, update.at, update.events, (trace,)))
    app = make_app(feed)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "GET /[bold" in text  # markup printed (the column truncates), not interpreted
        await pilot.press("enter")
        await pilot.pause()
        trace_text = screen_text(app)
        assert "Resource Path: /[bold red]pwn[/]" in trace_text
        assert "[link=http://x]click[/link]" in trace_text
        assert "ESC" in trace_text and "[2J" not in trace_text and "[31m" not in trace_text
