"""The one number reader and writer (lkj.core.numbers), and every door a number passes.

Whatever the project writes, it reads back to the same value: a property over integers up to
10^15 and decimals with up to 6 places, through every writer (the plain text of raw and
processed CSV files, the cells of the data forms, the sheets of the workbook).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lkj.core import numbers
from lkj.data.forms.raw_csv import format_number, parse_number
from lkj.data.forms.read import _read_number
from lkj.data.forms.write import _cell_value
from lkj.data.ingest import _sheet_cell_text
from lkj.data.processed import read_processed, write_tables

INTEGERS = st.integers(0, 10**15).map(Decimal)
# up to 6 decimal places, at most 15 significant digits (what a float and Excel hold exactly)
DECIMALS = st.builds(
    lambda mantissa, places: Decimal(mantissa).scaleb(-places),
    st.integers(0, 10**9 - 1),
    st.integers(1, 6),
)
VALUES = st.one_of(INTEGERS, DECIMALS).filter(lambda v: v == 0 or v >= Decimal("0.000001"))


@given(value=VALUES)
def test_plain_text_round_trip(value):
    text = numbers.write_number(value)
    assert "e" not in text.lower() and "," not in text
    assert numbers.read_text(text) == value
    # the forms' writer is the same writer; the raw CSV reader of collect the same reader
    assert format_number(float(value)) == numbers.write_number(float(value))
    assert Decimal(repr(parse_number(text))) == value


@given(values=st.lists(VALUES, min_size=1, max_size=30))
@settings(max_examples=40)
def test_spreadsheet_cells_round_trip(tmp_path_factory, values):
    """Form cells (forms.write._cell_value, read by forms.read._read_number) and workbook cells
    (pandas writes the number, ingest reads it as text by the one writer, then the one reader)."""
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, value in enumerate(values, start=1):
        ws.cell(i, 1, _cell_value(float(value), "desimal"))
        ws.cell(i, 2, float(value))  # what pandas.to_excel stores for a float column
    wb.save(path)
    back = openpyxl.load_workbook(path).active
    for i, value in enumerate(values, start=1):
        number, problem = _read_number(back.cell(i, 1).value, None, "desimal")
        assert problem is None and Decimal(repr(number)) == value
        assert numbers.read_text(_sheet_cell_text(back.cell(i, 2).value)) == value


@given(values=st.lists(VALUES, min_size=1, max_size=30))
@settings(max_examples=40)
def test_processed_tables_round_trip(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("processed")
    frame = pd.DataFrame({"kode_x": [str(i) for i in range(len(values))]})
    frame["nilai"] = [float(v) for v in values]
    write_tables({"capaian_x": frame}, folder)
    text = (folder / "capaian_x.csv").read_text(encoding="utf-8")
    assert "e+" not in text and "E+" not in text
    back = read_processed("capaian_x", folder)
    assert [numbers.to_decimal(v) for v in back["nilai"]] == values


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.125", Decimal("2.125")),  # two and an eighth: the point is the decimal point
        ("1.500", Decimal("1.5")),
        ("66.667", Decimal("66.667")),
        ("1367655230", Decimal(1367655230)),
        ("1E+15", Decimal(10**15)),
        ("-0", Decimal(0)),
        ("-", Decimal(0)),
        (" 12 ", Decimal(12)),
        ("", None),
    ],
)
def test_read_text_accepts(text, value):
    got = numbers.read_text(text)
    assert got == value
    if got is not None:
        assert str(got) != "-0"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.367.655.230", "tulis 1367655230"),
        ("1,367,655,230", "tulis 1367655230"),
        ("92,5", "tulis 92.5"),
        ("Rp 5", "angka polos"),
        ("90%", "angka polos"),
        ("inf", "angka polos"),
        ("NaN", "angka polos"),
        ("1000000000000001", "terlalu besar"),
        ("0.0000001", "terlalu kecil"),
        ("0.1234567890123456", "angka penting"),
    ],
)
def test_read_text_refuses_with_a_hint(text, hint):
    with pytest.raises(numbers.NumberProblem, match=hint):
        numbers.read_text(text)


def test_a_number_typed_in_excel_is_read_as_excel_shows_it():
    # Excel writes 66.667 as 66.667000000000002 in the file; 0.1 + 0.2 is binary noise
    assert numbers.read_cell(66.667000000000002) == Decimal("66.667")
    assert numbers.read_cell(0.1 + 0.2) == Decimal("0.3")
    assert numbers.read_cell(1367655230) == Decimal(1367655230)
    with pytest.raises(numbers.NumberProblem, match="terlalu besar"):
        numbers.read_cell(1e16)
    with pytest.raises(numbers.NumberProblem, match="tanggal"):
        import datetime

        numbers.read_cell(datetime.date(2023, 1, 2))


def test_forms_refuse_what_ingest_refuses(tmp_path: Path):
    for cell in ("1.367.655.230", "92,5", 1e16, "1000000000000001"):
        number, problem = _read_number(cell, None, "desimal")
        assert number is None and problem, cell
    # text "1.500" means 1,5 in a form exactly as in a CSV file, with a hint to type numbers
    assert _read_number("1.500", None, "desimal") == (1.5, None)
    assert _read_number("1.500", None, "bulat")[1].startswith("diharapkan bilangan bulat")


def test_rounding_is_half_away_from_zero_on_decimals():
    assert numbers.round_half_up(Decimal("53.125"), 2) == Decimal("53.13")
    assert numbers.round_half_up(Decimal("-53.125"), 2) == Decimal("-53.13")
    assert numbers.round_half_up(2.675, 2) == Decimal("2.68")  # typed 2,675, not the float
    assert str(numbers.round_half_up(-0.004, 2)) == "0.00"  # never -0
    assert numbers.ratio_pct(0.103, 4) == Decimal("2.58")
    assert numbers.ratio_pct(1, 0) is None
