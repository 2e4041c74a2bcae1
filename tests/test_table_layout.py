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


# ------------------------------------------------------------------ header words, column splits


def test_syllable_points_of_header_words():
    from lkj.document.suku_kata import syllable_points

    # Pe-nye-leng-ga-ra-an: the points leaving three letters or more on each side
    assert syllable_points("Penyelenggaraan") == (5, 9, 11)
    assert syllable_points("Anggaran") == (3,)  # Ang-garan (Anggar-an leaves two)
    assert syllable_points("Target") == ()  # six letters: never broken
    assert syllable_points("2022") == () and syllable_points("01.02.03") == ()


def _bold(text: str, size: float) -> float:
    return text_width(text, size, bold=True)


def test_a_header_word_is_broken_only_where_its_column_is_narrower():
    from lkj.document.suku_kata import printed_lines, soft_text, wrap

    size = 0.81 * 12
    # Liberation Sans Bold, units of 1/2048 em: P 1366, e 1139, n 1251, y 1139, l 569,
    # g 1251, hyphen 682: "Penyeleng-" = 10926 units
    assert _bold("Penyeleng-", size) == pytest.approx(10926 / 2048 * size)
    room = 10926 / 2048 * size + 0.01
    lines = wrap("Realisasi Penyelenggaraan", room, lambda s: _bold(s, size))
    assert lines == [("Realisasi", False), ("Penyeleng", True), ("garaan", False)]
    assert printed_lines(lines) == ["Realisasi", "Penyeleng-", "garaan"]
    assert soft_text("Realisasi Penyelenggaraan", lines) == "Realisasi Penyeleng\u00adgaraan"
    # wide enough for the word: no break, no soft hyphen
    whole = wrap("Realisasi Penyelenggaraan", 200, lambda s: _bold(s, size))
    assert whole == [("Realisasi Penyelenggaraan", False)]
    assert soft_text("Realisasi Penyelenggaraan", whole) == "Realisasi Penyelenggaraan"


def _crowded(n: int) -> Table:
    """``n`` number columns headed by a long word over two-digit numbers."""
    columns = [Column("No", "angka"), Column("Uraian")]
    columns += [Column("Penyelenggaraan", "angka") for _ in range(n)]
    row = [Cell("1", kind="angka"), Cell("Kegiatan")] + [Cell("40", kind="angka")] * n
    return _table(columns, [row])


