"""End to end: `python -m lkj report` on the 2022 data, as a user runs it.

Checks the figures in the HTML and PDF against hand-derived ones (see test_results_2022.py
for the derivations), that a rerun does nothing, and that bad data stops the run with a clear
message while the previous report stays as it was.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


def _run(*args: str) -> subprocess.CompletedProcess:
    from conftest import run_lkj

    return run_lkj(*args)


@pytest.fixture(scope="module")
def built(built_2022):
    """The session's 2022 report (tests/conftest.py), built from a private copy of the data."""
    from conftest import report_args

    base = built_2022
    return {
        "base": base,
        "raw": base / "raw",
        "out": base / "out" / "2022",
        "processed": base / "processed" / "2022",
        "args": report_args(base),
    }


def test_outputs_exist(built):
    out = built["out"]
    for name in ["LKj_2022.html", "LKj_2022.pdf", "manifest.json"]:
        assert (out / name).is_file(), name
    for stem in [
        "grafik_1_anggaran_program",
        "grafik_2_capaian_kegiatan",
        "grafik_3_capaian_sub_kegiatan",
    ]:
        assert (out / "figures" / f"{stem}.png").stat().st_size > 10_000
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == [
        "01_ingest.ipynb",
        "02_capaian.ipynb",
        "03_grafik.ipynb",
        "04_laporan.ipynb",
    ]
    assert (built["processed"] / "capaian_sub_kegiatan.csv").is_file()


def test_html_report_holds_the_computed_figures(built):
    # the computed figures are checked in their table cells by
    # test_every_numbered_table_is_present_with_computed_values; here the captions
    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    for caption in [
        "Tabel 3.3 Evaluasi Indikator Kinerja Sasaran",
        "Tabel 3.9",
        "Tabel 3.11",
        "Grafik 1",
        "Grafik 2",
        "Grafik 3",
        "Sangat Memuaskan",
    ]:
        assert caption in html, caption


def test_html_report_is_offline_and_shows_no_code(built):
    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<script src" not in html
    assert "sections.bab_iii" not in html  # the report shows no code


def test_report_page_is_the_page_of_the_executed_report_notebook(built):
    """LKj_2022.html is made from the report's document in the run's process (lkj.run.cetak);
    the executed notebook 04, exported as the report view, must give the same page: every
    table cell by cell, the daftar isi, the headings and the text."""
    import nbformat
    from bs4 import BeautifulSoup
    from conftest import html_tables

    from lkj.core.config import load_config
    from lkj.render.notebook_export import LkjHtmlExporter

    page = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    nb = nbformat.read(built["out"] / "notebooks" / "04_laporan.ipynb", as_version=4)
    exporter = LkjHtmlExporter(hide_code=True, dokumen=load_config().dokumen)
    exported, _ = exporter.from_notebook_node(nb)
    ours, theirs = html_tables(page), html_tables(exported)
    assert len(ours) == 43  # 42 + Bab III 3.6 status against the Renstra end target
    assert ours == theirs

    def outline(html: str) -> tuple[list, list, str]:
        soup = BeautifulSoup(html, "html.parser")
        toc = [(a["href"], a.get_text(" ", strip=True)) for a in soup.select("nav.toc a")]
        heads = [
            (h.name, h.get("id"), h.get_text(" ", strip=True))
            for h in soup.select("main h1, main h2, main h3")
        ]
        text = " ".join(soup.select_one("main").get_text(" ").split())
        return toc, heads, text

    assert outline(page) == outline(exported)


def test_reviewer_notebooks_show_their_code(built):
    html = (built["out"] / "notebooks" / "02_capaian.html").read_text(encoding="utf-8")
    assert "compute_results" in html
    # program 03's capaian as the report prints it (2 decimals, decimal comma), in a table cell
    from bs4 import BeautifulSoup

    cells = {td.get_text(strip=True) for td in BeautifulSoup(html, "html.parser").find_all("td")}
    assert "92,23" in cells


