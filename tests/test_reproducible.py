"""Two runs on the same data give the same processed tables and the same report; the report
states the checksums of its inputs; the PDF holds the key figures, the daftar isi and page
numbers that point at the right pages.

The second run (``--force``) rebuilds everything in the same place as the session's first run.
Compared byte for byte: every data/processed CSV, every figure PNG, the report HTML (with only
the line that states the build time and commit, class ``provenance-waktu``, removed), the PDF
text (same line removed), and the rendered notebooks: their HTML (same line removed) and the
executed .ipynb (also without papermill's and nbclient's timing metadata). The number of
bytes compared is printed and written to outputs/test-artifacts/reproducible.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTIFACTS, report_args, run_lkj
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

KEY_FIGURES = ["4.920.098.606", "1.095.556.100", "92,23", "4.016.972.430", "81,64"]


def _report_text(html: str) -> str:
    """The HTML without the element that legitimately changes between runs."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(".provenance-waktu"):
        element.decompose()
    return str(soup)


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _pdf_text_without_build_line(path: Path) -> str:
    text = "\n".join(_pdf_pages(path))
    return re.sub(r"Dibangun pada [^\n]*(\n[^\n]*commit[^\n]*)?", "", text)


@pytest.fixture(scope="module")
def two_runs(built_2022, tmp_path_factory):
    """The session's build copied aside (run 1), then rebuilt with --force (run 2).

    Other tests of the session rewrite a raw file and restore its content, which moves its
    modification time, and the raw data's newest file time is the PDF's date (and its data
    workbook's, lkj.render.lampiran.data_changed). Run 2 gets the inputs of run 1 back: the same
    content, and file times at run 1's data date."""
    first = tmp_path_factory.mktemp("run1")
    shutil.copytree(built_2022 / "out", first / "out")
    shutil.copytree(built_2022 / "processed", first / "processed")
    stamp = PdfReader(first / "out" / "2022" / "LKj_2022.pdf").metadata.creation_date.timestamp()
    for path in (built_2022 / "raw" / "2022").rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))
    result = run_lkj(*report_args(built_2022), "--force")
    assert result.returncode == 0, result.stderr
    return first, built_2022


def _record(key: str, value: int) -> None:
    path = ARTIFACTS / "reproducible.json"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[key] = value
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"\n{key}: {value}")


def test_processed_tables_and_figures_are_byte_identical(two_runs):
    first, second = two_runs
    compared = 0
    files = sorted((first / "processed" / "2022").glob("*.csv"))
    files += sorted((first / "out" / "2022" / "figures").glob("*.png"))
    assert len(files) > 20
    for a in files:
        b = second / a.relative_to(first)
        assert b.read_bytes() == a.read_bytes(), a.name
        compared += a.stat().st_size
    names = {p.name for p in (second / "processed" / "2022").glob("*.csv")}
    assert names == {p.name for p in files if p.suffix == ".csv"}
    _record("processed_and_png_bytes_compared", compared)


def test_report_text_is_identical(two_runs):
    first, second = two_runs
    html = [
        (run / "out" / "2022" / "LKj_2022.html").read_text(encoding="utf-8")
        for run in (first, second)
    ]
    a, b = (_report_text(h) for h in html)
    assert a == b
    pdf = [_pdf_text_without_build_line(run / "out" / "2022" / "LKj_2022.pdf") for run in two_runs]
    assert pdf[0] == pdf[1]
    _record("html_bytes_compared", len(a.encode("utf-8")))
    _record("pdf_text_bytes_compared", len(pdf[0].encode("utf-8")))


