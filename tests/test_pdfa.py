"""The report PDF (Typst, lkj.render.to_pdf) as an archive document: PDF/A-3u identification,
metadata (title, author, keywords, language), only the shipped fonts, embedded, the paper and
margins of the settings, the empty signature field over the signature block, the raw-data
workbook as an attachment that reads back byte for byte and to the same tables, the cover with
and without the lambang daerah, "DATA SINTETIS" once on every page of synthetic data, and the
same bytes for the same document.

The documents are built in code from the model's blocks (lkj.document.model), as the report's are;
the attachment is the workbook of the real 2022 data.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from lkj.core.config import load_config
from lkj.data.ingest import read_raw
from lkj.document.model import Cover, Document, Heading, Paragraph, Part, Signature, number_blocks
from lkj.document.sampul import SIGNATURE_ANCHOR, SIGNATURE_BOX_MM, Signer
from lkj.render import to_pdf
from lkj.render.lampiran import data_attachment, data_changed
from lkj.render.notebook_export import SIGNATURE_FIELD
from lkj.tandatangan.pades import pdfa_identification

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
    """The cover block as lkj.document.laporan.sampul_blocks makes it."""
    return Cover((TITLE,), "Urusan Uji", (AGENCY, PEMDA), lambang, synthetic)


def _document(cover: Cover) -> Document:
    blocks = [
        cover,
        Heading(1, "KATA PENGANTAR", page_break=True),
        Paragraph("Laporan ini disusun sebagai uji."),
        Signature(
            SIGNER.place_date,
            SIGNER.jabatan,
            SIGNER.name,
            SIGNER.pangkat,
            SIGNER.nip,
            anchor=SIGNATURE_ANCHOR,
        ),
        Heading(1, "BAB I PENDAHULUAN", chapter="1", page_break=True),
        Paragraph("Isi bab."),
    ]
    doc = Document("judul dokumen, diganti oleh sampul", [Part("laporan", blocks)], "penulis")
    number_blocks(doc.blocks)
    return doc


def _pdf(cover: Cover, paper: str = "A4", attachments=()) -> bytes:
    dokumen = load_config().dokumen.with_paper(paper)
    return to_pdf.render_pdf(_document(cover), dokumen, attachments=attachments)


def _export(cover: Cover, paper: str = "A4", attachments=()) -> PdfReader:
    return PdfReader(io.BytesIO(_pdf(cover, paper, attachments)))


@pytest.fixture(scope="module")
def raw_2022():
    return read_raw(2022, ROOT / "data" / "raw")


@pytest.fixture(scope="module")
def attachment(tmp_path_factory):
    """The 2022 raw-data workbook, as the pipeline attaches it."""
    return data_attachment(2022, ROOT / "data" / "raw", tmp_path_factory.mktemp("lampiran"))


@pytest.fixture(scope="module")
def lambang(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lambang") / "lambang.png"
    path.write_bytes(PNG)
    return path


@pytest.fixture(scope="module")
def report(lambang, attachment) -> PdfReader:
    """A4 report with a lambang and the 2022 raw-data workbook attached."""
    return _export(_cover(lambang), attachments=(attachment,))


def _xmp(reader: PdfReader) -> ET.Element:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _xmp_values(root: ET.Element, ns: str, name: str) -> list[str]:
    """A property's values, written as an attribute or as an element (both are XMP)."""
    key = f"{{{NS[ns]}}}{name}"
    values = [d.attrib[key] for d in root.iter(f"{{{NS['rdf']}}}Description") if key in d.attrib]
    return values + [e.text or "" for e in root.iter(key)]


def test_pdfa_3u_identification_and_output_intent(report):
    root = _xmp(report)
    assert _xmp_values(root, "pdfaid", "part") == ["3"]
    assert _xmp_values(root, "pdfaid", "conformance") == ["U"]
    intents = report.trailer["/Root"]["/OutputIntents"]
    assert [i.get_object()["/S"] for i in intents] == ["/GTS_PDFA1"]
    assert report.pdf_header == "%PDF-1.7"
    assert report.trailer["/Root"].get("/Version", "/1.7") == "/1.7"


