"""Data-collection forms: one .xlsx per unit kerja, filled by the sub bidang, read back.

The agency's SOP Pengumpulan Data Kinerja, as commands:

* ``make forms YEAR=2023`` (``write_forms``) writes ``outputs/forms/2023/formulir_2023_<unit>.xlsx``
  for every ``sub_kegiatan.unit_kerja``: sheet *Petunjuk* (instructions in Indonesian), sheet
  *Sub Kegiatan* (the unit's sub kegiatan; realisasi fisik and realisasi anggaran to fill),
  sheet *Indikator* (the indikator of the sasaran its programs serve; realisasi to fill). Only
  the yellow input cells are unlocked; the sheets and the workbook structure are protected
  (password ``lkj``, documented in docs/maintainer-guide.md); the input cells carry data
  validation (a number, not negative). Input cells are pre-filled with the values already in
  data/raw/YEAR, so a re-issued form shows what was collected. A very hidden sheet
  ``lkj_meta`` records the form's year and unit.
* ``make collect YEAR=2023`` (``collect_forms``) reads the filled forms back: it reports
  missing forms, empty cells and invalid cells (file, sheet, cell, sub kegiatan code), and
  writes the valid values into data/raw/YEAR/sub_kegiatan.csv and kinerja_indikator.csv. An
  empty cell never erases a value already collected; a changed value overwrites and is
  reported; the files are replaced atomically and only if something changed.

Forms and collect need data/raw/YEAR to be valid apart from the realisation cells (which may be
empty): the structure is validated with ``lkj.data.dataset.read_raw`` on a copy whose empty
realisation cells are set to 0.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lkj.core import numbers
from lkj.core.errors import DataError, DataErrors, LkjError
from lkj.data.ingest import read_raw

FORM_KIND = "formulir-lkj"
FORM_VERSION = "1"
PASSWORD = "lkj"
SHEET_HELP = "Petunjuk"
SHEET_SUB = "Sub Kegiatan"
SHEET_IND = "Indikator"
SHEET_META = "lkj_meta"
HEADER_ROW = 6
FIRST_ROW = 7
TOTAL_LABEL = "Jumlah"

INPUT_COLOR = "FFF59D"  # yellow: the cells to fill
HEADER_COLOR = "D9E1F2"
LOCKED_COLOR = "F2F2F2"

# Realisation columns: emptied by new-year, filled through the forms (lra: by the maintainer).
REALISATION = {
    "sub_kegiatan": ("realisasi_fisik", "realisasi_anggaran_rp"),
    "kinerja_indikator": ("realisasi",),
    "lra": ("realisasi_rp",),
}


class FormsError(LkjError):
    """Forms cannot be written or read (bad data, a form with uncollected values, ...)."""


class CollectIncomplete(LkjError):
    """Collect saved the valid values, but forms are missing or cells are empty or invalid."""


@dataclass(frozen=True)
class FormColumn:
    """A column of a form sheet.

    Attributes:
        key: the data column it shows.
        header: the heading in the form (checked by collect).
        width: column width in characters.
        kind: teks, desimal or bulat.
        fill: True for the input column (yellow, unlocked).
    """

    key: str
    header: str
    width: float
    kind: str = "teks"
    fill: bool = False


SUB_COLUMNS = (
    FormColumn("kode_sub_kegiatan", "Kode", 11),
    FormColumn("nama_sub_kegiatan", "Nama Sub Kegiatan", 58),
    FormColumn("satuan", "Satuan", 12),
    FormColumn("kelompok_sasaran", "Kelompok Sasaran", 24),
    FormColumn("target_fisik", "Target Fisik", 11, "desimal"),
    FormColumn("realisasi_fisik", "Realisasi Fisik", 12, "desimal", fill=True),
    FormColumn("anggaran_rp", "Anggaran (Rp)", 17, "bulat"),
    FormColumn("realisasi_anggaran_rp", "Realisasi Anggaran (Rp)", 18, "bulat", fill=True),
)


def indikator_columns(year: int) -> tuple[FormColumn, ...]:
    """The columns of the sheet Indikator of a year's form."""
    return (
        FormColumn("kode_indikator", "Kode", 8),
        FormColumn("uraian_indikator", "Indikator Kinerja", 58),
        FormColumn("satuan", "Satuan", 10),
        FormColumn("target", f"Target {year}", 11, "desimal"),
        FormColumn("realisasi", f"Realisasi {year}", 12, "desimal", fill=True),
        FormColumn("realisasi_lalu", f"Realisasi {year - 1}", 12, "desimal"),
        FormColumn("keterangan", "Keterangan", 34),
    )


