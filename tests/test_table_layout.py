"""The table layout decided in the document layer (issue 19): widths measured with the shipped
fonts, the smaller type then landscape when a table cannot fit, long tokens cut inside their
cell, the rows a split table keeps together. Figures derived by hand from the fonts' advance
widths (Liberation has Arial's metrics: units of 1/2048 em)."""

from __future__ import annotations

import pytest

from lkj.core.config import Dokumen
from lkj.document.measure import text_width
from lkj.document.table_layout import (
    INSET_X,
    RULE,
    SAFETY,
    break_long_words,
    keep_groups,
    table_layout,
    text_widths_pt,
)
from lkj.document.tables import Cell, Column, Table, category_cell

PAD = 2 * INSET_X + RULE + SAFETY
A4_LINE = (210 - 55) / 25.4 * 72  # default margins 30 + 25 mm
A4_WIDE = (297 - 55) / 25.4 * 72


def test_text_width_is_the_fonts_advances():
    # Arial/Liberation Sans Bold: M 1706, e a s k 1139, m 1821, u n 1251
    assert text_width("Memuaskan", 10, bold=True) == pytest.approx(11724 / 2048 * 10)
    # regular digits 1139, dot 569
    assert text_width("1.367.655.230", 8) == pytest.approx((10 * 1139 + 3 * 569) / 2048 * 8)


def test_text_widths_of_the_page():
    assert text_widths_pt(Dokumen()) == pytest.approx((A4_LINE, A4_WIDE))
    f4 = Dokumen(paper="F4")
    assert text_widths_pt(f4) == pytest.approx(((215 - 55) / 25.4 * 72, (330 - 55) / 25.4 * 72))


def _table(columns, rows, **options) -> Table:
    return Table("t", "T", tuple(columns), [tuple(r) for r in rows], **options)


def test_numbers_and_labels_get_their_width_and_the_text_column_the_rest():
    t = _table(
        (Column("No", "angka"), Column("Uraian"), Column("Anggaran", "rp"), Column("Kategori")),
        [
            (
                Cell("1", kind="angka"),
                Cell("kata " * 30),
                Cell("1.367.655.230", kind="rp"),
                category_cell("Sangat Memuaskan", "#1a7f37"),
            ),
        ],
    )
    layout = table_layout(t)
    size = 0.81 * 12
    assert layout.size == pytest.approx(size) and not layout.landscape and layout.fits
    assert sum(layout.widths) == pytest.approx(A4_LINE, abs=0.05)
    number = (10 * 1139 + 3 * 569) / 2048 * size
    assert layout.widths[2] >= number + PAD - 0.01  # the number on one line
    # the label wraps between its words: at least "Memuaskan" in bold with the label's inset
    assert layout.widths[3] >= 11724 / 2048 * size + 6 + PAD - 0.01
    assert layout.widths[1] == max(layout.widths)


def test_a_table_too_wide_takes_the_smaller_type_then_a_landscape_page():
    def wide(n: int) -> Table:
        columns = [Column(f"Kolom{j}", "rp") for j in range(n)]
        return _table(columns, [[Cell("1.367.655.230", kind="rp") for _ in range(n)]])

    # each column needs the number plus padding: at 9.72 pt 62.2 + 8 pt, at 8.568 pt 54.8 + 8
    normal = (10 * 1139 + 3 * 569) / 2048 * 0.81 * 12 + PAD
    small = (10 * 1139 + 3 * 569) / 2048 * 0.714 * 12 + PAD
    assert int(A4_LINE // normal) == 6 and int(A4_LINE // small) == 6
    assert int(A4_WIDE // normal) == 9 and int(A4_WIDE // small) == 10
    six, ten, eleven = table_layout(wide(6)), table_layout(wide(10)), table_layout(wide(11))
    assert (six.size, six.landscape, six.fits) == (pytest.approx(9.72), False, True)
    assert (ten.size, ten.landscape, ten.fits) == (pytest.approx(8.568), True, True)
    assert (eleven.landscape, eleven.fits) == (True, False)  # columns would have to be split


def test_a_checksum_is_cut_inside_its_cell():
    checksum = "48ad5bc0032928c473ab3eb7a5d87ebf54a39497f016ff0522a7d26552993f42"
    lines = break_long_words(checksum, 100, 8, "Liberation Sans", False, mono=True).split("\n")
    # DejaVu Sans Mono: 0.602 em a character, 4.816 pt at 8 pt: 20 characters in 100 pt
    assert [len(line) for line in lines] == [20, 20, 20, 4]
    assert "".join(lines) == checksum
    assert break_long_words("dua kata", 100, 8, "Liberation Sans", False) == "dua kata"


def test_rows_kept_together():
    page = 600.0
    # ten body rows and a total: the first two together, the last two with the total
    assert keep_groups(10, [20.0] * 11, page) == [2, 0, 1, 1, 1, 1, 1, 1, 3, 0, 0]
    # three body rows: the whole table on one page
    assert keep_groups(3, [20.0] * 4, page) == [4, 0, 0, 0]
    # ... unless it is taller than two thirds of the page: then its last two rows and total
    assert keep_groups(3, [120.0] * 4, page) == [1, 3, 0, 0]  # 480 pt > 400, 360 pt fits
    # rows too tall to keep two together are left free
    assert keep_groups(4, [300.0] * 4, page) == [1, 1, 1, 1]
