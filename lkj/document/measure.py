"""Text widths measured with the fonts that print them (the shipped ``lkj/fonts``).

The advance width of every glyph is read once per font from its ``hmtx`` table (fontTools); a
text's width at a size is the sum of its glyphs' advances (kerning ignored: Liberation's kerning
only narrows, so the measure is never short).
"""

from __future__ import annotations

from functools import cache

from lkj.core.resources import FONTS_DIR

MONO_ADVANCE = 0.602
"""Advance of DejaVu Sans Mono (Typst's own, used for checksums), in em."""
_FILES = {
    ("Liberation Sans", False): "LiberationSans-Regular.ttf",
    ("Liberation Sans", True): "LiberationSans-Bold.ttf",
    ("Liberation Serif", False): "LiberationSerif-Regular.ttf",
    ("Liberation Serif", True): "LiberationSerif-Bold.ttf",
}


@cache
def _advances(font: str, bold: bool) -> tuple[dict[int, float], float]:
    """Advance per code point in em, and the advance of a missing glyph."""
    from fontTools.ttLib import TTFont

    name = _FILES.get((font, bold), _FILES[("Liberation Sans", bold)])
    ttf = TTFont(str(FONTS_DIR / name), lazy=True)
    units = ttf["head"].unitsPerEm
    metrics = ttf["hmtx"].metrics
    cmap = ttf.getBestCmap()
    table = {code: metrics[glyph][0] / units for code, glyph in cmap.items()}
    return table, metrics[".notdef"][0] / units


def text_width(text: str, size: float, font: str = "Liberation Sans", bold: bool = False) -> float:
    """Width in pt of ``text`` on one line at ``size`` pt."""
    table, missing = _advances(font, bold)
    get = table.get
    return size * sum(get(ord(ch), missing) for ch in text)


def mono_width(text: str, size: float) -> float:
    """Width in pt of ``text`` in the monospaced font at ``size`` pt."""
    return size * MONO_ADVANCE * len(text)