# ---------------------------------------------------------------------------------------------
# CSV files edited in place


@dataclass
class CsvTable:
    """A CSV file as text cells, to change a few cells and write the rest back unchanged."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def read(cls, path: Path) -> CsvTable:
        """Read ``path`` (UTF-8, BOM allowed), keeping its BOM and line ending."""
        data = path.read_bytes()
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError(
                _display(path), "bukan teks UTF-8; simpan ulang sebagai 'CSV UTF-8'"
            ) from None
        newline = "\r\n" if "\r\n" in text else "\n"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            raise DataError(_display(path), "file kosong: baris judul kolom tidak ada")
        header = [h.strip() for h in rows[0]]
        body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
        return cls(path, header, body, bom, newline)

    def index(self, column: str) -> int:
        """Position of ``column``."""
        try:
            return self.header.index(column)
        except ValueError:
            raise DataError(
                _display(self.path), "kolom wajib tidak ada", row=1, column=column
            ) from None

    def write(self) -> None:
        """Write the file atomically: a temporary file next to it, then ``os.replace``."""
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with tmp.open("w", encoding="utf-8-sig" if self.bom else "utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator=self.newline)
                writer.writerow(self.header)
                writer.writerows(self.rows)
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)


def _display(path: Path | str) -> str:
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def parse_number(text: str) -> float | None:
    """A number written in a raw CSV cell as the data contract reads it; None if not a number.

    Args:
        text: the cell text.

    Returns:
        The number (a lone dash is 0), or None for an empty, invalid or negative value.
    """
    try:
        value = numbers.read_text(str(text))
    except numbers.NumberProblem:
        return None
    return None if value is None or value < 0 else float(value)


def format_number(value: float, kind: str = "desimal") -> str:
    """Write a number plainly for a raw CSV (the one writer, ``lkj.core.numbers.write_number``):
    ``1367655230``, ``2.125``, ``3``.

    Args:
        value: the number.
        kind: ``bulat`` (whole number) or ``desimal`` (kept for the callers; the text is the
            same: a whole number is written without decimals either way).

    Returns:
        The text.
    """
    return numbers.write_number(value)


# ---------------------------------------------------------------------------------------------
# The year's data, as the forms see it

Key = tuple[str, str, str]  # (table, code, column)


@dataclass
class Unit:
    """One unit kerja (sub bidang) and what its form holds.

    Attributes:
        name: ``sub_kegiatan.unit_kerja``.
        slug: the name in file names.
        sub_kegiatan: its sub kegiatan (rows of the raw table, in file order).
        indikator: the indikator of the sasaran its programs serve, with target, realisasi of
            last year and a note.
    """

    name: str
    slug: str
    sub_kegiatan: pd.DataFrame
    indikator: pd.DataFrame

    def keys(self) -> list[Key]:
        """Every input cell of its form."""
        keys = [
            ("sub_kegiatan", code, col.key)
            for code in self.sub_kegiatan["kode_sub_kegiatan"]
            for col in SUB_COLUMNS
            if col.fill
        ]
        keys += [
            ("kinerja_indikator", code, "realisasi") for code in self.indikator["kode_indikator"]
        ]
        return keys


@dataclass
class YearData:
    """data/raw/YEAR for the forms: validated structure, current values, editable CSVs."""

    year: int
    year_dir: Path
    tables: dict[str, pd.DataFrame]
    units: list[Unit]
    csv: dict[str, CsvTable]
    rows: dict[Key, int]  # where each input value lives in its CSV (row index)
    current: dict[Key, float | None]
    current_text: dict[Key, str]

    def unit(self, name: str) -> Unit | None:
        """The unit called ``name``, if any."""
        return next((u for u in self.units if u.name == name), None)

    def info(self, key: str) -> str:
        """A value of instansi."""
        inst = self.tables["instansi"]
        hit = inst.loc[inst["kunci"] == key, "nilai"]
        return str(hit.iloc[0]) if len(hit) else ""


_ABBREVIATIONS = (("sub_bidang_", "subbid_"), ("sub_bagian_", "subbag_"), ("bidang_", "bid_"))


def slugify(name: str, max_length: int = 50) -> str:
    """A file-name friendly form of a unit name: ``subbid_politik_dalam_negeri_dan``.

    Args:
        name: the unit name.
        max_length: the longest slug; a longer one is cut at a word boundary.

    Returns:
        Lower-case ASCII letters, digits and underscores.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    for long, short in _ABBREVIATIONS:
        if slug.startswith(long):
            slug = short + slug[len(long) :]
            break
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("_")] if "_" in cut else slug[:max_length]
    return slug.strip("_") or "unit"


