"""A pane whose areas moved but whose drawing did not writes nothing to the terminal (issue 17).

The engine answers on every batch of log lines and bumps "diagnosis" (and often "findings")
each time, mostly with the same answer: the panes listening to those areas used to repaint
their whole region each time. Measured on a driver that renders like a terminal and counts
the bytes it would write.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content

from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import Pane, View, same_drawing

from .fakes import NOW
from .fixtures import topology
from .test_log_pane import CountingDriver


class Word(Pane):
    """Draws `word` in `style`: what it shows is independent of the areas' versions."""

    AREAS = ("diagnosis",)
    word = "steady"
    style = "bold"

    def render(self) -> Content:
        return Content.styled(self.word, self.style)


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.driver_class = CountingDriver

    def compose(self) -> ComposeResult:
        yield Word()


async def test_a_bumped_area_with_the_same_drawing_writes_nothing() -> None:
    state = CockpitState(topology())
    app = Host()
    written: dict[str, int] = {}

    async def after(pilot: Any, name: str, change: Any) -> None:
        await pilot.pause()
        before = CountingDriver.written
        change()
        state.bump("diagnosis")
        app.query_one(Word).sync(state, View(NOW))
        await pilot.pause()
        await pilot.pause()
        written[name] = CountingDriver.written - before

    async def drive(pilot: Any) -> None:
        pane = app.query_one(Word)
        pane.sync(state, View(NOW))
        try:
            await after(pilot, "laid out", lambda: None)  # the first sync was before the layout
            await after(pilot, "same", lambda: None)
            await after(pilot, "colour", lambda: setattr(pane, "style", "italic"))
            await after(pilot, "text", lambda: setattr(pane, "word", "moved"))
        finally:
            app.exit()

    await app.run_async(size=(40, 5), auto_pilot=drive)
    assert written["same"] == 0, written
    # A change of style alone is a change (Content's own == compares the text only).
    assert written["colour"] > 0 and written["text"] > 0, written


def test_same_drawing_compares_styles_too() -> None:
    assert same_drawing(Content.styled("a", "bold"), Content.styled("a", "bold"))
    assert not same_drawing(Content.styled("a", "bold"), Content.styled("a", "italic"))
    assert not same_drawing(Content("a"), Content("b"))
    assert not same_drawing(None, Content("a"))
