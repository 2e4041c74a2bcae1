"""Tests of lkj.render.notebook_export: the lkj_html nbconvert exporter (the report's PDF is
Typst's, tested in
test_render_typst.py, test_pdfa.py and test_report_e2e.py).

The fixture notebook is built in code: its code cells already hold display_data / stream
outputs (as papermill would leave them), so nothing is executed.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lkj.render.notebook_export import (
    LkjHtmlExporter,
    find_external_references,
    postprocess_html,
    slugify,
)

ROOT = Path(__file__).resolve().parent.parent

CODE_MARKER = "kode_rahasia_reviewer"
STDOUT_TEXT = "Jumlah indikator dihitung: 120"
STDERR_TEXT = "PeringatanPustaka: kolom kosong diabaikan"
TABLE_HEADER = "Realisasi 2024"
N_ROWS = 120
H1_TEXTS = ["BAB I PENDAHULUAN", "BAB II AKUNTABILITAS KINERJA"]
H2_TEXTS = ["1.1 Latar Belakang", "1.2 Dasar Hukum", "2.1 Capaian Indikator", "2.2 Grafik Capaian"]
LATE_HEADING = "2.2 Grafik Capaian"

# 2x2 red PNG.
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4wMAARAwQCgAYDgMBZBJpNwAAAABJ"
    "RU5ErkJggg=="
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="150" viewBox="0 0 400 150">'
    '<rect x="20" y="60" width="60" height="80" fill="#2e75b6"/>'
    '<rect x="120" y="30" width="60" height="110" fill="#2e75b6"/>'
    '<rect x="220" y="90" width="60" height="50" fill="#c00000"/>'
    '<text x="20" y="20" font-size="14">Capaian per sasaran</text>'
    "</svg>"
)


def _html_output(html: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def _table_html() -> str:
    rows = []
    for i in range(1, N_ROWS + 1):
        capaian = 80 + (i % 40)
        kategori = "Sangat Tinggi" if capaian >= 110 else "Tinggi"
        colour = "#1e7b34" if capaian >= 110 else "#5cb85c"
        rows.append(
            f"<tr><td class='num'>{i}</td><td>IK-{i:03d} Persentase layanan administrasi "
            f"kependudukan yang diselesaikan tepat waktu ke-{i}</td>"
            f"<td class='num'>{100:,}</td><td class='num'>{capaian:,}</td>"
            f"<td class='num'>{capaian},00</td>"
            f"<td><span class='kategori' style='background:{colour}'>{kategori}</span></td></tr>"
        )
    return (
        '<table class="lkj"><caption>Tabel 2.1 Capaian Indikator Kinerja Utama</caption>'
        "<thead><tr><th>No</th><th>Indikator Kinerja</th><th class='num'>Target</th>"
        f"<th class='num'>{TABLE_HEADER}</th><th class='num'>Capaian (%)</th><th>Kategori</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody>"
        "<tfoot><tr><td colspan='4'>Rata-rata capaian</td><td class='num'>99,50</td>"
        "<td></td></tr></tfoot></table>"
    )


def make_notebook(title: str | None = "Laporan Kinerja Uji 2024") -> nbformat.NotebookNode:
    """Small LKj-like notebook: cover, toc, two chapters, long table, figures, stdout."""
    cover = _html_output(
        '<section class="sampul"><p>PEMERINTAH KABUPATEN CONTOH</p>'
        "<h1>LAPORAN KINERJA</h1><p>Tahun Anggaran 2024</p></section>"
    )
    toc = _html_output('<h1 class="no-toc">Daftar Isi</h1><div id="lkj-toc"></div>')
    bab1 = _html_output(
        f'<h1 class="bab">{H1_TEXTS[0]}</h1><h2>{H2_TEXTS[0]}</h2>'
        "<p>Laporan ini disusun sebagai bentuk pertanggungjawaban kinerja.</p>"
    )
    stdout = new_output("stream", name="stdout", text=STDOUT_TEXT + "\n")
    stderr = new_output("stream", name="stderr", text=STDERR_TEXT + "\n")
    bab2 = _html_output(
        f'<h1 class="bab">{H1_TEXTS[1]}</h1><h2>{H2_TEXTS[2]}</h2>'
        "<p>Capaian seluruh indikator disajikan pada tabel berikut.</p>" + _table_html()
    )
    figures = _html_output(
        f"<h2>{H2_TEXTS[3]}</h2>"
        f'<figure class="grafik">{SVG}<figcaption>Grafik 1 Capaian per Sasaran</figcaption>'
        "</figure>"
        f'<figure class="grafik"><img alt="tren" src="data:image/png;base64,{PNG_B64}" '
        'width="200" height="200"><figcaption>Grafik 2 Tren Capaian</figcaption></figure>'
    )
    png = new_output("display_data", data={"image/png": PNG_B64, "text/plain": "<Figure>"})

    cells = [
        new_code_cell("tampilkan_sampul()", outputs=[cover], execution_count=1),
        new_code_cell("tampilkan_daftar_isi()", outputs=[toc], execution_count=2),
        new_code_cell("tampilkan_bab(1)", outputs=[bab1], execution_count=3),
        new_markdown_cell(f"## {H2_TEXTS[1]}\n\nUndang-Undang Nomor 17 Tahun 2003."),
        new_code_cell(
            f"{CODE_MARKER} = 120\nprint('Jumlah indikator dihitung:', {CODE_MARKER})",
            outputs=[stdout, stderr],
            execution_count=4,
        ),
        new_code_cell("tampilkan_bab(2)", outputs=[bab2], execution_count=5),
        new_code_cell("tampilkan_grafik()", outputs=[figures, png], execution_count=6),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    if title:
        nb.metadata["lkj"] = {"title": title}
    return nb


RESOURCES = {"metadata": {"name": "laporan_uji", "path": str(Path(__file__).parent)}}


@pytest.fixture(scope="module")
def nb() -> nbformat.NotebookNode:
    return make_notebook()


@pytest.fixture(scope="module")
def report_html(nb) -> str:
    exporter = LkjHtmlExporter(hide_code=True)
    html, _ = exporter.from_notebook_node(nb, dict(RESOURCES))
    return html


@pytest.fixture(scope="module")
def review_html(nb) -> str:
    html, _ = LkjHtmlExporter().from_notebook_node(nb, dict(RESOURCES))
    return html


# ---------------------------------------------------------------- (a) self-contained HTML

EXTERNAL = re.compile(
    r"""(?:\bsrc|\bhref|\bsrcset|\bdata|\bposter)\s*=\s*["']?\s*(?:https?:|//)"""
    r"""|url\(\s*["']?\s*(?:https?:|//)|@import""",
    re.IGNORECASE,
)


