"""`run_tui`: the cockpit in the foreground for a feed the caller opened (`apigw-cockpit` in code)."""

from __future__ import annotations

import argparse
from typing import Unpack

from apigw_cockpit.config import load_settings
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.incident.sink import sink_for
from apigw_cockpit.model import Clock
from apigw_cockpit.outbound import err_line
from apigw_cockpit.ui.app import AppOptions, build_app
from apigw_cockpit.ui.feed import Feed


def run_tui(args: argparse.Namespace, feed: Feed, clock: Clock, **options: Unpack[AppOptions]) -> int:
    """Run the full-screen cockpit; a malformed config is one line and exit 2."""
    try:
        settings = load_settings(args)
    except ConfigError as exc:
        err_line(f"apigw-cockpit: {exc}")
        return 2
    if "journal" not in options and not settings.read_only:
        # Read-only views (serve's war room) watch; only the driving session keeps the record.
        options["journal"] = sink_for(getattr(args, "journal", None), feed.topology, clock)
    app = build_app(settings, feed, clock, **options)
    try:
        app.run()
    finally:
        if app.journal is not None:
            app.journal.close(app.signals.reason)  # no-op after unmount closed it
    return app.return_code or 0
