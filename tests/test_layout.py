"""The printed page as a reader sees it (issue 19): the 2022 report's PDF, A4 and F4, read
from its geometry (tests/layout_geometry.py: glyph boxes against the drawn rules, the category
labels' boxes, the last line of every page), the precision of computed columns, qpdf's check
and the PDF/A identification.

The A4 PDF is the session's built report (``built_2022``); the F4 PDF is printed once more
from that build's processed tables. A small Typst document with known defects proves the
checks see them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import layout_geometry as geometry
import pytest
from conftest import report_data_2022

BAD_PAGE = r"""
#set page(width: 210mm, height: 297mm, margin: 25mm)
#set text(font: "Liberation Sans", size: 12pt)
Sampul.
#pagebreak()
#block(height: 200mm)[Isi halaman.]
#text(size: 10.86pt, weight: "bold")[Tabel 1.1 Contoh]
#table(columns: (20pt, 60pt, 40pt), stroke: 0.5pt + rgb("#8c8c8c"), inset: (x: 3pt, y: 2.5pt),
  [No], [Nama], [Nilai],
  [1], [Penyelenggaraan], [1.098.705.100],
  [2], [Ok], block(fill: rgb("#1a7f37"), inset: (x: 3pt, y: 1.5pt), radius: 2pt,
                   text(fill: white, weight: "bold")[Memuaskan]),
  [3], [Sangat Memua\ skan], [40],
)
#v(1fr)
#text(size: 12pt, weight: "bold", fill: rgb("#1f3864"))[2.1 Judul Yang Sendirian]
#pagebreak()
Halaman berikut.
"""


def test_the_checks_see_known_defects(tmp_path):
    """A word and a number wider than their columns, a label narrower than its word, a
    heading at the foot of a page: each is found, and nothing else."""
    import typst

    from lkj.core.resources import FONTS_DIR

    source = tmp_path / "bad.typ"
    source.write_text(BAD_PAGE, encoding="utf-8")
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(typst.compile(str(source), font_paths=[str(FONTS_DIR)]))
    from lkj.document.tables import Cell, Column, Table

    words = [("1", "Penyelenggaraan", "1.098.705.100"), ("2", "Ok", "Memuaskan")]
    model = Table(
        "contoh",
        "Contoh",
        (Column("No", "angka"), Column("Nama"), Column("Nilai", "angka")),
        [tuple(Cell(w) for w in row) for row in [*words, ("3", "Sangat Memuaskan", "40")]],
        label="Tabel 1.1",
    )
    found = geometry.check_pdf(pdf, margin_pt=70, tables=[model])
    counts = found.counts()
    # "Penyelenggaraan" over the rule at 20+60 pt, "1.098.705.100" over the table's right
    # rule, "Memuaskan" (its label 40 pt wide) over it too
    assert counts["crossing"] == 3, found.crossing
    assert [c.split(":")[0] for c in found.crossing] == ["p. 2"] * 3
    assert counts["labels"] == 1 and counts["labels_cut"] == 1, found.labels_cut
    assert found.lonely == ["p. 2: '2.1 Judul Yang Sendirian'"]
    # "Memuaskan" printed as "Memua" / "skan"; run-together texts ("elengg1a.0ra9a8", where
    # the word crosses the number) are not words of the table either
    assert "p. 2: 'Memua'" in found.broken and "p. 2: 'skan'" in found.broken
    assert counts["small_text"] == counts["unruled"] == counts["outside"] == 0


@pytest.fixture(scope="module")
def a4(built_2022) -> Path:
    return built_2022 / "out" / "2022" / "LKj_2022.pdf"


@pytest.fixture(scope="module")
def f4(built_2022, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("layout_f4") / "LKj_2022_F4.pdf"
    return geometry.render_from_processed(
        2022,
        built_2022 / "processed" / "2022",
        built_2022 / "out" / "2022",
        built_2022 / "raw" / "2022",
        "F4",
        target,
    )


@pytest.fixture(scope="module")
def document(built_2022):
    from lkj.document import laporan

    return laporan.report_document(report_data_2022(built_2022))


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture(scope="module")
def docx_pdf(built_2022, tmp_path_factory) -> Path:
    """The report's DOCX as LibreOffice prints it, with the fonts a Word user has: Arial and
    Times New Roman are metric twins of the shipped Liberation fonts, which fontconfig's
    metric aliases put in their place (a machine without Arial would print DejaVu, wider)."""
    from lkj.core.resources import FONTS_DIR

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("LKJ_REQUIRE_BROWSER") == "1":
            pytest.fail("soffice not installed (apt-get install libreoffice-writer-nogui)")
        pytest.skip("soffice not installed (apt-get install libreoffice-writer-nogui)")
    work = tmp_path_factory.mktemp("layout_docx")
    conf = work / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=FONTS_DIR, cache=work / "fc"), encoding="utf-8")
    source = built_2022 / "out" / "2022" / "LKj_2022.docx"
    result = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
    )
    assert result.returncode == 0, result.stderr
    return work / "LKj_2022.pdf"


@pytest.fixture(scope="module", params=["A4", "F4", "DOCX"])
def printed(
    request, a4, f4, document, built_2022, tmp_path_factory
) -> tuple[str, Path, geometry.Findings]:
    if request.param == "DOCX":
        pdf = request.getfixturevalue("docx_pdf")
    else:
        pdf = a4 if request.param == "A4" else f4
    return request.param, pdf, geometry.check_pdf(pdf, tables=document.tables())


def test_no_text_crosses_or_touches_a_rule(printed):
    paper, _, found = printed
    assert found.crossing == [], f"{paper}: {len(found.crossing)}: {found.crossing[:10]}"
    assert found.outside == [], f"{paper}: glyphs past the margins: {found.outside[:10]}"


def test_no_word_is_broken_inside(printed):
    """Every word printed in a table is a word of the document's tables (a line breaks only
    between words, after a hyphen or a slash, or inside a checksum or path)."""
    paper, _, found = printed
    assert found.broken == [], f"{paper}: {len(found.broken)}: {found.broken[:10]}"


def test_every_category_label_reads_whole(printed, document):
    paper, _, found = printed
    labels = geometry.category_cells(document.tables())
    assert found.labels == labels  # every label of the model is drawn as a box
    assert found.labels_cut == [], f"{paper}: {found.labels_cut[:10]}"


def test_no_heading_or_caption_ends_a_page(printed):
    paper, _, found = printed
    assert found.lonely == [], paper


def test_split_tables_keep_two_rows_and_pages_are_filled(printed):
    paper, _, found = printed
    assert found.thin_parts == [], paper
    assert found.near_empty == [], paper


def test_tables_are_ruled_and_legible(printed, document):
    paper, _, found = printed
    assert found.small_text == [], paper
    assert found.unruled == [], paper
    numbered = [t.label for t in document.tables() if t.label.startswith("Tabel")]
    assert found.captions == numbered, paper  # every numbered table once, in order, each ruled


def _indeks(capaian: object, serapan: object) -> str:
    ratio = Decimal(str(capaian)) / Decimal(str(serapan))
    return str(ratio.quantize(Decimal("0.01"), ROUND_HALF_UP)).replace(".", ",")


def test_indeks_efisiensi_has_one_precision(document):
    tables = [t for t in document.tables() if t.key.startswith("efisiensi_sasaran_")]
    assert tables
    for t in tables:
        j = t.headers.index("Indeks efisiensi")
        cap, ser = t.headers.index("Capaian fisik (%)"), t.headers.index("Serapan anggaran (%)")
        for row in t.rows + t.foot:
            shown = row[j].text
            if row[ser].value is None or row[ser].value != row[ser].value or not row[ser].value:
                assert shown == "-"
                continue
            assert re.fullmatch(r"\d+,\d\d", shown), (t.key, shown)
            assert shown == _indeks(row[cap].value, row[ser].value), (t.key, row[0].text)


def test_a_ratio_of_one_prints_two_decimals():
    from lkj.document.tables import cell

    # 100,00 / 99,96 = 1,0004 -> "1,00"; 1,5 -> "1,50"; the typed 92,5 keeps its decimal
    assert cell(Decimal("100.00") / Decimal("99.96"), "indeks").text == "1,00"
    assert cell(1.5, "indeks").text == "1,50"
    assert cell(92.5, "desimal").text == "92,5"


def test_qpdf_finds_no_error_and_pdfa_is_kept(a4, f4):
    from lkj.tandatangan.pades import pdfa_identification

    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf not installed (apt-get install qpdf; .ci/run does)"
    for pdf in (a4, f4):
        result = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout
    assert pdfa_identification(a4.read_bytes()) == "3U"
    assert pdfa_identification(f4.read_bytes()) == "3U"
