"""A failing source's exception text (toast and status bar) passes the same sanitiser."""

from __future__ import annotations

import io

from rich.console import Console
from tests.ui import fixtures

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui.app import CockpitApp, build_app

ERROR = (
    "denied calling https://admin:pw9Zq81@proxy.internal with Authorization: Bearer tk7Qm22 "
    "\x9b2J\x1b]0;x\x07"
)


class _Failing:
    name = "alarms"

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        raise PermissionError(ERROR)
        yield  # pragma: no cover - makes this an async generator


def _text(app: CockpitApp) -> str:
    width, height = app.size
    console = Console(width=width, height=height, record=True, force_terminal=True, file=io.StringIO())
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def test_a_failing_sources_exception_is_redacted_on_screen() -> None:
    feed = fixtures.midnight_pager()
    feed.pollers = [p for p in feed.pollers if p.name != "alarms"] + [_Failing()]  # type: ignore[list-item]
    builtin = paths.builtin_themes_dir()
    app = build_app(Settings(), feed, FrozenClock(fixtures.NOW), theme_dirs=[builtin] if builtin else [])
    app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        await app.feed_workers.wait()
        await pilot.pause()
        app.tick()
        await pilot.pause()
        text = _text(app)
        svg = app.export_screenshot()
        toasts = [str(n.message) for n in app._notifications]
        status = app.state.sources["alarms"].last_error
    assert any(t.startswith("alarms: PermissionError") for t in toasts)  # the toast was raised
    for out in (text, svg, status, *toasts):
        assert "pw9Zq81" not in out and "tk7Qm22" not in out
        assert "\x9b" not in out and "\x1b" not in out and "\x07" not in out
    assert "admin:[REDACTED]@proxy" in status and "Bearer [REDACTED]" in status