@pytest.mark.parametrize("which", ["report_html", "review_html"])
def test_html_is_self_contained(which, request):
    html = request.getfixturevalue(which)
    assert EXTERNAL.search(html) is None, EXTERNAL.search(html)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    for marker in ("require.js", "mathjax", "MathJax", "unpkg", "cdn."):
        assert marker not in html
    # the only fonts are the shipped faces, inside the page (lkj.render.web_fonts)
    faces = re.findall(r"@font-face\s*\{([^}]*)\}", html)
    assert len(faces) == 4 and all("src: url(data:font/woff;base64," in f for f in faces)
    assert '<html lang="id-ID">' in html
    assert find_external_references(html) == []
    # The lab CSS (240 kB) is not embedded; ours is.
    assert "--jp-" not in html
    assert "@page" in html and "size: 210mm 297mm" in html  # A4 from [dokumen] kertas


def test_html_title_from_metadata_or_name(report_html):
    soup = BeautifulSoup(report_html, "html.parser")
    assert soup.title.get_text() == "Laporan Kinerja Uji 2024"
    html, _ = LkjHtmlExporter().from_notebook_node(make_notebook(title=None), dict(RESOURCES))
    assert BeautifulSoup(html, "html.parser").title.get_text() == "laporan_uji"


def test_images_are_embedded(report_html):
    soup = BeautifulSoup(report_html, "html.parser")
    srcs = [img["src"] for img in soup.find_all("img")]
    assert len(srcs) == 2
    assert all(src.startswith("data:image/png;base64,") for src in srcs)
    assert soup.select_one("figure.grafik svg") is not None


def test_external_reference_finder_detects_loads_not_links():
    html = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        "<style>body{background:url('//img.example/bg.png')}</style></head><body>"
        '<img src="http://img.example/a.png"><a href="https://example.org/">tautan</a>'
        '<img src="data:image/png;base64,AAAA"><img src="file:///tmp/lokal.png">'
        "</body></html>"
    )
    assert find_external_references(html) == [
        "//img.example/bg.png",
        "http://img.example/a.png",
        "https://cdn.example/x.css",
    ]


# ---------------------------------------------------------------- (b) hide_code


def test_hide_code_removes_inputs_prompts_and_stderr(report_html):
    assert CODE_MARKER not in report_html
    assert "tampilkan_bab" not in report_html
    assert "In&nbsp;[" not in report_html and "In\xa0[" not in report_html
    assert STDERR_TEXT not in report_html
    assert STDOUT_TEXT in report_html
    assert 'class="jp-Notebook lkj lkj-report"' in report_html


