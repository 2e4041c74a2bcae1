"""lkj.render.page.report_page (the preview's page, made without nbconvert) against the page the
nbconvert exporter makes of a notebook whose cells display the same parts.

The report's own page and its preview are compared on the 2022 report in test_stages.py; here
a small notebook covers what the 2022 data does not: synthetic data (banner, body class, the
DATA SINTETIS page header of the print style) and a heading id that is taken twice.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook, new_output

from lkj.core.config import load_config
from lkj.document.sampul import SYNTHETIC_KEYWORD
from lkj.render.notebook_export import LkjHtmlExporter
from lkj.render.page import SYNTHETIC_LABEL, finish_page, report_page

COVER = (
    '<section class="sampul"><meta name="dcterms.title" content="LAPORAN KINERJA UJI 2022">'
    '<meta name="keywords" content="Laporan Kinerja, {keywords}">'
    '<h1 class="no-toc">LAPORAN KINERJA UJI 2022</h1></section>'
)
TOC = '<h2 class="no-toc daftar-isi">DAFTAR ISI</h2><div id="lkj-toc"></div>'
CHAPTER_1 = (
    '<h1 class="bab">BAB I PENDAHULUAN</h1><h2>1.1 Latar Belakang</h2><p>Teks &amp; angka.</p>'
    '<table class="lkj"><caption>Tabel 1.1 Pegawai</caption><thead><tr><th>Unit</th>'
    '<th>Jumlah</th></tr></thead><tbody><tr><td>Sekretariat</td><td class="num">12</td></tr>'
    '<tr><td>Bidang <br>Politik</td><td class="num">7</td></tr></tbody>'
    '<tfoot><tr><td>Jumlah</td><td class="num">19</td></tr></tfoot></table>'
)
CHAPTER_2 = (  # the same heading text twice: the second id gets "-2"
    '<h1 class="bab">BAB II PENUTUP</h1><h2>1.1 Latar Belakang</h2>'
    '<figure class="grafik"><img src="data:image/png;base64,iVBORw0KGgo=" alt="Grafik 1">'
    "<figcaption>Grafik 1 Uji</figcaption></figure>"
)


def _parts(synthetic: bool) -> list[str]:
    keywords = SYNTHETIC_KEYWORD if synthetic else "LKjIP"
    return [COVER.replace("{keywords}", keywords), TOC, CHAPTER_1, CHAPTER_2]


def _exported(parts: list[str], synthetic: bool, dokumen) -> str:
    nb = new_notebook()
    if synthetic:
        nb.metadata["lkj"] = {"data_sintetis": True}
    for part in parts:
        cell = new_code_cell("display(HTML(part))")
        cell.outputs = [new_output("display_data", data={"text/html": part})]
        nb.cells.append(cell)
    html, _ = LkjHtmlExporter(hide_code=True, dokumen=dokumen).from_notebook_node(nb)
    return html


def _texts(tags) -> list[str]:
    return [" ".join(t.get_text(" ").split()) for t in tags]


@pytest.mark.parametrize("synthetic", [False, True])
def test_report_page_is_the_exported_page(synthetic):
    dokumen = load_config().dokumen.with_paper("F4")
    parts = _parts(synthetic)
    page, remote = report_page(parts, dokumen, synthetic=synthetic)
    assert remote == []
    ours = BeautifulSoup(page, "html.parser")
    theirs = BeautifulSoup(_exported(parts, synthetic, dokumen), "html.parser")

    assert ours.html["lang"] == theirs.html["lang"] == "id-ID"
    assert ours.title.get_text() == theirs.title.get_text() == "LAPORAN KINERJA UJI 2022"
    # the same three stylesheets: pygments, lkj.css, the page settings (F4, synthetic header)
    styles = [s.get_text().strip() for s in ours.head.find_all("style")]
    assert styles == [s.get_text().strip() for s in theirs.head.find_all("style")]
    assert len(styles) == 3
    assert "size: 215mm 330mm" in styles[2]
    assert (f'content: "{SYNTHETIC_KEYWORD}"' in styles[2]) is synthetic
    metas = [m.attrs for m in ours.head.find_all("meta") if m.get("name") != "generator"]
    assert metas == [m.attrs for m in theirs.head.find_all("meta") if m.get("name") != "generator"]
    assert ours.body["class"] == theirs.body["class"]
    assert ("lkj-sintetis" in ours.body["class"]) is synthetic
    banner = _texts(ours.select(".lkj-sintetis-banner"))
    assert banner == _texts(theirs.select(".lkj-sintetis-banner"))
    assert banner == ([f"{SYNTHETIC_LABEL}: bukan data kinerja sebenarnya"] if synthetic else [])

    # daftar isi and screen navigation: the same entries, ids made unique the same way
    toc = [(a["href"], a.get_text()) for a in ours.select("nav.toc a")]
    assert toc == [(a["href"], a.get_text()) for a in theirs.select("nav.toc a")]
    assert toc == [
        ("#bab-i-pendahuluan", "BAB I PENDAHULUAN"),
        ("#1-1-latar-belakang", "1.1 Latar Belakang"),
        ("#bab-ii-penutup", "BAB II PENUTUP"),
        ("#1-1-latar-belakang-2", "1.1 Latar Belakang"),
    ]
    assert str(ours.select_one("nav.navigasi")) == str(theirs.select_one("nav.navigasi"))

    # the content: each part in the same output cell markup, the same elements
    def cells(soup: BeautifulSoup) -> list[str]:
        outputs = soup.select("main div.jp-OutputArea-output")
        return [str(o) for o in outputs]

    assert cells(ours) == cells(theirs)
    assert len(cells(ours)) == 4
    rows = [_texts(tr.find_all("td")) for tr in ours.select("table.lkj tr")]
    assert rows == [[], ["Sekretariat", "12"], ["Bidang Politik", "7"], ["Jumlah", "19"]]


def test_tables_set_aside_come_back_as_they_were():
    """finish_page does not parse plain tables (speed); they must come back byte for byte,
    in place, and a table holding what the finishing steps need is still processed."""
    dokumen = load_config().dokumen
    plain = '<table class="lkj"><tr><td>a <br>b &amp; c</td></tr></table>'
    with_heading = '<table class="x"><tr><td><h2>2.1 Di Tabel</h2></td></tr></table>'
    page = (
        "<!DOCTYPE html>\n<html><head><title>t</title></head><body><main>"
        f'<div id="lkj-toc"></div>{plain}<p>antara</p>{with_heading}{plain}</main></body></html>'
    )
    html, remote = finish_page(page, dokumen)
    assert remote == []
    assert html.count(plain) == 2  # not re-serialised: "<br>" stays "<br>"
    assert re.search(re.escape(plain) + "<p>antara</p>", html)
    soup = BeautifulSoup(html, "html.parser")
    assert [(a["href"], a.get_text()) for a in soup.select("nav.toc a")] == [
        ("#2-1-di-tabel", "2.1 Di Tabel")
    ]
    assert "lkj-tabel-" not in html  # no placeholder left behind
