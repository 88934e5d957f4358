from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui.app import CockpitApp, build_app

from .fakes import NOW


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No user config, no user themes, journals in tmp; fake AWS credentials; no cursor blink."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for var in ("APIGW_COCKPIT_THEME", "APIGW_COCKPIT_REFRESH", "APIGW_COCKPIT_ASCII"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(Input, "cursor_blink", False)
    yield


@pytest.fixture
def user_themes(tmp_path: Path) -> Path:
    d = tmp_path / "config" / "apigw-cockpit" / "themes"
    d.mkdir(parents=True)
    return d


@pytest.fixture
def make_app(user_themes: Path) -> Callable[..., CockpitApp]:
    def make(feed: Any, *, watch_themes: bool = False, **settings: Any) -> CockpitApp:
        builtin = paths.builtin_themes_dir()
        assert builtin is not None
        app = build_app(
            Settings(**settings),
            feed,
            FrozenClock(NOW),
            theme_dirs=[builtin, user_themes],
        )
        if not watch_themes:
            app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
        return app

    return make


async def settle(app: CockpitApp, pilot: Any) -> None:
    """Drain every (finite) fake poller, process the messages, let the engine answer, draw it."""
    await app.feed_workers.wait()
    await pilot.pause()
    await app.engine.settled()
    app.tick()
    await pilot.pause()


async def wait_for(condition: Callable[[], bool], pilot: Any, timeout: float = 5.0) -> None:
    """Wait on a condition with a deadline (no fixed sleeps)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met before timeout")
        await pilot.pause(0.02)


def screen_text(app: CockpitApp) -> str:
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, record=True, force_terminal=True, file=io.StringIO())
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
