"""NO_COLOR=1: errors and the culprit stand out by bold / reverse, never by a dimmer grey.

Textual honours NO_COLOR by drawing every colour as its grey (its Monochrome line filter, set
up when the app is created): red turns dark grey, so without care an error is *dimmer* than
ordinary text. These tests read the cells as the terminal receives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.segment import Segment
from textual.filter import Monochrome
from textual.widgets import DataTable

from apigw_cockpit.ui.contrast import luminance
from apigw_cockpit.ui.panes.changes import ChangesPane
from apigw_cockpit.ui.panes.hopmap import HopMap

from .conftest import settle
from .fakes import midnight_pager
from .screen_tour import cells


def _segments(app: Any, widget: Any, text: str) -> list[Segment]:
    region = widget.region
    found = [s for x, y, s in cells(app) if region.contains(x, y) and text in s.text]
    assert found, f"{text!r} not drawn in {type(widget).__name__}"
    return found


def _brightness(seg: Segment) -> float:
    """How bright the glyphs look: the foreground, or the background when reversed."""
    style = seg.style
    assert style is not None and style.color is not None and style.bgcolor is not None
    shown = style.bgcolor if style.reverse else style.color
    t = shown.get_truecolor()
    return luminance((t.red, t.green, t.blue))


def _emphasised(seg: Segment) -> bool:
    style = seg.style
    return style is not None and not style.dim and bool(style.bold or style.reverse)


@pytest.mark.parametrize("theme", ["cockpit-dark", "cockpit-light", "high-contrast", "colorblind-safe"])
async def test_culprit_change_outshines_the_innocent_one(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(midnight_pager(), theme=theme)
    assert any(isinstance(f, Monochrome) for f in app._filters)  # Textual took NO_COLOR up
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        changes = app.screen.query_one(ChangesPane)
        (culprit,) = _segments(app, changes, "RevokeSecurityGroupIngress")
        (innocent,) = _segments(app, changes, "UpdateStage")
        for seg in (culprit, innocent):
            style = seg.style
            assert style is not None and style.color is not None
            t = style.color.get_truecolor()
            assert t.red == t.green == t.blue, "NO_COLOR: no colour reaches the terminal"
        assert _emphasised(culprit)
        # Reverse is the strongest mark a monochrome screen has; otherwise at least as bright.
        assert (culprit.style and culprit.style.reverse) or _brightness(culprit) >= _brightness(innocent)
        assert not (innocent.style and innocent.style.reverse)


async def test_error_text_is_never_dimmer_than_plain_text(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count > 1
        plain = _segments(app, screen.query_one(ChangesPane), " by ")[0]  # unstyled text
        errors = [
            *_segments(app, screen.query_one("#header"), "findings"),  # "$error bold"
            # The broken hop's line under the map ("✗ TG: ..."), not the muted key "✓ ok  ✗ failing".
            *[s for s in _segments(app, screen.query_one(HopMap), "✗") if s.text.startswith("✗ ")],
            # Status cells, but not on the cursor row: the cursor is a highlight of its own.
            *[
                seg
                for seg in _segments(app, screen.query_one("#log-table"), "504")
                if seg.style is not None and seg.style.meta.get("row") != table.cursor_row
            ],
        ]
        for seg in errors:
            assert _emphasised(seg), f"{seg.text!r}: {seg.style}"
            assert _brightness(seg) >= _brightness(plain) or (seg.style and seg.style.reverse), seg.text


async def test_without_no_color_the_colours_stay(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        (culprit,) = _segments(app, app.screen.query_one(ChangesPane), "RevokeSecurityGroupIngress")
        assert culprit.style is not None and culprit.style.color is not None
        t = culprit.style.color.get_truecolor()
        error = app.current_theme.to_color_system().error.rgb
        assert all(abs(a - b) <= 2 for a, b in zip((t.red, t.green, t.blue), error, strict=True))
        assert not culprit.style.reverse  # colour does the work; reverse is only for NO_COLOR
