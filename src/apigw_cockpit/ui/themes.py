"""Theme files (TOML) → validated `textual.theme.Theme`; errors name the file and the key.

A theme file is flat: `name`, `dark`, the Theme colour fields, and an optional
`[variables]` table of extra CSS variables. Unknown keys are errors, not ignored,
so a typo does not silently fall back to a default colour.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from apigw_cockpit.safe_write import RefusedPath, read_regular
from apigw_cockpit.ui.contrast import AA_TEXT, worst

COLOR_KEYS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
FLOAT_KEYS = ("luminosity_spread", "text_alpha")
KNOWN_KEYS = {"name", "dark", "variables", *COLOR_KEYS, *FLOAT_KEYS}
DEFAULT_THEME = "cockpit-dark"
MAX_THEME_BYTES = 256 * 1024  # a theme is a dozen lines

# Textual's own variables, with their defaults: a value must be of the kind its default is
# (a colour where a colour belongs), else the stylesheet fails to parse at start-up and the
# app ends in Textual's CSS error screen. Variables of our own are checked by the app
# against its stylesheet (`ThemeWatcher.css_problem`).
TEXTUAL_VARIABLES = Theme(name="defaults", primary="#000000").to_color_system().generate()
_AUTO = re.compile(r"auto(\s+\d{1,3}(\.\d+)?%)?")
_VARIABLE = re.compile(r"\$[A-Za-z0-9_-]+")


class ThemeError(ValueError):
    """One line: `<file>: <key>: <problem>`."""

    def __str__(self) -> str:
        # Keys come from the user's file and may hold newlines: the message stays one line.
        return super().__str__().replace("\r", "\\r").replace("\n", "\\n")


def _color(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"{path}: {key}: expected a colour string, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{path}: {key}: not a colour: {value!r}") from None
    return value


def theme_from_dict(path: Path, data: Mapping[str, object]) -> Theme:
    """A theme from one parsed TOML file; every value is checked before it is used."""
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ThemeError(f"{path}: {unknown[0]}: unknown key (known: {', '.join(sorted(KNOWN_KEYS))})")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ThemeError(f"{path}: name: must be a non-empty string")
    if "primary" not in data:
        raise ThemeError(f"{path}: primary: required")
    colors = {key: _color(path, key, data[key]) for key in COLOR_KEYS if key in data}
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError(f"{path}: dark: must be true or false")
    floats: dict[str, float] = {}
    for key in FLOAT_KEYS:
        if key in data:
            number = data[key]
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ThemeError(f"{path}: {key}: must be a number")
            floats[key] = float(number)
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError(f"{path}: variables: must be a table")
    for var, value in variables.items():
        if not isinstance(value, str):
            raise ThemeError(f"{path}: variables.{var}: must be a string")
        _check_variable(path, str(var), value)
    theme = Theme(
        name=name,
        dark=dark,
        variables=dict(variables),
        luminosity_spread=floats.get("luminosity_spread", 0.15),
        text_alpha=floats.get("text_alpha", 0.95),
        **colors,  # type: ignore[arg-type]  # keys are exactly Theme's colour fields (validated above)
    )
    if "text-muted" not in theme.variables:
        theme.variables["text-muted"] = muted_colour(theme)
    return theme


def muted_colour(theme: Theme) -> str:
    """A concrete `$text-muted` for a theme that does not set one.

    Textual's default is `auto 60%`, and Content styles drop the alpha (muted text comes out
    pure white, or pure black in the log table). The foreground is dimmed toward the panes'
    background only as far as it stays AA-legible there, in truecolour and in 256 colours.
    """
    system = theme.to_color_system().generate()
    fg = Color.parse(system["foreground"])
    backgrounds = [Color.parse(system[k]) for k in ("surface", "panel", "background")]
    best = fg
    for step in range(1, 9):  # up to 40 % of the way: muted, not faint
        candidate = fg.blend(backgrounds[0], step * 0.05)
        if min(worst(candidate.rgb, bg.rgb) for bg in backgrounds) < AA_TEXT:
            break
        best = candidate
    return best.hex


def _is_colour(value: str) -> bool:
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


def _check_variable(path: Path, var: str, value: str) -> None:
    """A Textual variable gets a value of the kind of its default (colour, auto colour, text style)."""
    if var not in TEXTUAL_VARIABLES or _VARIABLE.fullmatch(value.strip()):
        return
    default, v = TEXTUAL_VARIABLES[var], value.strip()
    if var.endswith("text-style"):
        words = v.split()
        if not words or any(w not in VALID_STYLE_FLAGS for w in words):
            raise ThemeError(f"{path}: variables.{var}: not a text style: {value!r} (e.g. 'bold underline')")
    elif (_is_colour(default) or _AUTO.fullmatch(default)) and not (
        _is_colour(v) or _AUTO.fullmatch(v) or _colour_with_alpha(v)
    ):
        raise ThemeError(f"{path}: variables.{var}: not a colour: {value!r}")


def _colour_with_alpha(value: str) -> bool:
    """`#112233 50%` / `red 20%`: a colour followed by an alpha percentage."""
    head, _, alpha = value.rpartition(" ")
    return bool(head) and re.fullmatch(r"\d{1,3}(\.\d+)?%", alpha) is not None and _is_colour(head)


def load_theme_file(path: Path) -> Theme:
    try:
        # Regular files only (a FIFO must not block start-up), bounded, UTF-8 as TOML requires.
        data = tomllib.loads(read_regular(path, MAX_THEME_BYTES).decode("utf-8"))
    except RefusedPath as exc:
        raise ThemeError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ThemeError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return theme_from_dict(path, data)


def theme_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_dir():
            files.extend(sorted(d.glob("*.toml")))
    return files


def load_all(dirs: Iterable[Path]) -> tuple[dict[str, Theme], list[ThemeError]]:
    """Every valid theme (later dirs override earlier ones by name), and every error."""
    themes: dict[str, Theme] = {}
    errors: list[ThemeError] = []
    for f in theme_files(dirs):
        try:
            theme = load_theme_file(f)
        except ThemeError as exc:
            errors.append(exc)
            continue
        themes[theme.name] = theme
    return themes, errors
