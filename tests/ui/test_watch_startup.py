"""`watch` draws its start-up screen at once and discovers behind it (issue 17).

The real `commands/watch.py` path runs in-process; only discovery (`open_feed`, gated on an
asyncio.Event the test releases, or raising the aws/ layer's own errors) and the way the built
app is run (a Pilot driver instead of the terminal) are replaced. Every wait is on a condition.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit.aws.errors import AwsAccessError
from apigw_cockpit.cli import build_parser
from apigw_cockpit.commands import watch
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.incident import read_journal
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.startup import StartupScreen

from .conftest import screen_text, settle, wait_for
from .fixtures import FakeFeed, midnight_pager


class ClosingFeed(FakeFeed):
    """The fixture feed, recording that `watch` closed it once the app left."""

    closed = False

    async def aclose(self) -> None:
        self.closed = True


def _closing_feed() -> ClosingFeed:
    base = midnight_pager()
    return ClosingFeed(base.topology, base.pollers)


def _args(*extra: str) -> Any:
    return build_parser().parse_args(["watch", "--api-id", "abc123", "--stage", "prod", *extra])


def _driver(body: Callable[[Any, Any], Awaitable[None]]) -> Any:
    """A `_tui_hook` whose drive(app) runs the app `watch` built under Pilot, then `body`."""

    async def drive(app: Any) -> None:
        app.start_theme_watcher = lambda: None
        async with app.run_test(size=(120, 36)) as pilot:
            await body(app, pilot)

    return lambda: drive


def test_watch_shows_the_startup_screen_before_discovery_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, asked, seen = asyncio.Event(), [], {}
    feed = _closing_feed()

    async def open_feed(settings: Any, clock: Any, **kw: Any) -> Any:
        asked.append((settings.api_id, settings.stage))
        await gate.wait()  # discovery has not answered until the test says so
        return feed

    async def body(app: Any, pilot: Any) -> None:
        await wait_for(lambda: bool(asked), pilot)
        await pilot.pause()
        # The opener is still waiting: the start-up screen is up and says what it waits for.
        assert not gate.is_set() and not app.attached
        assert isinstance(app.screen, StartupScreen)
        seen["startup"] = screen_text(app)
        gate.set()
        await wait_for(lambda: isinstance(app.screen, CockpitScreen), pilot)
        await settle(app, pilot)
        seen["cockpit"] = screen_text(app)
        await pilot.press("q")

    monkeypatch.setattr(watch, "open_feed", open_feed)
    monkeypatch.setattr(watch, "_tui_hook", _driver(body))
    journal = tmp_path / "j.jsonl"
    assert watch.run(_args("--journal", str(journal))) == 0
    assert asked == [("abc123", "prod")]
    assert "discovering API abc123 stage prod" in seen["startup"]
    assert feed.topology.api_name in seen["cockpit"] and "starting" not in seen["cockpit"].splitlines()[0]
    assert feed.closed  # the feed opened in the app's loop is closed in it, after the app left
    kinds = [e["kind"] for e in read_journal(journal).entries]
    assert kinds[0] == "session-start" and kinds[-1] == "session-end"


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        (
            ConfigError("unknown REST API 'abc123' (check --api-id and --region)"),
            2,
            "unknown REST API 'abc123'",
        ),
        (AwsAccessError("credentials rejected: ExpiredToken (refresh them)"), 3, "credentials rejected"),
        (AwsAccessError("access denied: apigateway:GET on the stage"), 3, "access denied"),
        (OSError("no route to host"), 1, "OSError: no route to host"),
    ],
)
def test_a_discovery_error_is_one_line_and_the_same_exit_code_after_the_app_exits(
    exc: Exception,
    code: int,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown: list[bool] = []

    async def open_feed(settings: Any, clock: Any, **kw: Any) -> Any:
        raise exc

    async def body(app: Any, pilot: Any) -> None:
        shown.append(isinstance(app.screen, StartupScreen))
        await wait_for(lambda: app.startup.error is not None, pilot)

    monkeypatch.setattr(watch, "open_feed", open_feed)
    monkeypatch.setattr(watch, "_tui_hook", _driver(body))
    assert watch.run(_args()) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [printed] = [x for x in err.splitlines() if x.strip()]
    assert printed.startswith("apigw-cockpit: error: ") and line in printed
    assert shown == [True]  # the start-up screen was up while discovery ran


def test_a_bug_while_opening_is_reported_after_the_app_left(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def open_feed(settings: Any, clock: Any, **kw: Any) -> Any:
        raise TypeError("a bug in discovery")

    async def body(app: Any, pilot: Any) -> None:
        await wait_for(lambda: app.startup.error is not None, pilot)
        assert capsys.readouterr().err == ""  # nothing on stderr while the app owns the terminal

    monkeypatch.setattr(watch, "open_feed", open_feed)
    monkeypatch.setattr(watch, "_tui_hook", _driver(body))
    assert watch.run(_args()) == 70
    [printed] = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert "internal error (a bug, not AWS): TypeError: a bug in discovery" in printed
    assert "traceback: " in printed


def test_quit_while_discovering_ends_at_once_with_nothing_to_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    never, asked = asyncio.Event(), []

    async def open_feed(settings: Any, clock: Any, **kw: Any) -> Any:
        asked.append(settings.api_id)
        await never.wait()  # discovery that never answers: `q` must not wait for it

    async def body(app: Any, pilot: Any) -> None:
        await wait_for(lambda: bool(asked), pilot)
        await pilot.press("q")

    monkeypatch.setattr(watch, "open_feed", open_feed)
    monkeypatch.setattr(watch, "_tui_hook", _driver(body))
    assert watch.run(_args()) == 0
    assert asked == ["abc123"] and capsys.readouterr().err == ""