def test_header_words_break_before_the_type_gets_smaller():
    from lkj.document.table_layout import header_lines

    size = 0.81 * 12
    head_whole = _bold("Penyelenggaraan", size) + PAD  # 80.5 + 8 pt
    # broken once at its best point: max("Penyeleng-", "garaan") = 51.9 pt
    head_broken = _bold("Penyeleng-", size) + PAD
    rest = max(_bold("No", size), text_width("1", size)) + _bold("Uraian", size) + 2 * PAD
    n = int((A4_LINE - rest) // head_broken)
    assert n == 6  # tests/test_layout_parts.py prints this table
    assert (A4_LINE - rest) // head_whole < n  # whole words would not fit n columns
    layout = table_layout(_crowded(n))
    assert (layout.size, layout.landscape, layout.fits) == (pytest.approx(size), False, True)
    heads = header_lines(_crowded(n), layout)[0]
    assert heads[2] == [("Penyeleng", True), ("garaan", False)]
    # two columns fewer: the whole word fits, nothing is broken
    few = table_layout(_crowded(2))
    assert not any(b for cell in header_lines(_crowded(2), few)[0] for _, b in cell)


def _wide_table(groups: int) -> Table:
    """No, Uraian, then ``groups`` pairs of rupiah columns under merged headers, a sasaran row
    spanning every column but the first, and a total."""
    columns = [Column("No", "angka"), Column("Uraian", width=2)]
    for g in range(groups):
        columns += [Column("Pagu", "rp", group=f"Triwulan {g + 1}")]
        columns += [Column("Realisasi", "rp", group=f"Triwulan {g + 1}")]
    n = len(columns)
    amounts = [Cell(f"{g + 1}.367.655.23{k}", kind="rp") for g in range(groups) for k in (0, 1)]
    rows = [
        (Cell("S1"), Cell("Sasaran: Meningkatnya pelayanan", colspan=n - 1)),
        (Cell("1", kind="angka"), Cell("Penyelenggaraan urusan"), *amounts),
    ]
    foot = [(Cell(""), Cell("Jumlah", bold=True), *amounts)]
    return Table("lebar", "Tabel Lebar", tuple(columns), rows, foot, label="Tabel 1.1")


def test_a_table_too_wide_for_a_landscape_page_is_split_with_its_key_columns():
    from lkj.document.table_layout import key_columns, table_parts

    small = 0.714 * 12
    number = (10 * 1139 + 3 * 569) / 2048 * small + PAD  # 62.8 pt: "1.367.655.230"
    keys = max(_bold("No", small), text_width("1", small)) + PAD
    keys += text_width("Penyelenggaraan", small) + PAD
    per_part = int((A4_WIDE - keys) // (2 * number))  # whole Triwulan groups on a page
    assert per_part == 4
    t = _wide_table(6)
    assert key_columns(t) == 2  # No and the first text column wider than ordinary
    layout = table_layout(t)
    assert layout.landscape and not layout.fits
    # 6 groups, at most 4 a page: two parts, as even as they can be (3 and 3)
    assert layout.split == ((0, 1, 2, 3, 4, 5, 6, 7), (0, 1, 8, 9, 10, 11, 12, 13))
    parts = table_parts(t)
    assert [p.caption for p, _ in parts] == [
        "Tabel 1.1 Tabel Lebar (bagian 1 dari 2)",
        "Lanjutan Tabel 1.1 Tabel Lebar (bagian 2 dari 2)",
    ]
    assert [p.numbered for p, _ in parts] == [True, False]
    for (part, part_layout), columns in zip(parts, layout.split, strict=True):
        assert part_layout.fits and part_layout.landscape and not part_layout.split
        assert part_layout.size == pytest.approx(small)
        # the merged headers stay whole, the cells are the original's in their columns
        assert [h.text for h in part.header[0]] == ["No", "Uraian"] + [
            f"Triwulan {(j - 2) // 2 + 1}" for j in columns[2::2]
        ]
        assert [h.colspan for h in part.header[0]] == [1, 1] + [2] * ((len(columns) - 2) // 2)
        assert [c.text for c in part.rows[1]] == [t.rows[1][j].text for j in columns]
        assert [c.text for c in part.foot[0]] == [t.foot[0][j].text for j in columns]
        assert part.rows[0][1].colspan == len(columns) - 1  # the sasaran row spans the part
        assert part.rows[0][1].text == "Sasaran: Meningkatnya pelayanan"


def test_a_cell_spanning_rows_taller_than_a_page_may_run_over_pages():
    from lkj.document.table_layout import tall_spans

    dokumen = Dokumen()
    size = 0.81 * 12
    row = size * 1.45 + 5.0  # one line of text and the cell's padding: 19.09 pt
    page = (297 - 10 * (dokumen.margin_top_cm + dokumen.margin_bottom_cm)) / 25.4 * 72
    fits = int(2 * page / 3 // row)  # rows a kept group may hold: two thirds of the page

    def spanning(n: int) -> Table:
        first = (Cell("S1", rowspan=n), Cell("Kegiatan 1"), Cell("1.000", kind="rp"))
        rest = [(Cell(f"Kegiatan {i}"), Cell("1.000", kind="rp")) for i in range(2, n + 1)]
        columns = (Column("Sasaran"), Column("Kegiatan"), Column("Pagu", "rp"))
        return _table(columns, [first, *rest])

    for n, expected in ((fits, set()), (fits + 1, {(0, 0)})):
        t = spanning(n)
        assert tall_spans(t, table_layout(t), dokumen) == expected, n
