"""A pane whose areas moved but whose drawing did not writes nothing to the terminal (issue 17).

The engine answers on every batch of log lines and bumps "diagnosis" (and often "findings")
each time, mostly with the same answer: the panes listening to those areas used to repaint
their whole region each time. Measured on a driver that renders like a terminal and counts
the bytes it would write. The route summary's numbers are drawn at most every few seconds.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from apigw_cockpit.ui.panes.logs import SUMMARY_EVERY_S, LogPane
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import Pane, View, same_drawing

from .fakes import NOW
from .fixtures import topology
from .test_log_pane import CountingDriver, feed, request, run


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


async def test_the_route_summary_draws_new_numbers_at_most_every_few_seconds() -> None:
    state = CockpitState(topology())

    async def steps(app: Any, pane: LogPane, pilot: Any) -> None:
        box = pane.query_one("#route-summary", Static)
        assert str(box.content) == ""  # nothing measured yet
        # The first failure changes what the summary is (a route with a source, failing): at once.
        feed(state, 1, request(1), NOW)
        pane.sync(state, View(NOW + 1))
        first = str(box.content)
        assert "GET /orders" in first and "504×1 " in first, first
        # One more of the same: only numbers move, held back ...
        feed(state, 2, request(2), NOW + 2)
        pane.sync(state, View(NOW + 2))
        assert str(box.content) == first
        # ... and drawn once due, by a sync that brings no new line (the clock's tick).
        pane.sync(state, View(NOW + 1 + SUMMARY_EVERY_S))
        assert "504×2 " in str(box.content), str(box.content)

    await run(state, steps)