def _relocate(error: DataError, copy_dir: Path, year_dir: Path) -> DataError:
    shown_copy, shown_real = _display(copy_dir), _display(year_dir)
    return DataError(
        _display(year_dir / Path(error.file).name),
        error.problem.replace(shown_copy, shown_real),
        row=error.row,
        column=error.column,
        sheet=error.sheet,
    )


def _validated_structure(year: int, raw_root: Path) -> dict[str, pd.DataFrame]:
    """read_raw on a copy of the year whose missing realisation values are 0."""
    year_dir = raw_root / str(year)
    if not year_dir.is_dir():
        raise FormsError(
            f"{_display(year_dir)} tidak ada; buat dulu tahun itu: make new-year YEAR={year}"
        )
    with tempfile.TemporaryDirectory(prefix="lkj-forms-") as tmp:
        copy = Path(tmp) / str(year)
        copy.mkdir()
        for path in year_dir.iterdir():
            if path.is_file():
                shutil.copy2(path, copy / path.name)
        for name, columns in REALISATION.items():
            path = copy / f"{name}.csv"
            if not path.is_file():
                continue
            try:
                table = CsvTable.read(path)
            except DataError:
                continue  # read_raw below reports it, on the real file
            positions = [table.header.index(c) for c in columns if c in table.header]
            year_pos = None
            if name == "kinerja_indikator":
                if "tahun" not in table.header:
                    continue
                year_pos = table.header.index("tahun")
            for row in table.rows:
                if year_pos is not None and row[year_pos].strip() != str(year):
                    continue
                for pos in positions:
                    if parse_number(row[pos]) is None:
                        row[pos] = "0"
            table.write()
        try:
            raw = read_raw(year, Path(tmp))
        except DataErrors as exc:
            raise DataErrors([_relocate(e, copy, year_dir) for e in exc.errors]) from None
        except DataError as exc:
            raise _relocate(exc, copy, year_dir) from None
        for name in ("sub_kegiatan", "kinerja_indikator"):
            if raw.sources[name].sheet is not None:
                raise FormsError(
                    f"{name} ada di workbook {raw.sources[name].path.name}; formulir dan "
                    f"collect memerlukan {name}.csv (tulis tabel itu sebagai CSV)"
                )
        return raw.tables


