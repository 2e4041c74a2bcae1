"""Writing the forms: one .xlsx per unit kerja (``write_forms``), laid out as
``lkj.data.forms.layout`` says, the input cells pre-filled with the values already collected.

Sheet *Petunjuk* (instructions), sheet *Sub Kegiatan*, sheet *Indikator* (if the unit serves
indikator) and the very hidden sheet ``lkj_meta``; only the yellow input cells are unlocked,
with data validation (a number, not negative); sheets and workbook structure are protected.
A form about to be replaced is read first (``lkj.data.forms.read``): one holding values not
yet collected is not overwritten.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lkj.core import numbers
from lkj.data.forms.layout import (
    FIRST_ROW,
    FORM_KIND,
    FORM_VERSION,
    HEADER_COLOR,
    HEADER_ROW,
    INPUT_COLOR,
    LOCKED_COLOR,
    PASSWORD,
    SHEET_HELP,
    SHEET_IND,
    SHEET_META,
    SHEET_SUB,
    SUB_COLUMNS,
    TOTAL_LABEL,
    FormColumn,
    FormsError,
    indikator_columns,
)
from lkj.data.forms.read import _same, read_form
from lkj.data.forms.year import Unit, YearData, load_year
from lkj.data.sheets import put
from lkj.data.sources import display_path


@dataclass
class FormWritten:
    """One form written by ``write_forms``."""

    unit: str
    path: Path
    sub_kegiatan: int
    indikator: int
    prefilled: int
    inputs: int


def form_name(year: int, unit: Unit) -> str:
    """The file name of a unit's form: ``formulir_2023_<slug>.xlsx``."""
    return f"formulir_{year}_{unit.slug}.xlsx"


def _styles() -> dict:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(bold=True, size=13),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor=HEADER_COLOR),
        "input_fill": PatternFill("solid", fgColor=INPUT_COLOR),
        "locked_fill": PatternFill("solid", fgColor=LOCKED_COLOR),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "unlocked": Protection(locked=False),
    }


def _protect(ws: object) -> None:
    ws.protection.sheet = True
    ws.protection.password = PASSWORD
    ws.protection.formatColumns = False  # widening columns and rows stays allowed
    ws.protection.formatRows = False


