"""What issue 19 left for later, seen in every renderer: a table too wide for a landscape page
printed as parts with their key columns repeated (Typst PDF, DOCX, HTML alike), the HTML's
landscape wrapper following the layout, header words broken at a syllable only where the
layout needs it and no soft hyphen in the text a reader copies; and the layout checks of
tests/layout_geometry.py on the quarter's E.81 PDF and the Penilaian Mandiri's PDF.

The parts and break points expected here are derived by hand in tests/test_table_layout.py
(the same synthetic tables); this file checks that each renderer prints what the layout
decided.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import layout_geometry as geometry
import pytest
from conftest import report_data_2022
from test_table_layout import _crowded, _wide_table

from lkj.core.config import Dokumen
from lkj.document.model import Document, Heading, Paragraph, Part, number_blocks

SHY = "\u00ad"
GROUPS = 6  # two parts of three Triwulan groups (tests/test_table_layout.py)
CROWDED = 6  # "Penyelenggaraan" headers broken once at normal size (ibid.)


@pytest.fixture(scope="module")
def document() -> Document:
    wide, crowded = _wide_table(GROUPS), _crowded(CROWDED)
    crowded.key, crowded.title = "sempit", "Kolom Sempit"
    blocks = [
        Heading(1, "Bab 1 Uji", chapter="1"),
        Paragraph("Tabel lebar berikut dibagi menjadi dua bagian."),
        wide,
        Paragraph("Tabel berikut memotong kata judul kolom."),
        crowded,
    ]
    number_blocks(blocks)
    return Document("Uji tata letak", [Part("bab", blocks)])


@pytest.fixture(scope="module")
def pdf(document, tmp_path_factory) -> Path:
    from lkj.render.to_pdf import render_pdf

    path = tmp_path_factory.mktemp("parts") / "parts.pdf"
    path.write_bytes(render_pdf(document, Dokumen(), synthetic=True, signature_field=False))
    return path


def test_the_pdf_prints_both_parts_and_passes_the_layout_checks(pdf, document):
    found = geometry.check_pdf(pdf, tables=document.tables())
    counts = found.counts()
    for name in ("crossing", "labels_cut", "lonely", "thin_parts", "near_empty", "broken"):
        assert counts[name] == 0, (name, getattr(found, name)[:5])
    assert found.small_text == found.unruled == found.outside == []
    assert found.captions == ["Tabel 1.1", "Tabel 1.2"]  # the second part is a "Lanjutan"
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        pages = [(p.width > p.height, p.extract_text()) for p in doc.pages]
    # both parts on one landscape page, each with the key columns' header and cells
    (landscape, text), *_ = [(w, t) for w, t in pages if "Tabel 1.1" in t]
    assert landscape and "Lanjutan Tabel 1.1 Tabel Lebar (bagian 2 dari 2)" in text
    assert text.count("Penyelenggaraan urusan") == 2 and text.count("Jumlah") == 2
    assert [f"Triwulan {g}" in text for g in range(1, GROUPS + 1)] == [True] * GROUPS


def test_no_soft_hyphen_reaches_the_pdf_text(pdf):
    """pdftotext reads whole words where nothing broke ("Penyelenggaraan urusan", the
    caption) and "Penyeleng-" / "garaan" where the layout broke the header word."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    assert tool, "pdftotext not installed (poppler-utils)"
    run = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, check=True)
    text = run.stdout.decode("utf-8")
    assert SHY not in text
    assert text.count("Penyelenggaraan urusan") == 2  # the body cell, in each part
    words = text.split()
    assert words.count("Penyeleng-") == CROWDED and words.count("garaan") == CROWDED
    assert words.count("Penyelenggaraan") == 2  # the body cells only: every header broke


def test_the_docx_prints_the_same_parts_with_optional_hyphens(document, tmp_path):
    import docx

    from lkj.render.to_docx import write_docx

    path = write_docx(document, tmp_path / "parts.docx", Dokumen())
    d = docx.Document(str(path))
    tables = d.tables
    assert len(tables) == 3  # the wide table's two parts, the crowded table
    first, second = ([c.text for c in t.rows[0].cells if c._tc is not None] for t in tables[:2])
    assert first[:2] == second[:2] == ["No", "Uraian"]
    assert [len(t.columns) for t in tables[:2]] == [8, 8]
    assert [t.rows[4].cells[1].text for t in tables[:2]] == ["Jumlah", "Jumlah"]  # 2 header rows
    # the header word the layout broke has Word's optional hyphen at that point only; its
    # text reads whole
    xml = tables[2]._tbl.xml
    assert xml.count("<w:softHyphen/>") == CROWDED
    broken = r">Penyeleng</w:t>\s*<w:softHyphen/>\s*<w:t[^>]*>garaan</w:t>"
    assert len(re.findall(broken, xml)) == CROWDED
    assert [c.text for c in tables[2].rows[0].cells][2:] == ["Penyelenggaraan"] * CROWDED
    assert SHY not in "".join(c.text for t in tables for row in t.rows for c in row.cells)
    # the wide table's parts are on a landscape section, the crowded table is not
    from docx.enum.section import WD_ORIENT

    assert [s.orientation for s in d.sections][:2] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]