def load_year(year: int, raw_root: Path | str = Path("data/raw")) -> YearData:
    """Read data/raw/YEAR for the forms: structure validated, realisation cells may be empty.

    Args:
        year: the report year.
        raw_root: the folder holding one folder per year.

    Returns:
        The units, their sub kegiatan and indikator, the current values.

    Raises:
        FormsError: the year folder is missing or holds the tables in a workbook.
        DataErrors: the structure breaks the data contract.
    """
    raw_root = Path(raw_root)
    tables = _validated_structure(year, raw_root)
    year_dir = raw_root / str(year)
    sub = tables["sub_kegiatan"]
    links = tables["kegiatan"].merge(tables["program"], on="kode_program")
    sasaran_of = dict(zip(links["kode_kegiatan"], links["kode_sasaran"], strict=True))
    kin = tables["kinerja_indikator"]
    target = kin[kin["tahun"] == year].set_index("kode_indikator")["target"]
    last = kin[kin["tahun"] == year - 1].set_index("kode_indikator")["realisasi"]
    ind = tables["indikator"]

    names = list(dict.fromkeys(sub["unit_kerja"]))
    serving: dict[str, list[str]] = {}
    for name in names:
        own = sub[sub["unit_kerja"] == name]
        sasaran = {sasaran_of[k] for k in own["kode_kegiatan"]} - {""}
        for code in ind.loc[ind["kode_sasaran"].isin(sasaran), "kode_indikator"]:
            serving.setdefault(code, []).append(name)

    units, slugs = [], set()
    for name in names:
        slug = base = slugify(name)
        n = 2
        while slug in slugs:
            slug, n = f"{base}_{n}", n + 1
        slugs.add(slug)
        codes = [c for c, who in serving.items() if name in who]
        rows = ind[ind["kode_indikator"].isin(codes)].copy()
        rows["target"] = [target.get(c) for c in rows["kode_indikator"]]
        rows["realisasi_lalu"] = [last.get(c) for c in rows["kode_indikator"]]
        rows["keterangan"] = [
            _note(p, [u for u in serving[c] if u != name])
            for c, p in zip(rows["kode_indikator"], rows["polaritas"], strict=True)
        ]
        units.append(Unit(name, slug, sub[sub["unit_kerja"] == name].reset_index(drop=True), rows))

    csvs = {n: CsvTable.read(year_dir / f"{n}.csv") for n in ("sub_kegiatan", "kinerja_indikator")}
    rows_at: dict[Key, int] = {}
    current: dict[Key, float | None] = {}
    text: dict[Key, str] = {}
    table = csvs["sub_kegiatan"]
    code_pos = table.index("kode_sub_kegiatan")
    for i, row in enumerate(table.rows):
        for col in ("realisasi_fisik", "realisasi_anggaran_rp"):
            key = ("sub_kegiatan", row[code_pos].strip(), col)
            rows_at[key] = i
            text[key] = row[table.index(col)].strip()
            current[key] = parse_number(text[key])
    table = csvs["kinerja_indikator"]
    code_pos, year_pos, real_pos = (
        table.index(c) for c in ("kode_indikator", "tahun", "realisasi")
    )
    for i, row in enumerate(table.rows):
        if row[year_pos].strip() != str(year):
            continue
        key = ("kinerja_indikator", row[code_pos].strip(), "realisasi")
        rows_at[key] = i
        text[key] = row[real_pos].strip()
        current[key] = parse_number(text[key])
    return YearData(year, year_dir, tables, units, csvs, rows_at, current, text)


