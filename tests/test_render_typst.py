"""The Typst renderer: the 2022 report's tables, cell by cell, in the PDF's text; the daftar
isi's page numbers; landscape pages, paper, fonts, PDF/A and attachments; data never read as
markup; the same bytes twice."""

from __future__ import annotations

import io
import itertools
import re
import struct
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from lkj.core.config import load_config
from lkj.document import model, tables
from lkj.document.table_layout import table_layout
from lkj.render import to_pdf, typst_json

Cell, Column, Table = tables.Cell, tables.Column, tables.Table
Document, Figure, Heading = model.Document, model.Figure, model.Heading
Paragraph, Part, number_blocks = model.Paragraph, model.Part, model.number_blocks

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The 2022 report document (built in-process, real figures) and its Typst PDF."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan

    base = tmp_path_factory.mktemp("typst_2022")
    processed, out = base / "processed", base / "out"
    raw = read_raw(2022, ROOT / "data" / "raw")
    write_tables(raw.tables, processed)
    write_tables(compute_results(raw.tables, 2022, load_config()).tables(), processed)
    d = laporan.load_report_data(2022, processed, out, None, ROOT / "data" / "raw" / "2022")
    laporan.draw_figures(d)
    doc = laporan.report_document(d)
    attachment = base / "data_2022.csv"
    attachment.write_text("kode,nilai\nS1,100\n", encoding="utf-8")
    pdf = to_pdf.render_pdf(doc, attachments=[to_pdf.Attachment(attachment, "Data mentah 2022")])
    reader = _reader(pdf)
    return doc, pdf, reader, *_pdf_stream(reader)


@pytest.fixture(scope="module")
def page_texts(report):
    """Each page's text, whitespace collapsed."""
    return [" ".join(p.extract_text().split()) for p in report[2].pages]


def _image_count(page: pypdf.PageObject) -> int:
    xobjects = (page["/Resources"].get("/XObject") or {}).values()
    return sum(1 for x in xobjects if x.get_object().get("/Subtype") == "/Image")


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _pdf_stream(reader: pypdf.PdfReader) -> tuple[str, list[int]]:
    """The PDF's text without any whitespace (a cell's line breaks are layout, not content)
    and without the page footers ("Halaman N"), and the page number (1-based) of each
    character."""
    chars, pages = [], []
    for number, page in enumerate(reader.pages, start=1):
        text = _squeeze(page.extract_text())
        footer = f"Halaman{number}"
        if text.endswith(footer):
            text = text[: -len(footer)]
        chars.append(text)
        pages += [number] * len(text)
    return "".join(chars), pages


def _cell_text(c: Cell) -> str:
    if c.items:
        return "".join(f"{n}.{_squeeze(item)}" for n, item in enumerate(c.items, start=1))
    text = _squeeze(c.text)
    return f"–{text}" if c.indent and text else text


def _header_pattern(text: str) -> str:
    """A header cell's text as the PDF may print it: whitespace gone, and a hyphen where a
    word may break between syllables (pyphen's Indonesian patterns, read here)."""
    import pyphen

    dic = pyphen.Pyphen(lang="id_ID")
    words = []
    for word in text.split():
        cuts = [0, *dic.positions(word), len(word)]
        words.append("-?".join(re.escape(word[a:b]) for a, b in itertools.pairwise(cuts)))
    return "".join(words)