def test_metadata_title_author_keywords_language(report):
    assert report.metadata["/Title"] == TITLE
    assert report.metadata["/Author"] == f"{AGENCY} {PEMDA}"
    assert report.trailer["/Root"]["/Lang"] == "id-ID"
    root = _xmp(report)
    title = root.find(".//dc:title/rdf:Alt/rdf:li", NS)
    creators = root.findall(".//dc:creator/rdf:Seq/rdf:li", NS)
    assert title is not None and title.text == TITLE
    assert [c.text for c in creators] == [f"{AGENCY} {PEMDA}"]
    assert [e.text for e in root.findall(".//dc:language/rdf:Bag/rdf:li", NS)] == ["id-ID"]
    # the cover's keywords (lkj.document.sampul.keywords); synthetic data is not claimed
    assert report.metadata["/Keywords"] == f"Laporan Kinerja, LKjIP, {AGENCY}, {PEMDA}"


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
    assert set(fonts) == {"LiberationSans", "LiberationSans-Bold"}, set(fonts)
    for font in fonts.values():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program embedded
        assert "/ToUnicode" in font  # "u": text maps to Unicode


def test_raw_workbook_attached_and_reads_back_to_the_same_tables(
    report, attachment, raw_2022, tmp_path
):
    assert list(report.attachments) == ["LKj_2022_data_mentah.xlsx"]
    (content,) = report.attachments["LKj_2022_data_mentah.xlsx"]
    assert content == attachment.path.read_bytes()  # byte for byte
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
    # the document is dated when the data last changed (the same data: the same PDF)
    assert report.metadata["/CreationDate"] == changed.strftime("D:%Y%m%d%H%M%SZ")
    year = tmp_path / "raw" / "2022"
    year.mkdir(parents=True)
    (year / "data_2022.xlsx").write_bytes(content)
    back = read_raw(2022, tmp_path / "raw")
    assert sorted(back.tables) == sorted(raw_2022.tables)
    for name, frame in raw_2022.tables.items():
        pd.testing.assert_frame_equal(back[name], frame, check_dtype=False, obj=name)


