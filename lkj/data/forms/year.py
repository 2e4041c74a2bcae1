"""The year's data as the forms see it: data/raw/YEAR with its structure validated (the
realisation cells may still be empty), its unit kerja and what each one's form holds, the
values already collected, and the CSV files collect writes into.

The structure is validated with ``lkj.data.ingest.read_raw`` on a copy whose empty
realisation cells are set to 0; its messages name the real files.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lkj.core.errors import DataError, DataErrors
from lkj.data.forms.layout import REALISATION, SUB_COLUMNS, FormsError, Key
from lkj.data.forms.raw_csv import CsvTable, parse_number
from lkj.data.ingest import read_raw
from lkj.data.sources import display_path


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
    shown_copy, shown_real = display_path(copy_dir), display_path(year_dir)
    return DataError(
        display_path(year_dir / Path(error.file).name),
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
            f"{display_path(year_dir)} tidak ada; buat dulu tahun itu: make new-year YEAR={year}"
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
