"""A footer that shows only the keys that fit, most important first, never a label cut in half.

Textual's Footer lays every shown binding out in a row and lets the terminal's edge cut the
rest ("t Ti…" at 80 columns). This one orders the keys by `bindings.rank_of` (q and ? first)
and hides the lowest-ranked ones until the row fits its width, again on every resize and
whenever the bindings change. Hidden keys still work, and help (`?`) lists every one of them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from apigw_cockpit.ui.bindings import rank_of

PALETTE = "-command-palette"


class FitFooter(Footer):
    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        # The footer shows one key per action; its rank is the best of that action's bindings
        # (Textual's own ctrl+q shares "quit" with our q).
        ranks: dict[str, int] = {}
        active = [binding for _node, binding, _enabled, _tip in self.screen.active_bindings.values()]
        for binding in active:
            rank = rank_of(binding.id)
            ranks[binding.action] = min(rank, ranks.get(binding.action, rank))
        if any(b.group is not None for b in active if b.show):
            # Textual composes binding groups inside `with KeyGroup():`, which cannot be
            # collected and re-ordered here: keep its order (fit() still drops ungrouped keys).
            yield from super().compose()
            return
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class(PALETTE)]
        rest = [w for w in widgets if w not in keys]
        # sorted() is stable: keys of one rank keep the order their screen declared them in.
        yield from sorted(keys, key=lambda k: ranks.get(k.action, rank_of(None)))
        yield from rest

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def watch_show_command_palette(self) -> None:
        # Textual's footer composes the palette hint once: a narrow terminal turning it off
        # (screens/cockpit.py) left it drawn over the keys' room.
        if self.is_mounted:
            self.call_after_refresh(self.recompose)

    def watch_compact(self) -> None:
        # The compact style changes every key's padding: measure once the new styles apply.
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Show the longest run of keys, in rank order, that fits beside the palette hint."""
        width = self.size.width
        if width <= 0:
            return
        keys = [k for k in self.query_children(FooterKey) if not k.has_class(PALETTE)]
        palette = [k for k in self.query_children(FooterKey) if k.has_class(PALETTE)]
        room = width - sum(key_width(p) for p in palette if p.display)
        used, fits = 0, True
        for key in keys:
            used += key_width(key)
            fits = fits and used <= room
            if key.display != fits:
                key.display = fits


def key_width(key: FooterKey) -> int:
    """Cells a key takes in the row: its text (key, label, their padding), gutter and margin.

    Measured from what it renders, not from its last layout, so a hidden key can be measured
    for the next, wider, terminal."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width