def _baselines(page, keys: list[str]) -> dict[str, float]:
    """The baseline (page space) of the first line holding each key."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        for key in keys:
            if key in text and key not in found:
                found[key] = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]

    page.extract_text(visitor_text=visit)
    return found


def _field(reader: PdfReader):
    fields = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    assert len(fields) == 1
    return fields[0].get_object()


def test_signature_field_sits_on_the_signature_block(report):
    field = _field(report)
    assert (field["/FT"], field["/T"], field["/F"]) == ("/Sig", SIGNATURE_FIELD, 4)
    assert "/V" not in field  # empty: to be signed
    assert field["/Subtype"] == "/Widget" and "/N" in field["/AP"]  # PDF/A: an appearance
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    width, height = (v * PT_PER_MM for v in SIGNATURE_BOX_MM)
    assert x2 - x1 == pytest.approx(width, abs=0.1)
    assert y2 - y1 == pytest.approx(height, abs=0.1)
    # on the Kata Pengantar page (the second), between the jabatan line and the signer's name
    texts = [p.extract_text() for p in report.pages]
    assert [i for i, t in enumerate(texts) if "KATA PENGANTAR" in t] == [1]
    assert field["/P"].get_object() == report.pages[1].get_object()
    assert [a.get_object()["/T"] for a in report.pages[1]["/Annots"]] == [SIGNATURE_FIELD]
    lines = _baselines(report.pages[1], ["Kabupaten Contoh,", SIGNER.name])
    assert lines[SIGNER.name] < y1 and y2 < lines["Kabupaten Contoh,"]
    # centred in the signature block: the right 55 % of the content box (3 cm left margin,
    # 2.5 cm right margin of A4), as lkj.css places div.ttd
    left, right = 30 * PT_PER_MM, (210 - 25) * PT_PER_MM
    block_centre = left + 0.45 * (right - left) + 0.55 * (right - left) / 2
    assert (x1 + x2) / 2 == pytest.approx(block_centre, abs=0.05)


def _title_baseline(reader: PdfReader) -> float:
    found = []

    def visit(text, cm, tm, font, size):
        if "LAPORAN KINERJA" in text:
            found.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])

    reader.pages[0].extract_text(visitor_text=visit)
    return found[0]


def _images(page) -> int:
    xobjects = (page["/Resources"].get("/XObject") or {}).values()
    return sum(1 for x in xobjects if x.get_object().get("/Subtype") == "/Image")


def test_cover_layout_is_the_same_without_the_lambang(report):
    without = _export(_cover(None))
    assert _images(report.pages[0]) == 1  # the lambang
    assert _images(without.pages[0]) == 0
    assert _title_baseline(without) == pytest.approx(_title_baseline(report), abs=0.01)
    assert len(without.pages) == len(report.pages)
    assert "Halaman" not in report.pages[0].extract_text()  # no page number on the cover
    assert report.pages[1].extract_text().rstrip().endswith("Halaman 2")


def test_f4_paper_from_the_settings():
    reader = _export(_cover(None), paper="F4")
    width, height = 215 * PT_PER_MM, 330 * PT_PER_MM  # 609.45 x 935.43 pt
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.05)


def test_margins_from_the_settings():
    """A signature block at the top of an F4 page: its space starts at the top of the content
    box, and is centred in the right 55 % of it."""
    dokumen = load_config().dokumen.with_paper("F4")
    block = Signature("", (), "NAMA", anchor=SIGNATURE_ANCHOR)
    doc = Document("t", [Part("p", [block, Paragraph("isi")])])
    field = _field(PdfReader(io.BytesIO(to_pdf.render_pdf(doc, dokumen))))
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    left, right = 30 * PT_PER_MM, (215 - 25) * PT_PER_MM  # margin_kiri_cm 3, margin_kanan_cm 2.5
    assert (x1 + x2) / 2 == pytest.approx(left + 0.725 * (right - left), abs=0.05)
    assert y2 == pytest.approx((330 - 25) * PT_PER_MM, abs=0.05)  # margin_atas_cm = 2.5
    assert y2 - y1 == pytest.approx(SIGNATURE_BOX_MM[1] * PT_PER_MM, abs=0.05)


def test_synthetic_report_is_marked_in_keywords_and_once_on_every_page():
    reader = _export(_cover(None, synthetic=True))
    keywords = [k.strip() for k in reader.metadata["/Keywords"].split(",")]
    assert keywords == ["DATA SINTETIS", "Laporan Kinerja", "LKjIP", AGENCY, PEMDA]
    assert len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert text.count("DATA SINTETIS") == 1, (number, text)
        assert text.startswith("DATA SINTETIS"), number  # the page header


def test_plain_pdf_when_asked():
    data = to_pdf.render_pdf(_document(_cover(None)), pdf_standard=None)
    assert pdfa_identification(data) == ""
    assert re.match(rb"%PDF-1\.\d", data)


def test_same_document_same_bytes(lambang, attachment):
    """Field and attachment included: no "now", no random identifier."""
    first = _pdf(_cover(lambang), attachments=(attachment,))
    assert _pdf(_cover(lambang), attachments=(attachment,)) == first


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


@pytest.mark.parametrize("blank", [False, True])
def test_data_workbook_from_the_processed_tables_is_the_same(raw_root, tmp_path, blank):
    """The print job writes the workbook from the tables ingest wrote to the processed folder
    (not reading the raw folder again): the very bytes of the workbook read_raw's tables give,
    also with empty cells in the optional number columns (a whole-number column with an empty
    cell reads back from CSV as float)."""
    import csv

    from lkj.data.processed import contract_tables, read_processed_tables, write_tables

    if blank:
        for name, column in (("sub_kegiatan", "no_seed"), ("indikator", "kondisi_awal")):
            path = raw_root / "2022" / f"{name}.csv"
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            index = rows[0].index(column)
            rows[1][index] = rows[3][index] = ""
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
    raw = read_raw(2022, raw_root)
    assert int(raw["sub_kegiatan"]["no_seed"].isna().sum()) == (2 if blank else 0)
    write_tables(raw.tables, tmp_path / "processed")
    tables = contract_tables(read_processed_tables(tmp_path / "processed"))
    assert sorted(tables) == sorted(raw.tables)
    for name, frame in raw.tables.items():
        assert list(tables[name].dtypes) == list(frame.dtypes), name
    direct = data_attachment(2022, raw_root, tmp_path / "a")
    staged = data_attachment(2022, raw_root, tmp_path / "b", tables)
    assert staged.path.read_bytes() == direct.path.read_bytes()
