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
    # The footer's order, and what it drops first when the row does not fit (the highest
    # number goes first; ui/footer.py). Help lists every key whatever its rank.
    rank: int = 50


# A screen's own keys (esc Back, 1/2/3 of the charts, y/n of a question) rank right after
# q and ?: on that screen they are what the screen is for.
SCREEN_RANK = 5

KEYS: tuple[Key, ...] = (
    # q and ? first: whatever the width, the way out and the way to every other key. Then the
    # incident's screens, in the order an on-call uses them; the log pane's own keys last
    # (they are also in the log pane's title and in help).
    Key("quit", "q", "quit", "Quit", "leave the cockpit", rank=0),
    Key("help", "question_mark,f1", "help", "Help", "keys and what each pane means", rank=1),
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
    Key("checks", "c", "checks", "Checks", "the checks list and their findings", rank=10),
    Key("walkthrough", "w", "walkthrough", "Walkthrough", "guided steps for this incident", rank=11),
    Key("verify", "v", "verify", "Verify", "verification checklist after a fix", rank=12),
    Key("timeline", "t", "timeline", "Timeline", "changes, notes and the fix on one line", rank=13),
    Key("chart", "g", "chart", "Charts", "full charts with change and onset markers", rank=14),
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
    Key("pause", "p", "toggle_pause", "Pause", "pause/resume the live view", scope="cockpit", rank=22),
    Key("filter", "slash", "filter", "Filter", "filter the execution log", scope="cockpit", rank=21),
    Key(
        "failed_only",
        "a",
        "toggle_failed",
        "All/failed",
        "show all requests or failures only",
        scope="cockpit",
        rank=20,
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


_RANKS = {k.id: k.rank for k in KEYS}


def rank_of(binding_id: str | None) -> int:
    """A binding's footer rank: its Key's, or SCREEN_RANK for a screen's own binding."""
    return _RANKS.get(binding_id or "", SCREEN_RANK)


def display_key(k: Key) -> str:
    first = k.key.split(",")[0]
    return {"question_mark": "?", "slash": "/"}.get(first, first)


# Until the feed is attached only quitting makes sense: every other app key reads the feed/state.
NEEDS_FEED = frozenset(k.action for k in KEYS) - {"quit"}
WRITE_ACTIONS = frozenset(k.action for k in KEYS if k.id in WRITES)


def allowed(action: str, *, attached: bool, demo: bool, read_only: bool, typing: bool) -> bool:
    """The app's `check_action`: whether an app key works now. `typing`: a text field has focus."""
    if not attached and action in NEEDS_FEED:
        return False
    # The drill key exists only where a fix can be applied (the demo, not read-only).
    if action == "apply_fix":
        return demo
    if action == "home":
        # A priority key: while a text field has focus (filter, note, palette) `h` is a letter.
        return not typing
    # A read-only view writes nothing: its write keys are gone, not faked.
    return not (read_only and action in WRITE_ACTIONS)