def _cell_value(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if kind in ("desimal", "bulat"):
        number = numbers.to_decimal(value)
        if number is None:
            return None
        return int(number) if number == number.to_integral_value() else float(number)
    return str(value)


def _sheet_heading(
    ws: object, heading: list[str], columns: tuple[FormColumn, ...], st: dict
) -> None:
    """The title and heading lines above the table, and the row of column headings."""
    from openpyxl.utils import get_column_letter

    put(ws, 1, 1, heading[0]).font = st["title"]
    for i, text in enumerate(heading[1:], start=2):
        put(ws, i, 1, text)
    ws.cell(4, 1).font = st["bold"]
    for j, col in enumerate(columns, start=1):
        cell = put(ws, HEADER_ROW, j, col.header)
        cell.font, cell.fill, cell.border, cell.alignment = (
            st["bold"],
            st["input_fill"] if col.fill else st["header_fill"],
            st["border"],
            st["center"],
        )
        ws.column_dimensions[get_column_letter(j)].width = col.width


def _sheet_rows(
    ws: object,
    columns: tuple[FormColumn, ...],
    frame: pd.DataFrame,
    code_column: str,
    table: str,
    data: YearData,
    st: dict,
) -> int:
    """A row per code of ``frame``, the input cells unlocked and pre-filled with the values
    already collected; returns how many were pre-filled."""
    prefilled = 0
    for i, (_, row) in enumerate(frame.iterrows()):
        r = FIRST_ROW + i
        code = str(row[code_column])
        for j, col in enumerate(columns, start=1):
            if col.fill:
                value = data.current.get((table, code, col.key))
                prefilled += value is not None
                cell = put(ws, r, j, _cell_value(value, col.kind))
                cell.fill, cell.protection = st["input_fill"], st["unlocked"]
            else:
                cell = put(ws, r, j, _cell_value(row[col.key], col.kind))
            cell.border = st["border"]
            cell.alignment = st["wrap"]
            if col.kind == "bulat":
                cell.number_format = "#,##0"
            elif col.kind == "teks":
                cell.number_format = "@"
    return prefilled


def _sheet_totals(
    ws: object, columns: tuple[FormColumn, ...], totals: tuple[str, ...], last: int, st: dict
) -> None:
    """The row ``Jumlah`` below the last row: a SUM of each column of ``totals``."""
    from openpyxl.utils import get_column_letter

    r = last + 1
    ws.cell(r, 1, TOTAL_LABEL).font = st["bold"]
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(r, j)
        cell.border, cell.fill = st["border"], st["locked_fill"]
        if col.key in totals:
            letter = get_column_letter(j)
            cell.value = f"=SUM({letter}{FIRST_ROW}:{letter}{last})"
            cell.number_format, cell.font = "#,##0", st["bold"]


def _sheet_validation(
    ws: object, columns: tuple[FormColumn, ...], frame: pd.DataFrame, last: int
) -> None:
    """Data validation on each input column: a number from 0 to the contract's bound."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, col in enumerate(columns, start=1):
        if not col.fill or not len(frame):
            continue
        letter = get_column_letter(j)
        whole = col.kind == "bulat"
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1="0",
            formula2=str(numbers.MAX_NUMBER),  # the contract's bound: nothing valid refused later
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            errorTitle="Isian tidak sah",
            error=(
                "Isi dengan bilangan bulat 0 sampai 10^15: rupiah penuh, diketik sebagai angka, "
                "tanpa Rp."
                if whole
                else "Isi dengan angka 0 sampai 10^15, diketik sebagai angka (bukan teks), "
                "tanpa % atau satuan."
            ),
            promptTitle=col.header[:32],
            prompt=(
                "Rupiah penuh, angka saja (mis. 1250000). Tidak boleh negatif."
                if whole
                else "Angka saja (mis. 12 atau 92,5). Tidak boleh negatif."
            ),
        )
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.add_data_validation(dv)


def _sheet_page(ws: object) -> None:
    """Frozen headings and codes; printed landscape on A4, one page wide, headings repeated."""
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _data_sheet(
    wb: object,
    title: str,
    heading: list[str],
    columns: tuple[FormColumn, ...],
    frame: pd.DataFrame,
    code_column: str,
    table: str,
    data: YearData,
    totals: tuple[str, ...] = (),
) -> int:
    st = _styles()
    ws = wb.create_sheet(title)
    _sheet_heading(ws, heading, columns, st)
    last = FIRST_ROW + len(frame) - 1
    prefilled = _sheet_rows(ws, columns, frame, code_column, table, data, st)
    if totals and len(frame):
        _sheet_totals(ws, columns, totals, last, st)
    _sheet_validation(ws, columns, frame, last)
    _sheet_page(ws)
    _protect(ws)
    return prefilled


def _help_sheet(ws: object, data: YearData, unit: Unit, deadline: str) -> None:
    st = _styles()
    y = data.year
    org = " ".join(p for p in (data.info("nama_instansi"), data.info("kabupaten")) if p)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 92
    put(ws, 1, 1, f"FORMULIR PENGUMPULAN DATA KINERJA TAHUN {y}").font = st["title"]
    put(ws, 2, 1, org)
    n_sub, n_ind = len(unit.sub_kegiatan), len(unit.indikator)
    what = f"Sheet '{SHEET_SUB}': realisasi fisik dan realisasi anggaran {n_sub} sub kegiatan."
    if n_ind:
        what += f" Sheet '{SHEET_IND}': realisasi {n_ind} indikator kinerja sasaran."
    else:
        what += " Unit ini tidak mengampu indikator kinerja sasaran (tidak ada sheet Indikator)."
    facts = [
        ("Unit kerja", unit.name),
        ("Diisi oleh", f"Kepala / pengelola data {unit.name}"),
        ("Yang diisi", what),
        ("Periode data", f"1 Januari - 31 Desember {y}"),
        ("Dikembalikan kepada", "Sekretariat (pengelola data kinerja), sebagai file .xlsx ini"),
        ("Batas waktu pengembalian", deadline),
    ]
    r = 4
    for label, text in facts:
        put(ws, r, 1, label).font = st["bold"]
        cell = put(ws, r, 2, text)
        cell.alignment = st["wrap"]
        if label.startswith("Batas waktu"):  # the secretariat may write the date here
            cell.protection, cell.border = st["unlocked"], st["border"]
        r += 1
    r += 1
    ws.cell(r, 1, "Cara mengisi").font = st["bold"]
    steps = [
        "Isi hanya sel berwarna KUNING. Sel lain dikunci dan tidak dapat diubah.",
        "Tulis angka saja: tanpa pemisah ribuan, tanpa 'Rp', tanpa '%', tanpa satuan. "
        "Contoh: 1250000, bukan 1.250.000 atau Rp 1.250.000.",
        "Tidak boleh negatif. Jika tidak ada realisasi, isi 0 (jangan dikosongkan).",
        "Realisasi fisik memakai satuan yang sama dengan target fisik pada baris itu; boleh "
        "desimal.",
        f"Realisasi anggaran dalam rupiah penuh tanpa desimal, sesuai SP2D / LRA sampai "
        f"31 Desember {y}.",
        "Realisasi indikator memakai satuan indikator dan dihitung sesuai definisi indikator "
        "dalam Renstra.",
        "Sel kuning yang sudah berisi angka adalah data yang sudah diterima Sekretariat: "
        "periksa, dan perbaiki bila salah.",
        "Jangan menambah, menghapus, atau memindahkan baris, kolom, atau sheet. Nama file "
        "boleh diubah.",
        "Simpan dalam format Excel (.xlsx), lalu kirim kembali ke Sekretariat.",
    ]
    for i, step in enumerate(steps, start=1):
        r += 1
        ws.cell(r, 1, f"{i}.").alignment = st["wrap"]
        ws.cell(r, 2, step).alignment = st["wrap"]
    r += 2
    ws.cell(r, 1, "Keterangan").font = st["bold"]
    put(ws, r, 2, f"Formulir {y}, unit kerja {unit.name}, dibuat oleh lkj dari data/raw/{y}.")
    ws.cell(r, 2).alignment = st["wrap"]
    _protect(ws)


def _write_form(path: Path, data: YearData, unit: Unit, deadline: str) -> FormWritten:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import IntProperty, StringProperty
    from openpyxl.workbook.protection import WorkbookProtection

    y = data.year
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    _help_sheet(help_ws, data, unit, deadline)
    heading = [
        f"Formulir Realisasi Sub Kegiatan Tahun {y}",
        f"Unit kerja: {unit.name}",
        " ".join(p for p in (data.info("nama_instansi"), data.info("kabupaten")) if p),
        "Isi hanya sel KUNING: angka saja, tanpa pemisah ribuan, tidak boleh negatif.",
    ]
    prefilled = _data_sheet(
        wb,
        SHEET_SUB,
        heading,
        SUB_COLUMNS,
        unit.sub_kegiatan,
        "kode_sub_kegiatan",
        "sub_kegiatan",
        data,
        totals=("anggaran_rp", "realisasi_anggaran_rp"),
    )
    if len(unit.indikator):
        heading[0] = f"Formulir Realisasi Indikator Kinerja Sasaran Tahun {y}"
        prefilled += _data_sheet(
            wb,
            SHEET_IND,
            heading,
            indikator_columns(y),
            unit.indikator,
            "kode_indikator",
            "kinerja_indikator",
            data,
        )
    meta = wb.create_sheet(SHEET_META)
    facts = [
        ("jenis", FORM_KIND),
        ("versi", FORM_VERSION),
        ("tahun", y),
        ("unit_kerja", unit.name),
        ("sub_kegiatan", len(unit.sub_kegiatan)),
        ("indikator", len(unit.indikator)),
    ]
    for r, (k, v) in enumerate(facts, start=1):
        put(meta, r, 1, k)
        put(meta, r, 2, v)
    meta.sheet_state = "veryHidden"
    _protect(meta)
    wb.custom_doc_props.append(StringProperty(name="lkj_unit_kerja", value=unit.name))
    wb.custom_doc_props.append(IntProperty(name="lkj_tahun", value=y))
    wb.properties.title = f"Formulir pengumpulan data kinerja {y}: {unit.name}"
    wb.properties.creator = "lkj"
    wb.properties.created = dt.datetime(y, 1, 1)
    wb.security = WorkbookProtection(workbookPassword=PASSWORD, lockStructure=True)
    wb.active = 0
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    inputs = len(unit.keys())
    return FormWritten(
        unit.name, path, len(unit.sub_kegiatan), len(unit.indikator), prefilled, inputs
    )


def write_forms(
    year: int,
    raw_root: Path | str = Path("data/raw"),
    out_dir: Path | str | None = None,
    deadline: str = "",
    force: bool = False,
) -> list[FormWritten]:
    """Write one form per unit kerja of data/raw/YEAR.

    Args:
        year: the report year.
        raw_root: the folder holding one folder per year.
        out_dir: where to write (default outputs/forms/YEAR).
        deadline: text for "Batas waktu pengembalian" (blank by default).
        force: overwrite forms that hold values not yet collected.

    Returns:
        The forms written.

    Raises:
        FormsError: a form to be replaced holds values not yet in data/raw/YEAR (run collect
            first, or use ``force``).
        DataErrors: the year's structure breaks the data contract.
    """
    data = load_year(year, raw_root)
    out = Path(out_dir) if out_dir else Path("outputs") / "forms" / str(year)
    out.mkdir(parents=True, exist_ok=True)
    if not force:
        pending = []
        for unit in data.units:
            path = out / form_name(year, unit)
            if path.is_file():
                n = _uncollected(path, data)
                if n:
                    pending.append(f"{display_path(path)}: {n} nilai belum dikumpulkan")
        if pending:
            raise FormsError(
                "formulir berikut berisi nilai yang belum masuk data/raw; jalankan dulu "
                f"make collect YEAR={year} (atau --force untuk menimpa):\n  " + "\n  ".join(pending)
            )
    return [_write_form(out / form_name(year, u), data, u, deadline) for u in data.units]


def _uncollected(path: Path, data: YearData) -> int:
    try:
        reading = read_form(path, data)
    except FormsError:
        return 0
    return reading.invalid + sum(
        1
        for c in reading.cells
        if c.value is not None
        and (data.current.get(c.key) is None or not _same(data.current[c.key], c.value))
    )