def test_review_html_shows_code_and_stderr(review_html):
    text = BeautifulSoup(review_html, "html.parser").get_text()
    assert CODE_MARKER in text
    assert "tampilkan_bab(2)" in text
    assert "In\xa0[5]:" in text
    assert STDERR_TEXT in text
    assert STDOUT_TEXT in text
    assert "lkj-review" in review_html


def test_html_exporter_shows_code_unless_told():
    assert LkjHtmlExporter().hide_code is False
    assert LkjHtmlExporter(hide_code=True).hide_code is True


# ---------------------------------------------------------------- (c) table of contents


def test_toc_lists_headings_with_links_to_existing_ids(report_html):
    soup = BeautifulSoup(report_html, "html.parser")
    nav = soup.select_one("#lkj-toc > nav.toc")
    assert nav is not None
    items = nav.select("li")
    texts = [li.get_text(strip=True) for li in items]
    assert texts == [H1_TEXTS[0], H2_TEXTS[0], H2_TEXTS[1], H1_TEXTS[1], H2_TEXTS[2], H2_TEXTS[3]]
    assert [li["class"] for li in items] == [
        ["toc-h1"],
        ["toc-h2"],
        ["toc-h2"],
        ["toc-h1"],
        ["toc-h2"],
        ["toc-h2"],
    ]
    for li in items:
        href = li.a["href"]
        assert href.startswith("#")
        target = soup.find(id=href[1:])
        assert target is not None, href
        assert target.name in ("h1", "h2")
        assert " ".join(target.get_text().split()) == li.get_text(strip=True)
    # Cover title and headings marked no-toc are not listed.
    assert "LAPORAN KINERJA" not in texts and "Daftar Isi" not in texts
    # Pilcrow anchor links are gone.
    assert not soup.select("a.anchor-link") and "¶" not in report_html
    # Ids are unique.
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_postprocess_html_ids_are_stable_and_unique():
    html = (
        "<html><body><main>"
        '<div id="lkj-toc">lama</div>'
        "<h1>Ringkasan Eksekutif</h1><h2>Capaian</h2><h2>Capaian</h2>"
        '<h2 id="sudah-ada">Punya Id</h2><h2 class="no-toc">Lampiran</h2>'
        "<h1>Évaluasi &amp; Analisis</h1><h3>Tidak masuk</h3>"
        "</main></body></html>"
    )
    out = postprocess_html(html)
    assert out == postprocess_html(html)  # deterministic
    soup = BeautifulSoup(out, "html.parser")
    assert [h["id"] for h in soup.find_all(["h1", "h2"])] == [
        "ringkasan-eksekutif",
        "capaian",
        "capaian-2",
        "sudah-ada",
        "lampiran",
        "evaluasi-analisis",
    ]
    hrefs = [a["href"] for a in soup.select("nav.toc a")]
    assert hrefs == [
        "#ringkasan-eksekutif",
        "#capaian",
        "#capaian-2",
        "#sudah-ada",
        "#evaluasi-analisis",
    ]
    assert "lama" not in soup.select_one("#lkj-toc").get_text()
    assert slugify("  3.1 Capaian — Sasaran ") == "3-1-capaian-sasaran"
    assert slugify("¶") == "bagian"


def test_postprocess_without_placeholder_adds_no_toc():
    out = postprocess_html("<html><body><main><h1>BAB I</h1></main></body></html>")
    soup = BeautifulSoup(out, "html.parser")
    assert soup.find("nav") is None
    assert soup.h1["id"] == "bab-i"


# ---------------------------------------------------------------- offline


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_exporter_warns_about_a_remote_image_in_the_notebook():
    nb = make_notebook()
    nb.cells.append(
        new_code_cell(
            "logo()", outputs=[_html_output('<img src="http://example.invalid/logo.png">')]
        )
    )
    exporter = LkjHtmlExporter()
    handler = _ListHandler()
    exporter.log.addHandler(handler)
    try:
        html, _ = exporter.from_notebook_node(nb, dict(RESOURCES))
    finally:
        exporter.log.removeHandler(handler)
    assert find_external_references(html) == ["http://example.invalid/logo.png"]
    remote = [m for m in handler.messages if "remote resource" in m]
    assert remote == [
        "The page refers to 1 remote resource(s), it is not self-contained: "
        "http://example.invalid/logo.png"
    ]


# ---------------------------------------------------------------- (e) nbconvert CLI


def _jupyter() -> Path:
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        jupyter = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "jupyter"
    return jupyter


