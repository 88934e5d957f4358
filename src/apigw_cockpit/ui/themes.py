"""Theme files (TOML) → validated `textual.theme.Theme`; errors name the file and the key.

A theme file is flat: `name`, `dark`, the Theme colour fields, and an optional
`[variables]` table of extra CSS variables. Unknown keys are errors, not ignored,
so a typo does not silently fall back to a default colour.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

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


class ThemeError(ValueError):
    """One line: `<file>: <key>: <problem>`."""


def _color(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"{path}: {key}: expected a colour string, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{path}: {key}: not a colour: {value!r}") from None
    return value


def theme_from_dict(path: Path, data: dict[str, Any]) -> Theme:
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
            if isinstance(data[key], bool) or not isinstance(data[key], int | float):
                raise ThemeError(f"{path}: {key}: must be a number")
            floats[key] = float(data[key])
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError(f"{path}: variables: must be a table")
    for var, value in variables.items():
        if not isinstance(value, str):
            raise ThemeError(f"{path}: variables.{var}: must be a string")
    return Theme(
        name=name,
        dark=dark,
        variables=dict(variables),
        luminosity_spread=floats.get("luminosity_spread", 0.15),
        text_alpha=floats.get("text_alpha", 0.95),
        **colors,  # type: ignore[arg-type]  # keys are exactly Theme's colour fields (validated above)
    )


def load_theme_file(path: Path) -> Theme:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read: {exc.strerror}") from None
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
