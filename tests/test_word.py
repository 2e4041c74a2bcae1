"""The DOCX renderer (lkj.render.to_docx), read back with python-docx: real Word tables with merged
headers, repeated header rows and right-aligned numbers, Word heading styles and a TOC field,
page numbers, landscape laporan, A4/F4; the report's main tables cell by cell against the
model, against figures derived by hand and against the HTML report (which the PDF prints).

The LibreOffice check converts the report's DOCX headless (``soffice``; .ci/run installs
libreoffice-writer-nogui). Without soffice it is skipped, unless LKJ_REQUIRE_BROWSER=1 (set by
CI), which makes it fail instead.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from lkj.core.config import Dokumen
from lkj.core.errors import ConfigError
from lkj.document.model import (
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Part,
    Signature,
    Toc,
    number_blocks,
)
from lkj.document.tables import Cell, Column, Table, category_cell, cell
from lkj.render.to_docx import docx_bytes, write_docx

ROOT = Path(__file__).resolve().parent.parent


def _png(path: Path) -> None:
    """A small valid PNG (placeholder for a grafik; the grafik themselves are not under test)."""
    from PIL import Image

    Image.new("RGB", (40, 20), "#2e75b6").save(path, dpi=(96, 96))


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _tables_by_caption(document: docx.document.Document) -> dict[str, DocxTable]:
    """Every table of the DOCX under the text of the caption paragraph just before it."""
    found: dict[str, DocxTable] = {}
    previous = ""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = DocxParagraph(element, document).text
            if text:
                previous = text
        elif element.tag == qn("w:tbl"):
            found[previous] = DocxTable(element, document)
    return found


def _grid(table: DocxTable) -> list[list[str]]:
    """The text of every grid cell, row by row (a merged cell repeats its text)."""
    return [[c.text for c in row.cells] for row in table.rows]


def _model_grid(t: Table) -> list[list[str]]:
    """The same grid from the model: header, body and foot, merged cells repeated."""
    from lkj.document.tables import place

    n = len(t.columns)
    out = []
    for rows, shown in (
        (t.header, lambda c: c.text),
        (t.rows, _shown),
        (t.foot, _shown),
    ):
        grid: dict[tuple[int, int], str] = {}
        for r, placed in enumerate(place(rows, n)):
            for j, c in placed:
                for dr in range(c.rowspan):
                    for dc in range(c.colspan):
                        grid[(r + dr, j + dc)] = shown(c)
        out += [[grid[(r, j)] for j in range(n)] for r in range(len(rows))]
    return out


def _shown(c: Cell) -> str:
    """What Word shows of a model cell: list items one per line, lines on new lines."""
    if c.items:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(c.items, start=1))
    return f"{'– ' * c.indent}{c.text}"


# ----------------------------------------------------------------------- a small document


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Document, bytes]:
    png = tmp_path_factory.mktemp("fig") / "grafik.png"
    _png(png)
    wide = Table(
        "lebar",
        "Capaian Kinerja dan Realisasi Anggaran",
        (
            Column("No", "angka"),
            Column("Program"),
            Column("Capaian (%)", "pct", group="Kinerja"),
            Column("Kategori", "kategori", group="Kinerja"),
            Column("Anggaran (Rp)", "rp", group="Keuangan"),
        ),
        [
            (
                cell(1, "angka"),
                Cell("Program A"),
                cell(88.0, "pct"),
                category_cell("Tinggi", "#74c476"),
                cell(99193000, "rp"),
            ),
            (
                cell(2, "angka"),
                Cell("Program B", indent=1),
                cell(100, "pct"),
                category_cell(None, None),
                cell(17862000, "rp"),
            ),
        ],
        [(Cell(""), Cell("Jumlah", bold=True), Cell(""), Cell(""), cell(117055000, "rp"))],
        landscape=True,
    )
    rkt = Table(
        "rkt",
        "RKT",
        (Column("Sasaran"), Column("Kegiatan"), Column("Anggaran (Rp)", "rp")),
        [
            (Cell("Sasaran 1", rowspan=2), Cell("Kegiatan 1", bold=True), cell(300, "rp")),
            (Cell("Kegiatan 2"), cell(200, "rp")),
            (Cell("Sasaran 2"), Cell("Kegiatan 3", items=("satu", "dua")), cell(5, "rp")),
        ],
    )
    blocks = [
        Toc(),
        Heading(1, "BAB I PENDAHULUAN", chapter="1", page_break=True),
        Heading(2, "1.1 Latar Belakang"),
        Paragraph("Teks & <tanda> yang dilindungi."),
        ListBlock(("pertama", "kedua"), ordered=True, marker="a", values=(None, 3)),
        rkt,
        Heading(1, "BAB III AKUNTABILITAS", chapter="3", page_break=True),
        Heading(4, "a. Penjelasan", toc=False),
        wide,
        Figure("grafik", png, "Capaian per Program"),
        Signature("Manggar, ...... 2023", ("Kepala Badan", "Kabupaten X,"), "NAMA", "IV/b", "1"),
    ]
    number_blocks(blocks)
    document = Document("Laporan Uji", [Part("semua", blocks)], author="Badan Uji")
    return document, docx_bytes(document)


def test_headings_have_word_heading_styles_and_a_toc_field(small):
    _, data = small
    d = _read(data)
    styled = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert styled == [
        ("Heading 1", "BAB I PENDAHULUAN"),
        ("Heading 2", "1.1 Latar Belakang"),
        ("Heading 1", "BAB III AKUNTABILITAS"),
        ("Heading 4", "a. Penjelasan"),
    ]
    body = d.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    toc = [p.text for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc == ["BAB I PENDAHULUAN", "1.1 Latar Belakang", "BAB III AKUNTABILITAS"]
    settings = d.settings.element.xml
    assert '<w:updateFields w:val="true"/>' in settings
    first_bab = next(p for p in d.paragraphs if p.style.name == "Heading 1")
    assert first_bab.paragraph_format.page_break_before


def test_tables_are_real_word_tables_with_merged_and_repeated_headers(small):
    document, data = small
    d = _read(data)
    tables = _tables_by_caption(d)
    assert list(tables) == ["Tabel 1.1 RKT", "Tabel 3.1 Capaian Kinerja dan Realisasi Anggaran"]
    wide = tables["Tabel 3.1 Capaian Kinerja dan Realisasi Anggaran"]
    assert _grid(wide) == _model_grid(document.blocks[-3])
    assert _grid(wide)[:2] == [
        ["No", "Program", "Kinerja", "Kinerja", "Keuangan"],
        ["No", "Program", "Capaian (%)", "Kategori", "Anggaran (Rp)"],
    ]
    assert _grid(wide)[2:] == [
        ["1", "Program A", "88,00", "Tinggi", "99.193.000"],
        ["2", "– Program B", "100,00", "-", "17.862.000"],
        ["", "Jumlah", "", "", "117.055.000"],
    ]
    rows = wide.rows
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in rows] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    number = rows[2].cells[4].paragraphs[0]
    assert number.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert rows[2].cells[1].paragraphs[0].alignment is None  # text stays left
    shading = rows[2].cells[3]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "74C476"
    assert rows[4].cells[4].paragraphs[0].runs[0].bold  # totals in bold
    rkt = tables["Tabel 1.1 RKT"]
    assert _grid(rkt) == [
        ["Sasaran", "Kegiatan", "Anggaran (Rp)"],
        ["Sasaran 1", "Kegiatan 1", "300"],
        ["Sasaran 1", "Kegiatan 2", "200"],
        ["Sasaran 2", "1. satu\n2. dua", "5"],
    ]
    assert rkt.rows[1].cells[0]._tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"


def _grid_widths(table: DocxTable) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_column_widths_fill_the_line_and_follow_the_content(small, report):
    _, data = small
    rkt = _tables_by_caption(_read(data))["Tabel 1.1 RKT"]
    # portrait A4 between the default margins of 30 and 25 mm: 155 mm in twentieths of a point
    assert abs(sum(_grid_widths(rkt)) - round(155 / 25.4 * 1440)) <= 3
    assert rkt._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    document, d = report
    t = document.table("capaian_sub_kegiatan")
    widths = _grid_widths(_tables_by_caption(d)[t.caption])
    # landscape: 297 - 55 mm = 242 mm
    assert abs(sum(widths) - round(242 / 25.4 * 1440)) <= 6
    assert widths.index(max(widths)) == t.headers.index("Sub Kegiatan")
    assert widths.index(min(widths)) == t.headers.index("No")
    # the rupiah column holds its widest number on one line, with the cells' 3 pt padding on
    # each side: Liberation Sans (Arial's metrics) digits are 1139/2048 em, a dot 569/2048 em,
    # small table type is 0,714 x 12 pt (issue 19: widths measured with the fonts)
    rupiah = widths[t.headers.index("Anggaran (Rp)")]
    texts = [r[t.headers.index("Anggaran (Rp)")].text for r in t.rows + t.foot]
    widest = max(sum(1139 / 2048 if ch.isdigit() else 569 / 2048 for ch in text) for text in texts)
    assert rupiah >= round((widest * 0.714 * 12 + 6) * 20)


def test_landscape_section_page_numbers_and_paper(small, tmp_path):
    document, data = small
    d = _read(data)
    sizes = [(s.orientation, round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections]
    portrait, landscape = (
        docx.enum.section.WD_ORIENT.PORTRAIT,
        docx.enum.section.WD_ORIENT.LANDSCAPE,
    )
    assert sizes == [(portrait, 210, 297), (landscape, 297, 210), (portrait, 210, 297)]
    assert d.sections[0].different_first_page_header_footer  # no number on the cover
    assert not d.sections[1].different_first_page_header_footer
    footer = d.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Halaman ")
    assert "PAGE" in footer._p.xml
    f4 = _read(write_docx(document, tmp_path / "f4.docx", paper="F4").read_bytes())
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in f4.sections] == [
        (215, 330),
        (330, 215),
        (215, 330),
    ]


def test_text_lists_figures_and_metadata(small):
    _, data = small
    d = _read(data)
    texts = [p.text for p in d.paragraphs]
    assert "Teks & <tanda> yang dilindungi." in texts
    assert "a.\tpertama" in texts and "c.\tkedua" in texts
    assert "Grafik 1 Capaian per Program" in texts
    assert len(d.inline_shapes) == 1
    assert d.core_properties.title == "Laporan Uji"
    assert d.core_properties.author == "Badan Uji"
    assert d.core_properties.language == "id-ID"
    name = next(p for p in d.paragraphs if p.text.startswith("NAMA"))
    assert name.runs[0].bold and name.text == "NAMA\nIV/b\nNIP. 1"


def test_same_document_gives_the_same_bytes(small):
    document, data = small
    assert docx_bytes(document) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_unknown_paper_is_refused(small, tmp_path):
    document, _ = small
    with pytest.raises(ConfigError, match="kertas 'B5' tidak dikenal"):
        write_docx(document, tmp_path / "x.docx", paper="B5")


def test_document_settings_decide_paper_margins_font_and_size(small):
    document, data = small
    default = _read(data)
    normal = default.styles["Normal"]
    # the defaults of [dokumen]: Liberation Sans 12 pt, which Word users have as Arial
    assert (normal.font.name, normal.font.size.pt) == ("Arial", 12.0)
    section = default.sections[0]
    assert [round(x.mm) for x in (section.left_margin, section.right_margin)] == [30, 25]
    dokumen = Dokumen(
        paper="F4",
        margin_left_cm=4.0,
        margin_right_cm=3.0,
        margin_top_cm=3.0,
        margin_bottom_cm=2.0,
        font="Liberation Serif",
        font_size_pt=11,
    )
    d = _read(docx_bytes(document, dokumen))
    normal = d.styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 11.0)
    # the rest scale with the body text as in the stylesheet: 15 pt headings at 10.5 pt
    assert d.styles["Heading 1"].font.size.pt == 15.5  # 15 x 11 / 10.5 = 15,7 -> half points
    assert d.styles["Tabel"].font.size.pt == 9.0  # 8,5 x 11 / 10.5 = 8,9
    margins = [
        (round(s.left_margin.mm), round(s.right_margin.mm), round(s.top_margin.mm))
        for s in d.sections
    ]
    assert margins == [(40, 30, 30)] * 3
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections]
    assert sizes == [(215, 330), (330, 215), (215, 330)]
    # the landscape table fills the landscape line: 330 - 40 - 30 = 260 mm
    wide = _tables_by_caption(d)["Tabel 3.1 Capaian Kinerja dan Realisasi Anggaran"]
    assert abs(sum(_grid_widths(wide)) - round(260 / 25.4 * 1440)) <= 5


# ----------------------------------------------------------------------- the 2022 report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The 2022 report document built in-process (placeholder figures) and its DOCX."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import grafik_riwayat, laporan

    base = tmp_path_factory.mktemp("word_2022")
    processed, out = base / "processed", base / "out"
    raw = read_raw(2022, ROOT / "data" / "raw")
    write_tables(raw.tables, processed)
    write_tables(compute_results(raw.tables, 2022, load_config()).tables(), processed)
    (out / "figures").mkdir(parents=True)
    for stem in [*laporan.FIGURES, grafik_riwayat.FIGURE_CAPAIAN, grafik_riwayat.FIGURE_SERAPAN]:
        _png(out / "figures" / f"{stem}.png")
    d = laporan.load_report_data(2022, processed, out, None, ROOT / "data" / "raw" / "2022")
    document = laporan.report_document(d)
    return document, _read(docx_bytes(document))


@pytest.mark.parametrize(
    "key",
    [
        "capaian_program",
        "lra",
        "evaluasi_indikator",
        "capaian_sub_kegiatan",
        "rkt",
        "pegawai_unit_kerja",
    ],
)
def test_report_tables_equal_the_model_cell_by_cell(report, key):
    document, d = report
    t = document.table(key)
    tables = _tables_by_caption(d)
    assert _grid(tables[t.caption]) == _model_grid(t)


def test_report_tables_hold_hand_derived_figures(report):
    document, d = report
    tables = _tables_by_caption(d)
    program = _grid(tables[document.table("capaian_program").caption])
    # program 05: 100 - 30 x 39.665.000 / 99.193.000 = 88,00; serapan 71.407.400 / 99.193.000
    p05 = [r for r in program if r[1].startswith("Program Pembinaan dan Pengembangan Ketahanan")]
    assert p05 == [
        ["5", p05[0][1], "88,00", "Tinggi", "99.193.000", "71.407.400", "71,99", "Sedang"]
    ]
    assert program[-1][-4:-1] == ["4.920.098.606", "4.016.972.430", "81,64"]
    lra = _grid(tables[document.table("lra").caption])
    # LRA jenis rows: 1.367.655.230 + 2.463.312.376 + 907.965.000 + 165.166.000
    assert lra[1][1:3] == ["Belanja Daerah", "4.904.098.606"]
    assert [r[1] for r in lra if r[1].startswith("– ")] == [
        "– Belanja Pegawai",
        "– Belanja Barang dan Jasa",
        "– Belanja Hibah",
        "– Belanja Modal",
    ]
    evaluasi = _grid(tables[document.table("evaluasi_indikator").caption])
    # indikator 2: target 60, realisasi 60 -> 100,00 %, AA
    i2 = [r for r in evaluasi if r[2].startswith("Tingkat persentase pemahaman")]
    assert i2[0][4:] == ["60", "60", "100,00", "AA Sangat Memuaskan"]
    heading_texts = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert heading_texts == [
        "KATA PENGANTAR",
        "RINGKASAN EKSEKUTIF",
        "BAB I PENDAHULUAN",
        "BAB II PERENCANAAN DAN PERJANJIAN KINERJA",
        "BAB III AKUNTABILITAS KINERJA DAN KEUANGAN",
        "BAB IV PENUTUP",
        "LAMPIRAN",
    ]
    assert len(tables) == len(document.tables())
    landscape = [s for s in d.sections if s.page_width > s.page_height]
    # landscape: only the capaian of the sub kegiatan (Tabel 3.17: its names and labels do
    # not fit a portrait page even at 8 pt; the program's and the kegiatan's do, at the small
    # size), with its heading carried onto its page: one landscape section between two
    # portrait ones
    assert len(landscape) == 1
    assert len(d.sections) == 3
    sections = _section_of_paragraphs(d)
    assert len(set(sections.values())) == len(d.sections)
    carried = [
        "3. Capaian Kinerja dan Anggaran Sub Kegiatan",
        "Tabel 3.17 Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
    ]
    at = {sections[text] for text in carried}
    assert at == {1}
    section = d.sections[1]
    assert section.page_width > section.page_height


def _section_of_paragraphs(d) -> dict[str, int]:
    """Each paragraph's text and the number of the section it is in (a paragraph holding a
    ``w:sectPr`` ends its section; the body's own ``w:sectPr`` is the last)."""
    out, section = {}, 0
    for p in d.element.body.iterchildren(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        out.setdefault(text, section)
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    return out


# ----------------------------------------------------------------------- the built report


def _html_grid(table) -> list[list[str]]:
    """The HTML table's grid (merged cells repeated), cell texts as Word shows them."""
    grid: dict[tuple[int, int], str] = {}
    rows = table.find_all("tr")
    for r, tr in enumerate(rows):
        j = 0
        for td in tr.find_all(["th", "td"]):
            while (r, j) in grid:
                j += 1
            items = td.find_all("li")
            if items:
                text = "\n".join(f"{i}. {li.get_text()}" for i, li in enumerate(items, start=1))
            else:
                for br in td.find_all("br"):
                    br.replace_with("\n")
                # a soft hyphen shows nothing (python-docx reads Word's w:softHyphen as "")
                text = td.get_text().replace("\u00ad", "")
            for dr in range(int(td.get("rowspan", 1))):
                for dc in range(int(td.get("colspan", 1))):
                    grid[(r + dr, j + dc)] = text
            j += int(td.get("colspan", 1))
    n = max(j for _, j in grid) + 1
    return [[grid[(r, j)] for j in range(n)] for r in range(len(rows))]


@pytest.mark.e2e
def test_built_docx_tables_equal_the_html_report(built_2022):
    out = built_2022 / "out" / "2022"
    d = docx.Document(out / "LKj_2022.docx")
    soup = BeautifulSoup((out / "LKj_2022.html").read_text(encoding="utf-8"), "html.parser")
    html_tables = {t.find("caption").get_text(): t for t in soup.find_all("table", class_="lkj")}
    word_tables = _tables_by_caption(d)
    # 2 in the ringkasan, 6 in Bab I, 6 in Bab II, 21 numbered (3.6: the Renstra status) and 3
    # efficiency tables in Bab III, 7 in the lampiran
    assert len(word_tables) == len(html_tables) == 2 + 6 + 6 + 21 + 3 + 7
    for caption, table in word_tables.items():
        assert caption in html_tables, caption
        assert _grid(table) == _html_grid(html_tables[caption]), caption
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"LKj_2022.docx"' in manifest
    assert len(d.inline_shapes) == 7  # Gambar 1.1 and Grafik 1-6


@pytest.mark.e2e
def test_libreoffice_converts_the_docx(built_2022, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("LKJ_REQUIRE_BROWSER") == "1":
            pytest.fail("soffice not installed (apt-get install libreoffice-writer-nogui)")
        pytest.skip("soffice not installed (apt-get install libreoffice-writer-nogui)")
    from pypdf import PdfReader

    source = built_2022 / "out" / "2022" / "LKj_2022.docx"
    result = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "LKj_2022.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    pages = PdfReader(pdf).pages
    assert len(pages) > 30
    text = "\n".join(p.extract_text() for p in pages)
    for figure in ["4.920.098.606", "1.095.556.100", "92,23", "34,20", "Halaman 5"]:
        assert figure in text, figure
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}
    assert sizes == {(595, 842), (842, 595)}  # A4 portrait and landscape pages
