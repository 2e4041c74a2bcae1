"""tests/pdf_objects.py (PDFium) finds each glyph, rule, fill and label where the Typst source
and the shipped font's own advance widths put them: the expected positions are computed here
from the source's lengths and the font file's ``hmtx`` table (fontTools), not from any PDF
reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_objects import read_pages

MARGIN = 50.0
SIZE = 10.0
LINE = "AKUNTABILITAS KINERJA DAN KEUANGAN DAERAH TAHUN ANGGARAN DUA RIBU DUA PULUH DUA"
SOURCE = f"""
#set page(width: 1000pt, height: 300pt, margin: {MARGIN}pt)
#set text(font: "Liberation Sans", size: {SIZE}pt, kerning: false, ligatures: false)
{LINE}
#place(top + left, dx: 100pt, dy: 30pt,
  box(fill: rgb("#1a7f37"), radius: 2pt, width: 40pt, height: 12pt))
#place(top + left, dx: 200pt, dy: 30pt, rect(fill: rgb("#dce6f1"), width: 30pt, height: 10pt))
#place(top + left, dx: 0pt, dy: 60pt,
  table(columns: (20pt, 60pt, 40pt), rows: 15pt, stroke: 0.5pt + rgb("#8c8c8c"),
        [1], [2], [3], [4], [5], [6]))
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    import typst

    from lkj.core.resources import FONTS_DIR

    work = tmp_path_factory.mktemp("pdf_objects")
    (work / "page.typ").write_text(SOURCE, encoding="utf-8")
    pdf = work / "page.pdf"
    pdf.write_bytes(typst.compile(str(work / "page.typ"), font_paths=[str(FONTS_DIR)]))
    (page,) = read_pages(pdf)
    return page


def _advances(text: str) -> list[float]:
    """Each character's advance (pt) from LiberationSans-Regular.ttf's hmtx table."""
    from fontTools.ttLib import TTFont

    from lkj.core.resources import FONTS_DIR

    font = TTFont(Path(FONTS_DIR) / "LiberationSans-Regular.ttf")
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    em = font["head"].unitsPerEm
    return [hmtx[cmap[ord(ch)]][0] * SIZE / em for ch in text]


def test_glyphs_sit_at_the_fonts_advances(page):
    """80 glyphs on one line: each begins where the advances before it end (PDFium alone,
    which keeps the PDF's widths as whole thousandths of an em, puts the last ones about
    0.2 pt to the left: the reader takes the exact widths from the PDF)."""
    advances = _advances(LINE)
    starts = [MARGIN + sum(advances[:i]) for i in range(len(LINE))]
    glyphs = [(ch, x, x + w) for ch, x, w in zip(LINE, starts, advances, strict=True) if ch != " "]
    assert [c["text"] for c in page.chars if c["top"] < 100] == [g[0] for g in glyphs]
    for c, (_, x0, x1) in zip(page.chars, glyphs, strict=False):
        assert c["x0"] == pytest.approx(x0, abs=0.005)
        assert c["x1"] == pytest.approx(x1, abs=0.005)
    # truncating every width to whole thousandths would move the last glyph this far
    em = [a * 1000 / SIZE for a in advances[:-1]]
    assert sum(e - int(e) for e in em) * SIZE / 1000 > 0.2
    first = page.chars[0]
    assert first["size"] == SIZE and first["fontname"].endswith("+LiberationSans")
    assert first["non_stroking_color"] == (0.0, 0.0, 0.0)
    assert first["bottom"] - first["top"] == pytest.approx(SIZE)


def test_rules_fills_and_labels_are_where_the_source_puts_them(page):
    # the rounded label is a filled curve; its box from the points on its outline
    (label,) = [c for c in page.curves if c["fill"]]
    assert (label["x0"], label["x1"]) == pytest.approx((MARGIN + 100, MARGIN + 140), abs=0.01)
    assert (label["top"], label["bottom"]) == pytest.approx((MARGIN + 30, MARGIN + 42), abs=0.01)
    assert label["non_stroking_color"] == (0x1A / 255, 0x7F / 255, 0x37 / 255)
    # the plain rectangle is a filled rect
    fills = [r for r in page.rects if r["fill"]]
    assert [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in fills] == [
        pytest.approx((MARGIN + 200, MARGIN + 30, MARGIN + 230, MARGIN + 40), abs=0.01)
    ]
    assert fills[0]["non_stroking_color"] == (0xDC / 255, 0xE6 / 255, 0xF1 / 255)
    # the table's rules: 4 column edges from x = 50 (20, 60, 40 pt wide), 3 row edges 15 pt apart
    top = MARGIN + 60
    vertical = sorted({round(r["x0"], 2) for r in page.lines if r["x0"] == r["x1"]})
    horizontal = sorted({round(r["top"], 2) for r in page.lines if r["top"] == r["bottom"]})
    assert vertical == [MARGIN, MARGIN + 20, MARGIN + 80, MARGIN + 120]
    assert horizontal == [top, top + 15, top + 30]
    for rule in page.lines:
        if rule["x0"] == rule["x1"]:
            assert (rule["top"], rule["bottom"]) == pytest.approx((top, top + 30), abs=0.3)
