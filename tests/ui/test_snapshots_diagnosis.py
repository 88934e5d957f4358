"""SVG snapshots of the diagnosis screens (checks, walkthrough, verification, timeline) on the
midnight-pager picture with the REAL diagnose layer, at a fixed size with a frozen clock.
These move when the diagnosis changes what it says: that is the point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui.app import build_app

from .fakes import NOW, midnight_pager
from .test_snapshots import _before


@pytest.mark.parametrize(
    "keys",
    [("c",), ("w",), ("F", "v"), ("t",)],
    ids=["checks", "walkthrough", "verification-after-fix-mark", "timeline"],
)
def test_diagnosis_screen(snap_compare: Any, tmp_path: Path, keys: tuple[str, ...]) -> None:
    builtin = paths.builtin_themes_dir()
    assert builtin is not None
    app = build_app(Settings(), midnight_pager(), FrozenClock(NOW), theme_dirs=[builtin])
    app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
    assert snap_compare(app, terminal_size=(120, 40), run_before=_before(app, *keys))