def _note(polaritas: str, others: list[str]) -> str:
    parts = []
    if polaritas == "negatif":
        parts.append("Polaritas negatif: semakin kecil semakin baik.")
    if others:
        parts.append("Juga ada di formulir " + "; ".join(others) + ": isi dengan angka yang sama.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Writing the forms


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
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    ws = wb.create_sheet(title)
    ws["A1"] = heading[0]
    ws["A1"].font = st["title"]
    for i, text in enumerate(heading[1:], start=2):
        ws.cell(i, 1, text)
    ws.cell(4, 1).font = st["bold"]
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, j, col.header)
        cell.font, cell.fill, cell.border, cell.alignment = (
            st["bold"],
            st["input_fill"] if col.fill else st["header_fill"],
            st["border"],
            st["center"],
        )
        ws.column_dimensions[get_column_letter(j)].width = col.width
    prefilled = 0
    last = FIRST_ROW + len(frame) - 1
    for i, (_, row) in enumerate(frame.iterrows()):
        r = FIRST_ROW + i
        code = str(row[code_column])
        for j, col in enumerate(columns, start=1):
            if col.fill:
                value = data.current.get((table, code, col.key))
                prefilled += value is not None
                cell = ws.cell(r, j, _cell_value(value, col.kind))
                cell.fill, cell.protection = st["input_fill"], st["unlocked"]
            else:
                cell = ws.cell(r, j, _cell_value(row[col.key], col.kind))
            cell.border = st["border"]
            cell.alignment = st["wrap"]
            if col.kind == "bulat":
                cell.number_format = "#,##0"
            elif col.kind == "teks":
                cell.number_format = "@"
    if totals and len(frame):
        r = last + 1
        ws.cell(r, 1, TOTAL_LABEL).font = st["bold"]
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(r, j)
            cell.border, cell.fill = st["border"], st["locked_fill"]
            if col.key in totals:
                letter = get_column_letter(j)
                cell.value = f"=SUM({letter}{FIRST_ROW}:{letter}{last})"
                cell.number_format, cell.font = "#,##0", st["bold"]
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
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _protect(ws)
    return prefilled


def _help_sheet(ws: object, data: YearData, unit: Unit, deadline: str) -> None:
    st = _styles()
    y = data.year
    org = " ".join(p for p in (data.info("nama_instansi"), data.info("kabupaten")) if p)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 92
    ws["A1"] = f"FORMULIR PENGUMPULAN DATA KINERJA TAHUN {y}"
    ws["A1"].font = st["title"]
    ws["A2"] = org
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
        ws.cell(r, 1, label).font = st["bold"]
        cell = ws.cell(r, 2, text)
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
    ws.cell(r, 2, f"Formulir {y}, unit kerja {unit.name}, dibuat oleh lkj dari data/raw/{y}.")
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
        meta.cell(r, 1, k)
        meta.cell(r, 2, v)
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
                    pending.append(f"{_display(path)}: {n} nilai belum dikumpulkan")
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


