"""Every cell of the 2022 report's computed tables, in the HTML, the DOCX and the PDF, against
values derived in the test from the raw rows (tests/raw_expected.py: csv and Decimal, never
lkj's computations). A table is found by its caption, a row by its place and label, a cell by
its column header; a wrong column, row, total or category fails in each format.

"Indeks efisiensi" is compared by value in the cell tests, and its two decimals ("1,00", not
"1") by the tests below: issue 19's defect, xfail(strict=True) until its fix was merged.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import docx
import pytest
from bs4 import BeautifulSoup
from conftest import _body_rows, _header_names
from pypdf import PdfReader
from raw_expected import INDEKS, expected_tables
from test_render_typst import _pdf_stream, _Walk
from test_word import _tables_by_caption

from lkj.document.tables import place
from lkj.render.to_html import table_html

pytestmark = pytest.mark.e2e

EXPECTED = expected_tables()
# Not derived here: 2.1 and 2.2 (raw text; their "Arah Kebijakan" cells are lists, which each
# format writes its own way) and L.5, the source document's figures that differ from the
# computation (its 44 rows counted by test_audit.py, three checked by test_report_e2e.py).
# 3.21 (the projection to the Renstra's end, merged from main at the last rebase) is not yet.
NOT_DERIVED = ["Tabel 2.1 ", "Tabel 2.2 ", "Tabel 3.21 ", "Tabel L.5 "]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def html_tables_by_caption(html: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Caption -> (column headers, body and foot rows) of every captioned HTML table."""
    soup = BeautifulSoup(html, "html.parser")
    out = {}
    for caption in soup.find_all("caption"):
        table = caption.find_parent("table")
        head = _header_names(table.find("thead").find_all("tr"))
        rows = []
        for part in table.find_all(["tbody", "tfoot"]):
            rows += _body_rows(part.find_all("tr"))
        out[_squeeze(caption.get_text(" "))] = (head, rows)
    return out


def one(found: dict, key: str):
    hits = [caption for caption in found if key in caption]
    assert len(hits) == 1, f"{len(hits)} tables captioned {key!r}"
    return found[hits[0]]


