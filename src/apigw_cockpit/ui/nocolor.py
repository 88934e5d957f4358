"""NO_COLOR: meaning carried by bold / reverse instead of red.

Textual honours NO_COLOR by turning every colour into its grey (the `Monochrome` line filter).
Red is a dark grey, so errors came out *dimmer* than ordinary text: the culprit change was dim
grey next to a bright bold innocent one. This filter runs just before Textual's: text drawn in
the theme's error colour is redrawn at full text brightness and bold, and where it was bold
already (the strongest emphasis: the culprit change, the broken hop, 5XX) it is reversed too.
Error text is never dim. Other colours keep their grey; muted text stays muted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome, NoColor

if TYPE_CHECKING:
    from textual.app import App

# What an error segment becomes: (was it bold already?) -> the attributes it gets.
EMPHASIS: dict[bool, Style] = {
    False: Style(bold=True, dim=False),
    True: Style(bold=True, reverse=True, dim=False),
}
NEAR = 4  # per channel: widgets blend a colour by a unit or two (#F0544F drawn as #EF544F)


def _near(a: RichColor | None, b: tuple[int, int, int]) -> bool:
    if a is None or a.triplet is None:
        return False
    return all(abs(x - y) <= NEAR for x, y in zip(a.triplet, b, strict=True))


class Emphasis(LineFilter):
    """Error-coloured text → full-brightness bold (bold → bold reverse); see the module doc."""

    def __init__(self, app: App[int]) -> None:
        super().__init__()
        self.app = app
        self._cache: tuple[object, tuple[tuple[int, int, int], RichColor] | None] = (None, None)

    def _colours(self) -> tuple[tuple[int, int, int], RichColor] | None:
        """(the theme's error colour, its text colour), recomputed only when the theme changes."""
        theme = self.app.current_theme
        key = (theme.name, theme.error, theme.foreground)
        if self._cache[0] != key:
            value = None
            if theme.error:
                system = theme.to_color_system().generate()
                value = Color.parse(theme.error).rgb, Color.parse(system["foreground"]).rich_color
            self._cache = (key, value)
        return self._cache[1]

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        colours = self._colours()
        if colours is None:
            return segments
        error, text = colours
        out = []
        for seg in segments:
            style = seg.style
            if style is not None and not seg.control and _near(style.color, error):
                reversed_already = bool(style.reverse)
                style = style + Style(color=text) + EMPHASIS[bool(style.bold)]
                if reversed_already:  # the broken hop: reverse is its mark already, keep it
                    style += Style(reverse=True)
                seg = Segment(seg.text, style, seg.control)
            out.append(seg)
        return out


def install(app: App[int]) -> bool:
    """Put `Emphasis` just before Textual's NO_COLOR filter (Monochrome, or NoColor on an ANSI
    theme); False when there is none (NO_COLOR unset)."""
    filters = app._filters
    if any(isinstance(f, Emphasis) for f in filters):
        return True
    for i, f in enumerate(filters):
        if isinstance(f, Monochrome | NoColor):
            filters.insert(i, Emphasis(app))
            return True
    return False
