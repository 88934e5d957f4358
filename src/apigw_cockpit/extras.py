"""Optional extras: the simulated world needs the `demo` extra (moto, boto3); say how to install it, exit 2.

Outside commands/ because finding a module without importing it needs importlib (commands/ has no
dynamic imports)."""

from __future__ import annotations

import importlib.util

from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_USAGE

INSTALL = "pip install 'apigw-cockpit[demo]'"
NEEDED = ("moto", "boto3", "werkzeug")


def missing_demo_modules() -> list[str]:
    """The demo extra's modules that cannot be imported (without importing them: moto is slow)."""
    out = []
    for name in NEEDED:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            out.append(name)
    return out


def require_demo_extra(command: str) -> int | None:
    """None when the simulated world can start; else prints one line and returns exit code 2."""
    missing = missing_demo_modules()
    if not missing:
        return None
    err_line(
        f"apigw-cockpit {command}: the simulated AWS world needs the demo extra "
        f"({', '.join(missing)} not installed): {INSTALL}"
    )
    return EXIT_USAGE