def test_the_html_follows_the_layout(document):
    from bs4 import BeautifulSoup

    from lkj.render.to_html import html

    soup = BeautifulSoup(str(html(document.blocks, dokumen=Dokumen())), "html.parser")
    tables = soup.find_all("table")
    assert [t.caption.get_text() for t in tables] == [
        "Tabel 1.1 Tabel Lebar (bagian 1 dari 2)",
        "Lanjutan Tabel 1.1 Tabel Lebar (bagian 2 dari 2)",
        "Tabel 1.2 Kolom Sempit",
    ]
    # the wide table asks for no landscape page: the layout gives it one, and so does the page
    assert not document.tables()[0].landscape
    assert [t.parent.get("class") == ["lanskap"] for t in tables] == [True, True, False]
    heads = [th.get_text() for th in tables[2].thead.find_all("th")]
    assert heads[2:] == [f"Penyeleng{SHY}garaan"] * CROWDED
    assert [len(t.find("colgroup").find_all("col")) for t in tables] == [8, 8, 2 + CROWDED]
    # every part has the body rows (the sasaran row spanning it) and the total
    assert [len(t.tbody.find_all("tr")) for t in tables] == [2, 2, 1]
    for part in tables[:2]:
        cells = [td.get_text() for td in part.tbody.find_all("tr")[1].find_all("td")]
        assert cells[:2] == ["1", "Penyelenggaraan urusan"] and len(cells) == 8
        assert part.tbody.find("tr").find_all("td")[1].get("colspan") == "7"
        assert [td.get_text() for td in part.tfoot.find_all("td")][1] == "Jumlah"
    # the crowded table fits a portrait page at the normal type: not "kecil"
    assert [t.get("class") for t in tables] == [["lkj", "kecil"]] * 2 + [["lkj"]]


# ------------------------------------------------------------------ the quarter, the penilaian


def test_e81_quarter_pdf_passes_the_layout_checks(tmp_path):
    """The E.81 of TW II (21 columns, merged K/Rp headers) is split in two landscape parts,
    Kode and uraian repeated, and the whole quarter's PDF passes every check."""
    from triwulan_case import build_case

    from lkj.analysis.triwulan import evaluate
    from lkj.core.config import load_config
    from lkj.data.triwulan import read_quarter_year
    from lkj.document.table_layout import table_layout
    from lkj.document.triwulan import triwulan_document
    from lkj.render.to_pdf import render_pdf

    build_case(tmp_path / "raw")
    tables = read_quarter_year(2023, tmp_path / "raw").tables
    ev = evaluate(tables, 2023, 2, "raw/2023")
    doc = triwulan_document(ev, tables, tmp_path / "raw" / "2023", {})
    dokumen = load_config().dokumen
    e81 = doc.table("e81")
    assert len(e81.columns) == 21
    split = table_layout(e81, dokumen).split
    assert len(split) == 2 and all(part[:2] == (0, 1) for part in split)
    shown = sorted(j for part in split for j in part[2:])
    assert shown == list(range(2, 21))  # every other column once
    pdf = tmp_path / "e81.pdf"
    pdf.write_bytes(render_pdf(doc, dokumen, synthetic=True, title=doc.title))
    found = geometry.check_pdf(pdf, tables=doc.tables())
    assert found.tables > 0
    for name, count in found.counts().items():
        if name not in ("pages", "tables", "labels"):
            assert count == 0, (name, getattr(found, name)[:5])
    assert found.captions == [t.label for t in doc.tables() if t.label.startswith("Tabel")]


