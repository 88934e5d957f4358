"""ui layer (see DESIGN section 2): the Textual cockpit.

`build_app(settings, feed, clock)` and `run_tui(args, feed, clock)` are imported lazily so
that `import apigw_cockpit.ui.sanitize` and friends stay cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what the lazy names are, for mypy
    from apigw_cockpit.ui.app import build_app
    from apigw_cockpit.ui.run import run_tui

__all__ = ["build_app", "run_tui"]


def __getattr__(name: str) -> object:
    if name == "build_app":
        from apigw_cockpit.ui.app import build_app

        return build_app
    if name == "run_tui":
        from apigw_cockpit.ui.run import run_tui

        return run_tui
    raise AttributeError(name)