# ---------------------------------------------------------------------------------------------
# Reading and collecting


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
            f"{_display(self.path)}, sheet {self.sheet}, sel {self.ref} ({what} {code}, {column})"
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
    formulas: object,
    columns: tuple[FormColumn, ...],
    table: str,
    expected: list[str],
) -> None:
    from openpyxl.utils import get_column_letter

    sheet = values.title
    where = f"{_display(reading.path)}, sheet {sheet}"
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
                f"{where}, sel A{r}: kode {code!r} bukan milik unit {reading.unit} menurut "
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
                value, problem = _read_number(values[ref].value, formulas[ref].value, col.kind)
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
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # data validation extensions etc.
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FormsError(f"{_display(path)}: bukan file .xlsx yang dapat dibaca ({exc})") from None
    meta = _meta(values)
    if meta.get("jenis") != FORM_KIND:
        raise FormsError(f"{_display(path)}: bukan formulir lkj (sheet {SHEET_META} tidak ada)")
    if meta.get("tahun") != str(data.year):
        raise FormsError(
            f"{_display(path)}: formulir tahun {meta.get('tahun')}, bukan {data.year}; "
            "pakai formulir tahun ini"
        )
    unit = data.unit(meta.get("unit_kerja", ""))
    if unit is None:
        raise FormsError(
            f"{_display(path)}: unit kerja {meta.get('unit_kerja')!r} tidak ada di "
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
            reading.problems.append(f"{_display(path)}: sheet {sheet!r} tidak ada")
            continue
        _read_sheet(reading, values[sheet], formulas[sheet], columns, table, expected)
    return reading


@dataclass
class Change:
    """A value written into data/raw/YEAR by collect."""

    key: Key
    old: str
    new: str
    source: FormCell


@dataclass
class CollectResult:
    """What ``collect_forms`` did and found."""

    year: int
    forms_dir: Path
    raw_dir: Path
    forms: list[FormReading] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    still_empty: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no form is missing and no cell is empty or invalid."""
        return not (self.missing or self.problems or self.empty)

    def summary(self) -> str:
        """The text printed by ``python -m lkj collect``."""
        y = self.year
        lines = [f"Formulir {y} dari {_display(self.forms_dir)}:"]
        for form in self.forms:
            filled = sum(c.value is not None for c in form.cells)
            new = sum(1 for c in self.changes if c.source.path == form.path and not c.old)
            changed = sum(1 for c in self.changes if c.source.path == form.path and c.old)
            bad = sum(1 for p in form.problems)
            lines.append(
                f"  {form.path.name} ({form.unit}): {filled} sel terisi, {new} nilai baru, "
                f"{changed} diubah, {bad} salah"
            )
        if self.missing:
            lines.append(f"Formulir TIDAK ADA ({len(self.missing)} unit kerja):")
            lines += [f"  {u}" for u in self.missing]
        changed = [c for c in self.changes if c.old]
        if changed:
            lines.append("Nilai yang DIUBAH (nilai lama ditimpa):")
            for c in changed:
                table, code, column = c.key
                lines.append(
                    f"  {table}.csv {code} {column}: {c.old} -> {c.new} "
                    f"({c.source.path.name}, sel {c.source.ref})"
                )
        if self.problems:
            lines.append(f"Isian SALAH ({len(self.problems)}; nilai lama dipertahankan):")
            lines += [f"  {p}" for p in self.problems]
        if self.empty:
            lines.append(f"Sel KOSONG ({len(self.empty)}):")
            lines += [f"  {p}" for p in self.empty]
        lines += self.notes
        if self.written:
            names = ", ".join(_display(p) for p in self.written)
            lines.append(f"Disimpan: {len(self.changes)} nilai ke {names}")
        else:
            lines.append(
                f"Tidak ada perubahan: {_display(self.raw_dir)} sudah memuat semua nilai formulir."
            )
        if self.still_empty:
            lines.append("Masih kosong di luar formulir (diisi pengelola):")
            lines += [f"  {s}" for s in self.still_empty]
        if self.complete and not self.still_empty:
            lines.append(f"Semua formulir lengkap. Berikutnya: make check YEAR={y}")
        return "\n".join(lines)

    def failure(self) -> CollectIncomplete:
        """The error to exit with when not complete."""
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} formulir tidak ada")
        if self.problems:
            parts.append(f"{len(self.problems)} isian salah")
        if self.empty:
            parts.append(f"{len(self.empty)} sel kosong")
        return CollectIncomplete(
            "pengumpulan belum lengkap: " + ", ".join(parts) + "; nilai yang sah sudah disimpan"
        )


def _form_files(forms_dir: Path) -> Iterable[Path]:
    return sorted(
        p
        for p in forms_dir.glob("*.xlsx")
        if p.is_file() and not p.name.startswith(("~$", ".")) and ".tmp." not in p.name
    )


def collect_forms(
    year: int, raw_root: Path | str = Path("data/raw"), forms_dir: Path | str | None = None
) -> CollectResult:
    """Read the filled forms of a year into data/raw/YEAR.

    Args:
        year: the report year.
        raw_root: the folder holding one folder per year.
        forms_dir: the folder of the filled forms (default outputs/forms/YEAR).

    Returns:
        What was read, changed, missing, empty or wrong. The valid values are saved even
        when forms are missing or cells are wrong; check ``complete``.

    Raises:
        FormsError: the forms folder does not exist.
        DataErrors: the year's structure breaks the data contract.
    """
    data = load_year(year, raw_root)
    forms_dir = Path(forms_dir) if forms_dir else Path("outputs") / "forms" / str(year)
    if not forms_dir.is_dir():
        raise FormsError(
            f"folder formulir {_display(forms_dir)} tidak ada; tulis formulir dengan "
            f"make forms YEAR={year}, atau beri --dir"
        )
    result = CollectResult(year, forms_dir, data.year_dir)
    for path in _form_files(forms_dir):
        try:
            reading = read_form(path, data)
        except FormsError as exc:
            if "bukan formulir lkj" in str(exc):
                result.notes.append(f"Dilewati: {exc}")
            else:
                result.problems.append(str(exc))
            continue
        result.forms.append(reading)
        result.problems += reading.problems

    by_unit: dict[str, list[FormReading]] = {}
    for form in result.forms:
        by_unit.setdefault(form.unit, []).append(form)
    for unit, forms in by_unit.items():
        if len(forms) > 1:
            names = ", ".join(f.path.name for f in forms)
            result.notes.append(f"Catatan: {len(forms)} formulir untuk {unit} ({names}); digabung")
    result.missing = [u.name for u in data.units if u.name not in by_unit]

    cells: dict[Key, list[FormCell]] = {}
    for form in result.forms:
        for cell in form.cells:
            cells.setdefault(cell.key, []).append(cell)
    invalid_keys = {
        key
        for form in result.forms
        for key in data.unit(form.unit).keys()
        if not any(c.key == key for c in form.cells)
    }
    kinds = {c.key: c.kind for c in SUB_COLUMNS} | {"realisasi": "desimal"}
    kept = 0
    for unit in data.units:
        if unit.name not in by_unit:
            continue
        for key in unit.keys():
            found = cells.get(key, [])
            filled = [c for c in found if c.value is not None]
            distinct = {format_number(c.value, kinds[key[2]]) for c in filled}
            if len(distinct) > 1:
                shown = ", ".join(
                    f"{_display(c.path)} sel {c.ref} = {format_number(c.value)}" for c in filled
                )
                result.problems.append(
                    f"nilai berbeda untuk {key[0]} {key[1]} {key[2]}: {shown}; tidak disimpan"
                )
                continue
            if not filled:
                if key in invalid_keys or not found:
                    continue
                if data.current.get(key) is None:
                    result.empty.append(f"{found[0].where()}: kosong")
                else:
                    kept += 1
                continue
            cell = filled[0]
            old = data.current.get(key)
            if old is not None and _same(old, cell.value):
                continue
            if any(c.key == key for c in result.changes):
                continue
            result.changes.append(
                Change(
                    key,
                    data.current_text.get(key, ""),
                    format_number(cell.value, kinds[key[2]]),
                    cell,
                )
            )

    if kept:
        result.notes.append(
            f"Catatan: {kept} sel kosong di formulir; nilai yang sudah ada di data/raw/{year} "
            "dipertahankan"
        )
    touched: set[str] = set()
    for change in result.changes:
        table, _code, column = change.key
        csv_table = data.csv[table]
        csv_table.rows[data.rows[change.key]][csv_table.index(column)] = change.new
        touched.add(table)
    for table in sorted(touched):
        data.csv[table].write()
        result.written.append(data.csv[table].path)

    lra = data.year_dir / "lra.csv"
    if lra.is_file():
        table = CsvTable.read(lra)
        pos = table.index("realisasi_rp")
        empty = sum(parse_number(r[pos]) is None for r in table.rows if any(r))
        if empty:
            result.still_empty.append(f"{_display(lra)}: realisasi_rp kosong di {empty} baris")
    return result
