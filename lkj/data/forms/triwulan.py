"""Forms for one triwulan: ``make forms YEAR=2023 TW=2`` and ``make collect YEAR=2023 TW=2``.

One .xlsx per unit kerja in outputs/forms/YEAR-twQ/ (``formulir_YEAR_twQ_<unit>.xlsx``), laid
out, protected and validated like the yearly forms (``lkj.data.forms.write``): sheet *Sub
Kegiatan* (plan and realisation of fisik and anggaran in quarter Q) and sheet *Indikator*
(plan and realisation of each indikator in quarter Q), input cells pre-filled with what
data/raw/YEAR already holds for Q. The sheet *Petunjuk* prints the quarter's deadline
(``deadline``: [batas_waktu] of config/lke.toml) and lists the realisation cells still empty
(``empty_cells``: sheet, cell, code, column). Collect writes the rows of quarter Q of
triwulan_sub_kegiatan.csv and triwulan_indikator.csv (created with the contract's columns if
absent): the rows of the other quarters are left byte for byte as they were; an empty cell
never erases a value; two forms that disagree on a cell are reported, not saved.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from lkj.data.forms.layout import (
    FORM_VERSION,
    PASSWORD,
    SHEET_IND,
    SHEET_META,
    SHEET_SUB,
    FormColumn,
    FormsError,
    Key,
)
from lkj.data.forms.raw_csv import CsvTable, format_number, parse_number
from lkj.data.forms.read import FormReading, _meta, _read_sheet, open_form
from lkj.data.forms.write import _data_sheet, _protect
from lkj.data.forms.year import Unit, YearData, load_year
from lkj.data.schema import TABLES_BY_NAME
from lkj.data.sources import display_path

QUARTER_FORM_KIND = "formulir-lkj-triwulan"
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
SUB_TABLE, IND_TABLE = "triwulan_sub_kegiatan", "triwulan_indikator"
CODE = {SUB_TABLE: "kode_sub_kegiatan", IND_TABLE: "kode_indikator"}


def sub_columns(tw: int) -> tuple[FormColumn, ...]:
    """The columns of the sheet Sub Kegiatan of quarter ``tw``."""
    q = ROMAWI[tw]
    return (
        FormColumn("kode_sub_kegiatan", "Kode", 11),
        FormColumn("nama_sub_kegiatan", "Nama Sub Kegiatan", 50),
        FormColumn("satuan", "Satuan", 12),
        FormColumn("target_fisik", "Target Fisik Tahun", 11, "desimal"),
        FormColumn("anggaran_rp", "Anggaran (Rp)", 17, "bulat"),
        FormColumn("rencana_fisik", f"Rencana Fisik TW {q}", 12, "desimal", fill=True),
        FormColumn("realisasi_fisik", f"Realisasi Fisik TW {q}", 12, "desimal", fill=True),
        FormColumn("rencana_anggaran_rp", f"Rencana Anggaran TW {q} (Rp)", 18, "bulat", True),
        FormColumn("realisasi_anggaran_rp", f"Realisasi Anggaran TW {q} (Rp)", 18, "bulat", True),
    )


def ind_columns(year: int, tw: int) -> tuple[FormColumn, ...]:
    """The columns of the sheet Indikator of quarter ``tw``."""
    q = ROMAWI[tw]
    return (
        FormColumn("kode_indikator", "Kode", 8),
        FormColumn("uraian_indikator", "Indikator Kinerja", 50),
        FormColumn("satuan", "Satuan", 10),
        FormColumn("target", f"Target {year}", 11, "desimal"),
        FormColumn("rencana", f"Rencana TW {q}", 12, "desimal", fill=True),
        FormColumn("realisasi", f"Realisasi TW {q}", 12, "desimal", fill=True),
        FormColumn("keterangan", "Keterangan", 34),
    )


@dataclass
class QuarterData:
    """The year's forms data (``load_year``) and the values of quarter ``tw`` already held."""

    year: YearData
    tw: int
    current: dict[Key, float | None]

    def info(self, key: str) -> str:
        """A value of instansi."""
        return self.year.info(key)


