"""Theme registration and hot reload: a `watchfiles.awatch` worker in its own group.

A file that fails validation keeps the previous theme and raises one notification
naming the file and the problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from apigw_cockpit.ui.themes import DEFAULT_THEME, ThemeError, load_all, load_theme_file

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[int]
else:
    _Base = object

RELOAD_DEBOUNCE_MS = 150  # watchfiles defaults to 1.6 s; the brief is "restyles within a second"


class ThemeWatcher(_Base):
    theme_dirs: list[Path]
    theme_errors: list[str]

    def load_themes(self, wanted: str) -> None:
        themes, errors = load_all(self.theme_dirs)
        for theme in themes.values():
            self.register_theme(theme)
        for err in errors:
            self._theme_error(str(err))
        for name in (wanted, DEFAULT_THEME, "textual-dark"):
            if name in self.available_themes:
                if name != wanted:
                    self._theme_error(f"theme {wanted!r} not found; using {name!r}")
                self.theme = name
                return

    def _theme_error(self, message: str) -> None:
        self.theme_errors.append(message)
        self.notify(message, title="theme", severity="error", timeout=10)

    def reload_theme_file(self, path: Path) -> bool:
        """Re-read one file; True if it is valid and registered."""
        try:
            theme = load_theme_file(path)
        except ThemeError as exc:
            self._theme_error(str(exc))
            return False
        self.register_theme(theme)
        if theme.name == self.theme:
            # Same name: the reactive will not fire, so re-apply the colours explicitly.
            self._watch_theme(theme.name)
        return True

    def start_theme_watcher(self) -> None:
        dirs = [d for d in self.theme_dirs if d.is_dir()]
        if dirs:
            self.run_worker(
                self._watch(dirs), name="themes", group="themes", exclusive=True, exit_on_error=False
            )

    async def _watch(self, dirs: list[Path]) -> None:
        from watchfiles import awatch

        async for changes in awatch(*dirs, debounce=RELOAD_DEBOUNCE_MS, step=50, recursive=False):
            for _change, raw in sorted(changes, key=lambda c: c[1]):
                path = Path(raw)
                if path.suffix == ".toml" and path.is_file():
                    self.reload_theme_file(path)
