"""Every shipped theme is legible: each foreground/background pair it uses meets WCAG AA (4.5:1)
in truecolour and after Rich's 256-colour downsampling (tmux, screen, most SSH terminals).

Two views of "the pairs a theme uses", neither typed by hand:
- drawn: every cell of every screen as the terminal receives it (final segments), so Textual's
  own widgets (table header, cursor row, footer) and our panes are judged as they really look;
- declared: every colour variable our panes and stylesheet name as a foreground, on every
  variable the stylesheet names as a background, resolved the way Textual resolves them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.constants import DIM_FACTOR
from textual.markup import parse_style

from apigw_cockpit import paths
from apigw_cockpit.ui.contrast import AA_GRAPHICS, AA_TEXT, RGB, downsampled, ratio
from apigw_cockpit.ui.themes import load_all

from .fakes import midnight_pager
from .screen_tour import drawn, tour

UI = Path(__file__).resolve().parents[2] / "src" / "apigw_cockpit" / "ui"
BUILTIN = paths.builtin_themes_dir()
assert BUILTIN is not None
THEMES, _errors = load_all([BUILTIN])
# Box drawing, block elements and the sparkline ramp are graphics (WCAG 1.4.11: 3:1), not text.
GRAPHICS = re.compile(r"^[\u2500-\u259f\s]+$")


def _rgb(c: Any) -> RGB:
    t = c.get_truecolor()
    return (t.red, t.green, t.blue)


@functools.cache
def _worst(fg: RGB, bg: RGB) -> float:
    """The lower of the truecolour and 256-colour ratios (a screen repeats few pairs many times)."""
    return min(ratio(fg, bg), ratio(downsampled(fg), downsampled(bg)))


def _failures(segments: list[Segment], where: str) -> list[str]:
    bad: dict[tuple[RGB, RGB, bool], str] = {}
    for seg in segments:
        text, style = seg.text, seg.style
        if not text.strip() or style is None:
            continue
        fg_c, bg_c = style.color, style.bgcolor
        assert fg_c is not None and bg_c is not None, (
            f"{where}: {text!r} drawn in the terminal's default colours"
        )
        fg, bg = _rgb(fg_c), _rgb(bg_c)
        if style.reverse:
            fg, bg = bg, fg
        if style.dim:  # the terminal blends dim text toward the background (Textual's factor)
            fg = Color(*fg).blend(Color(*bg), 1 - DIM_FACTOR).rgb
        need = AA_GRAPHICS if GRAPHICS.match(text) else AA_TEXT
        got = _worst(fg, bg)
        if got < need:
            bad.setdefault((fg, bg, need == AA_TEXT), text.strip()[:24])
    return [
        f"{where}: {sample!r} #{fg[0]:02x}{fg[1]:02x}{fg[2]:02x} on #{bg[0]:02x}{bg[1]:02x}{bg[2]:02x}: "
        f"{ratio(fg, bg):.2f} truecolour, {ratio(downsampled(fg), downsampled(bg)):.2f} in 256 colours"
        for (fg, bg, _text), sample in bad.items()
    ]


def test_every_shipped_theme_is_measured() -> None:
    assert _errors == []
    assert {"cockpit-dark", "cockpit-light", "high-contrast", "colorblind-safe"} <= set(THEMES)


@pytest.mark.sim  # slow lane: every screen of the tour, drawn and measured cell by cell
@pytest.mark.parametrize("theme", sorted(THEMES))
async def test_drawn_pairs_meet_aa(make_app: Callable[..., Any], theme: str) -> None:
    app = make_app(midnight_pager(), theme=theme)
    failures: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        seen = []
        async for screen in tour(app, pilot):
            seen.append(screen)
            assert app.theme == theme
            failures += _failures(drawn(app, behind=False), f"{theme}/{screen}")
    assert len(seen) >= 8
    assert not failures, "\n".join(failures)


# -- declared pairs ------------------------------------------------------------------------
_STYLE_VAR = re.compile(r"""["']\$([a-z][a-z0-9-]*)(?:\s[a-z ]*)?["']""")
_DECL = re.compile(r"([a-z-]+)\s*:\s*[^;{}]*?\$([a-z][a-z0-9-]*)(?:\s+(\d{1,3})%)?")
_FG_PROPS = {"color", "border-title-color", "border-subtitle-color", "border"}


def declared() -> tuple[set[str], set[str]]:
    """(foreground variables, backgrounds) named by the UI's styles and stylesheet; a background
    with an alpha ("$error 20%": a tint over the pane) is "error 20"."""
    fg: set[str] = set()
    bg: set[str] = set()
    for py in UI.rglob("*.py"):
        fg.update(_STYLE_VAR.findall(py.read_text()))
    for css in [*UI.rglob("*.tcss"), *UI.rglob("*.py")]:
        for prop, var, alpha in _DECL.findall(css.read_text()):
            if prop == "background":
                bg.add(f"{var} {alpha}" if alpha and alpha != "100" else var)
            elif prop in _FG_PROPS:
                fg.add(var)
    return fg, bg


def test_declared_pairs_are_found() -> None:
    fg, bg = declared()
    # The derivation must see what the panes obviously use, or it proves nothing.
    assert {"text-muted", "error", "warning", "success", "accent"} <= fg
    assert {"surface", "panel", "background"} <= bg


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_declared_pairs_meet_aa(theme: str) -> None:
    t = THEMES[theme]
    variables = {**t.to_color_system().generate(), **t.variables}
    fg_vars, bg_vars = declared()
    failures = []
    for bg_var in sorted(bg_vars):
        name, _, alpha = bg_var.partition(" ")
        bg = Color.parse(variables[name])
        if alpha:  # a tint: drawn over the pane's own background
            bg = Color.parse(variables["surface"]) + bg.multiply_alpha(int(alpha) / 100)
        for fg_var in sorted(fg_vars | {"foreground"}):
            # Exactly as a pane's Content style "$name" resolves (on the pane's background).
            style_fg = parse_style(f"${fg_var}", variables).foreground
            assert style_fg is not None, fg_var
            fg = (bg + style_fg).rgb
            need = AA_GRAPHICS if fg_var == "secondary" else AA_TEXT  # secondary: pane borders
            tc, c256 = ratio(fg, bg.rgb), ratio(downsampled(fg), downsampled(bg.rgb))
            if min(tc, c256) < need:
                failures.append(f"{theme}: ${fg_var} on ${bg_var}: {tc:.2f} truecolour, {c256:.2f} in 256")
    assert not failures, "\n".join(failures)


def test_a_user_theme_without_text_muted_gets_a_legible_concrete_one(tmp_path: Path) -> None:
    from apigw_cockpit.ui.themes import load_theme_file

    f = tmp_path / "mine.toml"
    f.write_text('name = "mine"\nprimary = "#4FA3E0"\nforeground = "#D6DCE4"\nbackground = "#10151C"\n')
    theme = load_theme_file(f)
    muted = Color.parse(theme.variables["text-muted"])  # a colour, not Textual's `auto 60%`
    assert not muted.auto
    system = theme.to_color_system().generate()
    fg = Color.parse(system["foreground"])
    for bg in ("surface", "panel", "background"):
        bg_rgb = Color.parse(system[bg]).rgb
        assert min(ratio(muted.rgb, bg_rgb), ratio(downsampled(muted.rgb), downsampled(bg_rgb))) >= AA_TEXT
    assert muted != fg  # still muted: dimmer than the text it sits next to
