"""Open every screen of the cockpit and hand back what is drawn: the cells, with their styles.

Shared by the legibility tests (contrast, NO_COLOR, --ascii): they judge what the terminal
would receive (the compositor's final segments, after Textual's line filters), not what a
pane meant to draw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from rich.segment import Segment
from textual._compositor import LayoutUpdate
from textual.screen import ModalScreen
from textual.widgets import OptionList

from apigw_cockpit.ui.app import CockpitApp

from .conftest import settle, wait_for


def cells(app: CockpitApp) -> list[tuple[int, int, Segment]]:
    """(x, y, segment) for every segment of the frame as sent out (background screens included)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)
    out: list[tuple[int, int, Segment]] = []
    for y, line in enumerate(update.strips, update.region.y):
        x = update.region.x
        for strip in line:
            for seg in strip:
                if not seg.control:
                    out.append((x, y, seg))
                x += seg.cell_length
    return out


def drawn(app: CockpitApp, *, behind: bool = True) -> list[Segment]:
    """Every segment of the frame; `behind=False` keeps only what a modal draws itself (the
    screen it fades out behind it is decoration while it is up, not something to read)."""
    keep = None
    if not behind and isinstance(app.screen, ModalScreen):
        keep = [w.region for w in app.screen.children if w.display]
    return [seg for x, y, seg in cells(app) if keep is None or any(r.contains(x, y) for r in keep)]


def frame_text(app: CockpitApp) -> str:
    """The frame's characters, one line of text per terminal row."""
    rows: dict[int, list[str]] = {}
    for _x, y, seg in cells(app):
        rows.setdefault(y, []).append(seg.text)
    return "\n".join("".join(rows[y]) for y in sorted(rows))


async def _press(app: CockpitApp, pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    app.tick()
    await pilot.pause()


async def _home(app: CockpitApp, pilot: Any) -> None:
    while len(app.screen_stack) > 2:  # the default screen and the cockpit
        app.pop_screen()
        await pilot.pause()


async def _timeline_change(app: CockpitApp, pilot: Any) -> None:
    """`t`, then enter on the first change row: the evidence dialog with the raw parameters."""
    await _press(app, pilot, "t")
    screen: Any = app.screen
    await wait_for(lambda: any(r.kind == "change" for r in screen.rows), pilot)
    index = next(i for i, r in enumerate(screen.rows) if r.kind == "change")
    screen.query_one(OptionList).highlighted = index
    await _press(app, pilot, "enter")


TOUR: tuple[tuple[str, Callable[[CockpitApp, Any], Any]], ...] = (
    ("cockpit", lambda app, pilot: _press(app, pilot)),
    ("cockpit-paused", lambda app, pilot: _press(app, pilot, "p")),
    ("help", lambda app, pilot: _press(app, pilot, "question_mark")),
    ("checks", lambda app, pilot: _press(app, pilot, "c")),
    ("walkthrough", lambda app, pilot: _press(app, pilot, "w")),
    ("verification", lambda app, pilot: _press(app, pilot, "v")),
    ("timeline", lambda app, pilot: _press(app, pilot, "t")),
    ("timeline-change", _timeline_change),
    ("trace", lambda app, pilot: _press(app, pilot, "enter")),
    ("chart", lambda app, pilot: _press(app, pilot, "g")),
    ("note", lambda app, pilot: _press(app, pilot, "n", "x")),
    ("palette", lambda app, pilot: _press(app, pilot, "ctrl+p", "c")),
    ("filter", lambda app, pilot: _press(app, pilot, "slash", "x")),
)
SCREENS = tuple(name for name, _ in TOUR)


async def tour(app: CockpitApp, pilot: Any) -> AsyncIterator[str]:
    """Settle the feed, then show each screen in turn (from the cockpit); yields its name."""
    await settle(app, pilot)
    for name, show in TOUR:
        await show(app, pilot)
        yield name
        if name == "cockpit-paused":
            await _press(app, pilot, "p")
        await _home(app, pilot)
        if name == "filter":
            await _press(app, pilot, "escape")
