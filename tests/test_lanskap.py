"""The text around a landscape table (issue 19): which blocks go onto its landscape pages
(lkj.document.lanskap, one decision for every renderer), and the float of a landscape run
below a portrait page it would leave mostly empty (lkj.render.typst_float), seen in the PDF's
geometry."""

from __future__ import annotations

import layout_geometry as geometry
import pytest
from test_table_layout import _wide_table

from lkj.core.config import Dokumen
from lkj.document.lanskap import BRIDGE_CHARS, LEAD_CHARS, landscape_flags
from lkj.document.model import Document, Figure, Heading, ListBlock, Paragraph, Part
from lkj.document.model import number_blocks as number_tables
from lkj.document.tables import Cell, Column, Table
from lkj.render import typst_float


def _table(key: str) -> Table:
    return Table(key, key, (Column("No", "angka"),), [(Cell("1"),)])


WIDE, NARROW, OTHER = _table("lebar"), _table("sempit"), _table("lebar2")
ROUNDS = typst_float.ROUNDS


def _turned(t: Table) -> bool:
    return t.key.startswith("lebar")


def test_the_heading_and_its_introduction_go_with_a_landscape_table():
    blocks = [
        Heading(2, "2.1 Bagian"),
        Paragraph("Teks bagian sebelumnya."),
        NARROW,
        Heading(2, "2.2 Capaian"),
        Heading(3, "2.2.1 Program"),
        Paragraph("Tabel berikut menyajikan capaian program."),
        ListBlock(("satu", "dua")),
        WIDE,
        Paragraph("Penutup bagian."),
    ]
    # the two headings above the table, the paragraph and the list between: landscape; the
    # narrow table, the text before it and the closing paragraph after the table: not
    assert landscape_flags(blocks, _turned) == [False] * 3 + [True] * 5 + [False]


def test_the_text_between_two_landscape_tables_stays_on_their_pages():
    between = [Paragraph("Ringkasan tabel pertama."), Heading(2, "2.3 Kegiatan")]
    blocks = [Heading(2, "2.2 Program"), WIDE, *between, OTHER, Figure("g", "g.png", "Grafik")]
    assert landscape_flags(blocks, _turned) == [True] * 5 + [False]


def test_long_text_is_not_carried_and_a_chapter_is_carried_past_by_nothing():
    long = Paragraph("x" * (LEAD_CHARS + 1))
    blocks = [Heading(2, "2.2 Program"), long, WIDE]
    assert landscape_flags(blocks, _turned) == [False, False, True]
    # between two landscape tables: up to BRIDGE_CHARS, and no more
    bridge = [WIDE, Paragraph("y" * BRIDGE_CHARS), OTHER]
    assert landscape_flags(bridge, _turned) == [True] * 3
    too_long = [WIDE, Paragraph("y" * (BRIDGE_CHARS + 1)), OTHER]
    assert landscape_flags(too_long, _turned) == [True, False, True]
    # a chapter heading opens the landscape page with its introduction; what comes before
    # the chapter stays behind
    chapter = Heading(1, "BAB III", page_break=True, chapter="3")
    blocks = [Paragraph("Akhir bab II."), chapter, Paragraph("Pengantar."), WIDE]
    assert landscape_flags(blocks, _turned) == [False, True, True, True]


def _run_doc(used_pt: float) -> tuple[dict, list[dict], list[dict]]:
    """A document JSON: a paragraph (0), a landscape run (1: its heading 2, its table 3), then
    a paragraph (4), a heading (5), a paragraph (6); A4 with 25 mm margins top and bottom.
    Marks of a compilation where the text before the run ends ``used_pt`` below the top of
    the text area of page 2, the run is on page 3, and 4, 5, 6 begin on page 4 at 100, 300
    and 330 pt below the top (heights 200 and 30), the next block (7) at 500."""
    settings = {"width": 210, "height": 297, "margin": [25, 20, 25, 20]}
    para = {"type": "paragraph", "text": "", "style": ""}
    heading = {"type": "heading", "level": 2, "text": "", "toc": True, "page_break": False}
    run = {"type": "landscape", "blocks": [dict(heading), {"type": "table", "key": "t"}]}
    blocks = [dict(para), run, dict(para), dict(heading), dict(para), {"type": "figure"}]
    typst_float.number_blocks(blocks)
    top = 25 * 72 / 25.4
    at = [
        {"n": 0, "page": 2, "y": top},
        {"n": 1, "page": 2, "y": top + used_pt},
        {"n": 2, "page": 3, "y": top},
        {"n": 3, "page": 3, "y": top + 20},
        {"n": 4, "page": 4, "y": top + 100},
        {"n": 5, "page": 4, "y": top + 300},
        {"n": 6, "page": 4, "y": top + 330},
        {"n": 7, "page": 4, "y": top + 500},
    ]
    ends = [{"n": 1, "page": 3, "y": 500.0}]  # the landscape page is full enough
    return {"settings": settings, "blocks": blocks}, at, ends


