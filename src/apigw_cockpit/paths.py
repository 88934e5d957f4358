"""Every on-disk location the cockpit uses, in one place (XDG base directories).

No textual/rich imports: the config layer must stay importable by headless commands.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_DIR = "apigw-cockpit"


def _xdg(env: Mapping[str, str], var: str, fallback: str) -> Path:
    raw = env.get(var, "")
    # XDG says relative paths in these variables are invalid and must be ignored.
    if raw and os.path.isabs(raw):
        return Path(raw)
    return Path.home() / fallback


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    return _xdg(os.environ if env is None else env, "XDG_CONFIG_HOME", ".config") / APP_DIR


def config_file(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "config.toml"


def user_themes_dir(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "themes"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where incident journals live (XDG_STATE_HOME: survives reboots, not shared)."""
    return _xdg(os.environ if env is None else env, "XDG_STATE_HOME", ".local/state") / APP_DIR


def builtin_themes_dir() -> Path | None:
    """Themes shipped with the package; the repo's top-level `themes/` in an editable install."""
    from importlib import resources

    try:
        shipped = Path(str(resources.files("apigw_cockpit") / "themes"))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - namespace oddities
        shipped = None
    if shipped is not None and shipped.is_dir():
        return shipped
    # src/apigw_cockpit/paths.py -> repo root
    repo = Path(__file__).resolve().parents[2] / "themes"
    return repo if repo.is_dir() else None


def theme_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Built-in first, then the user's: a user file with the same theme name wins."""
    dirs = [d for d in (builtin_themes_dir(),) if d is not None]
    dirs.append(user_themes_dir(env))
    return dirs