def test_pdf_and_docx_are_byte_identical(two_runs):
    """The PDF and the DOCX have no clock of their own: Typst writes the data's date (see
    two_runs), the signature field is added without "now", and the build line ("Dibangun pada")
    and the DOCX properties take SOURCE_DATE_EPOCH (lkj.core.clock; tests/conftest.py sets it
    for every build). So the same inputs give the same bytes, on any day."""
    builds = [
        re.findall(r"Dibangun pada (\d{4}-\d\d-\d\d) dari commit \S+", "\n".join(_pdf_pages(p)))
        for p in (run / "out" / "2022" / "LKj_2022.pdf" for run in two_runs)
    ]
    assert builds == [["2022-12-31"], ["2022-12-31"]]
    for name in ("LKj_2022.pdf", "LKj_2022.docx"):
        data = [(run / "out" / "2022" / name).read_bytes() for run in two_runs]
        assert data[0] == data[1], name
        _record(f"{name}_bytes_identical", len(data[0]))


TIMINGS = ("start_time", "end_time", "duration")


def _without_timings(path: Path) -> dict:
    """An executed notebook without its timing metadata and the build-time line."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for key in TIMINGS:
        nb["metadata"].get("papermill", {}).pop(key, None)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
        for key in TIMINGS:
            cell["metadata"].get("papermill", {}).pop(key, None)
    text = json.dumps(nb, sort_keys=True)
    return json.loads(re.sub(r'<p class=\\"provenance-waktu\\">.*?</p>', "", text))


def test_rendered_notebooks_are_identical_apart_from_timings(two_runs):
    first, second = two_runs
    books = sorted((first / "out" / "2022" / "notebooks").glob("*.ipynb"))
    assert [b.stem for b in books] == ["01_ingest", "02_capaian", "03_grafik", "04_laporan"]
    compared = 0
    for book in books:
        other = second / book.relative_to(first)
        assert _without_timings(book) == _without_timings(other), book.name
        html = [p.with_suffix(".html").read_text(encoding="utf-8") for p in (book, other)]
        a, b = (_report_text(h) for h in html)
        assert a == b, book.with_suffix(".html").name
        compared += len(a.encode("utf-8"))
    _record("notebook_html_bytes_compared", compared)


def test_report_states_the_checksum_of_every_input(two_runs):
    _, second = two_runs
    html = (second / "out" / "2022" / "LKj_2022.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    inputs = sorted((second / "raw" / "2022").rglob("*.csv"))
    inputs += sorted((second / "raw" / "2022").rglob("narasi/*.md"))
    assert len(inputs) >= 12
    for path in inputs:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in text, f"checksum of {path.name} not stated in the report"
    manifest = json.loads((second / "out" / "2022" / "manifest.json").read_text())
    recorded = set(manifest["inputs"].values())
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() in recorded for p in inputs)


def test_pdf_holds_key_figures_toc_and_page_numbers(built_2022):
    pages = _pdf_pages(built_2022 / "out" / "2022" / "LKj_2022.pdf")
    text = "\n".join(pages)
    for figure in KEY_FIGURES:
        assert figure in text, figure
    assert "DAFTAR ISI" in text
    # every page after the cover ends with its own number
    for number, page in enumerate(pages[1:], start=2):
        assert page.rstrip().endswith(f"Halaman {number}"), (number, page[-200:])
    # daftar isi: "BAB III AKUNTABILITAS KINERJA ........ 19", pointing at the right page
    leader = re.compile(r"^(\S.*?) ?\.{5,} ?(\d+)\s*$", flags=re.MULTILINE)
    start = next(i for i, p in enumerate(pages) if "DAFTAR ISI" in p)
    toc = [pages[start]]
    for page in pages[start + 1 :]:
        if len(leader.findall(page)) < 3:
            break
        toc.append(page)
    entries = leader.findall("\n".join(toc).split("DAFTAR ISI", 1)[1])
    assert len(entries) >= 10, entries
    numbers = [int(n) for _, n in entries]
    assert numbers == sorted(numbers)
    for title, n in entries:
        assert 1 < int(n) <= len(pages), (title, n)
        words = " ".join(title.split()[:4])
        page = " ".join(pages[int(n) - 1].split())
        assert words in page, f"daftar isi: {title!r} on page {n}, not found there"