def test_a_run_floats_below_the_text_that_fills_the_page_before_it():
    area = (297 - 50) * 72 / 25.4  # 700.2 pt of text area
    doc, at, ends = _run_doc(used_pt=100.0)  # 14 % of the page
    mended = typst_float.relieve(doc, at, ends, set())
    assert mended is not None
    order = [b["n"] for b in mended["blocks"]]
    # the run's heading (20 pt on the landscape page) comes back to introduce the table from
    # the page before, then 4, 5, 6 (200 + 30 + 170 pt: 100 + 20 + 400 = 520 of the 700 - 14
    # pt room); the run, holding only its table, follows them; the figure stays after it
    assert order == [0, 2, 4, 5, 6, 1, 7]
    assert [b["n"] for b in mended["blocks"][5]["blocks"]] == [3]
    assert (100 + 20 + 200 + 30 + 170) / area > typst_float.MIN_FILL
    # a page 45 % full is left as it is, and each run is mended once
    doc, at, ends = _run_doc(used_pt=0.45 * area)
    assert typst_float.relieve(doc, at, ends, set()) is None
    doc, at, ends = _run_doc(used_pt=100.0)
    assert typst_float.relieve(doc, at, ends, {("before", 1)}) is None


def test_the_room_bounds_what_moves_and_no_heading_ends_it():
    area = (297 - 50) * 72 / 25.4
    # 30 % used; block 6 (600 pt) does not fit the room left after the heading (20) and 4
    # (200): 4 moves, 5 (a heading) would end the moved blocks and stays with 6
    doc, at, ends = _run_doc(used_pt=0.3 * area)
    at[7]["y"] = at[6]["y"] + 600
    mended = typst_float.relieve(doc, at, ends, set())
    assert [b["n"] for b in mended["blocks"]] == [0, 2, 4, 1, 5, 6, 7]
    # 20 % used, and the block after the run is a chapter's heading: nothing may move but
    # the run's own heading, which would end the page alone; the page holds only block 0, a
    # paragraph, which goes onto the landscape page ahead of the run's heading instead
    doc, at, ends = _run_doc(used_pt=0.2 * area)
    doc["blocks"][2] = {"type": "heading", "page_break": True, "n": 4}
    mended = typst_float.relieve(doc, at, ends, set())
    assert [b["n"] for b in mended["blocks"]] == [1, 4, 5, 6, 7]
    assert [b["n"] for b in mended["blocks"][0]["blocks"]] == [0, 2, 3]
    # the same with a figure as block 0: nothing moves
    doc, at, ends = _run_doc(used_pt=0.2 * area)
    doc["blocks"][0]["type"] = "figure"
    doc["blocks"][2] = {"type": "heading", "page_break": True, "n": 4}
    assert typst_float.relieve(doc, at, ends, set()) is None


def test_the_last_landscape_page_takes_the_text_after_it():
    """The run's last page 10 % full: the blocks after it move onto it while they fit (their
    portrait heights, a paragraph's shortened by the longer line)."""
    doc, at, ends = _run_doc(used_pt=0.5 * 700)  # the page before is full enough
    wide_area = (210 - 50) * 72 / 25.4
    ends[0]["y"] = 25 * 72 / 25.4 + 0.1 * wide_area
    mended = typst_float.relieve(doc, at, ends, set())
    assert [b["n"] for b in mended["blocks"]] == [0, 1, 7]
    assert [b["n"] for b in mended["blocks"][1]["blocks"]] == [2, 3, 4, 5, 6]


@pytest.fixture(scope="module")
def lonely_chapter() -> Document:
    """A chapter whose short first section is followed by a landscape table, then text."""
    body = (
        "Kalimat ini mengisi halaman laporan dengan teks yang panjang dan wajar "
        "untuk mengukur apakah halaman terisi. "
    ) * 6
    blocks = [
        Paragraph("Halaman pertama (the check passes over a document's first page)."),
        Heading(1, "BAB I UJI", chapter="1", page_break=True),
        Heading(2, "1.1 Bagian Pendek"),
        Paragraph("Bagian ini pendek."),
        Heading(2, "1.2 Tabel Lebar"),
        _wide_table(6),
        *[Paragraph(f"Paragraf {i}. {body}") for i in range(1, 9)],
    ]
    number_tables(blocks)
    return Document("Uji halaman", [Part("bab", blocks)])


def _pdf(doc: Document, path, monkeypatch, rounds: int):
    from lkj.render.to_pdf import render_pdf

    monkeypatch.setenv("LKJ_TYPST_IN_PROCESS", "1")  # the float's rounds set here apply
    monkeypatch.setattr(typst_float, "ROUNDS", rounds)
    path.write_bytes(render_pdf(doc, Dokumen(), synthetic=True, signature_field=False))
    return path