def _quarter_values(year_dir: Path, tw: int) -> dict[Key, float | None]:
    current: dict[Key, float | None] = {}
    for table in (SUB_TABLE, IND_TABLE):
        path = year_dir / f"{table}.csv"
        if not path.is_file():
            continue
        csv_table = CsvTable.read(path)
        code_pos, tw_pos = csv_table.index(CODE[table]), csv_table.index("triwulan")
        for row in csv_table.rows:
            if row[tw_pos].strip() != str(tw):
                continue
            for column in TABLES_BY_NAME[table].columns[2:]:
                text = row[csv_table.index(column)].strip()
                current[(table, row[code_pos].strip(), column)] = parse_number(text)
    return current


def load_quarter(year: int, tw: int, raw_root: Path | str = Path("data/raw")) -> QuarterData:
    """data/raw/YEAR for the forms of quarter ``tw``.

    Raises:
        FormsError: ``tw`` is not 1..4, the year is missing or in a workbook.
        DataErrors: the structure breaks the data contract.
    """
    if tw not in ROMAWI:
        raise FormsError(f"triwulan harus 1, 2, 3 atau 4, bukan {tw}")
    data = load_year(year, raw_root)
    for table in (SUB_TABLE, IND_TABLE):
        if table in data.tables and not (data.year_dir / f"{table}.csv").is_file():
            raise FormsError(f"{table} ada di workbook; formulir triwulan memerlukan {table}.csv")
    return QuarterData(data, tw, _quarter_values(data.year_dir, tw))


REQUIRED = {SUB_TABLE: ("realisasi_fisik", "realisasi_anggaran_rp"), IND_TABLE: ("realisasi",)}


@dataclass(frozen=True)
class EmptyCell:
    """A realisation cell of a quarter's form that holds no value yet."""

    sheet: str
    cell: str  # e.g. "H7"
    code: str
    column: str  # the contract's column, e.g. realisasi_fisik
    header: str  # the form's header, e.g. "Realisasi Fisik TW II"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} ({self.code}, {self.header})"


def empty_cells(q: QuarterData, unit: Unit) -> list[EmptyCell]:
    """The realisation cells of ``unit``'s form of quarter ``q.tw`` still empty in
    data/raw/YEAR (the plan columns are optional and not listed), sheet by sheet, row by row."""
    from openpyxl.utils import get_column_letter

    from lkj.data.forms.layout import FIRST_ROW

    parts = [(SHEET_SUB, sub_columns(q.tw), SUB_TABLE, unit.sub_kegiatan["kode_sub_kegiatan"])]
    if len(unit.indikator):
        parts.append((SHEET_IND, ind_columns(q.year.year, q.tw), IND_TABLE,
                      unit.indikator["kode_indikator"]))  # fmt: skip
    out = []
    for sheet, columns, table, codes in parts:
        for i, code in enumerate(codes):
            for j, col in enumerate(columns, start=1):
                if (
                    col.key in REQUIRED[table]
                    and q.current.get((table, str(code), col.key)) is None
                ):
                    cell = f"{get_column_letter(j)}{FIRST_ROW + i}"
                    out.append(EmptyCell(sheet, cell, str(code), col.key, col.header))
    return out


def deadline(year: int, tw: int) -> str:
    """The quarter's deadline as the forms print it: "14 Juli 2023 (14 hari setelah akhir
    triwulan II; ...)", from [batas_waktu] of config/lke.toml (``lkj.core.lke``)."""
    from lkj.core.lke import batas_triwulan, format_tanggal, load_lke

    lke = load_lke()
    when = format_tanggal(batas_triwulan(year, tw, lke))
    basis = f"; {lke.dasar_triwulan}" if lke.dasar_triwulan else ""
    return f"{when} ({lke.hari_triwulan} hari setelah akhir triwulan {ROMAWI[tw]}{basis})"


def form_name(year: int, tw: int, unit: Unit) -> str:
    """``formulir_2023_tw2_<slug>.xlsx``."""
    return f"formulir_{year}_tw{tw}_{unit.slug}.xlsx"


