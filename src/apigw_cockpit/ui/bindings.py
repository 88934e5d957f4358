"""Every key of the cockpit as data: id (remappable from config `[keys]`), key, action, words.

The same table feeds BINDINGS, the command palette and the help screen, so a key
cannot exist in one and be missing from another.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    id: str
    key: str
    action: str
    label: str
    help: str
    scope: str = "app"  # "app" or "cockpit" (only on the cockpit screen)
    show: bool = True
    # Priority keys work over modal screens too (Textual stops other app keys at a modal); the
    # app's check_action lets them through to a text field that has focus.
    priority: bool = False


KEYS: tuple[Key, ...] = (
    # Quit first: at 80 columns the footer cuts off whatever comes last.
    Key("quit", "q", "quit", "Quit", "leave the cockpit"),
    Key("help", "question_mark,f1", "help", "Help", "keys and what each pane means"),
    # k9s/lazygit users press esc to go back one level; `h`/home goes back to the live view from
    # any depth (help, a trace opened from the timeline, a yes/no question over verification).
    Key(
        "home",
        "h,home",
        "home",
        "Home",
        "back to the live cockpit from any screen",
        show=False,
        priority=True,
    ),
    Key("checks", "c", "checks", "Checks", "the checks list and their findings"),
    Key("walkthrough", "w", "walkthrough", "Walkthrough", "guided steps for this incident"),
    Key("verify", "v", "verify", "Verify", "verification checklist after a fix"),
    Key("timeline", "t", "timeline", "Timeline", "changes, notes and the fix on one line"),
    Key("chart", "g", "chart", "Charts", "full charts with change and onset markers"),
    Key("mark_fix", "F", "mark_fix", "Mark fix", "record now as the fix time", show=False),
    Key("note", "n", "note", "Note", "add a note to the incident journal", show=False),
    Key("screenshot", "s", "screenshot", "Screenshot", "save an SVG of the screen", show=False),
    Key(
        "report",
        "R",
        "report",
        "Write postmortem",
        "write the postmortem Markdown next to the journal",
        show=False,
    ),
    Key(
        "apply_fix",
        "X",
        "apply_fix",
        "Apply scenario fix (demo drill)",
        "fix the simulated world, mark fix time",
        show=False,
    ),
    Key("refresh", "r", "refresh_now", "Refresh", "poll all sources now and redraw", show=False),
    Key("pause", "p", "toggle_pause", "Pause", "pause/resume the live view", scope="cockpit"),
    Key("filter", "slash", "filter", "Filter", "filter the execution log", scope="cockpit"),
    Key(
        "failed_only",
        "a",
        "toggle_failed",
        "All/failed",
        "show all requests or failures only",
        scope="cockpit",
    ),
)


def bindings(scope: str) -> list[BindingType]:
    out: list[BindingType] = [
        Binding(k.key, k.action, k.label, show=k.show, id=k.id, priority=k.priority)
        for k in KEYS
        if k.scope == scope
    ]
    if scope == "app":
        # On-call reflex: Ctrl+C leaves (Textual's default only hints at ctrl+q).
        out.append(Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit_ctrl_c"))
    return out


DEMO_ONLY = frozenset({"apply_fix"})  # offered only when the feed can apply a fix (the demo)
# Keys that write (journal, notes, fix time, screenshots, report) or change the world: a
# read-only view (serve's war room, --read-only) hides them instead of faking "saved".
WRITES = frozenset({"mark_fix", "note", "screenshot", "report", "apply_fix"})


def offered(k: Key, *, demo: bool, read_only: bool) -> bool:
    """Whether help and the palette list this key in a session of this kind."""
    return (demo or k.id not in DEMO_ONLY) and not (read_only and k.id in WRITES)


def display_key(k: Key) -> str:
    first = k.key.split(",")[0]
    return {"question_mark": "?", "slash": "/"}.get(first, first)
