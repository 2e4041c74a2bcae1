"""The shipped fonts (``lkj/fonts``) inside the report's HTML page, so that a browser prints it
with the fonts its tables were laid out for (``lkj.document.table_layout`` measures with their
metrics): ``@font-face`` rules whose sources are ``data:`` URIs, the page stays self-contained
and offline.

The four faces of the report's font (regular, bold, italic, bold italic) are subset to the
characters a report prints (Latin, Latin-1 and Latin Extended-A, the usual punctuation, the
arrows and signs of the tables), hinting dropped, as WOFF (zlib, no extra dependency): about
16 KB a face, 88 KB of base64 in the page for the four, against 1.6 MB for the whole TrueType
files. A character outside the subset falls back to the next family of the stack (Arial or
Times New Roman, then the browser's sans-serif or serif).

Subsetting takes about a second, too long for every build: the subsets ship beside the fonts
(``lkj/fonts/*.web.woff``), made by ``python -m lkj.render.web_fonts`` (run it again when a
font file or :data:`UNICODES` changes; tests/test_print_html.py checks that every kept
character has the advance width of the shipped font).
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

from lkj.core.resources import FONTS_DIR

FACES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Liberation Sans": (
        ("LiberationSans-Regular.ttf", "normal", "normal"),
        ("LiberationSans-Bold.ttf", "bold", "normal"),
        ("LiberationSans-Italic.ttf", "normal", "italic"),
        ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
    ),
    "Liberation Serif": (
        ("LiberationSerif-Regular.ttf", "normal", "normal"),
        ("LiberationSerif-Bold.ttf", "bold", "normal"),
        ("LiberationSerif-Italic.ttf", "normal", "italic"),
        ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
    ),
}
"""The shipped files of each font: (file, font-weight, font-style)."""

UNICODES: tuple[range, ...] = (
    range(0x20, 0x7F),  # Basic Latin
    range(0xA0, 0x180),  # Latin-1 Supplement, Latin Extended-A
    range(0x2010, 0x2028),  # dashes, quotes, bullet, ellipsis
    range(0x2030, 0x203B),  # per mille, guillemets
    range(0x20AC, 0x20AD),  # euro
    range(0x2122, 0x2123),  # trade mark
    range(0x2190, 0x2196),  # arrows
    range(0x2212, 0x2213),  # minus
    range(0x2260, 0x2266),  # not equal, less/greater or equal
    range(0x25A0, 0x25D0),  # squares, triangles, circles
)
"""The characters kept in the embedded faces."""


def web_font_path(ttf: str) -> Path:
    """The shipped subset of the font file ``ttf`` (``LiberationSans-Bold.ttf`` ->
    ``lkj/fonts/LiberationSans-Bold.web.woff``)."""
    return FONTS_DIR / ttf.replace(".ttf", ".web.woff")


def _subset_woff(path: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["kern", "liga"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, licence (SIL OFL)
    options.drop_tables = [*options.drop_tables, "FFTM"]
    font = TTFont(path, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for block in UNICODES for u in block])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=4)
def font_face_css(font: str) -> str:
    """``@font-face`` rules embedding the four faces of ``font`` ("Liberation Sans" or
    "Liberation Serif"; another name: none) as ``data:`` URIs, under the family name ``font``.

    Args:
        font: the report's font (``Dokumen.font``).

    Returns:
        CSS text (empty for a font lkj does not ship).
    """
    rules = []
    for name, weight, style in FACES.get(font, ()):
        data = base64.b64encode(web_font_path(name).read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{font}"; font-weight: {weight}; '
            f'font-style: {style}; src: url(data:font/woff;base64,{data}) format("woff"); }}'
        )
    return "\n".join(rules) + ("\n" if rules else "")


def write_web_fonts() -> list[Path]:
    """Make the subsets of every shipped face (:func:`web_font_path`); returns their paths."""
    out = []
    for faces in FACES.values():
        for name, _, _ in faces:
            target = web_font_path(name)
            target.write_bytes(_subset_woff(str(FONTS_DIR / name)))
            out.append(target)
    return out


if __name__ == "__main__":
    for written in write_web_fonts():
        print(f"{written.name}: {written.stat().st_size} B")
