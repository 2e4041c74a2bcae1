"""Collecting the filled forms of a year into data/raw/YEAR (``collect_forms``).

It reports missing forms, empty cells and invalid cells (file, sheet, cell, sub kegiatan
code), and writes the valid values into data/raw/YEAR/sub_kegiatan.csv and
kinerja_indikator.csv. An empty cell never erases a value already collected; a changed value
overwrites and is reported; the files are replaced atomically and only if something changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.data.forms.layout import SUB_COLUMNS, FormsError, Key
from lkj.data.forms.raw_csv import CsvTable, format_number, parse_number
from lkj.data.forms.read import FormCell, FormReading, _same, read_form
from lkj.data.forms.year import YearData, load_year
from lkj.data.sources import display_path


class CollectIncomplete(LkjError):
    """Collect saved the valid values, but forms are missing or cells are empty or invalid."""


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
        lines = [f"Formulir {y} dari {display_path(self.forms_dir)}:"]
        for form in self.forms:
            filled = sum(c.value is not None for c in form.cells)
            new = sum(1 for c in self.changes if c.source.path == form.path and not c.old)
            changed = sum(1 for c in self.changes if c.source.path == form.path and c.old)
            bad = sum(1 for p in form.problems)
            lines.append(
                f"  {form.path.name} ({form.unit!r}): {filled} sel terisi, {new} nilai baru, "
                f"{changed} diubah, {bad} salah"
            )
        if self.missing:
            lines.append(f"Formulir TIDAK ADA ({len(self.missing)} unit kerja):")
            lines += [f"  {u!r}" for u in self.missing]
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
            names = ", ".join(display_path(p) for p in self.written)
            lines.append(f"Disimpan: {len(self.changes)} nilai ke {names}")
        else:
            lines.append(
                f"Tidak ada perubahan: {display_path(self.raw_dir)} sudah memuat semua nilai "
                "formulir."
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


def _read_forms(forms_dir: Path, data: YearData, result: CollectResult) -> None:
    """Every form in ``forms_dir`` read into ``result``; a file that is no form of lkj is
    skipped with a note."""
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


def _forms_by_unit(result: CollectResult, data: YearData) -> dict[str, list[FormReading]]:
    """The forms read, by unit: several forms of one unit are noted (and merged), a unit
    without a form is missing."""
    by_unit: dict[str, list[FormReading]] = {}
    for form in result.forms:
        by_unit.setdefault(form.unit, []).append(form)
    for unit, forms in by_unit.items():
        if len(forms) > 1:
            names = ", ".join(f.path.name for f in forms)
            result.notes.append(
                f"Catatan: {len(forms)} formulir untuk {unit!r} ({names}); digabung"
            )
    result.missing = [u.name for u in data.units if u.name not in by_unit]
    return by_unit


def _find_changes(
    result: CollectResult, data: YearData, by_unit: dict[str, list[FormReading]]
) -> int:
    """The values to write (``result.changes``), the cells left empty and the forms that
    disagree; returns how many empty cells keep a value already collected."""
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
    by_quarters = _from_quarters(data.year_dir)
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
                    f"{display_path(c.path)} sel {c.ref} = {format_number(c.value)}" for c in filled
                )
                result.problems.append(
                    f"nilai berbeda untuk {key[0]} {key[1]} {key[2]}: {shown}; tidak disimpan"
                )
                continue
            if not filled:
                if key in invalid_keys or not found:
                    continue
                if data.current.get(key) is not None:
                    kept += 1
                elif key[1] not in by_quarters.get((key[0], key[2]), ()):
                    # empty, and no four quarters stand for it (data/raw/README.md)
                    result.empty.append(f"{found[0].where()}: kosong")
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
    return kept


def _from_quarters(year_dir: Path) -> dict[tuple[str, str], set[str]]:
    """(table, column) -> the codes whose yearly realisation four quarters give: their
    yearly cell may stay empty (``lkj.data.validate.quarter_codes``)."""
    import pandas as pd

    from lkj.data.validate import quarter_codes

    frames = {
        name: pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for name in ("triwulan_sub_kegiatan", "triwulan_indikator")
        if (path := year_dir / f"{name}.csv").is_file()
    }
    return quarter_codes(frames) if frames else {}


def _save(result: CollectResult, data: YearData) -> None:
    """The changed values written into their CSV files, each replaced once."""
    touched: set[str] = set()
    for change in result.changes:
        table, _code, column = change.key
        csv_table = data.csv[table]
        csv_table.rows[data.rows[change.key]][csv_table.index(column)] = change.new
        touched.add(table)
    for table in sorted(touched):
        data.csv[table].write()
        result.written.append(data.csv[table].path)


def _lra_still_empty(result: CollectResult, data: YearData) -> None:
    """lra.csv's empty realisasi_rp (the maintainer enters it, not the forms), noted."""
    lra = data.year_dir / "lra.csv"
    if lra.is_file():
        table = CsvTable.read(lra)
        pos = table.index("realisasi_rp")
        empty = sum(parse_number(r[pos]) is None for r in table.rows if any(r))
        if empty:
            result.still_empty.append(f"{display_path(lra)}: realisasi_rp kosong di {empty} baris")


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
            f"folder formulir {display_path(forms_dir)} tidak ada; tulis formulir dengan "
            f"make forms YEAR={year}, atau beri --dir"
        )
    result = CollectResult(year, forms_dir, data.year_dir)
    _read_forms(forms_dir, data, result)
    by_unit = _forms_by_unit(result, data)
    kept = _find_changes(result, data, by_unit)
    if kept:
        result.notes.append(
            f"Catatan: {kept} sel kosong di formulir; nilai yang sudah ada di data/raw/{year} "
            "dipertahankan"
        )
    _save(result, data)
    _lra_still_empty(result, data)
    return result
