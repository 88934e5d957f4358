"""CockpitApp is a composition root (issue 11): it builds collaborators and hands keys and
messages to them; it does not inherit behaviour from mixins, and it stays small."""

from __future__ import annotations

import inspect
from pathlib import Path

from textual.app import App

from apigw_cockpit.ui import app as app_module
from apigw_cockpit.ui.app import CockpitApp
from apigw_cockpit.ui.bindings import KEYS
from apigw_cockpit.ui.screens.cockpit import CockpitScreen

# The root wires and delegates; logic lives in its collaborators. Raising this needs a reason.
# 210: the collaborators that need diagnose/ are imported in `_bind`, after the first frame (issue 17).
MAX_LINES = 210


def test_the_app_inherits_from_textual_only() -> None:
    assert CockpitApp.__bases__ == (App,), "state shared through mixins: give it a collaborator"


def test_app_module_stays_small() -> None:
    lines = len(Path(inspect.getfile(app_module)).read_text("utf-8").splitlines())
    assert lines < MAX_LINES, f"ui/app.py has {lines} lines: move the logic into a collaborator"


def test_every_key_has_its_action_where_textual_looks_it_up() -> None:
    """A key whose action_* is missing does nothing, silently: the table and the app must agree."""
    for key in KEYS:
        owner = CockpitApp if key.scope == "app" else CockpitScreen
        method = getattr(owner, f"action_{key.action}", None)
        assert callable(method), f"{key.id}: no action_{key.action} on {owner.__name__}"
        if key.action != "quit":  # Textual's own
            assert f"action_{key.action}" in vars(owner), f"{key.id}: inherited, not ours"
