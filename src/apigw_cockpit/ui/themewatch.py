"""Theme registration and hot reload: a `watchfiles.awatch` worker in its own group.

A file that fails validation keeps the previous theme and raises one notification
naming the file and the problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.theme import Theme

from apigw_cockpit.ui import ascii_filter, nocolor
from apigw_cockpit.ui.themes import DEFAULT_THEME, TEXTUAL_VARIABLES, ThemeError, load_all, load_theme_file

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.config import Settings

RELOAD_DEBOUNCE_MS = 150  # watchfiles defaults to 1.6 s; the brief is "restyles within a second"


class ThemeWatcher:
    """Registers the themes in `dirs` on `app` (checked first) and reloads them when they change.

    `errors` keeps every problem it raised a toast for (tests read it)."""

    def __init__(self, app: App[int], dirs: list[Path]) -> None:
        self._app, self.dirs = app, dirs
        self.errors: list[str] = []

    def css_problem(self, theme: Theme) -> str | None:
        """Why the app's stylesheet would not parse with this theme's variables, or None.

        Applying a theme whose `[variables]` break the CSS ends the app in Textual's error
        screen, so every theme is tried on a copy of the stylesheet before it is registered."""
        if not set(theme.variables) - set(TEXTUAL_VARIABLES):
            return None  # Textual's own variables were checked by kind when the file was read
        sheet = self._app.stylesheet.copy()  # ~130 ms: only for themes with variables of their own
        variables = {**self._app.get_theme_variable_defaults(), **theme.to_color_system().generate()}
        sheet.set_variables({**variables, **theme.variables})
        try:
            sheet.reparse()
        except Exception as exc:  # StylesheetError, TokenError…: any parse failure is the theme's
            detail = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
            return f"theme {theme.name!r}: its [variables] break the stylesheet: {detail}"
        return None

    def _register_checked(self, theme: Theme, origin: str) -> bool:
        problem = self.css_problem(theme)
        if problem:
            self._theme_error(f"{origin}: {problem}")
            return False
        self._app.register_theme(theme)
        return True

    def load(self, settings: Settings) -> None:
        """Register every theme and apply the configured one (presenter mode: high contrast,
        unless a theme other than the default was asked for)."""
        wanted = settings.theme
        if settings.presenter and wanted == "cockpit-dark":
            wanted = "high-contrast"
        self._app.set_class(settings.ascii, "-ascii")
        nocolor.install(self._app)  # NO_COLOR: errors by bold/reverse, not by a dim grey
        ascii_filter.install(self._app)  # --ascii: nothing else reaches the terminal
        themes, errors = load_all(self.dirs)
        for theme in themes.values():
            self._register_checked(theme, "themes")
        for err in errors:
            self._theme_error(str(err))
        for name in (wanted, DEFAULT_THEME, "textual-dark"):
            if name in self._app.available_themes:
                if name != wanted:
                    self._theme_error(f"theme {wanted!r} not found; using {name!r}")
                self._app.theme = name
                return

    def _theme_error(self, message: str) -> None:
        self.errors.append(message)
        self._app.notify(message, title="theme", severity="error", timeout=10)

    def reload_theme_file(self, path: Path) -> bool:
        """Re-read one file; True if it is valid and registered."""
        try:
            theme = load_theme_file(path)
        except ThemeError as exc:
            self._theme_error(str(exc))
            return False
        if not self._register_checked(theme, str(path)):
            return False
        if theme.name == self._app.theme:
            # Same name: the reactive will not fire, so re-apply the colours explicitly.
            self._app._watch_theme(theme.name)
        return True

    def start(self) -> None:
        dirs = [d for d in self.dirs if d.is_dir()]
        if dirs:
            self._app.run_worker(
                self._watch(dirs), name="themes", group="themes", exclusive=True, exit_on_error=False
            )

    async def _watch(self, dirs: list[Path]) -> None:
        from watchfiles import awatch

        async for changes in awatch(*dirs, debounce=RELOAD_DEBOUNCE_MS, step=50, recursive=False):
            for _change, raw in sorted(changes, key=lambda c: c[1]):
                path = Path(raw)
                if path.suffix == ".toml" and path.is_file():
                    self.reload_theme_file(path)
