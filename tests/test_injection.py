"""Text from data files that contains HTML or script is shown as text, never executed.

The 2022 data is copied and markup is put where the report shows data text: a sub kegiatan's
kelompok sasaran and name, the agency's name (instansi.nama_instansi, shown in capitals on the
cover), a tim penyusun name and a narrative file. The report is built; then:

* the HTML holds the escaped text (&lt;script&gt;) and no live element: no <script>, no
  attribute ``on*``, no <img> outside the figures, no injected <b>;
* the reviewer notebooks' HTML runs none of it either;
* the PDF text shows the literal characters "<script>";
* in headless Chromium (when installed) the page opens no dialog and requests nothing.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import RAW_2022, report_args, run_lkj
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

SCRIPT = "<script>alert(1)</script><b>lkj-injeksi-b</b>"
IMG = "<img src=x onerror=alert(2)>"
NARASI = "Paragraf uji <script>alert(3)</script> & <iframe src=javascript:alert(4)></iframe>"


def _edit(path: Path, column: str, value: str, row: int = 1, append: bool = False) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index(column)
    rows[row][col] = rows[row][col] + " " + value if append else value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("injection")
    raw = base / "raw" / "2022"
    shutil.copytree(RAW_2022, raw)
    with (raw / "sub_kegiatan.csv").open(encoding="utf-8", newline="") as f:
        codes = [r[0] for r in csv.reader(f)]
    row = next(i for i, c in enumerate(codes) if c.startswith("02."))  # program 02 serves S1
    _edit(raw / "sub_kegiatan.csv", "kelompok_sasaran", SCRIPT, row=row)
    _edit(raw / "sub_kegiatan.csv", "nama_sub_kegiatan", SCRIPT, row=row, append=True)
    with (raw / "instansi.csv").open(encoding="utf-8", newline="") as f:
        keys = [r[0] for r in csv.reader(f)]
    _edit(raw / "instansi.csv", "nilai", IMG, row=keys.index("nama_instansi"), append=True)
    if (raw / "tim_penyusun.csv").is_file():
        _edit(raw / "tim_penyusun.csv", "nama", SCRIPT, row=1, append=True)
    narasi = sorted((raw / "narasi").glob("bab1_*.md"))
    if narasi:
        narasi[0].write_text(
            narasi[0].read_text(encoding="utf-8") + "\n\n" + NARASI + "\n", encoding="utf-8"
        )
    result = run_lkj(*report_args(base))
    assert result.returncode == 0, result.stderr
    return base / "out" / "2022"


def _no_live_markup(soup: BeautifulSoup, allow_scripts: bool = False) -> None:
    for element in soup.find_all(True):
        handlers = [a for a in element.attrs if a.lower().startswith("on")]
        assert not handlers, f"<{element.name} {handlers}> is live"
    for b in soup.find_all("b"):
        assert "lkj-injeksi-b" not in b.get_text()
    assert not soup.find_all("iframe")
    scripts = soup.find_all("script")
    if allow_scripts:  # nbconvert's own (MathJax, require.js): none carries the data text
        assert not [s for s in scripts if "alert(" in (s.string or "")]
    else:
        assert scripts == []


def test_html_shows_markup_from_data_as_text(injected):
    html = (injected / "LKj_2022.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;lkj-injeksi-b&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;".upper() in html.upper()
    soup = BeautifulSoup(html, "html.parser")
    _no_live_markup(soup)
    text = soup.get_text(" ")
    assert SCRIPT in text  # shown, character for character
    assert IMG.upper() in text.upper()
    if "Paragraf uji" in text:
        assert NARASI in " ".join(text.split())
    for img in soup.find_all("img"):
        assert img["src"].startswith("data:image/png;base64,"), img["src"][:40]


def test_reviewer_notebooks_run_none_of_it(injected):
    pages = sorted((injected / "notebooks").glob("*.html"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        _no_live_markup(soup, allow_scripts=True)


def test_pdf_shows_the_literal_characters(injected):
    text = "\n".join(p.extract_text() or "" for p in PdfReader(injected / "LKj_2022.pdf").pages)
    flat = "".join(text.split())
    assert "<script>" in text
    assert "<script>alert(1)</script><b>lkj-injeksi-b</b>" in flat
    assert "ONERROR=ALERT(2)>" in flat.upper()


@pytest.mark.browser
def test_browser_runs_none_of_it(injected):
    from browser_check import check_page, find_chromium

    if find_chromium() is None and os.environ.get("LKJ_REQUIRE_BROWSER") != "1":
        pytest.skip("chromium not installed (apt-get install chromium)")
    report = check_page(injected / "LKj_2022.html")
    assert report.loaded
    assert report.dialogs == []
    assert report.external_requests == []
    assert all(r.startswith(("file:", "data:")) for r in report.requests)
    assert report.console_errors == []
    assert report.script_elements == 0
