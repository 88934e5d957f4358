"""The footer shows whole keys only: q and ? first, then by rank, the rest dropped (ui/footer.py).

Textual's footer let the terminal edge cut the row ("… t Ti" at 80×24). These read the footer
row as the terminal shows it and check that it is a run of whole "key Label" items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from apigw_cockpit.ui.bindings import KEYS, SCREEN_RANK, rank_of
from apigw_cockpit.ui.footer import FitFooter
from apigw_cockpit.ui.screens.help import HelpScreen

from .conftest import screen_text, settle
from .fakes import midnight_pager


def footer_items(app: Any) -> tuple[list[str], list[str]]:
    """(the items the footer row shows, every item the screen's footer could show)."""
    footer = app.screen.query_one(FitFooter)
    first: dict[str, str] = {}  # the footer shows one key per action: its first binding's
    for _node, b, _enabled, _tip in app.screen.active_bindings.values():
        if b.show:
            first.setdefault(b.action, f"{app.get_key_display(b)} {b.description}")
    offered = list(first.values())
    row = screen_text(app).splitlines()[-1]
    keys = row.split("▏")[0] if footer.show_command_palette else row  # the palette hint, docked right
    shown: list[str] = []
    rest = keys.strip()
    while rest:
        item = max((o for o in offered if rest.startswith(o)), key=len, default=None)
        assert item is not None, f"cut or unknown footer item at {rest!r} in {row!r}"
        shown.append(item)
        rest = rest[len(item) :].lstrip()
    assert len(row) <= app.size.width
    return shown, offered


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_footer_shows_whole_keys_q_and_help_first(
    make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        shown, offered = footer_items(app)
        assert shown[:2] == ["q Quit", "? Help"], shown
        ranks = {k.label: k.rank for k in KEYS}
        assert [ranks[s.split(" ", 1)[1]] for s in shown] == sorted(ranks[s.split(" ", 1)[1]] for s in shown)
        if size == (80, 24):
            # Dropped from the end of the ranking, not cut: the log pane's own keys go first.
            assert "p Pause" not in shown and "/ Filter" not in shown
            assert {"c Checks", "w Walkthrough", "v Verify", "t Timeline", "g Charts"} <= set(shown)
        else:
            assert shown == sorted(offered, key=lambda o: ranks[o.split(" ", 1)[1]])  # room for all
        # What the footer dropped is still in help.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_keys = str(app.screen.query_one("#help-keys", Static).content)
        for item in set(offered) - set(shown):
            assert item.split(" ", 1)[1] in help_keys, item


async def test_the_footer_refits_on_resize_and_on_other_screens(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        wide, _ = footer_items(app)
        assert "p Pause" in wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow, _ = footer_items(app)
        assert narrow[:2] == ["q Quit", "? Help"] and "p Pause" not in narrow
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert footer_items(app)[0] == wide  # hidden keys come back when there is room

        # The charts screen at 80 columns keeps its palette hint: its own keys come after q and ?.
        await pilot.resize_terminal(80, 24)
        await pilot.press("g")
        await pilot.pause()
        shown, _ = footer_items(app)
        assert shown[:6] == ["q Quit", "? Help", "1 15m", "2 1h", "3 6h", "esc Back"], shown
        assert "▏^p palette" in screen_text(app).splitlines()[-1]


def test_a_screens_own_keys_rank_after_q_and_help() -> None:
    assert rank_of("quit") < rank_of("help") < rank_of("window_15m") == SCREEN_RANK < rank_of("checks")
    assert rank_of(None) == SCREEN_RANK
