"""ui layer (see DESIGN section 2): the Textual cockpit.

`build_app(settings, feed, clock)` and `run_tui(args, feed, clock)` are imported lazily so
that `import apigw_cockpit.ui.sanitize` and friends stay cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_app", "run_tui"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from apigw_cockpit.ui import app

        return getattr(app, name)
    raise AttributeError(name)