class _Walk:
    """Reads a table out of the PDF's text, cell after cell."""

    def __init__(self, t: Table, stream: str, pages: list[int]) -> None:
        self.t, self.stream, self.pages = t, stream, pages
        self.header = [_squeeze(h.text) for row in t.header for h in row]
        self.patterns = [_header_pattern(h.text) for row in t.header for h in row]
        self.header_len = sum(map(len, self.header))

    def at_header(self, k: int) -> int:
        """The length of the header printed at ``k`` (each cell once, in any order; a word
        broken at a syllable shows its hyphen), else 0."""
        region = self.stream[k : k + self.header_len + 2 * len(self.header)]
        found = [re.search(p, region) for p in self.patterns]
        return sum(len(m.group()) for m in found) if all(found) else 0

    def run(self) -> set[int]:
        """Check the table; return the pages it is on."""
        t, stream = self.t, self.stream
        caption = _squeeze(t.caption)
        assert stream.count(caption) == 1, f"{t.key}: caption {t.caption!r}"
        k = stream.index(caption) + len(caption)
        # The header's cells (Typst places cells spanning rows after the others).
        head = self.at_header(k)
        assert head, f"{t.key}: header {stream[k : k + self.header_len]!r}"
        k += head
        used = {self.pages[k]}
        spanning: list[str] = []
        for kind, rows in (("baris", t.rows), ("jumlah", t.foot)):
            for r, row in enumerate(rows, start=1):
                for j, c in enumerate(row, start=1):
                    text = _cell_text(c)
                    if c.rowspan > 1:
                        spanning.append(text)
                        continue
                    while not stream.startswith(text, k):
                        hit = next((s for s in spanning if stream.startswith(s, k) and s), None)
                        if hit is not None:
                            spanning.remove(hit)
                            k += len(hit)
                        elif self.pages[k] != self.pages[k - 1] and self.at_header(k):
                            k += self.at_header(k)  # the header repeated on the next page
                        else:
                            raise AssertionError(
                                f"{t.key} {kind} {r} sel {j}: expected {c.text!r}, "
                                f"PDF has {stream[k : k + len(text) + 20]!r}"
                            )
                    if text:
                        used.add(self.pages[k])
                    k += len(text)
        while spanning:
            hit = next((s for s in spanning if stream.startswith(s, k)), None)
            assert hit is not None, f"{t.key}: cells spanning rows {spanning}"
            spanning.remove(hit)
            k += len(hit)
        return used


MAIN_TABLES = [
    "ringkasan_capaian_sasaran",
    "rkt",
    "evaluasi_indikator",
    "lra",
    "anggaran_sasaran",
    "anggaran_program",
    "capaian_program",
    "capaian_kegiatan",
    "capaian_sub_kegiatan",
    "kualitas_data",
]


@pytest.mark.parametrize("key", MAIN_TABLES)
def test_main_tables_cell_by_cell(report, key):
    doc, _, reader, stream, pages_of = report
    t = doc.table(key)
    turned = table_layout(t, load_config().dokumen).landscape  # the layout's decision
    pages = _Walk(t, stream, pages_of).run()
    for number in pages:
        box = reader.pages[number - 1].mediabox
        assert (box.width > box.height) == turned, f"{key} on page {number}"


def test_every_table_is_in_the_pdf(report):
    doc, _, _, stream, pages = report
    for t in doc.tables():
        _Walk(t, stream, pages).run()
    # By hand from data/raw/2022: the 35 sub kegiatan and program 03's budget (subs 27-29:
    # 923.865.000 + 26.639.900 + 130.338.200).
    assert len(doc.table("capaian_sub_kegiatan").rows) == 35
    assert doc.table("capaian_program").rows[2][4].text == "1.080.843.100"


def test_a_wrong_cell_is_caught(report):
    doc, _, _, stream, pages = report
    t = doc.table("capaian_program")
    row = t.rows[2]
    saved = row[4]
    t.rows[2] = (*row[:4], tables.Cell("1.080.843.101", 1080843101, "rp"), *row[5:])
    try:
        with pytest.raises(AssertionError, match="capaian_program baris 3 sel 5"):
            _Walk(t, stream, pages).run()
    finally:
        t.rows[2] = (*row[:4], saved, *row[5:])
    _Walk(t, stream, pages).run()


