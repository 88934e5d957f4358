"""Navigation like k9s/lazygit: a home key, help listing every key of every screen, a palette
without duplicates (issue 15)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen
from textual.widgets import Input, Static

import apigw_cockpit.ui
from apigw_cockpit.ui.bindings import KEYS
from apigw_cockpit.ui.keyhelp import APP_SECTION, SCREENS, own_bindings, screen_class
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.note import NoteScreen
from apigw_cockpit.ui.screens.timeline import DetailScreen, TimelineScreen
from apigw_cockpit.ui.screens.trace import TraceScreen

from .conftest import settle, wait_for
from .fakes import midnight_pager


def _our_screens() -> list[type[Screen[Any]]]:
    """Every Screen subclass defined in apigw_cockpit.ui that declares bindings of its own."""
    found: dict[str, type[Screen[Any]]] = {}
    for info in pkgutil.walk_packages(apigw_cockpit.ui.__path__, "apigw_cockpit.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and own_bindings(cls):
                found[f"{cls.__module__}:{cls.__qualname__}"] = cls
    return list(found.values())


async def test_home_key_returns_to_the_live_cockpit_from_any_depth(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        cockpit = app.screen
        # timeline -> a change's evidence (a modal): two screens above the cockpit.
        await pilot.press("t")
        assert isinstance(app.screen, TimelineScreen)
        timeline = app.screen
        first_change = next(r for r in timeline.rows if r.kind == "change")
        timeline.open_evidence(first_change)
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and len(app.screen_stack) == 4
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is cockpit and len(app.screen_stack) == 2
        # verification -> help over it: esc still pops one, home pops them all.
        await pilot.press("v", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, InfoScreen) and app.screen.kind == "verify"
        await pilot.press("question_mark", "home")
        await pilot.pause()
        assert app.screen is cockpit
        # A trace opened on the log; on the cockpit itself home does nothing.
        await pilot.press("enter")
        assert isinstance(app.screen, TraceScreen)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is cockpit
        await pilot.press("h")
        assert app.screen is cockpit and app.is_running


async def test_h_is_a_letter_in_text_fields(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("n", *"hi")
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(Input).value == "hi"
        await pilot.press("escape", "slash", "h")
        assert isinstance(app.screen, CockpitScreen)
        assert app.screen.query_one("#log-filter", Input).value == "h"


def test_every_screen_with_bindings_is_in_help() -> None:
    listed = {screen_class(path) for _, path in SCREENS}
    missing = [cls.__qualname__ for cls in _our_screens() if cls not in listed]
    assert not missing, f"screens with keys that help does not list: {missing}"


async def test_help_lists_every_key_of_every_screen(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    app.can_apply_fix = True  # the demo drill: every app key is offered
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).content)
        titles = [APP_SECTION, *(title for title, _ in SCREENS)]
        blocks: dict[str, list[str]] = {}
        current = ""
        for line in text.splitlines():
            if line.strip() in titles:
                current = line.strip()
            elif line.strip():
                blocks.setdefault(current, []).append(line)

        def listed(section: str, binding: Binding, label: str) -> bool:
            # One row per binding: its keys (as the footer writes them) and its words.
            keys = [app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")]
            return any(
                line.strip().startswith(f"{' '.join(keys)}  {label}") for line in blocks.get(section, [])
            )

        words = {k.id: k.label for k in KEYS}
        for binding in app.BINDINGS:
            assert isinstance(binding, Binding)
            label = words.get(binding.id or "", binding.description)
            assert listed(APP_SECTION, binding, label), f"app key {binding.key} missing from help"
        for title, path in SCREENS:
            for binding in own_bindings(screen_class(path)):
                label = words.get(binding.id or "", binding.description)
                assert listed(title, binding, label), f"{title}: {binding.key} missing from help"
        # The keys the issue found missing, by name.
        for key in ("P", "T", "R", "y", "n", "1", "2", "3", "h"):
            assert re.search(rf"^\s*(\S+ )?{key}( \S+)?\s\s", text, re.M), key


async def test_help_shows_remapped_keys(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), keys={"pause": "space", "window_15m": "f"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        text = str(app.screen.query_one("#help-keys", Static).content)
        assert re.search(r"^\s*space\s+Pause", text, re.M) and re.search(r"^\s*f\s+15m", text, re.M)


async def test_help_in_read_only_omits_the_keys_that_send_traffic(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        text = str(app.screen.query_one("#help-keys", Static).content)
        assert "V5 TestInvoke" not in text and "Run V1+V6" not in text and "Mark fix" not in text
        assert "Route" in text  # picking a route sends nothing


async def _palette_titles(app: Any) -> list[str]:
    titles: list[str] = []
    for source in app.COMMANDS | app.screen.COMMANDS:
        cls = source if isinstance(source, type) and issubclass(source, Provider) else source()
        provider = cls(app.screen)
        provider._post_init()
        async for hit in provider.discover():
            titles.append(str(hit.text or hit.display))
    return titles


async def test_palette_lists_each_command_once(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        titles = await _palette_titles(app)
        assert len(titles) == len(set(titles))
        # "Quit" next to "Quit (q)" is the same command twice: compare without the key hint.
        names = [re.sub(r"\s*\([^)]*\)$", "", t).strip().lower() for t in titles]
        twice = sorted({n for n in names if names.count(n) > 1})
        assert not twice, f"listed twice in the palette: {twice}"
        assert "quit" in names and "screenshot" in names and "theme" in names


async def test_read_only_palette_offers_no_screenshot_at_all(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        titles = [t.lower() for t in await _palette_titles(app)]
        # Ours is hidden (it writes); Textual's would write an SVG on the server's disk.
        assert not [t for t in titles if "screenshot" in t]


async def test_info_screens_list_in_help_once(make_app: Callable[..., Any]) -> None:
    """Subclasses (verification, timeline) inherit esc from InfoScreen: listed under it, once."""
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        assert isinstance(app.screen, InfoScreen)
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpScreen), pilot)
        text = str(app.screen.query_one("#help-keys", Static).content)
        assert text.count("Back — back one screen") == 1
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