def test_the_pdf_has_no_mostly_empty_page_before_its_landscape_table(
    lonely_chapter, tmp_path, monkeypatch
):
    """Without the float, the chapter's first page holds two headings and a line (the
    layout check counts it); with it, the paragraphs fill that page, the table follows on a
    landscape page, and the paragraphs keep their order."""
    import pdfplumber

    plain = _pdf(lonely_chapter, tmp_path / "tanpa.pdf", monkeypatch, 0)
    # the chapter's page: two headings and a line; the landscape page: the table alone
    assert geometry.check_pdf(plain).near_empty == ["p. 2: 9% full", "p. 3: 36% full"]
    floated = _pdf(lonely_chapter, tmp_path / "dengan.pdf", monkeypatch, ROUNDS)
    found = geometry.check_pdf(floated)
    assert found.near_empty == [] and found.lonely == []
    with pdfplumber.open(str(floated)) as pdf:
        pages = [(p.width > p.height, p.extract_text()) for p in pdf.pages]
    text = "\n".join(t for _, t in pages)
    assert [text.index(f"Paragraf {i}.") for i in range(1, 9)] == sorted(
        text.index(f"Paragraf {i}.") for i in range(1, 9)
    )
    turned = [i for i, (wide, _) in enumerate(pages) if wide]
    assert turned and "Tabel 1.1" in pages[turned[0]][1]
    assert "1.2 Tabel Lebar" in pages[1][1] and "Paragraf 1." in pages[1][1]


def test_a_block_that_runs_onto_the_next_page_has_both_pieces_for_height():
    top, area = 70.0, 700.0
    marks = {1: (3, 700.0), 2: (4, 120.0), 3: (4, 300.0), 4: (6, 80.0)}
    heights = typst_float._heights(marks, [1, 2, 3, 4], top, area)
    # 1: 70 pt at the foot of page 3 and 50 at the head of page 4; 2: on one page; 3: its
    # end two pages on is not known
    assert heights == {1: 70.0 + 50.0, 2: 180.0}


def test_a_short_last_page_of_a_long_table_takes_more_of_its_rows():
    """The run's table began two pages before its last, which holds 15 % of the landscape
    text area; what follows may not move (a chapter): the table's last rows are kept
    together, as many as fill at most TAIL (2/3) of that area by their estimated heights
    (20 pt each, the total row 30 pt), taken from the page before."""
    doc, at, ends = _run_doc(used_pt=0.5 * 700)
    wide_area = (210 - 50) * 72 / 25.4  # 453.5 pt
    table = doc["blocks"][1]["blocks"][1]
    table["heights"] = [20.0] * 40 + [30.0]  # 40 body rows and the total
    table["keep"] = [2, 0] + [1] * 36 + [3, 0, 0]
    at[3]["page"] = 3  # the table begins on page 3 ...
    ends[0].update(page=5, y=25 * 72 / 25.4 + 0.15 * wide_area)  # ... and ends on page 5
    doc["blocks"][2] = {"type": "heading", "page_break": True, "n": 4}
    mended = typst_float.relieve(doc, at, ends, set())
    kept = mended["blocks"][1]["blocks"][1]["keep"]
    # 30 + 20 k <= 2/3 × 453.5 = 302.3 pt: k = 13 body rows, 14 with the total
    assert kept == [2, 0] + [1] * 25 + [14] + [0] * 13  # rows 28 to 41 together
    assert 30 + 20 * 13 <= typst_float.TAIL * wide_area < 30 + 20 * 14
    assert [b["n"] for b in mended["blocks"]] == [b["n"] for b in doc["blocks"]]


def test_the_last_lines_of_a_paragraph_go_with_the_run_rather_than_fill_a_page_alone():
    """Block 0 begins on page 1 at 60 % of its text area and ends with 10 pt on page 2, right
    before the run; nothing after the run may move (a chapter): block 0 goes onto the
    landscape page, ahead of the run's heading; page 1 keeps its 60 %."""
    doc, at, ends = _run_doc(used_pt=10.0)
    at[0].update(page=1, y=25 * 72 / 25.4 + 0.6 * 700)
    doc["blocks"][2] = {"type": "heading", "page_break": True, "n": 4}
    mended = typst_float.relieve(doc, at, ends, set())
    assert [b["n"] for b in mended["blocks"]] == [1, 4, 5, 6, 7]
    assert [b["n"] for b in mended["blocks"][0]["blocks"]] == [0, 2, 3]
    # had it begun at 30 % of page 1, moving it would leave that page mostly empty instead
    doc, at, ends = _run_doc(used_pt=10.0)
    at[0].update(page=1, y=25 * 72 / 25.4 + 0.3 * 700)
    doc["blocks"][2] = {"type": "heading", "page_break": True, "n": 4}
    assert typst_float.relieve(doc, at, ends, set()) is None
