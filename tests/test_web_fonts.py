"""The shipped fonts' subsets embedded in the HTML page (lkj.render.web_fonts): every kept
character has the advance width of the shipped TrueType face, so the browser's print measures
as lkj.document.table_layout measured; the page carries them once, as data: URIs."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from lkj.core.config import Dokumen
from lkj.core.resources import FONTS_DIR
from lkj.render.page import page_css
from lkj.render.web_fonts import FACES, UNICODES, font_face_css, web_font_path

FILES = [name for faces in FACES.values() for name, _, _ in faces]


def _advances(font: TTFont) -> dict[int, int]:
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}


@pytest.mark.parametrize("name", FILES)
def test_every_kept_character_has_the_shipped_advance(name):
    source = _advances(TTFont(str(FONTS_DIR / name), lazy=True))
    subset = TTFont(str(web_font_path(name)))
    assert subset.flavor == "woff"
    assert subset["head"].unitsPerEm == TTFont(str(FONTS_DIR / name))["head"].unitsPerEm
    kept = _advances(subset)
    wanted = {u for block in UNICODES for u in block} & set(source)
    assert set(kept) == wanted  # every wanted character the face has, and nothing else
    assert {u: kept[u] for u in wanted} == {u: source[u] for u in wanted}
    # what a report prints: Indonesian text, digits, separators, the dashes of the tables
    assert {ord(c) for c in "Capaian (%) 1.367.655.230 81,95 – ≥ ×é"} <= set(kept)


@pytest.mark.parametrize("font", ["Liberation Sans", "Liberation Serif"])
def test_page_css_embeds_the_four_faces_once(font):
    css = page_css(Dokumen(font=font))
    faces = re.findall(r"@font-face \{([^}]*)\}", css)
    assert [re.search(r'font-family: "([^"]+)"', f).group(1) for f in faces] == [font] * 4
    styles = {
        (re.search(r"font-weight: (\w+)", f).group(1), re.search(r"font-style: (\w+)", f).group(1))
        for f in faces
    }
    assert styles == {
        ("normal", "normal"),
        ("bold", "normal"),
        ("normal", "italic"),
        ("bold", "italic"),
    }
    for f, (name, _, _) in zip(faces, FACES[font], strict=True):
        data = re.search(r"base64,([A-Za-z0-9+/=]+)", f).group(1)
        assert base64.b64decode(data) == web_font_path(name).read_bytes()
        TTFont(io.BytesIO(base64.b64decode(data)))  # reads back as a font
    assert len(css) < 100_000  # the cost in the page: under 100 kB for the four faces
    assert css.count("@font-face") == 4


def test_a_font_lkj_does_not_ship_embeds_nothing():
    assert font_face_css("Comic Sans") == ""
