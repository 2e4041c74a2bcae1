"""Reading one filled form back: its year and unit (sheet ``lkj_meta``), its headings checked
against the layout, and every input cell as a number, empty, or a problem in words naming
file, sheet, cell and the sub kegiatan or indikator it belongs to.

``lkj.data.forms.collect`` merges the readings into data/raw/YEAR; ``lkj.data.forms.write``
reads a form about to be replaced, to keep values not yet collected.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lkj.core import numbers
from lkj.core.config import load_batas
from lkj.core.errors import DataError
from lkj.data.forms.layout import (
    FIRST_ROW,
    FORM_KIND,
    HEADER_ROW,
    SHEET_IND,
    SHEET_META,
    SHEET_SUB,
    SUB_COLUMNS,
    TOTAL_LABEL,
    FormColumn,
    FormsError,
    Key,
    indikator_columns,
)
from lkj.data.forms.year import YearData
from lkj.data.sources import display_path
from lkj.data.workbook import check_zip


@dataclass
class FormCell:
    """One input cell read from a form."""

    key: Key
    value: float | None
    path: Path
    sheet: str
    ref: str

    def where(self) -> str:
        """File, sheet, cell and what it is, for messages."""
        table, code, column = self.key
        what = "sub kegiatan" if table == "sub_kegiatan" else "indikator"
        return (
            f"{display_path(self.path)}, sheet {self.sheet}, sel {self.ref} "
            f"({what} {code}, {column})"
        )


@dataclass
class FormReading:
    """What one form holds: its unit, its valid or empty cells, and its problems."""

    path: Path
    unit: str
    cells: list[FormCell] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    invalid: int = 0


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def _read_number(value: object, formula: object, kind: str) -> tuple[float | None, str | None]:
    """A form cell as a number: (value, None), (None, None) if empty, (None, problem).

    The one reader (``lkj.core.numbers.read_cell``): a number typed as a number is a number; text
    follows the rule of the raw CSV files.
    """
    if value is None:
        if isinstance(formula, str) and formula.startswith("="):
            return None, (
                f"berisi rumus {formula!r} tanpa nilai tersimpan; ketik angkanya, atau buka dan "
                "simpan ulang di Excel"
            )
        return None, None
    try:
        number = numbers.read_cell(value)
    except numbers.NumberProblem as exc:
        problem = str(exc)
        if isinstance(value, str):
            problem += "; sebaiknya ketik sebagai angka di sel (bukan teks)"
        return None, problem
    if number is None:
        return None, None
    if number < 0:
        return None, f"diharapkan angka ≥ 0, ditemukan {value!r}"
    if kind == "bulat" and number != number.to_integral_value():
        return None, f"diharapkan bilangan bulat (rupiah penuh), ditemukan {value!r}"
    return float(number), None


def _meta(wb: object) -> dict[str, str]:
    if SHEET_META not in wb.sheetnames:
        return {}
    ws = wb[SHEET_META]
    return {
        str(row[0]).strip(): str(row[1]).strip()
        for row in ws.iter_rows(min_row=1, max_col=2, values_only=True)
        if row[0] is not None and row[1] is not None
    }


def _read_sheet(
    reading: FormReading,
    values: object,
    formulas: Callable[[str], object],
    columns: tuple[FormColumn, ...],
    table: str,
    expected: list[str],
) -> None:
    from openpyxl.utils import get_column_letter

    sheet = values.title
    where = f"{display_path(reading.path)}, sheet {sheet}"
    for j, col in enumerate(columns, start=1):
        found = values.cell(HEADER_ROW, j).value
        if str(found or "").strip() != col.header:
            reading.problems.append(
                f"{where}, sel {get_column_letter(j)}{HEADER_ROW}: judul kolom {found!r}, "
                f"diharapkan {col.header!r}; struktur formulir berubah: pakai formulir baru "
                "(make forms)"
            )
            return
    seen: set[str] = set()
    r = FIRST_ROW
    while True:
        raw_code = values.cell(r, 1).value
        code = "" if raw_code is None else str(raw_code).strip()
        if not code or code == TOTAL_LABEL:
            break
        if code not in expected:
            reading.problems.append(
                f"{where}, sel A{r}: kode {code!r} bukan milik unit {reading.unit!r} menurut "
                f"data/raw; terbitkan ulang formulir (make forms)"
            )
        elif code in seen:
            reading.problems.append(f"{where}, sel A{r}: kode {code!r} muncul dua kali")
        else:
            seen.add(code)
            for j, col in enumerate(columns, start=1):
                if not col.fill:
                    continue
                ref = f"{get_column_letter(j)}{r}"
                value = values[ref].value
                formula = formulas(ref) if value is None else None
                value, problem = _read_number(value, formula, col.kind)
                cell = FormCell((table, code, col.key), value, reading.path, sheet, ref)
                if problem:
                    reading.problems.append(f"{cell.where()}: {problem}")
                    reading.invalid += 1
                else:
                    reading.cells.append(cell)
        r += 1
    what = "sub kegiatan" if table == "sub_kegiatan" else "indikator"
    for code in expected:
        if code not in seen:
            reading.problems.append(
                f"{where}: {what} {code} tidak ada di formulir (formulir lama?); terbitkan "
                "ulang formulir (make forms)"
            )


def open_form(path: Path) -> tuple[Any, _Formulas]:
    """A filled form opened within the limits of ``[batas]``: its zip checked before anything
    is unpacked, its values read once, its formulas only if a cell asks (:class:`_Formulas`).

    Raises:
        FormsError: over a limit, or not a readable .xlsx file.
    """
    import openpyxl

    batas = load_batas()
    try:
        check_zip(path, batas, batas.formulir_mb)  # before anything is unpacked
    except DataError as exc:
        raise FormsError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # data validation extensions etc.
            values = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FormsError(
            f"{display_path(path)}: bukan file .xlsx yang dapat dibaca ({exc})"
        ) from None
    if len(values.sheetnames) > batas.workbook_sheet:
        raise FormsError(
            f"{display_path(path)}: {len(values.sheetnames)} sheet, melebihi batas "
            f"workbook_sheet = {batas.workbook_sheet} (config/lkj.toml [batas])"
        )
    return values, _Formulas(path)


def read_form(path: Path, data: YearData) -> FormReading:
    """Read one filled form.

    Args:
        path: the .xlsx file.
        data: the year (to check the form's year, unit and codes).

    Returns:
        Its unit, the cells read (value None = empty) and every problem found.

    Raises:
        FormsError: the file is not a form of lkj, not readable, or of another year.
    """
    values, formulas = open_form(path)
    meta = _meta(values)
    if meta.get("jenis") != FORM_KIND:
        raise FormsError(f"{display_path(path)}: bukan formulir lkj (sheet {SHEET_META} tidak ada)")
    if meta.get("tahun") != str(data.year):
        raise FormsError(
            f"{display_path(path)}: formulir tahun {meta.get('tahun')}, bukan {data.year}; "
            "pakai formulir tahun ini"
        )
    unit = data.unit(meta.get("unit_kerja", ""))
    if unit is None:
        raise FormsError(
            f"{display_path(path)}: unit kerja {meta.get('unit_kerja')!r} tidak ada di "
            f"sub_kegiatan.csv tahun {data.year}"
        )
    reading = FormReading(path, unit.name)
    parts = [(SHEET_SUB, SUB_COLUMNS, "sub_kegiatan", list(unit.sub_kegiatan["kode_sub_kegiatan"]))]
    if len(unit.indikator):
        parts.append(
            (
                SHEET_IND,
                indikator_columns(data.year),
                "kinerja_indikator",
                list(unit.indikator["kode_indikator"]),
            )
        )
    for sheet, columns, table, expected in parts:
        if sheet not in values.sheetnames:
            reading.problems.append(f"{display_path(path)}: sheet {sheet!r} tidak ada")
            continue
        _read_sheet(reading, values[sheet], formulas.sheet(sheet), columns, table, expected)
    return reading


class _Formulas:
    """The form's formulas, read only if a cell asks (an empty input cell: a formula without a
    stored value?): a form is read once, twice only when it has empty input cells."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: object = None

    def sheet(self, name: str) -> Callable[[str], object]:
        def formula(ref: str) -> object:
            if self.book is None:
                import openpyxl

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self.book = openpyxl.load_workbook(self.path, data_only=False)
            return self.book[name][ref].value

        return formula