def test_daftar_isi_gives_the_page_of_each_heading(report, page_texts):
    doc, _, reader, _, _ = report
    pages = page_texts
    toc_page = next(i for i, text in enumerate(pages) if text.startswith("DAFTAR ISI"))
    toc = pages[toc_page]
    headings = [b for b in doc.blocks if isinstance(b, Heading) and b.toc and b.level <= 2]
    assert len(headings) > 20
    for h in headings:
        m = re.search(re.escape(h.text) + r"[ .]*?(\d+)(?!\d)", toc)
        assert m, f"daftar isi lacks {h.text!r}"
        page = int(m.group(1))
        assert h.text in pages[page - 1], f"{h.text!r} is not on page {page}"
    assert reader.outline, "headings are PDF bookmarks"


def test_figures_are_embedded_with_their_captions(report, page_texts):
    doc, _, reader, _, _ = report
    images = sum(_image_count(p) for p in reader.pages)
    assert images == len(doc.figures()) == 7
    text = " ".join(page_texts)
    for f in doc.figures():
        assert f.caption in text


def test_pdfa_metadata_fonts_and_attachment(report):
    doc, _, reader, _, _ = report
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in raw
    assert "<pdfaid:conformance>U</pdfaid:conformance>" in raw
    # As the HTML cover states them (instansi.csv of 2022, [dokumen] judul).
    assert reader.metadata.title == "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"
    assert reader.metadata.author == "Badan Kesatuan Bangsa dan Politik Kabupaten Belitung Timur"
    assert reader.metadata["/Keywords"] == (
        "Laporan Kinerja, LKjIP, Badan Kesatuan Bangsa dan Politik, Kabupaten Belitung Timur"
    )
    assert reader.trailer["/Root"]["/Lang"] == "id-ID"
    assert list(reader.attachments) == ["data_2022.csv"]
    assert reader.attachments["data_2022.csv"] == [b"kode,nilai\nS1,100\n"]
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # Only the vendored Liberation Sans (and Typst's own DejaVu Sans Mono for checksums).
    assert fonts and all(f.startswith(("LiberationSans", "DejaVuSansMono")) for f in fonts)
    assert {"LiberationSans", "LiberationSans-Bold"} <= fonts
    first = reader.pages[0].mediabox
    assert (round(first.width / MM), round(first.height / MM)) == (210, 297)
    assert "Halaman" not in reader.pages[0].extract_text()  # the cover has no page number


def _small_document(tmp_path: Path, text: str) -> Document:
    png = tmp_path / "g.png"
    Image.new("RGB", (40, 30), "#4c72b0").save(png)
    t = Table(
        "uji",
        "Tabel Uji",
        (Column("Uraian"), Column("Nilai", "angka")),
        [(Cell(text), Cell("1.234", 1234, "angka"))],
    )
    doc = Document(
        "Uji",
        [
            Part(
                "bab",
                [
                    Heading(1, "BAB I UJI", chapter="1", page_break=True),
                    Paragraph(text),
                    t,
                    Figure("g", png, "Gambar Uji"),
                ],
            )
        ],
        author="Badan Uji",
    )
    number_blocks(doc.blocks)
    return doc


def test_data_is_shown_never_read_as_markup(tmp_path):
    text = 'A *tebal* _miring_ #let x = 1 $x^2$ <lbl> @ref \\ "kutip" [kurung] // bukan komentar'
    doc = _small_document(tmp_path, text)
    pdf = to_pdf.render_pdf(doc, synthetic=True)
    page = " ".join(_reader(pdf).pages[0].extract_text().split())
    assert page.count(" ".join(text.split())) == 2  # the paragraph and the table cell
    assert page.startswith("DATA SINTETIS")


def test_f4_paper_and_the_same_bytes_twice(tmp_path):
    doc = _small_document(tmp_path, "Teks biasa.")
    a = to_pdf.render_pdf(doc, paper="F4")
    b = to_pdf.render_pdf(doc, paper="F4")
    assert a == b
    box = _reader(a).pages[0].mediabox
    assert (round(box.width / MM), round(box.height / MM)) == (215, 330)