def _value(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def compare(key: str, header: list[str], rows: list[list[str]], fmt: str) -> None:
    """The table's rows equal the derived ones, cell by cell (``Indeks efisiensi`` by value)."""
    expected = EXPECTED[key]
    assert header == list(expected[0]), f"{fmt} {key}: columns {header}"
    assert len(rows) == len(expected), f"{fmt} {key}: {len(rows)} rows, expected {len(expected)}"
    for r, (got, want) in enumerate(zip(rows, expected, strict=True), start=1):
        label = next((v for v in want.values() if len(v) > 3), want[header[0]])[:40]
        assert len(got) == len(header), f"{fmt} {key} row {r} ({label}): {got}"
        for column, text in zip(header, got, strict=True):
            if column == INDEKS:
                same = _value(text) == _value(want[column])
            else:
                same = text == want[column]
            assert same, f"{fmt} {key} row {r} ({label}), {column!r}: {text!r} != {want[column]!r}"


@pytest.fixture(scope="module")
def report(built_2022):
    """The built report's three formats, read once: HTML and DOCX tables, the PDF's text,
    and the model document (only to know where the PDF's merged cells sit)."""
    from lkj.document import laporan

    out = built_2022 / "out" / "2022"
    html = html_tables_by_caption((out / "LKj_2022.html").read_text(encoding="utf-8"))
    word = _tables_by_caption(docx.Document(out / "LKj_2022.docx"))
    stream, pages = _pdf_stream(PdfReader(out / "LKj_2022.pdf"))
    d = laporan.load_report_data(
        2022, built_2022 / "processed" / "2022", out, None, built_2022 / "raw" / "2022"
    )
    return {"html": html, "docx": word, "pdf": (stream, pages), "doc": laporan.report_document(d)}


def test_every_table_is_derived_or_named_as_not(report):
    """The derived tables and the named exceptions are every captioned table of the report."""
    captions = list(report["html"])
    covered = [c for c in captions if any(k in c for k in [*EXPECTED, *NOT_DERIVED])]
    assert covered == captions
    assert len(EXPECTED) == 41 and len(captions) == 45


@pytest.mark.parametrize("key", list(EXPECTED))
def test_html_cells_from_raw_rows(report, key):
    header, rows = one(report["html"], key)
    compare(key, header, rows, "HTML")


@pytest.mark.parametrize("key", list(EXPECTED))
def test_docx_cells_from_raw_rows(report, key):
    header, _ = one(report["html"], key)
    (model,) = [t for t in report["doc"].tables() if key in t.caption]
    grid = [[_squeeze(c.text) for c in row.cells] for row in one(report["docx"], key).rows]
    n_head = len(model.header)
    names = _header_names_from_grid(grid[:n_head])
    compare(key, names, grid[n_head:], "DOCX")


def _header_names_from_grid(head: list[list[str]]) -> list[str]:
    return [" / ".join(dict.fromkeys(p for p in column if p)) for column in zip(*head, strict=True)]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_pdf_cells_from_raw_rows(report, key):
    """The PDF is read cell after cell (test_render_typst's reader) with the derived texts put
    in the model table's places: the model gives only the layout (merged cells, indents)."""
    stream, pages = report["pdf"]
    (model,) = [t for t in report["doc"].tables() if key in t.caption]
    header, _ = one(report["html"], key)
    _Walk(derived_table(model, header, key), stream, pages).run()


def derived_table(model, header: list[str], key: str, exact: bool = False):
    """``model`` with every body and foot cell's text replaced by the derived one (``exact``:
    "Indeks efisiensi" too, else its printed text where its value is the derived one)."""
    expected = iter(EXPECTED[key])
    parts = []
    for part in (model.rows, model.foot):
        new_rows = []
        for placed in place(part, len(model.columns)):
            want = next(expected)
            cells = []
            for j, c in placed:
                text = want[header[j]]
                if not exact and header[j] == INDEKS and _value(c.text) == _value(text):
                    text = c.text  # precision: issue 19 (the xfail test below)
                # an indented row's "– " is the renderer's (the PDF reader adds "–" itself)
                text = text.removeprefix("– ") if c.indent else text
                cells.append(dataclasses.replace(c, text=text, items=()))
            new_rows.append(tuple(cells))
        parts.append(new_rows)
    assert next(expected, None) is None, f"{key}: the model has fewer rows than derived"
    return dataclasses.replace(model, rows=parts[0], foot=parts[1])


EFISIENSI = [k for k in EXPECTED if k.startswith("Analisis Efisiensi")]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_indeks_efisiensi_has_two_decimals(report, fmt):
    assert len(EFISIENSI) == 3
    for key in EFISIENSI:
        header, rows = one(report["html"], key)
        word = [[_squeeze(c.text) for c in row.cells] for row in one(report["docx"], key).rows]
        shown = {"html": rows, "docx": word[1:]}[fmt]
        want = [row[INDEKS] for row in EXPECTED[key]]
        assert [r[header.index(INDEKS)] for r in shown] == want, (fmt, key)


def test_indeks_efisiensi_has_two_decimals_in_the_pdf(report):
    for key in EFISIENSI:
        header, _ = one(report["html"], key)
        (model,) = [t for t in report["doc"].tables() if key in t.caption]
        _Walk(derived_table(model, header, key, exact=True), *report["pdf"]).run()


def _mutations(model):
    """One changed column at a time: each column's first cell given another text."""
    for j, column in enumerate(model.columns):
        rows = [list(r) for r in model.rows]
        for row in rows:
            spots = [
                i for i, (jj, _) in enumerate(place([tuple(row)], len(model.columns))[0]) if jj == j
            ]
            if spots:
                c = row[spots[0]]
                row[spots[0]] = dataclasses.replace(c, text=c.text + "9", items=())
                break
        yield column.header, dataclasses.replace(model, rows=[tuple(r) for r in rows])


def test_a_changed_column_of_any_table_fails_the_comparison(report):
    """The comparison above catches one changed column of any table: each column of each
    derived table is changed in turn in the model and rendered as the report renders it
    (lkj.render.to_html.table_html); the HTML comparison must fail every time."""
    caught = 0
    for key in EXPECTED:
        (model,) = [t for t in report["doc"].tables() if key in t.caption]
        header, rows = one(html_tables_by_caption(str(table_html(model))), key)
        compare(key, header, rows, "HTML")  # unchanged: passes
        for _name, changed in _mutations(model):
            header, rows = one(html_tables_by_caption(str(table_html(changed))), key)
            with pytest.raises(AssertionError):
                compare(key, header, rows, "HTML")
            caught += 1
    assert caught == sum(len(rows[0]) for rows in EXPECTED.values())