@pytest.mark.parametrize(("to", "suffix"), [("lkj_html", ".html")])
def test_jupyter_nbconvert_cli(tmp_path, to, suffix):
    notebook = tmp_path / "laporan.ipynb"
    nbformat.write(make_notebook(), notebook)
    result = subprocess.run(
        [str(_jupyter()), "nbconvert", "--to", to, str(notebook)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = tmp_path / f"laporan{suffix}"
    assert output.exists(), result.stderr
    data = output.read_bytes()
    html = data.decode("utf-8")
    assert '<html lang="id-ID">' in html
    assert CODE_MARKER in html  # the HTML exporter shows code by default
    assert find_external_references(html) == []


def test_screen_navigation_lists_chapters_and_sections_and_is_not_printed():
    page = (
        "<html><body><main><div id='lkj-toc'></div><h1>BAB I</h1><h2>1.1 Latar</h2>"
        "<h3>a. Rinci</h3><h1 class='no-toc'>Sampul</h1><h1>BAB II</h1></main></body></html>"
    )
    soup = BeautifulSoup(postprocess_html(page), "html.parser")
    nav = soup.select("nav.navigasi")
    assert len(nav) == 1 and soup.body.contents[0] is nav[0]  # first in the page: in view
    links = [(a.get_text(), a["href"]) for a in nav[0].find_all("a")]
    # h1 and h2 only, in order; every link resolves to a heading of the page
    assert [t for t, _ in links] == ["BAB I", "1.1 Latar", "BAB II"]
    for _, href in links:
        assert soup.find(id=href[1:]).name in ("h1", "h2")
    # printed, the page does not show it: outside its @media screen blocks the stylesheet
    # only ever hides it
    css = (ROOT / "lkj" / "templates" / "lkj_report" / "static" / "lkj.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    screen, rest, k = [], [], 0
    for match in re.finditer(r"@media\s+screen\s*\{", css):
        if match.start() < k:
            continue
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        rest.append(css[k : match.start()])
        screen.append(css[match.end() : end - 1])
        k = end
    rest.append(css[k:])

    def displays(text: str) -> list[str]:
        rules = re.findall(r"(?<![\w.-])nav\.navigasi\s*\{([^}]*)\}", text)
        return [m for rule in rules for m in re.findall(r"display:\s*(\w+)", rule)]

    assert displays("".join(rest)) == ["none", "none"]  # everywhere, and in @media print
    assert displays("".join(screen)) == ["block"]


# ---------------------------------------------------------------- (f) one parse per page


@pytest.mark.parametrize("hide_code", [False, True])
def test_the_page_is_nbconverts_page_parsed_once(hide_code):
    """LkjHtmlExporter renders without HTMLExporter's own BeautifulSoup pass (it makes that
    pass's two fixes on the markup): the page, parsed, is the one nbconvert's full
    from_notebook_node gives (the same exporter, finished by the same finish_page), with the
    alt text on the image output that had none and tabindex="0" on every input and output
    area."""
    from nbconvert.exporters import HTMLExporter

    nb = make_notebook()
    exporter = LkjHtmlExporter(hide_code=hide_code)
    ours, _ = exporter.from_notebook_node(nb, dict(RESOURCES))
    # nbconvert's own path on the same exporter: its HTMLExporter.from_notebook_node
    exporter._render = lambda nb, resources, **kw: HTMLExporter.from_notebook_node(
        exporter, nb, resources, **kw
    )
    theirs, _ = exporter.from_notebook_node(nb, dict(RESOURCES))
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(theirs, "html.parser"))
    soup = BeautifulSoup(ours, "html.parser")
    outputs = soup.select("div.jp-OutputArea-output")
    inputs = soup.select("div.jp-Cell-inputWrapper")
    assert len(outputs) == (7 if hide_code else 8)  # 6 code cells' 8 outputs, stderr hidden
    assert len(inputs) == (0 if hide_code else 6) + 1  # the code cells' and the markdown's
    assert {d.get("tabindex") for d in outputs + inputs} == {"0"}
    alts = [img.get("alt") for img in soup.find_all("img")]
    assert alts == ["tren", "No description has been provided for this image"]


def test_linked_images_are_carried_and_others_left(tmp_path):
    """embed_linked_images: an image linked by a relative path to a file is carried as a data
    URI (its bytes); a missing file, an absolute path, a remote URL and a data URI are left."""
    import base64

    from lkj.render.notebook_export import embed_linked_images

    (tmp_path / "figures").mkdir()
    png = base64.b64decode(PNG_B64)
    (tmp_path / "figures" / "a.png").write_bytes(png)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    left = [
        '<img src="../figures/hilang.png" alt="x">',
        '<img src="/etc/a.png" alt="x">',
        '<img src="http://example.invalid/a.png" alt="x">',
        f'<img src="data:image/png;base64,{PNG_B64}" alt="x">',
    ]
    html = '<figure class="grafik"><img src="../figures/a.png" alt="a"></figure>' + "".join(left)
    out = embed_linked_images(html, notebooks)
    assert out == (
        f'<figure class="grafik"><img src="data:image/png;base64,{PNG_B64}" alt="a"></figure>'
        + "".join(left)
    )