def test_missing_image_is_a_clear_error(tmp_path):
    doc = _small_document(tmp_path, "Teks.")
    (tmp_path / "g.png").unlink()
    with pytest.raises((to_pdf.TypstRenderError, FileNotFoundError)):
        to_pdf.render_pdf(doc)


# What the WeasyPrint exporter's tests checked of the printed page, now of the Typst PDF: a
# long table's header on every page it spans, rows never split, the totals once after the
# last row, chapters on new pages, the daftar isi's page numbers.

H1 = ["BAB I PENDAHULUAN", "BAB II AKUNTABILITAS KINERJA"]
H2 = ["1.1 Latar Belakang", "1.2 Dasar Hukum", "2.1 Capaian Indikator", "2.2 Grafik Capaian"]
N_ROWS = 120


def _long_document() -> Document:
    columns = (
        Column("No", "angka"),
        Column("Indikator Kinerja", width=4),
        Column("Target", "angka"),
        Column("Realisasi 2024", "angka"),
        Column("Kategori", "kategori"),
    )
    rows = [
        (
            Cell(str(i), i, "angka"),
            Cell(
                f"IK-{i:03d} Persentase layanan administrasi kependudukan yang diselesaikan "
                f"tepat waktu dan sesuai standar pelayanan minimal ke-{i}"
            ),
            Cell("100", 100, "angka"),
            Cell(str(80 + i % 40), 80 + i % 40, "angka"),
            Cell("Tinggi", "Tinggi", "kategori", color="#5cb85c"),
        )
        for i in range(1, N_ROWS + 1)
    ]
    foot = [(Cell("Rata-rata capaian", colspan=3), Cell("99,50", 99.5, "angka"), Cell(""))]
    t = Table("ik", "Capaian Indikator Kinerja Utama", columns, rows, foot)
    blocks = [
        model.Toc(),
        Heading(1, H1[0], chapter="1", page_break=True),
        Heading(2, H2[0]),
        Paragraph("Laporan ini disusun sebagai bentuk pertanggungjawaban kinerja."),
        Heading(2, H2[1]),
        Paragraph("Undang-Undang Nomor 17 Tahun 2003."),
        Heading(1, H1[1], chapter="2", page_break=True),
        Heading(2, H2[2]),
        t,
        Heading(2, H2[3]),
        Paragraph("Capaian per sasaran."),
    ]
    doc = Document("Uji", [Part("laporan", blocks)])
    number_blocks(doc.blocks)
    return doc


@pytest.fixture(scope="module")
def long_pages() -> list[str]:
    pdf = to_pdf.render_pdf(_long_document())
    return [" ".join(p.extract_text().split()) for p in _reader(pdf).pages]


def test_long_table_header_on_every_page_rows_whole_totals_once(long_pages):
    texts = long_pages
    table_pages = [i for i, text in enumerate(texts) if re.search(r"IK-\d{3}", text)]
    assert len(table_pages) >= 3, table_pages
    assert table_pages == list(range(table_pages[0], table_pages[-1] + 1))
    for i in table_pages:
        text = texts[i]
        first_row = re.search(r"\d+ IK-\d{3}", text)
        assert text.count("Realisasi 2024") == 1, i  # the header, once per page
        assert text.index("Realisasi 2024") < first_row.start(), i
        # no row split: the page's first row starts whole (its number and code) right after
        # the header, and its last row ends with its category
        after_header = text.split("Kategori", 1)[1]
        assert re.match(r"\s*\d+ IK-\d{3}", after_header), after_header[:80]
    for i in table_pages[:-1]:
        assert re.search(r"Tinggi Halaman \d+$", texts[i]), texts[i][-80:]
    joined = " ".join(texts[i] for i in table_pages)
    for row in range(1, N_ROWS + 1):
        assert joined.count(f"IK-{row:03d} ") == 1, row
    # the totals once, after the last row
    assert sum(text.count("Rata-rata capaian") for text in texts) == 1
    last = texts[table_pages[-1]]
    assert last.index("IK-120") < last.index("Rata-rata capaian 99,50")