def test_penilaian_pdf_passes_the_layout_checks(built_2022, tmp_path):
    """The Penilaian Mandiri of the session's 2022 report: its Bobot, Skor and Nilai columns
    and the landscape criteria tables pass every check."""
    import datetime as dt

    from lkj.core.lke import load_lke
    from lkj.document import laporan
    from lkj.document.penilaian import nilai_laporan, penilaian_document
    from lkj.render.to_pdf import render_pdf

    d = report_data_2022(built_2022)
    p = nilai_laporan(d, laporan.report_document(d), load_lke(None), tmp_path, dt.date(2023, 2, 1))
    doc = penilaian_document(p, d)
    assert "Bobot" in doc.table("penilaian_ringkasan").headers
    pdf = tmp_path / "penilaian.pdf"
    pdf.write_bytes(render_pdf(doc, d.config.dokumen, synthetic=False, signature_field=False))
    found = geometry.check_pdf(pdf, tables=doc.tables())
    assert found.tables >= len(doc.tables())
    for name, count in found.counts().items():
        if name not in ("pages", "tables", "labels"):
            assert count == 0, (name, getattr(found, name)[:5])


# ------------------------------------------------------------------ the big dinas


BIG = 1400
"""Sub kegiatan of the big dinas: the size sweep's 1 400 (scripts/bench.py synthetic_year),
whose 434-page PDF had its RKT table run past the footer (a sasaran's cell spanning its sub
kegiatan rows, taller than a page). Read with PDFium (tests/pdf_objects.py), its ~480 pages
are checked in seconds; pdfplumber took minutes, and ``make test`` checked 70 of them."""


def _synthetic_year(src: Path, dst: Path, size: int) -> None:
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = sys.modules.setdefault("bench", importlib.util.module_from_spec(spec))
    if not hasattr(bench, "synthetic_year"):
        spec.loader.exec_module(bench)
    bench.synthetic_year(src, dst, size)


def test_the_big_dinas_passes_the_layout_checks(built_2022, tmp_path):
    """A synthetic dinas (DATA SINTETIS) of BIG sub kegiatan, its tables computed here without
    the notebooks, the session's 2022 figures in place of its own (their size is all the
    layout reads of them): every check passes, and the RKT really has a cell taller than a
    page (the defect the 1 400 showed)."""
    import shutil

    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan
    from lkj.document.table_layout import table_layout, tall_spans
    from lkj.render.to_pdf import render_pdf

    raw = tmp_path / "raw"
    _synthetic_year(built_2022 / "raw" / "2022", raw / "2022", BIG)
    tables = read_raw(2022, raw).tables
    assert len(tables["sub_kegiatan"]) == BIG
    processed, out = tmp_path / "processed", tmp_path / "out"
    write_tables(tables, processed)
    write_tables(compute_results(tables, 2022, load_config()).tables(), processed)
    shutil.copytree(built_2022 / "out" / "2022" / "figures", out / "figures")
    d = laporan.load_report_data(2022, processed, out, None, raw / "2022")
    whole = laporan.report_document(d)
    rkt = whole.table("rkt")
    assert tall_spans(rkt, table_layout(rkt, d.config.dokumen), d.config.dokumen)
    # the chapters whose tables grow with the sub kegiatan (the others are the 2022
    # report's, checked in test_layout.py): Bab II (RKT), Bab III, the lampiran
    grows = ("bab_ii", "bab_iii", "lampiran")
    doc = Document(whole.title, [p for p in whole.parts if p.name in grows], whole.author)
    pdf = tmp_path / "besar.pdf"
    pdf.write_bytes(render_pdf(doc, d.config.dokumen, signature_field=False))
    found = geometry.check_pdf(pdf, tables=doc.tables())
    assert found.pages > 400 and found.labels > 0
    for name, count in found.counts().items():
        if name not in ("pages", "tables", "labels"):
            assert count == 0, (name, getattr(found, name)[:5])
    assert found.captions == [t.label for t in doc.tables() if t.label.startswith("Tabel")]


@pytest.mark.slow
def test_the_1400_dinas_passes_the_layout_checks(tmp_path):
    """The size sweep's dinas of 1 400 sub kegiatan, built by ``lkj report`` as a user
    would, notebooks and every chapter (make test-all; ``make test`` checks the chapters that
    grow with the sub kegiatan, its tables computed without the notebooks)."""
    from conftest import ROOT, report_args, run_lkj

    from lkj.document import laporan

    _synthetic_year(ROOT / "data" / "raw" / "2022", tmp_path / "raw" / "2022", 1400)
    result = run_lkj(*report_args(tmp_path), timeout=1800)
    assert result.returncode == 0, result.stderr
    d = laporan.load_report_data(
        2022,
        tmp_path / "processed" / "2022",
        tmp_path / "out" / "2022",
        None,
        tmp_path / "raw" / "2022",
    )
    doc = laporan.report_document(d)
    found = geometry.check_pdf(tmp_path / "out" / "2022" / "LKj_2022.pdf", tables=doc.tables())
    assert found.pages > 400
    for name, count in found.counts().items():
        if name not in ("pages", "tables", "labels"):
            assert count == 0, (name, getattr(found, name)[:5])