def _write_form(path: Path, q: QuarterData, unit: Unit) -> None:
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    y, tw = q.year.year, q.tw
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = "Petunjuk"
    for r, line in enumerate(
        [
            f"Formulir realisasi TRIWULAN {ROMAWI[tw]} tahun {y}: {unit.name}",
            "Isi hanya sel KUNING dengan angka triwulan ini SAJA (bukan kumulatif).",
            "Indikator tingkat (persentase): isi nilai pada akhir triwulan.",
            "Sel kosong tidak menghapus nilai yang sudah dikumpulkan.",
            f"Kembalikan ke pengelola data; dikumpulkan dengan make collect YEAR={y} TW={tw}.",
            f"Batas waktu laporan triwulan {ROMAWI[tw]}: {deadline(y, tw)}.",
        ],
        start=1,
    ):
        help_ws.cell(r, 1, line)
    gaps = empty_cells(q, unit)
    r += 2
    help_ws.cell(r, 1, f"Sel realisasi yang masih kosong: {len(gaps)}")
    for gap in gaps:
        r += 1
        help_ws.cell(r, 1, str(gap))
    heading = [
        f"Formulir Realisasi Sub Kegiatan Triwulan {ROMAWI[tw]} Tahun {y}",
        f"Unit kerja: {unit.name}",
        " ".join(p for p in (q.info("nama_instansi"), q.info("kabupaten")) if p),
        "Isi hanya sel KUNING: angka triwulan ini saja, tanpa pemisah ribuan.",
    ]
    _data_sheet(wb, SHEET_SUB, heading, sub_columns(tw), unit.sub_kegiatan,
                "kode_sub_kegiatan", SUB_TABLE, q)  # fmt: skip
    if len(unit.indikator):
        heading[0] = f"Formulir Realisasi Indikator Triwulan {ROMAWI[tw]} Tahun {y}"
        _data_sheet(wb, SHEET_IND, heading, ind_columns(y, tw), unit.indikator,
                    "kode_indikator", IND_TABLE, q)  # fmt: skip
    meta = wb.create_sheet(SHEET_META)
    facts = [("jenis", QUARTER_FORM_KIND), ("versi", FORM_VERSION), ("tahun", y),
             ("triwulan", tw), ("unit_kerja", unit.name)]  # fmt: skip
    for r, (k, v) in enumerate(facts, start=1):
        meta.cell(r, 1, k)
        meta.cell(r, 2, v)
    meta.sheet_state = "veryHidden"
    _protect(meta)
    wb.properties.creator = "lkj"
    wb.properties.created = dt.datetime(y, 1, 1)
    wb.security = WorkbookProtection(workbookPassword=PASSWORD, lockStructure=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_quarter_forms(
    year: int, tw: int, raw_root: Path | str = Path("data/raw"), out_dir: Path | str | None = None
) -> list[Path]:
    """Write one form of quarter ``tw`` per unit kerja (default outputs/forms/YEAR-twTW).

    Raises:
        FormsError: a form already there (collect it, or remove it, first).
        DataErrors: the year's structure breaks the data contract.
    """
    q = load_quarter(year, tw, raw_root)
    out = Path(out_dir) if out_dir else Path("outputs") / "forms" / f"{year}-tw{tw}"
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / form_name(year, tw, u) for u in q.year.units]
    there = [display_path(p) for p in paths if p.exists()]
    if there:
        raise FormsError(
            "formulir sudah ada (kumpulkan dulu dengan make collect, lalu hapus): "
            + ", ".join(there)
        )
    for path, unit in zip(paths, q.year.units, strict=True):
        _write_form(path, q, unit)
    return paths


@dataclass
class QuarterCollect:
    """What collect of one quarter read, saved and found wrong."""

    forms: int = 0
    saved: int = 0
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    kosong: list[str] = field(default_factory=list)  # realisation cells still empty after it