def test_chapters_start_new_pages_and_daftar_isi_numbers_them(long_pages):
    texts = long_pages
    toc_page = next(i for i, text in enumerate(texts) if text.startswith("DAFTAR ISI"))
    assert toc_page == 0
    for heading in H1:
        (page,) = [i for i, text in enumerate(texts) if i > toc_page and heading in text]
        assert texts[page].startswith(heading), texts[page][:80]
    for heading in H1 + H2:
        (target,) = [i for i, text in enumerate(texts) if i > toc_page and heading in text]
        number = target + 1
        assert re.search(rf"{re.escape(heading)} \.+ {number}(?!\d)", texts[toc_page]), heading
    assert texts[toc_page].count(" .....") == len(H1 + H2)


def test_a_typst_error_in_the_child_process_is_reported_with_its_message(tmp_path, monkeypatch):
    """A figure whose file is missing: the child's Typst error comes back as a
    TypstRenderError naming the file, from the child process and in-process alike."""
    from lkj.document.model import Document, Figure, Part

    ghost = tmp_path / "hilang.png"
    # a PNG header (16 x 16) with no image data: Python reads its size, Typst cannot decode it
    ihdr = struct.pack(">II", 16, 16) + bytes([8, 2, 0, 0, 0])
    ghost.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4)
    doc = Document("Uji", [Part("bab", [Figure("hilang", ghost, "Hilang", "Grafik")])])
    with pytest.raises(to_pdf.TypstRenderError) as caught:
        to_pdf.render_pdf(doc, signature_field=False)
    assert caught.value.args[0].startswith("Typst: ")
    worker = to_pdf.PdfWorker()  # started ahead, as the print job does
    with pytest.raises(to_pdf.TypstRenderError) as ahead:
        to_pdf.render_pdf(doc, signature_field=False, worker=worker)
    assert ahead.value.args[0] == caught.value.args[0]
    assert worker.process.returncode == 1 and not worker.ready()
    monkeypatch.setenv("LKJ_TYPST_IN_PROCESS", "1")
    with pytest.raises(to_pdf.TypstRenderError) as here:
        to_pdf.render_pdf(doc, signature_field=False)
    assert here.value.args[0] == caught.value.args[0]


def test_a_worker_started_ahead_makes_the_same_pdf_and_ends(tmp_path):
    """The PDF child process started ahead (PdfWorker) makes the very bytes of a child started
    for the job, signature field included; it serves one job; a worker never given one ends
    at close, without a PDF."""
    from pypdf import PdfReader

    from lkj.document.model import Document, Paragraph, Part, Signature
    from lkj.document.sampul import SIGNATURE_ANCHOR, SIGNATURE_FIELD

    block = Signature("Manggar", ("Kepala",), "NAMA", anchor=SIGNATURE_ANCHOR)
    doc = Document("Uji", [Part("bab", [Paragraph("Isi."), block])])
    fresh = to_pdf.render_pdf(doc)
    worker = to_pdf.PdfWorker()
    assert worker.ready()
    ahead = to_pdf.render_pdf(doc, worker=worker)
    assert ahead == fresh
    assert not worker.ready() and worker.process.returncode == 0
    fields = PdfReader(io.BytesIO(ahead)).get_fields()
    assert list(fields) == [SIGNATURE_FIELD]
    # used up: the next PDF starts a child of its own
    assert to_pdf.render_pdf(doc, worker=worker) == fresh
    idle = to_pdf.PdfWorker()
    idle.close()
    assert idle.process.returncode == 0 and not idle.ready()


