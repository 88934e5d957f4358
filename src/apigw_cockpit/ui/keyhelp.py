"""The help screen's key table, read from the BINDINGS of the app and of every screen.

One section per screen, in the order a user meets them. Each row is built from the screen's
own `Binding`s (key, description, tooltip) and, for the app's keys, the words in
`bindings.KEYS`: a key added to a screen shows up in help without anyone editing help.
Remapped keys (config `[keys]`) show as remapped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.screen import Screen

from apigw_cockpit.ui.bindings import KEYS, Key, bindings, offered

# What the cockpit's screens return: nothing, a yes/no (ConfirmScreen), a note's text (NoteScreen).
ScreenClass = type[Screen[None]] | type[Screen[bool]] | type[Screen[str | None]]

# (section title, "module:Class"): the screens whose own BINDINGS help lists. Imported when
# help opens (the chart screen pulls in plotext, which is not on the first-frame path).
SCREENS: tuple[tuple[str, str], ...] = (
    ("cockpit (the live view)", "apigw_cockpit.ui.screens.cockpit:CockpitScreen"),
    ("charts (g)", "apigw_cockpit.ui.screens.chart:ChartScreen"),
    ("checks, walkthrough, verify, timeline", "apigw_cockpit.ui.screens.info:InfoScreen"),
    ("verification (v)", "apigw_cockpit.ui.screens.verification:VerificationScreen"),
    ("yes/no questions (V5, unsafe routes)", "apigw_cockpit.ui.screens.verification:ConfirmScreen"),
    ("timeline evidence (enter on a row)", "apigw_cockpit.ui.screens.timeline:DetailScreen"),
    ("request trace (enter on a log row)", "apigw_cockpit.ui.screens.trace:TraceScreen"),
    ("note (n)", "apigw_cockpit.ui.screens.note:NoteScreen"),
    ("help (?)", "apigw_cockpit.ui.screens.help:HelpScreen"),
)
APP_SECTION = "everywhere"
# Keys that belong to a widget, not to a screen's BINDINGS: listed so help is complete.
WIDGET_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "enter",
        "Open",
        "on a log row the request's full trace; on the timeline the row's evidence; on a pane "
        "(tab to it) its lines cut short with …, in full",
    ),
    ("tab", "Next pane", "move the focus: the log table, the verdict, hop map, targets, changes"),
    ("ctrl+p", "Palette", "command palette: every action by name"),
)


@dataclass(frozen=True)
class Row:
    keys: tuple[str, ...]  # as displayed: "?", "f1", "esc", "^c"
    label: str
    help: str = ""
    binding_id: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]


def _screen_classes() -> dict[str, ScreenClass]:
    # Imported here, when help opens, not at module import (see SCREENS).
    from apigw_cockpit.ui.screens.chart import ChartScreen
    from apigw_cockpit.ui.screens.cockpit import CockpitScreen
    from apigw_cockpit.ui.screens.help import HelpScreen
    from apigw_cockpit.ui.screens.info import InfoScreen
    from apigw_cockpit.ui.screens.note import NoteScreen
    from apigw_cockpit.ui.screens.timeline import DetailScreen
    from apigw_cockpit.ui.screens.trace import TraceScreen
    from apigw_cockpit.ui.screens.verification import ConfirmScreen, VerificationScreen

    classes: tuple[ScreenClass, ...] = (
        ChartScreen,
        CockpitScreen,
        HelpScreen,
        InfoScreen,
        NoteScreen,
        DetailScreen,
        TraceScreen,
        ConfirmScreen,
        VerificationScreen,
    )
    return {f"{c.__module__}:{c.__name__}": c for c in classes}


def screen_class(path: str) -> ScreenClass:
    """The screen class SCREENS names; a name no screen answers to fails loudly."""
    classes = _screen_classes()
    if path not in classes:
        raise KeyError(f"help lists {path!r}, which is not one of {sorted(classes)}")
    return classes[path]


def own_bindings(cls: type) -> list[Binding]:
    """The bindings a class declares itself (not those it inherits: its parent's section has them)."""
    declared: Iterable[BindingType] = cls.__dict__.get("BINDINGS", ())
    return [b for b in declared if isinstance(b, Binding)]


def rows_of(
    declared: Iterable[Binding],
    display: Callable[[str], str],
    keymap: Mapping[str, str],
    words: Mapping[str, Key],
) -> tuple[Row, ...]:
    rows = []
    for b in declared:
        keys = keymap.get(b.id, b.key) if b.id else b.key
        key = words.get(b.id or "")
        label = key.label if key is not None else b.description
        text = key.help if key is not None else b.tooltip
        shown = tuple(display(k.strip()) for k in keys.split(",") if k.strip())
        rows.append(Row(shown, label, text, b.id or ""))
    return tuple(rows)


def sections(
    display: Callable[[str], str],
    *,
    keymap: Mapping[str, str] | None = None,
    demo: bool = False,
    read_only: bool = False,
    hidden: Callable[[type, Binding], bool] | None = None,
) -> list[Section]:
    """Every key of the app and of every screen, grouped by screen.

    `display` formats one key ("question_mark" -> "?"); `hidden(cls, binding)` drops keys a
    screen disables in this session (read-only views send no probes)."""
    keymap = dict(keymap or {})
    words = {k.id: k for k in KEYS}
    app_keys = [
        b
        for b in bindings("app")
        if isinstance(b, Binding)
        and (b.id not in words or offered(words[b.id], demo=demo, read_only=read_only))
    ]
    out = [Section(APP_SECTION, rows_of(app_keys, display, keymap, words))]
    for title, path in SCREENS:
        cls = screen_class(path)
        declared = [b for b in own_bindings(cls) if hidden is None or not hidden(cls, b)]
        out.append(Section(title, rows_of(declared, display, keymap, words)))
    widget = tuple(Row((display(k),), label, text) for k, label, text in WIDGET_ROWS)
    out.append(Section("lists and tables", widget))
    return out
