"""The table model (lkj.document.tables), the document model and its templates
(lkj.document.model), and the
HTML renderer (lkj.render.to_html): every table built once, numbered from its order."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from lkj.document.model import (
    Figure,
    Heading,
    Paragraph,
    TemplateFormatError,
    number_blocks,
    render_string,
)
from lkj.document.tables import (
    Cell,
    Col,
    Column,
    HeaderCell,
    Table,
    category_cell,
    column_widths,
    frame_table,
    header_rows,
    place,
)
from lkj.render.to_html import html, table_html

ROOT = Path(__file__).resolve().parent.parent
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


def _table(key: str, numbered: bool = True) -> Table:
    return Table(key, f"Judul {key}", (Column("Uraian"),), [(Cell("x"),)], numbered=numbered)


def test_numbers_follow_the_order_and_a_new_table_renumbers_the_rest():
    t1, t2, t3, t4 = _table("a"), _table("b"), _table("c", numbered=False), _table("d")
    gambar = Figure("bagan", Path("bagan.png"), "Bagan", kind="Gambar")
    g1, g2 = Figure("g1", Path("g1.png"), "Satu"), Figure("g2", Path("g2.png"), "Dua")
    before = _table("sebelum_bab")
    blocks = [
        before,
        Heading(1, "BAB I", chapter="1"),
        t1,
        gambar,
        g1,
        Heading(1, "BAB III", chapter="3"),
        t2,
        t3,
        t4,
        g2,
    ]
    number_blocks(blocks)
    assert [t.label for t in (before, t1, t2, t3, t4)] == [
        "",
        "Tabel 1.1",
        "Tabel 3.1",
        "",
        "Tabel 3.2",
    ]
    assert (gambar.label, g1.label, g2.label) == ("Gambar 1.1", "Grafik 1", "Grafik 2")
    assert t4.caption == "Tabel 3.2 Judul d" and t3.caption == "Judul c"

    new = _table("baru")
    blocks.insert(blocks.index(t2), new)
    number_blocks(blocks)
    assert [new.label, t2.label, t4.label] == ["Tabel 3.1", "Tabel 3.2", "Tabel 3.3"]


def test_groups_give_merged_header_cells():
    cols = (
        Column("No", "angka"),
        Column("Unit Kerja"),
        Column("2021", "angka", group="Jumlah"),
        Column("2022", "angka", group="Jumlah"),
        Column("Ket"),
    )
    top, bottom = header_rows(cols)
    assert top == (
        HeaderCell("No", rowspan=2),
        HeaderCell("Unit Kerja", rowspan=2),
        HeaderCell("Jumlah", colspan=2),
        HeaderCell("Ket", rowspan=2),
    )
    assert bottom == (HeaderCell("2021"), HeaderCell("2022"))
    grid = place((top, bottom), 5)
    assert [j for j, _ in grid[0]] == [0, 1, 2, 4]
    assert [j for j, _ in grid[1]] == [2, 3]
    assert [c.align for c in cols] == ["right", "left", "right", "right", "left"]


def test_a_row_that_does_not_fill_the_columns_is_refused():
    with pytest.raises(ValueError, match="row 1 fills 1 of 2 columns"):
        Table("t", "T", (Column("a"), Column("b")), [(Cell("x"),)])
    # a cell spanning two rows takes its column in the row below
    Table(
        "t",
        "T",
        (Column("a"), Column("b")),
        [(Cell("x", rowspan=2), Cell("y")), (Cell("z"),)],
    )


def test_frame_table_keeps_raw_values_and_formats_once():
    frame = pd.DataFrame(
        {
            "nama": ["Program A", "Program B"],
            "anggaran_rp": [1367655230, 99193000],
            "serapan_pct": [81.954, math.nan],
            "target": [2.125, 3.0],
            "kategori": ["Tinggi", None],
            "warna": ["#74c476", None],
        }
    )
    t = frame_table(
        "uji",
        "Uji",
        frame,
        [
            Col("Nama", "nama"),
            Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            Col("Serapan (%)", "serapan_pct", "pct"),
            Col("Target", "target", "desimal"),
            Col("Kategori", "kategori", "kategori", "warna"),
        ],
        total={"Anggaran (Rp)": 1466848230},
    )
    assert t.headers == ["No", "Nama", "Anggaran (Rp)", "Serapan (%)", "Target", "Kategori"]
    assert t.texts() == [
        ["1", "Program A", "1.367.655.230", "81,95", "2,125", "Tinggi"],  # as entered
        ["2", "Program B", "99.193.000", "tidak dapat dihitung", "3", "-"],
    ]
    first = t.rows[0]
    assert first[2].value == 1367655230 and first[3].value == 81.954
    assert first[5].is_category and first[5].color == "#74c476"
    assert not t.rows[1][5].is_category
    assert t.texts(foot=True) == [["", "Jumlah", "1.466.848.230", "", "", ""]]
    assert t.foot[0][1].bold and t.foot[0][2].bold
    assert [c.align for c in first] == ["right", "left", "right", "right", "right", "left"]


def test_widths_fit_the_content():
    t = Table(
        "w",
        "W",
        (Column("No", "angka"), Column("Uraian"), Column("Jumlah", "angka")),
        [(Cell("1"), Cell("kata " * 40), Cell("1.000"))],
    )
    widths = column_widths(t)
    assert math.isclose(sum(widths), 1.0)
    assert widths[1] > 0.7 and widths[0] < widths[2] < 0.15


def test_html_table_has_merged_headers_numbers_right_and_landscape_wrapper():
    frame = pd.DataFrame({"uraian": ["Kepala Badan"], 2021: [1], 2022: [1]})
    t = frame_table(
        "pegawai",
        "Jumlah Pegawai",
        frame,
        [
            Col("Unit Kerja", "uraian"),
            Col("2021", 2021, "angka", group="Jumlah"),
            Col("2022", 2022, "angka", group="Jumlah"),
        ],
        total={"2021": 1, "2022": 1},
        landscape=True,
    )
    number_blocks([Heading(1, "BAB I", chapter="1"), t])
    soup = BeautifulSoup(str(table_html(t)), "html.parser")
    assert soup.find("div", class_="lanskap").find("table")["class"] == ["lkj"]
    assert soup.find("caption").get_text() == "Tabel 1.1 Jumlah Pegawai"
    head = soup.find("thead").find_all("tr")
    assert [(th.get_text(), th.get("colspan"), th.get("rowspan")) for th in head[0]] == [
        ("No", None, "2"),
        ("Unit Kerja", None, "2"),
        ("Jumlah", "2", None),
    ]
    assert [th.get_text() for th in head[1]] == ["2021", "2022"]
    cells = soup.find("tbody").find("tr").find_all("td")
    assert [(td.get_text(), td.get("class")) for td in cells] == [
        ("1", ["num"]),
        ("Kepala Badan", None),
        ("1", ["num"]),
        ("1", ["num"]),
    ]
    assert [td.get_text() for td in soup.find("tfoot").find_all("td")] == ["", "Jumlah", "1", "1"]


def test_category_cell_is_a_badge_in_html():
    t = Table("k", "K", (Column("Kategori", "kategori"),), [(category_cell("Sedang", "#fdd049"),)])
    span = BeautifulSoup(str(table_html(t)), "html.parser").find("span", class_="kategori")
    assert span.get_text() == "Sedang"
    assert span["style"] == "background:#fdd049;color:#000000"


def test_template_places_blocks_and_escapes_data():
    t = _table("ditempatkan")
    blocks = render_string(
        '<h1 class="bab" chapter="2">{{ judul }}</h1>\n<p class="catatan">{{ x }}</p>\n'
        '{{ t }}\n{% for i in items %}{{ i }}{% endfor %}\n<ol type="a"><li>satu</li>'
        '<li value="3">tiga</li></ol>\n<h4 class="no-toc">Catatan</h4>',
        judul="BAB II A & B",
        x="<script>alert(1)</script>",
        t=t,
        items=[Paragraph("dari Python")],
    )
    heading, note, table, para, lst, h4 = blocks
    assert heading == Heading(1, "BAB II A & B", toc=True, chapter="2", page_break=True)
    assert note == Paragraph("<script>alert(1)</script>", "catatan")
    assert table is t and para == Paragraph("dari Python")
    assert (lst.items, lst.ordered, lst.marker, lst.values) == (
        ("satu", "tiga"),
        True,
        "a",
        (None, 3),
    )
    assert not h4.toc
    out = str(html(blocks))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>" not in out
    assert '<ol type="a"><li>satu</li><li value="3">tiga</li></ol>' in out


def test_control_characters_in_data_are_dropped():
    assert render_string("<p>{{ x }}</p>", x="tab\tbel\x07 ok") == [Paragraph("tab bel ok")]


def test_template_refuses_what_it_cannot_render():
    with pytest.raises(TemplateFormatError, match="unknown element <div>"):
        render_string("<div>x</div>")
    with pytest.raises(TemplateFormatError, match="text outside an element"):
        render_string("teks lepas")


# ----------------------------------------------------------------------- the 2022 report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The 2022 report model, built in-process from data/raw/2022 (placeholder figures)."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import grafik_riwayat, laporan

    base = tmp_path_factory.mktemp("model_2022")
    processed, out = base / "processed", base / "out"
    raw = read_raw(2022, ROOT / "data" / "raw")
    write_tables(raw.tables, processed)
    write_tables(compute_results(raw.tables, 2022, load_config()).tables(), processed)
    (out / "figures").mkdir(parents=True)
    for stem in [*laporan.FIGURES, grafik_riwayat.FIGURE_CAPAIAN, grafik_riwayat.FIGURE_SERAPAN]:
        (out / "figures" / f"{stem}.png").write_bytes(PNG_1X1)
    d = laporan.load_report_data(2022, processed, out, None, ROOT / "data" / "raw" / "2022")
    return d, laporan.report_document(d)


def _row(t: Table, first_text: str, column: int = 1) -> list[str]:
    hits = [row for row in t.texts() if row[column] == first_text]
    assert len(hits) == 1, first_text
    return hits[0]


def test_report_tables_are_numbered_in_order(report):
    _, doc = report
    keys = [t.key for t in doc.tables()]
    assert len(keys) == len(set(keys))
    bab3 = [t.label for t in doc.tables() if t.label.startswith("Tabel 3.")]
    assert bab3 == [f"Tabel 3.{i}" for i in range(1, len(bab3) + 1)]
    assert len(bab3) == 21  # 3.6: status against the Renstra end target (Tabel 3.21)
    assert doc.table("status_target_renstra").label == "Tabel 3.21"
    assert doc.table("evaluasi_indikator").label == "Tabel 3.3"
    assert doc.table("lra").label == "Tabel 3.10"
    assert doc.table("capaian_program").label == "Tabel 3.15"
    assert [f.label for f in doc.figures()] == ["Gambar 1.1"] + [f"Grafik {i}" for i in range(1, 7)]


def test_capaian_program_table_holds_the_computed_figures(report):
    _, doc = report
    t = doc.table("capaian_program")
    assert t.small and not t.landscape  # the layout decides the orientation
    top, bottom = t.header
    assert [(h.text, h.colspan, h.rowspan) for h in top] == [
        ("No", 1, 2),
        ("Program", 1, 2),
        ("Kinerja", 2, 1),
        ("Keuangan", 4, 1),
    ]
    # program 05: subs 31 (7/10, Rp 39.665.000) and 32 (100 %, Rp 59.528.000):
    # 100 - 30 x 39.665.000 / 99.193.000 = 88,00; serapan 71.407.400 / 99.193.000 = 71,99
    p05 = _row(t, "Program Pembinaan dan Pengembangan Ketahanan Ekonomi Sosial dan Budaya")
    assert p05[2:] == ["88,00", "Tinggi", "99.193.000", "71.407.400", "71,99", "Sedang"]
    # program 03 = subs 27-29: 923.865.000 + 26.639.900 + 130.338.200
    assert t.foot[0][4].text == "4.920.098.606"
    p03 = [row for row in t.texts() if row[4] == "1.080.843.100"]
    assert len(p03) == 1 and p03[0][2] == "92,23"


def test_lra_table_shows_levels_with_a_dash(report):
    _, doc = report
    t = doc.table("lra")
    assert t.texts()[0][1:4] == ["Belanja Daerah", "4.904.098.606", "4.016.972.430"]
    pegawai = _row(t, "– Belanja Pegawai")
    assert pegawai[2] == "1.367.655.230"
    assert t.rows[[r[1] for r in t.texts()].index("– Belanja Pegawai")][1].indent == 1


def test_a_new_table_in_bab_iii_renumbers_the_rest(report):
    _, doc = report
    part = doc.part("bab_iii")
    extra = _table("tambahan")
    position = part.blocks.index(doc.table("skala_predikat")) + 1
    part.blocks.insert(position, extra)
    try:
        number_blocks(doc.blocks)
        assert extra.label == "Tabel 3.2"
        assert doc.table("evaluasi_indikator").label == "Tabel 3.4"
        assert doc.table("lra").label == "Tabel 3.11"
    finally:
        part.blocks.remove(extra)
        number_blocks(doc.blocks)
    assert doc.table("lra").label == "Tabel 3.10"


def test_the_document_reads_back_from_json_equal(report, tmp_path):
    """The 2022 document (every block kind the report has) written as JSON reads back equal,
    block for block and cell for cell; numpy numbers become the Python numbers they equal;
    a value outside the model, or a file that is not a model, is refused by name."""
    import json

    import numpy as np

    from lkj.document import model
    from lkj.document.model import (
        document_from_json,
        document_to_json,
        read_document_file,
        write_document_file,
    )

    _, doc = report
    kinds = {type(b).__name__ for b in doc.blocks}
    assert kinds == {
        "Cover",
        "Toc",
        "Heading",
        "Paragraph",
        "ListBlock",
        "Table",
        "Figure",
        "Signature",
    }
    text = json.dumps(document_to_json(doc))
    back = document_from_json(json.loads(text))
    assert back == doc
    assert [t.label for t in back.tables()] == [t.label for t in doc.tables()]
    evaluasi = back.table("evaluasi_indikator")
    assert evaluasi.rows == doc.table("evaluasi_indikator").rows
    assert evaluasi.texts() == doc.table("evaluasi_indikator").texts()

    import decimal

    from markupsafe import Markup

    odd = (np.bool_(True), np.str_("x"), decimal.Decimal("92.23"), Markup("<b>a</b>"))
    rows = [(Cell("v", v),) for v in odd]
    table = Table("o", "O", (Column("A"),), rows)
    one_of_each = model.Document("y", [model.Part("p", [table])])
    back_odd = document_from_json(document_to_json(one_of_each))
    values = [row[0].value for row in back_odd.tables()[0].rows]
    assert values == [True, "x", decimal.Decimal("92.23"), Markup("<b>a</b>")]
    assert [type(v) for v in values] == [bool, str, decimal.Decimal, Markup]
    cell = Cell("22", np.float64(22.0), "angka")
    one = model.Document(
        "x",
        [model.Part("p", [model.PageBreak(), Table("k", "T", (Column("A", "angka"),), [(cell,)])])],
    )
    assert document_from_json(document_to_json(one)) == one
    value = document_from_json(document_to_json(one)).tables()[0].rows[0][0].value
    assert value == 22.0 and type(value) is float
    bad = model.Document("x", [model.Part("p", [Paragraph(object())])])
    with pytest.raises(TypeError, match="bukan bagian model dokumen"):
        document_to_json(bad)

    path = write_document_file(tmp_path / "dok.json", doc, ["<p>a</p>"], year=2022)
    assert read_document_file(path) == (doc, ["<p>a</p>"], {"year": 2022})
    assert [p.name for p in tmp_path.iterdir()] == ["dok.json"]  # no partial file left
    path.write_text('{"format": "lain"}', encoding="utf-8")
    with pytest.raises(ValueError, match="bukan berkas dokumen laporan lkj"):
        read_document_file(path)