def test_the_signature_field_is_the_one_pyhanko_appends(tmp_path):
    """``typst_worker.add_signature_field`` (made from pyhanko.pdf_utils alone, without
    importing pyhanko.sign) writes the objects pyHanko's own ``append_signature_field`` writes:
    the form, the field merged with its widget (print flag only), its empty appearance; the
    document before it is kept byte for byte; a PDF with a form already is refused."""
    import typst
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    from lkj.render.typst_worker import add_signature_field

    source = tmp_path / "dua.typ"
    source.write_text('#set page(paper: "a4")\nSatu\n#pagebreak()\nDua\n', encoding="utf-8")
    pdf = typst.compile(str(source))
    x, y, size = 100.5, 200.25, (62.0, 24.0)
    ours = add_signature_field(pdf, 1, x, y, size, "TandaTanganKepala")
    assert ours.startswith(pdf)

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    top = float(writer.find_page_for_modification(1)[0].get_object()["/MediaBox"][3])
    w, h = size[0] * MM, size[1] * MM
    box = (round(x, 2), round(top - y - h, 2), round(x + w, 2), round(top - y, 2))
    fields.append_signature_field(
        writer, fields.SigFieldSpec("TandaTanganKepala", on_page=1, box=box)
    )
    writer.root["/AcroForm"]["/Fields"][0].get_object()["/F"] = generic.NumberObject(4)
    theirs = io.BytesIO()
    writer.write(theirs)

    def described(data: bytes) -> dict:
        reader = PdfFileReader(io.BytesIO(data))
        form = reader.root["/AcroForm"]
        (ref,) = form["/Fields"]
        field = ref.get_object()
        kids = reader.root["/Pages"]["/Kids"]
        pages = [p.get_object() for p in kids]
        appearance = field["/AP"]["/N"].get_object()
        return {
            "sig_flags": form["/SigFlags"],
            "field": {k: v for k, v in field.items() if k not in ("/P", "/AP")},
            "page": [p.idnum for p in kids].index(field.raw_get("/P").idnum),
            "annots": [len(p.get("/Annots", [])) for p in pages],
            "appearance": dict(appearance.items()),
            "appearance_data": appearance.data,
        }

    mine, pyhanko = described(ours), described(theirs.getvalue())
    assert mine == pyhanko
    assert mine["page"] == 1 and mine["annots"] == [0, 1] and mine["field"]["/F"] == 4
    assert [float(v) for v in mine["field"]["/Rect"]] == list(box)
    with pytest.raises(ValueError, match="AcroForm"):
        add_signature_field(ours, 0, x, y, size, "Lagi")


def test_a_job_written_before_its_figure_is_drawn_makes_the_same_pdf(tmp_path):
    """PdfJob writes the compile job while the figure is not drawn yet (the print job runs
    beside the grafik stage); run once it is, the PDF is the very bytes render_pdf makes from
    the drawn figure, its width from the figure's size. A job whose figure never came is a
    clear error, and leaves no compile folder behind."""
    from lkj.core.config import Dokumen

    figure_path = tmp_path / "figures" / "grafik_1.png"
    doc = Document(
        "Uji", [Part("bab", [Heading(1, "BAB I", chapter="1"), Figure("g", figure_path, "G")])]
    )
    number_blocks(doc.blocks)
    meta = to_pdf.metadata(doc)
    job = to_pdf.PdfJob(doc, Dokumen(), meta)
    assert not figure_path.exists() and job.root.is_dir()
    figure_path.parent.mkdir()
    Image.new("RGB", (300, 600), "#dd8452").save(figure_path)  # tall: narrower than the text
    ahead = job.run()
    assert not job.root.exists()
    assert ahead == to_pdf.render_pdf(doc)
    data, _files = typst_json.document_json(doc)
    (figure,) = [b for b in data["blocks"] if b["type"] == "figure"]
    content_w, content_h = Dokumen().content_mm
    expected = round(min(content_w, (content_h - typst_json.FIGURE_ROOM_MM) * 300 / 600), 2)
    assert figure["width_mm"] == expected < content_w

    never = to_pdf.PdfJob(doc, Dokumen(), meta)
    figure_path.unlink()
    with pytest.raises(to_pdf.TypstRenderError, match="berkas tidak ditemukan"):
        never.run()
    assert not never.root.exists()
