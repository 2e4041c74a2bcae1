"""The pemda's own data form: the realisasi of each IKU for a year (one .xlsx workbook).

``write_iku_form`` writes IKU_<kode_pemda>_<YEAR>.xlsx: one row per IKU of iku_pemda.csv with
its uraian, satuan, polaritas and the Perjanjian Kinerja target of the year (locked) and an
empty realisasi cell to fill (the only unlocked cell). ``collect_iku_form`` reads it back into
pemda/kinerja_iku.csv (the realisasi of that year's rows, nothing else), with the rules of the
OPD forms (``lkj.data.forms``): a number of at least 0, the cell named when it is wrong, an
empty cell leaves the value in kinerja_iku.csv as it is.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.data.forms.raw_csv import CsvTable, format_number, parse_number
from lkj.data.sources import display_path

SHEET = "IKU"
SHEET_META = "lkj"
COLUMNS = ("kode_iku", "uraian_iku", "satuan", "polaritas", "target", "realisasi")
FIRST_ROW = 4  # rows 1-3: title, note, column headers
KINERJA_FILE = "kinerja_iku.csv"


def iku_form_name(kode_pemda: str, year: int) -> str:
    """IKU_<kode_pemda>_<YEAR>.xlsx."""
    return f"IKU_{kode_pemda}_{year}.xlsx"


def pemda_csv(pemda_dir: Path, name: str) -> CsvTable:
    """A pemda table as CSV cells (new-year and the IKU form edit or read the CSV files)."""
    path = pemda_dir / name
    if not path.is_file():
        raise LkjError(
            f"{display_path(path)} tidak ada: tahun baru dan formulir IKU pemda memerlukan "
            "tabel pemda dalam file CSV"
        )
    return CsvTable.read(path)


def _kinerja(pemda_dir: Path) -> CsvTable:
    return pemda_csv(pemda_dir, KINERJA_FILE)


def _iku_rows(pemda_dir: Path, year: int) -> list[dict[str, str]]:
    """Each IKU of iku_pemda.csv with its target of ``year`` from kinerja_iku.csv."""
    iku = pemda_csv(pemda_dir, "iku_pemda.csv")
    kinerja = _kinerja(pemda_dir)
    k, t, target = (kinerja.index(c) for c in ("kode_iku", "tahun", "target"))
    targets = {r[k]: r[target] for r in kinerja.rows if r[t].strip() == str(year)}
    out = []
    for row in iku.rows:
        record = {c: row[iku.index(c)] for c in COLUMNS[:4]}
        record["target"] = targets.get(record["kode_iku"], "")
        out.append(record)
    return out


def write_iku_form(pemda_dir: Path, kode_pemda: str, nama_pemda: str, year: int, out: Path) -> Path:
    """Write the IKU form of ``year`` into the folder ``out``; returns its path."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill, Protection

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"Realisasi Indikator Kinerja Utama {nama_pemda} Tahun {year}"
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"] = "Isi kolom realisasi (angka, satuan seperti kolom satuan). Sel lain terkunci."
    for col, name in enumerate(COLUMNS, start=1):
        ws.cell(3, col, name).font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, record in enumerate(_iku_rows(pemda_dir, year)):
        row = FIRST_ROW + i
        for col, name in enumerate(COLUMNS[:5], start=1):
            value = record[name]
            number = parse_number(value) if name == "target" else None
            ws.cell(row, col, number if number is not None else value)
        cell = ws.cell(row, len(COLUMNS))
        cell.protection = Protection(locked=False)
        cell.fill = fill
    for col, width in zip("ABCDEF", (10, 60, 12, 10, 12, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True
    meta = wb.create_sheet(SHEET_META)
    meta.append(["kode_pemda", kode_pemda])
    meta.append(["tahun", year])
    meta.sheet_state = "hidden"
    out.mkdir(parents=True, exist_ok=True)
    path = out / iku_form_name(kode_pemda, year)
    wb.save(path)
    return path


@dataclass
class IkuCollect:
    """What ``collect_iku_form`` found: values saved, cells wrong or empty, or no form."""

    path: Path
    missing: bool = False
    saved: int = 0
    problems: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when the form was there and every realisasi cell held a number."""
        return not (self.missing or self.problems or self.empty)


def _read(path: Path, kode_pemda: str, year: int) -> dict[str, tuple[str, object]]:
    """kode_iku -> (cell reference, value) of the form's realisasi cells."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise LkjError(
            f"{display_path(path)}: bukan file .xlsx yang dapat dibaca ({exc})"
        ) from None
    meta = {}
    if SHEET_META in wb.sheetnames:
        meta = {str(r[0].value): str(r[1].value) for r in wb[SHEET_META].iter_rows(max_col=2)}
    if meta.get("kode_pemda") != kode_pemda or meta.get("tahun") != str(year):
        raise LkjError(
            f"{display_path(path)}: bukan formulir IKU {kode_pemda} tahun {year} "
            f"(formulir untuk {meta.get('kode_pemda', '?')} tahun {meta.get('tahun', '?')})"
        )
    sheet = wb[SHEET]
    cells = {}
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        kode = row[0].value
        if kode not in (None, ""):
            cell = row[len(COLUMNS) - 1]
            cells[str(kode)] = (cell.coordinate, cell.value)
    return cells


def collect_iku_form(pemda_dir: Path, kode_pemda: str, year: int, forms_dir: Path) -> IkuCollect:
    """Read the filled IKU form of ``year`` from ``forms_dir`` into kinerja_iku.csv."""
    path = forms_dir / iku_form_name(kode_pemda, year)
    result = IkuCollect(path)
    if not path.is_file():
        result.missing = True
        return result
    cells = _read(path, kode_pemda, year)
    table = _kinerja(pemda_dir)
    k, t, r = (table.index(c) for c in ("kode_iku", "tahun", "realisasi"))
    changed = False
    for row in table.rows:
        if row[t].strip() != str(year) or row[k] not in cells:
            continue
        ref, value = cells[row[k]]
        where = f"{path.name}, sheet {SHEET}, sel {ref} (IKU {row[k]}, realisasi)"
        if value is None or str(value).strip() == "":
            result.empty.append(where)
            continue
        number = value if isinstance(value, (int, float)) else parse_number(str(value))
        if isinstance(number, bool) or number is None or number < 0:
            result.problems.append(f"{where}: diharapkan angka >= 0, ditemukan {value!r}")
            continue
        text = format_number(float(number))
        if row[r] != text:
            row[r] = text
            changed = True
        result.saved += 1
    if changed:
        table.write()
    return result
