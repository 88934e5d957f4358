"""SVG snapshots at fixed sizes with a frozen clock, fixed verdicts and drained fake pollers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import settle
from .fakes import healthy, midnight_pager
from .pictures import logging_off

# The three sizes the layout is designed for (ui/screens/cockpit_layout.py): SSH minimum, a
# laptop terminal, a war-room wall.
SIZES = [(80, 24), (120, 36), (200, 50)]
PICTURES = {"midnight_pager": midnight_pager, "healthy": healthy, "logging_off": logging_off}


def _before(app: Any, *keys: str) -> Callable[[Any], Any]:
    async def run(pilot: Any) -> None:
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        app.tick()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("picture", list(PICTURES))
def test_cockpit(
    snap_compare: Any, make_app: Callable[..., Any], picture: str, size: tuple[int, int]
) -> None:
    app = make_app(PICTURES[picture]())
    assert snap_compare(app, terminal_size=size, run_before=_before(app))


def test_help_screen(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    assert snap_compare(app, terminal_size=(100, 36), run_before=_before(app, "question_mark"))


def test_chart_screen(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    assert snap_compare(app, terminal_size=(120, 40), run_before=_before(app, "g"))


def test_trace_detail_screen(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    assert snap_compare(app, terminal_size=(100, 30), run_before=_before(app, "enter"))


def test_ascii_mode(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), ascii=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_before(app))
