"""The report PDF as an archive document: PDF/A-3u identification, metadata (title, author,
language), only the shipped fonts, embedded, the paper and margins of the settings, the empty
signature field at the signature block, the raw-data workbook as an attachment that reads back
to the same tables, and the cover with and without the lambang daerah.

The notebooks are built in code from the cover and signature functions of lkj.sampul, so
nothing is executed; the attachment is the workbook of the real 2022 data.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader

from lkj.config import load_config
from lkj.dataset import read_raw
from lkj.export import SIGNATURE_FIELD, LkjPdfExporter, PdfOptions, html_to_pdf
from lkj.lampiran import data_attachment, data_changed
from lkj.sampul import SIGNATURE_ANCHOR, SIGNATURE_BOX_MM, Cover, Signer, cover_html, signature_html

ROOT = Path(__file__).resolve().parent.parent
PT_PER_MM = 72 / 25.4
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
TITLE = "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"
AGENCY, PEMDA = "Badan Uji Coba", "Kabupaten Contoh"
SIGNER = Signer(
    place_date="Manggar, ........ 2023",
    jabatan=("Kepala Badan Uji Coba", "Kabupaten Contoh"),
    name="DRS. PENANDA TANGAN, M.Si",
    pangkat="Pembina Utama Muda / IV.c",
    nip="19700101 199003 1 001",
)
# 2x2 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4wMAARAwQCgAYDgMBZBJpNwAAAABJ"
    "RU5ErkJggg=="
)


def _cover(lambang: Path | None, synthetic: bool = False) -> Cover:
    return Cover(TITLE, "Urusan Uji", AGENCY, PEMDA, lambang, synthetic)


def _notebook(cover: Cover):
    parts = [
        cover_html(cover),
        '<h1 class="bab">KATA PENGANTAR</h1><p>Laporan ini disusun sebagai uji.</p>'
        + str(signature_html(SIGNER, SIGNATURE_ANCHOR)),
        '<h1 class="bab">BAB I PENDAHULUAN</h1><p>Isi bab.</p>',
    ]
    cells = []
    for part in parts:
        cell = new_code_cell("")
        cell.outputs = [new_output("display_data", data={"text/html": str(part)})]
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["lkj"] = {"title": "judul notebook, diganti oleh sampul"}
    return nb


def _export(cover: Cover, paper: str = "A4", attachments=()) -> PdfReader:
    dokumen = load_config().dokumen.with_paper(paper)
    exporter = LkjPdfExporter(dokumen=dokumen, pdf_options=PdfOptions(attachments=attachments))
    data, _ = exporter.from_notebook_node(_notebook(cover))
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def raw_2022():
    return read_raw(2022, ROOT / "data" / "raw")


@pytest.fixture(scope="module")
def report(tmp_path_factory, raw_2022) -> PdfReader:
    """A4 report with a lambang and the 2022 raw-data workbook attached."""
    tmp = tmp_path_factory.mktemp("pdfa")
    (tmp / "lambang.png").write_bytes(PNG)
    attachment = data_attachment(2022, ROOT / "data" / "raw", tmp / "lampiran")
    return _export(_cover(tmp / "lambang.png"), attachments=(attachment,))


def _xmp(reader: PdfReader) -> ET.Element:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _xmp_attr(root: ET.Element, ns: str, name: str) -> list[str]:
    key = f"{{{NS[ns]}}}{name}"
    return [d.attrib[key] for d in root.iter(f"{{{NS['rdf']}}}Description") if key in d.attrib]


def test_pdfa_3u_identification_and_output_intent(report):
    root = _xmp(report)
    assert _xmp_attr(root, "pdfaid", "part") == ["3"]
    assert _xmp_attr(root, "pdfaid", "conformance") == ["U"]
    intents = report.trailer["/Root"]["/OutputIntents"]
    assert [i.get_object()["/S"] for i in intents] == ["/GTS_PDFA1"]
    assert report.pdf_header == "%PDF-1.7"


def test_metadata_title_author_language(report):
    assert report.metadata["/Title"] == TITLE
    assert report.metadata["/Author"] == f"{AGENCY} {PEMDA}"
    assert report.trailer["/Root"]["/Lang"] == "id-ID"
    root = _xmp(report)
    title = root.find(".//dc:title/rdf:Alt/rdf:li", NS)
    creators = root.findall(".//dc:creator/rdf:Seq/rdf:li", NS)
    assert title is not None and title.text == TITLE
    assert [c.text for c in creators] == [f"{AGENCY} {PEMDA}"]
    # synthetic data is not claimed
    assert "DATA SINTETIS" not in report.metadata["/Keywords"]


def _fonts(reader: PdfReader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = font
    return fonts


def test_only_the_shipped_fonts_embedded(report):
    fonts = _fonts(report)
    # body (regular), headings/name (bold); nothing from the system (DejaVu ...)
    assert set(fonts) == {"Liberation-Sans", "Liberation-Sans-Bold"}, set(fonts)
    for font in fonts.values():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program embedded
        assert "/ToUnicode" in font  # "u": text maps to Unicode


def test_raw_workbook_attached_and_reads_back_to_the_same_tables(report, raw_2022, tmp_path):
    assert list(report.attachments) == ["LKj_2022_data_mentah.xlsx"]
    (content,) = report.attachments["LKj_2022_data_mentah.xlsx"]
    names = report.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/Desc"].startswith("Data mentah LKj 2022: setiap tabel data/raw/2022")
    params = spec["/EF"]["/F"].get_object()["/Params"]
    changed = data_changed(ROOT / "data" / "raw" / "2022")
    assert params["/ModDate"] == changed.strftime("D:%Y%m%d%H%M%SZ")
    assert params["/Size"] == len(content)
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == (
        "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert [a.get_object()["/F"] for a in report.trailer["/Root"]["/AF"]] == [
        "LKj_2022_data_mentah.xlsx"
    ]
    year = tmp_path / "raw" / "2022"
    year.mkdir(parents=True)
    (year / "data_2022.xlsx").write_bytes(content)
    back = read_raw(2022, tmp_path / "raw")
    assert sorted(back.tables) == sorted(raw_2022.tables)
    for name, frame in raw_2022.tables.items():
        pd.testing.assert_frame_equal(back[name], frame, check_dtype=False, obj=name)


def test_signature_field_sits_on_the_signature_block(report):
    fields = report.trailer["/Root"]["/AcroForm"]["/Fields"]
    assert len(fields) == 1
    field = fields[0].get_object()
    assert (field["/FT"], field["/T"], field["/F"]) == ("/Sig", SIGNATURE_FIELD, 4)
    assert "/V" not in field  # empty: to be signed
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    width, height = (v * PT_PER_MM for v in SIGNATURE_BOX_MM)
    assert x2 - x1 == pytest.approx(width, abs=0.1)
    assert y2 - y1 == pytest.approx(height, abs=0.1)
    # on the Kata Pengantar page, between the jabatan line and the signer's name
    page = next(i for i, p in enumerate(report.pages) if "KATA PENGANTAR" in p.extract_text())
    assert field["/P"].get_object() == report.pages[page].get_object()
    baselines = {}

    def visit(text, cm, tm, font, size):
        for key in ("Kabupaten Contoh,", SIGNER.name):
            if key in text:  # baseline in page space: text matrix, then the page's matrix
                baselines[key] = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]

    report.pages[page].extract_text(visitor_text=visit)
    assert baselines[SIGNER.name] < y1 and y2 < baselines["Kabupaten Contoh,"]
    # horizontally within the content box (3 cm left margin, 2.5 cm right margin of A4)
    assert 30 * PT_PER_MM <= x1 and x2 <= (210 - 25) * PT_PER_MM


def _title_baseline(reader: PdfReader) -> float:
    found = []

    def visit(text, cm, tm, font, size):
        if "LAPORAN KINERJA" in text:
            found.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])

    reader.pages[0].extract_text(visitor_text=visit)
    return found[0]


def test_cover_layout_is_the_same_without_the_lambang(report):
    without = _export(_cover(None))
    images = report.pages[0]["/Resources"].get("/XObject") or {}
    assert len(images) == 1  # the lambang
    assert not (without.pages[0]["/Resources"].get("/XObject") or {})
    assert _title_baseline(without) == pytest.approx(_title_baseline(report), abs=0.01)
    assert len(without.pages) == len(report.pages)


def test_f4_paper_from_the_settings():
    reader = _export(_cover(None), paper="F4")
    width, height = 215 * PT_PER_MM, 330 * PT_PER_MM  # 609.45 x 935.43 pt
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.05)


def test_margins_from_the_settings():
    """A full-width block at the top of the page starts at the top-left of the content box."""
    dokumen = load_config().dokumen.with_paper("F4")
    html = (
        '<html lang="id-ID"><body style="margin: 0">'
        f'<div id="{SIGNATURE_ANCHOR}" style="height: 10mm"></div><p>isi</p></body></html>'
    )
    reader = PdfReader(io.BytesIO(html_to_pdf(html, options=PdfOptions(dokumen=dokumen))))
    field = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x1 == pytest.approx(30 * PT_PER_MM, abs=0.05)  # margin_kiri_cm = 3
    assert x2 == pytest.approx((215 - 25) * PT_PER_MM, abs=0.05)  # margin_kanan_cm = 2.5
    assert y2 == pytest.approx((330 - 25) * PT_PER_MM, abs=0.05)  # margin_atas_cm = 2.5
    assert y2 - y1 == pytest.approx(10 * PT_PER_MM, abs=0.05)


def test_synthetic_report_is_marked_in_keywords_and_on_every_page():
    reader = _export(_cover(None, synthetic=True))
    assert "DATA SINTETIS" in [k.strip() for k in reader.metadata["/Keywords"].split(",")]
    for number, page in enumerate(reader.pages, start=1):
        assert "DATA SINTETIS" in page.extract_text(), number


def test_plain_pdf_when_asked():
    data = html_to_pdf(
        "<html><body><p>x</p></body></html>", options=PdfOptions(variant=None, fonts=False)
    )
    reader = PdfReader(io.BytesIO(data))
    assert "/Metadata" not in reader.trailer["/Root"]
    assert re.match(rb"%PDF-1\.\d", data)


def test_data_workbook_is_reproducible(tmp_path):
    """Two workbooks of the same data are the same bytes, stamped when the data changed."""
    import zipfile

    first = data_attachment(2022, ROOT / "data" / "raw", tmp_path / "a")
    second = data_attachment(2022, ROOT / "data" / "raw", tmp_path / "b")
    assert first.path.read_bytes() == second.path.read_bytes()
    changed = data_changed(ROOT / "data" / "raw" / "2022")
    assert first.when == changed
    with zipfile.ZipFile(first.path) as book:
        core = book.read("docProps/core.xml").decode()
        stamp = changed.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [stamp] * 2
        assert {i.date_time for i in book.infolist()} == {changed.timetuple()[:6]}
