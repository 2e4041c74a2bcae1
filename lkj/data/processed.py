"""The processed tables: the one writer of tidy CSV copies (data/processed/YEAR), their reader
(codes and texts kept as text), and the raw tables as one .xlsx workbook.

Writing is byte-for-byte reproducible: every number by the one writer of
``lkj.core.numbers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lkj.core import numbers
from lkj.data.schema import NUMERIC_TYPES, TABLES, TABLES_BY_NAME
from lkj.data.sheets import text_only
from lkj.data.sources import RawData


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every number column written by the one writer (``lkj.core.numbers.write_number``)."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            out[column] = [numbers.write_number(v) for v in out[column]]
    return out


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path | str) -> list[Path]:
    """Write tables as UTF-8 CSV files, byte-for-byte reproducible.

    Args:
        tables: name to DataFrame.
        out_dir: the folder (created if needed).

    Returns:
        The files written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        _as_text(frame).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


# Text columns, so that an empty cell reads back as "" (not NaN, which a page would show as
# "nan") and "007" stays "007": every text column of the contract (a name that is a number
# in some table, like angka_tertulis.nilai, is left to its table) and the computed ones.
_NUMERIC_NAMES = {f.name for t in TABLES for f in t.fields if f.type in NUMERIC_TYPES}
RAW_TEXT_COLUMNS = {
    f.name for t in TABLES for f in t.fields if f.type not in NUMERIC_TYPES
} - _NUMERIC_NAMES
RESULT_TEXT_COLUMNS = {"uraian", "sumber", "predikat"}

# The yearly figures computed from four quarters (``lkj.analysis.triwulan_tahun``), with the
# typed figure each replaced: written by ingest only for a year with quarterly data.
QUARTER_YEAR_TABLE = "realisasi_dari_triwulan"
QUARTER_YEAR_COLUMNS = (
    "entitas", "kode_entitas", "tahun", "ukuran", "tertulis", "dihitung", "selisih"
)  # fmt: skip
_QUARTER_YEAR_TARGET = {
    "sub_kegiatan": ("sub_kegiatan", "kode_sub_kegiatan"),
    "indikator": ("kinerja_indikator", "kode_indikator"),
}


def read_processed(name: str, processed_dir: Path | str) -> pd.DataFrame:
    """Read a table written by ``write_tables`` back, codes and texts kept as text.

    Args:
        name: the table name (a raw table or a computed ``capaian_*`` table).
        processed_dir: data/processed/YEAR (or the pipeline's staging copy).

    Returns:
        The table; empty text cells are "".
    """
    path = Path(processed_dir) / f"{name}.csv"
    header = pd.read_csv(path, nrows=0).columns
    if name in TABLES_BY_NAME:
        text = {f.name for f in TABLES_BY_NAME[name].fields if f.type not in NUMERIC_TYPES}
    else:  # a computed table: raw text columns it carries, and its own text columns
        text = {c for c in header if c in RAW_TEXT_COLUMNS or c in RESULT_TEXT_COLUMNS}
        text |= {c for c in header if c.startswith(("kategori_", "warna_", "predikat"))}
    text |= {c for c in header if c.startswith("kode_")}
    frame = pd.read_csv(path, dtype={c: str for c in text}, keep_default_na=False, na_values=[""])
    for column in text:
        frame[column] = frame[column].fillna("")
    return frame


def read_processed_tables(processed_dir: Path | str) -> dict[str, pd.DataFrame]:
    """Every table in a processed folder, by name."""
    return {
        p.stem: read_processed(p.stem, processed_dir)
        for p in sorted(Path(processed_dir).glob("*.csv"))
    }


def contract_tables(processed: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The raw tables among processed ones (``read_processed_tables``), with the column types
    ``read_raw`` gives them: whole-number columns nullable ``Int64``, decimals ``float64``
    (a CSV reads a whole-number column back as int64, or float64 with an empty cell).

    Args:
        processed: tables by name; computed ones (``capaian_*``, ``riwayat_*``) are left out.

    Returns:
        The raw tables of the contract, by name, as typed: a yearly realisation ingest
        computed from the quarters (:data:`QUARTER_YEAR_TABLE`) carries its typed figure.
    """
    out = {}
    for table in TABLES:
        if table.name not in processed:
            continue
        frame = processed[table.name].copy()
        for fld in table.fields:
            if fld.name in frame.columns and fld.type in NUMERIC_TYPES:
                whole = fld.type in ("bulat", "tahun")
                frame[fld.name] = frame[fld.name].astype("Int64" if whole else "float64")
        out[table.name] = frame
    return _typed_back(out, processed.get(QUARTER_YEAR_TABLE))


def _typed_back(
    tables: dict[str, pd.DataFrame], record: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    """The typed yearly figures put back where ingest computed them from the quarters (the
    record :data:`QUARTER_YEAR_TABLE`): the data as the agency typed it."""
    if record is None or record.empty:
        return tables
    for r in record.itertuples():
        name, key = _QUARTER_YEAR_TARGET[r.entitas]
        frame = tables[name]
        rows = frame[key] == r.kode_entitas
        if name == "kinerja_indikator":
            rows &= frame["tahun"] == r.tahun
        frame.loc[rows, r.ukuran] = r.tertulis
    return tables


def write_workbook(raw: RawData | Mapping[str, pd.DataFrame], path: Path | str) -> Path:
    """Write the raw tables of a year as one .xlsx workbook, a sheet per table.

    Args:
        raw: the validated tables (``read_raw``, or ``contract_tables`` of the processed
            folder ingest wrote them to).
        path: the .xlsx file to write.

    Returns:
        The path written. Text is written as text (``lkj.data.sheets``): a name beginning
        with ``=`` is a string cell, never a formula, and reads back as written.
    """
    path = Path(path)
    tables = raw.tables if isinstance(raw, RawData) else raw
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for table in TABLES:
            if table.name in tables:
                tables[table.name].to_excel(writer, sheet_name=table.name, index=False)
                text_only(writer.sheets[table.name])
    return path
