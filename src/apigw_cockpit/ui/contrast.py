"""WCAG 2.x contrast between two colours, in truecolour and as a 256-colour terminal shows them.

tmux, screen and many SSH terminals have 256 colours: Rich (under Textual) then sends each
colour as its nearest palette entry (`Color.downgrade(ColorSystem.EIGHT_BIT)`), and two dark
greys that differ in truecolour can land on the same palette black. So a pair is legible only
when it is legible both ways.
"""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet

AA_TEXT = 4.5  # WCAG 2.x 1.4.3, normal-size text (a terminal has no "large text")
AA_GRAPHICS = 3.0  # WCAG 2.x 1.4.11, non-text: borders, sparkline bars

RGB = tuple[int, int, int]


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    r, g, b = rgb
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(a: RGB, b: RGB) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def downsampled(rgb: RGB) -> RGB:
    """The colour a 256-colour terminal shows for `rgb` (Rich's own conversion)."""
    colour = RichColor.from_triplet(ColorTriplet(*rgb)).downgrade(ColorSystem.EIGHT_BIT)
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


def worst(fg: RGB, bg: RGB) -> float:
    """The lower of the truecolour and the 256-colour contrast."""
    return min(ratio(fg, bg), ratio(downsampled(fg), downsampled(bg)))
