"""A read-only cockpit (serve's shared view, `--read-only`) offers no key that writes: the keys
are gone from help and the palette and do nothing, instead of toasting "saved"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit.ui.commands import CockpitCommands
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.screens.help import HelpScreen

from .conftest import screen_text, settle
from .fakes import midnight_pager

WRITE_LABELS = ("Mark fix", "Note", "Screenshot", "Write postmortem")


@pytest.mark.parametrize("read_only", [False, True])
async def test_write_keys_exist_only_when_not_read_only(
    make_app: Callable[..., Any], tmp_path: Path, read_only: bool
) -> None:
    app = make_app(midnight_pager(), read_only=read_only)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("F", "s")
        shots = tmp_path / "state" / "apigw-cockpit" / "screenshots"
        assert (app.state.fix_time is None) is read_only
        assert (not shots.exists() or not any(shots.iterdir())) is read_only
        await pilot.press("n")
        assert isinstance(app.screen, CockpitScreen) is read_only  # no note dialog to type into
        if not read_only:
            await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        for label in WRITE_LABELS:
            assert (f"{label} —" in help_text) is not read_only, label
        names = [name for name, _, _ in CockpitCommands(app.screen)._commands()]
        for label in WRITE_LABELS:
            assert any(n.startswith(f"{label} (") for n in names) is not read_only, label
