"""The report's HTML as a browser prints it (issue 19: every renderer follows the layout).

The session's 2022 report (``built_2022``) is opened in headless Chromium with the network
blocked (tests/browser_check.py) and printed to PDF as a reader's "Print" does (print media,
the page's @page sizes); tests/layout_geometry.py reads that PDF's geometry. Before the
print followed the layout, Chromium shrank every page to 70 % to fit tables wider than the
paper (table text at 5.8 pt) and printed them in DejaVu Sans, not the shipped fonts the
layout measured with.

Needs /usr/bin/chromium; skipped without it unless LKJ_REQUIRE_BROWSER=1 (CI), as
tests/test_browser.py.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import layout_geometry as geometry
import pytest
from browser_check import check_page
from conftest import browser_marks, report_data_2022

pytestmark = browser_marks()


@pytest.fixture(scope="module")
def document(built_2022):
    from lkj.document import laporan

    return laporan.report_document(report_data_2022(built_2022))


@pytest.fixture(scope="module")
def html_pdf(built_2022, tmp_path_factory) -> Path:
    pdf = tmp_path_factory.mktemp("print_html") / "LKj_2022_html.pdf"
    report = check_page(built_2022 / "out" / "2022" / "LKj_2022.html", settle=0.2, pdf=pdf)
    assert report.loaded and report.external_requests == [], report.external_requests
    return pdf


@pytest.fixture(scope="module")
def pages(html_pdf) -> list[geometry.PageLayout]:
    """The print's pages; the hyphen Chromium draws at a soft hyphen is U+2010 in its text
    layer (Typst's is U+002D, which the word check knows): read as the same hyphen."""
    out = geometry.read_layout(html_pdf)
    for page in out:
        for c in page.chars:
            if c["text"] == "\u2010":
                c["text"] = "-"
    return out


@pytest.fixture(scope="module")
def found(pages, html_pdf, document) -> geometry.Findings:
    # check_pdf on the pages read once (reading a 70-page PDF's glyphs takes 7 s)
    original = geometry.read_layout
    geometry.read_layout = lambda _path: pages
    try:
        return geometry.check_pdf(html_pdf, tables=document.tables())
    finally:
        geometry.read_layout = original


def test_the_print_uses_the_shipped_fonts_at_the_layouts_sizes(pages, document):
    """The body text prints at the configured 12 pt (not shrunk to fit), every table at the
    size its layout decided (9.72 pt = 0.81 x 12, or 8.57 pt = 0.714 x 12), in the shipped
    Liberation Sans (its faces embedded in the page); only checksums in the mono font."""
    from lkj.document.table_layout import table_layout

    sizes: dict[float, int] = {}
    fonts: set[str] = set()
    for page in pages:
        for c in page.chars:
            sizes[round(c["size"], 2)] = sizes.get(round(c["size"], 2), 0) + 1
            fonts.add(c["fontname"].split("+")[-1])
    assert max(sizes, key=sizes.get) == 12.0  # the paragraphs
    decided = {round(table_layout(t).size, 2) for t in document.tables()}
    assert decided == {9.72, 8.57}
    for size in decided:  # Chromium sets 8.57 pt as 8.56 (its font sizes are in 1/64 px)
        assert sum(n for s, n in sizes.items() if abs(s - size) < 0.02) > 1000, size
    assert min(sizes) >= 7.99  # the checksums: 0.9 of the table size, never under 8 pt
    assert {f for f in fonts if not f.startswith("LiberationSans")} == {"DejaVuSansMono"}
    assert {"LiberationSans", "LiberationSans-Bold"} <= fonts


def test_table_text_is_legible_and_inside_its_cells(found):
    assert found.small_text == [], found.small_text[:10]
    assert found.crossing == [], f"{len(found.crossing)}: {found.crossing[:10]}"
    assert found.outside == [], found.outside[:10]
    assert found.broken == [], found.broken[:10]


def test_every_category_label_reads_whole(found, document):
    labels = geometry.category_cells(document.tables())
    assert found.labels == labels
    assert found.labels_cut == [], found.labels_cut[:10]


def test_rows_are_kept_and_no_caption_is_left_alone(found, document):
    """At least two body rows on every part of a split table, the totals with the rows
    above them, no caption or heading at the foot of a page; every numbered table printed
    once, in order, ruled."""
    assert found.thin_parts == [], found.thin_parts
    assert found.lonely == [], found.lonely
    assert found.unruled == []
    assert found.captions == [t.label for t in document.tables() if t.label.startswith("Tabel")]


def _caption_pages(pdf: Path) -> dict[str, bool]:
    """Per table label ("Tabel 3.4"), whether the page its caption starts on is landscape."""
    out: dict[str, bool] = {}
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        wide = [p.width > p.height for p in doc.pages]
    for number, page in enumerate(text.split("\f")[: len(wide)]):
        for line in page.splitlines():
            words = line.split()
            if (
                len(words) >= 3
                and words[0] == "Tabel"
                and re.fullmatch(r"[0-9A-Z]+\.\d+", words[1])
            ):
                out.setdefault(f"Tabel {words[1]}", wide[number])
    return out


def test_landscape_pages_are_where_the_layout_put_them(html_pdf, document):
    from lkj.document.table_layout import table_layout

    expected = {
        t.label: table_layout(t).landscape for t in document.tables() if t.label.startswith("Tabel")
    }
    assert any(expected.values()) and not all(expected.values())  # both kinds in the report
    printed = _caption_pages(html_pdf)
    assert {label: printed.get(label) for label in expected} == expected


def test_the_totals_keep_two_rows_above_them(tmp_path):
    """Tables of 28 to 44 rows, each opening a page, printed by Chromium: wherever the page
    breaks, the "Jumlah" row has at least two body rows of its table above it on its page.
    The same tables without the renderer's ``tr.ikat`` (the control) leave the totals with
    fewer on some page: the range holds the length where the break falls before the foot."""
    from lkj.core.config import Dokumen
    from lkj.core.resources import STYLESHEET
    from lkj.document.tables import Cell, Column, Table
    from lkj.render.page import page_css
    from lkj.render.to_html import table_html

    lengths = range(28, 45)
    tables = [
        table_html(
            Table(
                f"t{n}",
                f"Tabel {n}",
                (Column("No", "angka"), Column("Nama")),
                [(Cell(str(i)), Cell(f"r{n}x{i}")) for i in range(1, n + 1)],
                foot=[(Cell("Jumlah"), Cell(f"JUMLAH{n}"))],
            )
        )
        for n in lengths
    ]
    body = "".join(f'<div class="halaman-baru"></div>{t}' for t in tables)
    head = f"<style>{STYLESHEET.read_text(encoding='utf-8')}\n{page_css(Dokumen())}</style>"
    page = f"<!DOCTYPE html><html><head>{head}</head><body class=lkj-report>{body}</body></html>"
    assert page.count('class="ikat"') == 3 * len(lengths)  # 1st body row, n-1 and n

    def rows_beside_totals(html: str, name: str) -> dict[int, int]:
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
        pdf = tmp_path / f"{name}.pdf"
        check_page(tmp_path / f"{name}.html", settle=0.1, pdf=pdf)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        out = {}
        for page_text in text.split("\f"):
            for n in map(int, re.findall(r"JUMLAH(\d+)", page_text)):
                out[n] = len(re.findall(rf"\br{n}x\d+\b", page_text))
        return out

    kept = rows_beside_totals(page, "kept")
    assert set(kept) == set(lengths)
    assert min(kept.values()) >= 2, kept
    assert any(kept[n] < n for n in lengths)  # some tables do run over a page
    control = rows_beside_totals(page.replace(' class="ikat"', ""), "control")
    assert min(control.values()) < 2, control