def test_pdf_is_a4_with_toc_page_numbers_figures_and_field(built):
    from lkj.render.notebook_export import SIGNATURE_FIELD
    from lkj.tandatangan.pades import pdfa_identification

    data = (built["out"] / "LKj_2022.pdf").read_bytes()
    reader = PdfReader(built["out"] / "LKj_2022.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 10
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    # every page after the cover ends with its own number; the cover has none
    assert "Halaman" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(f"Halaman {number}"), number
    # the daftar isi (one line per entry): every entry points at the page its heading is on
    (toc,) = [i for i, text in enumerate(pages) if text.startswith("DAFTAR ISI")]
    lines = reader.pages[toc].extract_text().splitlines()[1:-1]  # title ... footer
    entries = [re.fullmatch(r"(\S.*?) \.{5,} (\d+)", line.strip()) for line in lines]
    assert all(entries) and len(entries) >= 20, lines
    for entry in entries:
        title, number = entry.group(1), int(entry.group(2))
        assert title in pages[number - 1], (title, number)
    # the figures: Grafik 1-6 and the organisation chart (Gambar 1.1), each embedded once
    images = 0
    for page in reader.pages:
        xobjects = (page["/Resources"].get("/XObject") or {}).values()
        images += sum(1 for x in xobjects if x.get_object().get("/Subtype") == "/Image")
    text = " ".join(pages)
    numbers = ["Gambar 1.1", *(f"Grafik {n}" for n in range(1, 7))]
    assert [len(re.findall(re.escape(n) + r" [A-Z]", text)) for n in numbers] == [1] * 7
    assert images == 7
    # PDF/A-3u, the raw data attached, the empty signature field on the Kata Pengantar page
    assert pdfa_identification(data) == "3U"
    assert list(reader.attachments) == ["LKj_2022_data_mentah.xlsx"]
    fields = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    assert [f.get_object()["/T"] for f in fields] == [SIGNATURE_FIELD]
    kata_pengantar = [i for i, t in enumerate(pages) if t.startswith("KATA PENGANTAR")]
    assert fields[0].get_object()["/P"].get_object() == reader.pages[kata_pengantar[0]].get_object()
    assert not any("DATA SINTETIS" in text for text in pages)  # real data


def test_pdf_holds_every_table_cell_by_cell(built):
    """Every table of the report's document, read out of the pipeline's PDF cell after cell
    (tests/test_render_typst.py's reader), so one wrong digit fails; the document is the one
    the report notebook shows (its HTML cells are checked against hand figures below)."""
    from test_render_typst import _pdf_stream, _Walk

    from lkj.document import laporan

    d = laporan.load_report_data(
        2022, built["processed"], built["out"], None, built["raw"] / "2022"
    )
    doc = laporan.report_document(d)
    stream, pages = _pdf_stream(PdfReader(built["out"] / "LKj_2022.pdf"))
    tables = doc.tables()
    assert len(tables) == 45  # 44 + Bab III 3.6 status against the Renstra end target
    for t in tables:
        _Walk(t, stream, pages).run()
    assert doc.table("capaian_program").rows[2][4].text == "1.080.843.100"


def test_rerun_with_nothing_changed_does_nothing(built):
    before = (built["out"] / "LKj_2022.pdf").stat().st_mtime_ns
    result = _run(*built["args"])
    assert result.returncode == 0
    assert "sudah mutakhir" in result.stdout
    assert (built["out"] / "LKj_2022.pdf").stat().st_mtime_ns == before


def test_bad_data_stops_and_keeps_the_previous_report(built):
    pdf = (built["out"] / "LKj_2022.pdf").read_bytes()
    path = built["raw"] / "2022" / "sub_kegiatan.csv"
    original = path.read_text(encoding="utf-8")
    rows = list(csv.reader(original.splitlines()))
    rows[4][rows[0].index("anggaran_rp")] = "-100"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    try:
        result = _run(*built["args"])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "sub_kegiatan.csv, baris 5, kolom anggaran_rp: diharapkan angka ≥ 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert (built["out"] / "LKj_2022.pdf").read_bytes() == pdf
    assert not list(built["out"].parent.glob(".staging-*"))


# ---------------------------------------------------------------- the whole LKj (issue 3)

# Every numbered table of the model document, with cells computed by hand from its detailed
# rows (see test_results_2022.py): (table, row label, column header, the cell's exact text).
# Numbers follow from the order of the tables (lkj.document.model.number_blocks): the model document
# numbers its two tables of sasaran 1 both 3.4, so from there on ours are one higher.
# A row is found by a cell equal to (or, for long names, starting with) its label; a column by
# its header (the merged header cells above it joined with " / ").
NUMBERED = {
    "Tabel 1.1": [("Kepala Badan", "Jumlah / 2022", "1"), ("Jumlah", "Jumlah / 2022", "22")],
    "Tabel 1.2": [("Golongan III", "Jumlah / 2022", "6"), ("Jumlah", "Jumlah / 2022", "10")],
    "Tabel 1.3": [("Eselon IV", "Jumlah / 2022", "3"), ("Jumlah", "Jumlah / 2022", "4")],
    "Tabel 1.4": [("SMA", "Jumlah / 2022", "10"), ("Jumlah", "Jumlah / 2022", "22")],
    "Tabel 1.5": [("Tenaga Kontrak", "Jumlah / 2022", "12"), ("Jumlah", "Jumlah / 2022", "22")],
    "Tabel 1.6": [("Kursi Kerja", "Jumlah / 2022", "36"), ("Komputer/PC", "Jumlah / 2022", "11")],
    "Tabel 2.1": [],
    "Tabel 2.2": [],
    "Tabel 2.3": [("Tingkat persentase pemahaman masyarakat", "Target akhir", "75")],
    "Tabel 2.4": [],
    "Tabel 2.5": [
        ("– Pelaksanaan Kebijakan Di Bidang Pendid", "Anggaran (Rp)", "923.865.000"),
        ("Jumlah", "Anggaran (Rp)", "2.033.333.100"),
    ],
    "Tabel 2.6": [("Terwujudnya hubungan yang harmonis", "Target 2022", "60")],
    "Tabel 3.1": [("AA", "Interpretasi", "Sangat Memuaskan"), ("AA", "Kode Warna", "#006837")],
    "Tabel 3.2": [("Terwujudnya hubungan yang harmonis", "Rencana Tahun 2022", "60%")],
    "Tabel 3.3": [("Terwujudnya hubungan yang harmonis", "Capaian Kinerja (%)", "100,00")],
    "Tabel 3.4": [("2022", "Capaian Kinerja (%)", "100,00")],
    # sub kegiatan 31: 7 of 10 -> 70,00, Sedang
    "Tabel 3.5": [("Pelaksanaan Kebijakan di Bidang Ketahana", "Capaian (%)", "70,00")],
    # indikator 2 against the Renstra end target 75: 60 / 75 = 80,00
    "Tabel 3.6": [("2022", "Capaian thd. target akhir Renstra (%)", "80,00")],
    # 10 of 11 parties
    "Tabel 3.7": [("Pelaksanaan Kebijakan Di Bidang Pendidik", "Capaian (%)", "90,91")],
    "Tabel 3.8": [("2022", "Capaian Kinerja (%)", "100,00")],
    "Tabel 3.9": [
        (
            "Pelaksanaan Monitoring, Evaluasi dan Pel",
            "Unsur Keterwakilan / Kelompok Sasaran",
            "Vertikal, opd, Masyarakat",
        ),
    ],
    "Tabel 3.10": [
        ("Belanja Daerah", "Anggaran (Rp)", "4.904.098.606"),
        ("Belanja Daerah", "Serapan (%)", "81,91"),
        ("– Belanja Pegawai", "Serapan (%)", "81,95"),
        ("– Belanja Barang dan Jasa", "Serapan (%)", "74,18"),
    ],
    "Tabel 3.11": [
        ("Belanja penunjang", "Anggaran (Rp)", "2.886.765.506"),
        ("Belanja penunjang", "Serapan (%)", "77,85"),
        ("Belanja langsung untuk sasaran", "Anggaran (Rp)", "2.033.333.100"),
        ("Belanja langsung untuk sasaran", "Serapan (%)", "87,03"),
    ],
    "Tabel 3.12": [
        # sasaran 2: the seed says 1.078.044.100 (98,12)
        ("Terwujudnya hubungan yang harmonis", "Realisasi (Rp)", "1.095.556.100"),
        ("Terwujudnya hubungan yang harmonis", "Serapan (%)", "99,71"),
        ("Jumlah", "Anggaran (Rp)", "2.033.333.100"),
        ("Jumlah", "Realisasi (Rp)", "1.769.523.902"),
    ],
    "Tabel 3.13": [],
    "Tabel 3.14": [
        ("Program Peningkatan Kewaspadaan Nasional", "Serapan (%)", "66,79"),
        ("Jumlah", "Anggaran (Rp)", "4.920.098.606"),
        ("Jumlah", "Serapan (%)", "81,64"),
    ],
    "Tabel 3.15": [
        ("Program Peningkatan Peran Partai Politik", "Kinerja / Capaian Kinerja (%)", "92,23"),
        ("Program Pembinaan dan Pengembangan Ketah", "Kinerja / Capaian Kinerja (%)", "88,00"),
        ("Program Pembinaan dan Pengembangan Ketah", "Kinerja / Kategori Kinerja", "Tinggi"),
    ],
    "Tabel 3.16": [
        ("Administrasi Keuangan Perangkat Daerah", "Kinerja / Capaian Kinerja (%)", "34,20"),
        ("Perencanaan, Penganggaran, dan Evaluasi", "Keuangan / Capaian Anggaran (%)", "12,78"),
    ],
    "Tabel 3.17": [],
    "Tabel 3.18": [],
}


def cell(table: dict, row_label: str, column: str) -> str:
    """The text of the cell in the row labelled ``row_label`` under header ``column``."""
    rows = [
        r
        for r in table["rows"]
        if any(c == row_label or (len(row_label) >= 12 and c.startswith(row_label)) for c in r)
    ]
    assert len(rows) == 1, f"{len(rows)} rows labelled {row_label!r} in {table['caption']}"
    header = table["header"]
    assert column in header, f"no column {column!r} in {table['caption']}: {header}"
    assert len(rows[0]) == len(header), (rows[0], header)
    return rows[0][header.index(column)]


FIGURES = ["Gambar 1.1", "Grafik 1", "Grafik 2", "Grafik 3", "Grafik 4"]


def _soup(built):
    from bs4 import BeautifulSoup

    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_every_numbered_table_is_present_with_computed_values(built):
    from conftest import html_tables

    tables = html_tables((built["out"] / "LKj_2022.html").read_text(encoding="utf-8"))
    for number, cells in NUMBERED.items():
        assert number in tables, f"{number} missing"
        assert tables[number]["rows"], f"{number} has no rows"
        for row_label, column, expected in cells:
            got = cell(tables[number], row_label, column)
            assert got == expected, (number, row_label, column, got)
    # the tables of every sub kegiatan and kegiatan have one row each, plus the total
    assert len(tables["Tabel 3.17"]["rows"]) == 35 + 1
    assert len(tables["Tabel 3.16"]["rows"]) == 12 + 1


def test_every_figure_is_present_and_embedded(built):
    soup = _soup(built)
    found = {}
    for fig in soup.find_all("figure"):
        caption = fig.find("figcaption").get_text()
        found[" ".join(caption.split()[:2])] = fig
    for number in FIGURES:
        assert number in found, number
        img = found[number].find("img")
        assert img["src"].startswith("data:image/png;base64,")
        assert len(img["src"]) > 5000
    for stem in ["bagan_organisasi", "grafik_4_distribusi_kategori"]:
        assert (built["out"] / "figures" / f"{stem}.png").is_file()
    assert not list((built["out"] / "figures").glob("*.svg"))  # PNG only: nothing uses SVG


def test_chapters_in_the_order_of_the_model(built):
    soup = _soup(built)
    chapters = [h.get_text(" ", strip=True) for h in soup.find_all("h1")]
    expected = [
        "KATA PENGANTAR",
        "RINGKASAN EKSEKUTIF",
        "BAB I PENDAHULUAN",
        "BAB II PERENCANAAN DAN PERJANJIAN KINERJA",
        "BAB III AKUNTABILITAS KINERJA DAN KEUANGAN",
        "BAB IV PENUTUP",
        "LAMPIRAN",
    ]
    assert [c for c in chapters if c in expected] == expected


def test_narrative_is_carried_over_with_computed_values(built):
    text = _soup(built).get_text(" ")
    text = " ".join(text.split())
    assert "Puji syukur kehadiran Tuhan yang Maha Esa" in text  # kata pengantar
    assert "Dialog Ideologi Bangsa" in text  # sasaran 1 activity
    # the total in words, from num2words, not typed: 4.920.098.606
    assert (
        "empat miliar sembilan ratus dua puluh juta sembilan puluh delapan ribu enam "
        "ratus enam rupiah"
    ) in text
    # sasaran 2: the seed says 1.078.044.100 (98,12); the narrative shows the computed value
    assert "Rp 1.095.556.100" in text and "99,71%" in text


def test_data_quality_section_lists_the_disagreements(built):
    """Tabel L.5, cell by cell for three known disagreements: the computed side derived from
    the raw rows (tests/raw_expected.py), the written side as the source document has it."""
    from conftest import html_tables
    from raw_expected import SUB, anggaran, num, realisasi, subs_of, weighted

    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    table = html_tables(html)["Tabel L.5"]
    assert table["header"] == ["No", "Sumber (dokumen)", "Hal", "Tertulis", "Hasil perhitungan"]
    assert len(table["rows"]) == 44  # of 416 stated figures (369 same, 3 not comparable)
    cells = {(r[1], r[2]): (r[3], r[4]) for r in table["rows"]}
    langsung = [r for r in SUB if r not in subs_of("program", "01")]
    s2 = "sasaran S2 (Terwujudnya hubungan yang harmonis antara Lembaga perwakilan rakyat…)"
    p05 = "program 05 (Program Pembinaan dan Pengembangan Ketahanan Ekonomi Sosial dan Budaya)"
    assert cells[("Tabel 3.11", "total sasaran: anggaran")] == (
        "1.556.506.595",
        num(anggaran(langsung)),
    )
    assert cells[("Tabel 3.11", f"{s2}: realisasi anggaran")] == (
        "1.078.044.100,00",
        num(realisasi(subs_of("sasaran", "S2"))),
    )
    assert cells[
        ("Tabel Capaian Kinerja dan Realisasi Anggaran Program", f"{p05}: capaian fisik (%)")
    ] == ("94,00", num(weighted(subs_of("program", "05")), 2))
    page = " ".join(_soup(built).get_text(" ").split())
    # sources disagree: sub kegiatan total against the LRA, 16.000.000 apart
    assert "berbeda Rp 16.000.000 dari jumlah LRA" in page


def test_provenance_lists_input_checksums(built):
    import hashlib

    text = _soup(built).get_text(" ")
    for name in ["sub_kegiatan.csv", "lra.csv", "narasi/kata_pengantar.md"]:
        digest = hashlib.sha256((built["raw"] / "2022" / name).read_bytes()).hexdigest()
        assert digest in text, name
    assert "typst" in text  # the typesetter of the PDF, with its version


def test_the_report_notebook_links_the_figures_and_its_page_carries_them(built):
    """The report notebook runs beside the grafik notebook: the executed 04 links each figure
    (../figures/NAME.png, from the notebooks folder) instead of carrying it, and its reviewer
    page carries every one, byte for byte the drawn file, as the report page does."""
    import base64

    import nbformat
    from bs4 import BeautifulSoup

    out = built["out"]
    nb = nbformat.read(out / "notebooks" / "04_laporan.ipynb", as_version=4)
    html_outputs = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    outputs = BeautifulSoup(html_outputs, "html.parser")
    links = [img["src"] for img in outputs.select("figure.grafik img")]
    drawn = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert len(drawn) == 7  # Gambar 1.1, Grafik 1-4, the two riwayat grafik
    assert sorted(links) == sorted(f"../figures/{name}" for name in drawn)
    assert "data:image/png" not in html_outputs

    def carried(page: Path) -> list[bytes]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sources = [img["src"] for img in soup.select("figure.grafik img")]
        assert all(s.startswith("data:image/png;base64,") for s in sources), page.name
        return [base64.b64decode(s.split(",", 1)[1]) for s in sources]

    files = [(out / link.removeprefix("../")).read_bytes() for link in links]
    assert carried(out / "notebooks" / "04_laporan.html") == files
    assert carried(out / "LKj_2022.html") == files
