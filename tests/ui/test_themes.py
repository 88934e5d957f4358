"""Theme files: validation names file and key; a broken file keeps the old theme; edits hot-reload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit import paths
from apigw_cockpit.ui.themes import ThemeError, load_all, load_theme_file

from .conftest import settle, wait_for
from .fakes import midnight_pager

GOOD = 'name = "{name}"\nprimary = "{primary}"\nerror = "#FF0000"\nbackground = "#000000"\n'


def test_shipped_themes_are_valid() -> None:
    builtin = paths.builtin_themes_dir()
    assert builtin is not None
    themes, errors = load_all([builtin])
    assert errors == []
    assert {"cockpit-dark", "cockpit-light", "high-contrast", "colorblind-safe"} <= set(themes)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('name = "x"\nprimary = "#123456"\nprimry = "#000000"\n', "primry: unknown key"),
        ('name = "x"\nprimary = "not-a-colour"\n', "primary: not a colour"),
        ('name = "x"\nerror = "#ff0000"\n', "primary: required"),
        ('name = "x"\nprimary = "#123456"\ndark = "yes"\n', "dark: must be true or false"),
        ("name = [\n", "not valid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(ThemeError) as info:
        load_theme_file(f)
    message = str(info.value)
    assert str(f) in message and key in message and "\n" not in message.strip()


async def test_broken_theme_keeps_previous_and_notifies(
    make_app: Callable[..., Any], user_themes: Path
) -> None:
    f = user_themes / "mine.toml"
    f.write_text(GOOD.format(name="mine", primary="#112233"))
    app = make_app(midnight_pager(), theme="mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "mine" and app.current_theme.primary == "#112233"
        f.write_text('name = "mine"\nprimary = "#nothex"\n')
        assert app.themes.reload_theme_file(f) is False
        assert app.theme == "mine" and app.current_theme.primary == "#112233"
        await pilot.pause()  # notify() is a message: let the app process it
        messages = [str(n.message) for n in app._notifications]
        assert any(str(f) in m and "primary: not a colour" in m for m in messages)


async def test_unknown_theme_falls_back_with_a_notice(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager(), theme="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "cockpit-dark"
        assert any("'nope' not found" in e for e in app.themes.errors)


async def test_editing_a_theme_file_restyles_the_running_app(
    make_app: Callable[..., Any], user_themes: Path
) -> None:
    f = user_themes / "live.toml"
    f.write_text(GOOD.format(name="live", primary="#112233"))
    app = make_app(midnight_pager(), theme="live", watch_themes=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.get_css_variables()["primary"].upper() == "#112233"
        # awatch needs a moment to register its inotify watch before the edit.
        await wait_for(lambda: any(w.name == "themes" and w.is_running for w in app.workers), pilot)
        for attempt in range(20):
            f.write_text(GOOD.format(name="live", primary="#44AA66") + f"# {attempt}\n")
            try:
                await wait_for(
                    lambda: app.get_css_variables()["primary"].upper() == "#44AA66", pilot, timeout=0.5
                )
                break
            except AssertionError:
                continue
        assert app.get_css_variables()["primary"].upper() == "#44AA66"
        assert app.theme == "live"