def _read(path: Path, q: QuarterData) -> FormReading:
    values, formulas = open_form(path)
    meta = _meta(values)
    if meta.get("jenis") != QUARTER_FORM_KIND:
        raise FormsError(f"{display_path(path)}: bukan formulir triwulan lkj")
    if (meta.get("tahun"), meta.get("triwulan")) != (str(q.year.year), str(q.tw)):
        raise FormsError(
            f"{display_path(path)}: formulir tahun {meta.get('tahun')} triwulan "
            f"{meta.get('triwulan')}, bukan tahun {q.year.year} triwulan {q.tw}"
        )
    unit = q.year.unit(meta.get("unit_kerja", ""))
    if unit is None:
        raise FormsError(f"{display_path(path)}: unit kerja {meta.get('unit_kerja')!r} tidak ada")
    reading = FormReading(path, unit.name)
    parts = [
        (SHEET_SUB, sub_columns(q.tw), SUB_TABLE, list(unit.sub_kegiatan["kode_sub_kegiatan"]))
    ]
    if len(unit.indikator):
        parts.append((SHEET_IND, ind_columns(q.year.year, q.tw), IND_TABLE,
                      list(unit.indikator["kode_indikator"])))  # fmt: skip
    for sheet, columns, table, expected in parts:
        if sheet not in values.sheetnames:
            reading.problems.append(f"{display_path(path)}: sheet {sheet!r} tidak ada")
            continue
        _read_sheet(reading, values[sheet], formulas.sheet(sheet), columns, table, expected)
    return reading


def _save(q: QuarterData, values: dict[Key, float], result: QuarterCollect) -> None:
    """Write quarter ``q.tw``'s values into its rows (appended when missing); other rows are
    written back exactly as they were read."""
    kinds = {c.key: c.kind for c in (*sub_columns(q.tw), *ind_columns(q.year.year, q.tw))}
    for table in (SUB_TABLE, IND_TABLE):
        mine = {k: v for k, v in values.items() if k[0] == table}
        if not mine:
            continue
        path = q.year.year_dir / f"{table}.csv"
        columns = TABLES_BY_NAME[table].columns
        csv_table = CsvTable.read(path) if path.is_file() else CsvTable(path, list(columns), [])
        code_pos, tw_pos = csv_table.index(CODE[table]), csv_table.index("triwulan")
        at = {
            r[code_pos].strip(): i
            for i, r in enumerate(csv_table.rows)
            if r[tw_pos].strip() == str(q.tw)
        }
        changed = 0
        for (_, code, column), value in sorted(mine.items()):
            if code not in at:
                row = [""] * len(csv_table.header)
                row[code_pos], row[tw_pos] = code, str(q.tw)
                csv_table.rows.append(row)
                at[code] = len(csv_table.rows) - 1
            text = format_number(value, kinds[column])
            row = csv_table.rows[at[code]]
            if row[csv_table.index(column)].strip() != text:
                row[csv_table.index(column)] = text
                changed += 1
        if changed:
            csv_table.write()
            result.written.append(path)
            result.saved += changed


def collect_quarter_forms(
    year: int, tw: int, raw_root: Path | str = Path("data/raw"), forms_dir: Path | str | None = None
) -> QuarterCollect:
    """Read the filled forms of quarter ``tw`` into data/raw/YEAR (its rows only).

    Returns:
        What was read and saved; the problems (file, sheet, cell) and the missing units.

    Raises:
        FormsError: the forms folder does not exist.
    """
    q = load_quarter(year, tw, raw_root)
    folder = Path(forms_dir) if forms_dir else Path("outputs") / "forms" / f"{year}-tw{tw}"
    if not folder.is_dir():
        raise FormsError(f"folder formulir {display_path(folder)} tidak ada (make forms TW={tw})")
    result = QuarterCollect()
    found: dict[Key, set[str]] = {}
    values: dict[Key, float] = {}
    units = set()
    for path in sorted(folder.glob("*.xlsx")):
        if path.name.startswith(("~$", ".")):
            continue
        try:
            reading = _read(path, q)
        except FormsError as exc:
            result.problems.append(str(exc))
            continue
        result.forms += 1
        units.add(reading.unit)
        result.problems += reading.problems
        for cell in reading.cells:
            if cell.value is not None:
                found.setdefault(cell.key, set()).add(format_number(cell.value))
                values[cell.key] = cell.value
    for key, seen in found.items():
        if len(seen) > 1:
            result.problems.append(
                f"nilai berbeda untuk {' '.join(key)}: {', '.join(sorted(seen))}"
            )
            values.pop(key)
    result.missing = [u.name for u in q.year.units if u.name not in units]
    _save(q, values, result)
    after = load_quarter(year, tw, raw_root) if result.saved else q
    for unit in after.year.units:
        name = form_name(year, tw, unit)
        result.kosong += [f"{name} {gap}" for gap in empty_cells(after, unit)]
    return result
