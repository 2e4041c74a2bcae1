"""Ingest: read the raw tables of a year, validate them against the contract, write tidy copies.

Takes data/raw/YEAR/ (CSV files, or one .xlsx workbook with a sheet per table) and gives a
``RawData`` of typed DataFrames, or raises ``DataErrors`` naming file, sheet, row and column
of every problem. Rows are numbered as a spreadsheet shows them: the header is row 1, so the
first data row is row 2 (for a CSV file that is also its line number).
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lkj.core import numbers
from lkj.core.errors import DataError, DataErrors
from lkj.data.schema import NUMERIC_TYPES, TABLES, TABLES_BY_NAME, Table

HEADER_ROWS = 1
# The number rule (one reader for the whole project) lives in lkj.core.numbers.
MAX_NUMBER = numbers.MAX_NUMBER
MIN_NONZERO = numbers.MIN_NONZERO


@dataclass
class Source:
    """Where one table comes from."""

    path: Path
    sheet: str | None = None

    def describe(self) -> str:
        """The file as the user knows it (relative to the working directory if possible)."""
        return _display(self.path)


@dataclass
class RawData:
    """The validated raw tables of one year."""

    year: int
    tables: dict[str, pd.DataFrame]
    sources: dict[str, Source] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def input_files(self) -> list[Path]:
        """Every file the tables were read from, sorted."""
        return sorted({s.path for s in self.sources.values()})


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def locate_sources(year_dir: Path, contract: tuple[Table, ...] = TABLES) -> dict[str, Source]:
    """Find where each table of the contract is: ``<table>.csv`` or a sheet of the workbook.

    Args:
        year_dir: data/raw/YEAR (or any folder holding the tables of ``contract``).
        contract: the tables to look for (default: the yearly tables of ``lkj.data.schema``).

    Returns:
        Table name to source, for the tables found.
    """
    year_dir = Path(year_dir)
    if not year_dir.is_dir():
        raise DataError(_display(year_dir), "folder data mentah tahun ini tidak ditemukan")
    found: dict[str, Source] = {}
    by_name = {t.name: t for t in contract}
    for table in contract:
        csv = year_dir / f"{table.name}.csv"
        if csv.is_file():
            found[table.name] = Source(csv)
    workbooks = sorted(p for p in year_dir.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        raise DataError(_display(year_dir), f"lebih dari satu workbook ({names}); sisakan satu")
    if workbooks:
        book = workbooks[0]
        try:
            sheets = pd.ExcelFile(book, engine="openpyxl").sheet_names
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise DataError(
                _display(book), f"bukan workbook .xlsx yang dapat dibaca ({exc})"
            ) from None
        for sheet in sheets:
            if sheet in by_name:
                if sheet in found:
                    raise DataError(
                        _display(book),
                        f"tabel {sheet} ada dua kali: sebagai sheet dan sebagai "
                        f"{found[sheet].describe()}; hapus salah satu",
                        sheet=sheet,
                    )
                found[sheet] = Source(book, sheet)
    missing = [t.name for t in contract if t.required and t.name not in found]
    if missing:
        raise DataErrors(
            [
                DataError(
                    _display(year_dir / f"{name}.csv"),
                    "file tidak ditemukan (wajib menurut data/raw/README.md; boleh juga sebagai "
                    f"sheet '{name}' dalam workbook .xlsx)",
                )
                for name in missing
            ]
        )
    return found


def _decode_csv(source: Source) -> str:
    """The text of a CSV file: UTF-8 (a BOM allowed), no NUL characters."""
    data = source.path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            source.describe(),
            f"bukan teks UTF-8 (byte {data[exc.start : exc.start + 1]!r} di baris {line}); "
            "simpan ulang sebagai 'CSV UTF-8'",
        ) from None
    if "\x00" in text:  # the CSV reader would silently cut the cell there
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(
            source.describe(), f"berisi karakter NUL (byte 0) di baris {line}: bukan file teks"
        )
    return text


def _sheet_cell_text(value: object) -> str:
    """A workbook cell as text: a number typed as a number is written by the one writer
    (``lkj.core.numbers.write_number``: as Excel shows it, 15 significant digits, decimal point),
    so the one reader reads it back to the value the sheet shows."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return numbers.write_number(value)
    return str(value)


def _read_text_table(source: Source) -> pd.DataFrame:
    """The table as text cells, trimmed, with the header row as column names.

    Every way a file can be unreadable ends in a ``DataError`` naming it: not UTF-8, no
    header, a quote never closed, a row with more cells than the header, a broken workbook.
    """
    where = source.describe()
    try:
        if source.sheet is None:
            text = _decode_csv(source)
            # header=None: a row longer than the header is an error (with a header, pandas
            # would silently take its first cell as the row label and shift the others).
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                header=None,
                keep_default_na=False,
                na_filter=False,
            )
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl: data validation extension etc.
                frame = pd.read_excel(
                    source.path,
                    sheet_name=source.sheet,
                    dtype=object,
                    header=None,
                    engine="openpyxl",
                )
            frame = frame.map(_sheet_cell_text)
        frame = frame.fillna("")
    except pd.errors.EmptyDataError:
        raise DataError(
            where, "file kosong: baris judul kolom tidak ada", sheet=source.sheet
        ) from None
    except pd.errors.ParserError as exc:
        detail = str(exc).replace("Error tokenizing data. C error: ", "")
        raise DataError(
            where,
            "CSV tidak dapat dibaca (tanda kutip tidak ditutup, atau baris dengan sel lebih "
            f"banyak daripada judul kolom?): {detail}",
            sheet=source.sheet,
        ) from None
    except DataError:
        raise
    except Exception as exc:  # openpyxl and the csv engine raise many types for a broken file
        raise DataError(
            where,
            f"file tidak dapat dibaca ({type(exc).__name__}: {exc})",
            sheet=source.sheet,
        ) from None
    if frame.empty:
        raise DataError(where, "file kosong: baris judul kolom tidak ada", sheet=source.sheet)
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else str(v).strip())
    header = list(frame.iloc[0])
    frame = frame.iloc[1:]
    frame.index = range(len(frame))  # row i of the data is spreadsheet row i + 2
    frame.columns = header
    # Rows left entirely empty (common at the end of a sheet) are not data.
    return frame[(frame != "").any(axis=1)]


def _header_errors(frame: pd.DataFrame, table: Table, source: Source) -> list[DataError]:
    """A contract column named twice: which one holds the data would be a guess."""
    names = list(frame.columns)
    return [
        DataError(
            source.describe(),
            "kolom ganda: judul kolom ini ada lebih dari sekali; sisakan satu",
            row=HEADER_ROWS,
            column=name,
            sheet=source.sheet,
        )
        for name in table.columns
        if names.count(name) > 1
    ]


def _row(index: int) -> int:
    return int(index) + HEADER_ROWS + 1


def parse_number(text: object) -> tuple[float | None, str | None]:
    """Read one cell of a number column, strictly (the rule of ``lkj.core.numbers``).

    Args:
        text: the cell: trimmed text ("" for an empty cell), or a number typed as a number in
            a workbook.

    Returns:
        (value, None) for a readable number (None for an empty cell, 0 for a lone dash), or
        (None, problem) with the problem in words for the user.
    """
    try:
        value = numbers.read_cell(text)
    except numbers.NumberProblem as exc:
        return None, str(exc)
    return (None if value is None else float(value)), None


def _parse_numbers(
    frame: pd.DataFrame, table: Table, source: Source
) -> tuple[pd.DataFrame, list[DataError]]:
    errors: list[DataError] = []
    frame = frame.copy()
    for fld in table.fields:
        if fld.name not in frame.columns or fld.type not in NUMERIC_TYPES:
            continue
        whole = fld.type in ("bulat", "tahun")
        values: list[float | int | None] = []
        for idx, cell in frame[fld.name].items():
            value, problem = parse_number(cell)
            if problem is None and value is not None and whole and not value.is_integer():
                problem = f"diharapkan bilangan bulat, ditemukan {cell!r}"
                if re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", str(cell)):
                    problem += f": titik sebagai pemisah ribuan? tulis {str(cell).replace('.', '')}"
            if problem is not None:
                value = None
                errors.append(
                    DataError(
                        source.describe(),
                        problem,
                        row=_row(idx),
                        column=fld.name,
                        sheet=source.sheet,
                    )
                )
            values.append(None if value is None else int(value) if whole else value)
        dtype = "Int64" if whole else "float64"
        frame[fld.name] = pd.Series(
            [pd.NA if v is None else v for v in values] if whole else values,
            index=frame.index,
            dtype=dtype,
        )
    return frame, errors


_CHECK_TEXT = {
    "not_nullable": "wajib diisi, sel kosong",
    "field_uniqueness": "kode ganda: nilai ini sudah dipakai di baris lain",
    "isin": "nilai tidak dikenal",
}


def _describe_check(check: str, fld_min: float | None, choices: tuple[str, ...]) -> str:
    if check.startswith("greater_than_or_equal_to"):
        return f"diharapkan angka ≥ {fld_min:g}"
    if check.startswith("isin"):
        return "diharapkan salah satu dari: " + ", ".join(choices)
    if check.startswith("in_range"):
        return "diharapkan tahun antara 1990 dan 2100"
    return _CHECK_TEXT.get(check, check)


def _validate_table(frame: pd.DataFrame, table: Table, source: Source) -> list[DataError]:
    import pandera.pandas as pa  # imported here: ~0.3 s, only needed when validating

    where = source.describe()
    duplicated = _header_errors(frame, table, source)
    if duplicated:
        return duplicated
    missing = [c for c in table.columns if c not in frame.columns]
    if missing:
        return [
            DataError(
                where,
                f"kolom wajib tidak ada (kolom yang ada: {', '.join(frame.columns) or '-'})",
                row=HEADER_ROWS,
                column=c,
                sheet=source.sheet,
            )
            for c in missing
        ]
    # Only the contract's columns (extra columns are ignored, and may repeat or be unnamed).
    frame = frame.loc[:, [c in table.columns for c in frame.columns]]
    if table.required and frame.empty:
        return [
            DataError(
                where,
                "tabel wajib ini tidak punya baris data (hanya baris judul kolom)",
                sheet=source.sheet,
            )
        ]
    original = frame
    frame, errors = _parse_numbers(frame, table, source)
    columns = {}
    for fld in table.fields:
        checks = []
        if fld.minimum is not None:
            checks.append(pa.Check.ge(fld.minimum))
        if fld.choices:
            checks.append(pa.Check.isin(list(fld.choices)))
        if fld.type == "tahun":
            checks.append(pa.Check.in_range(1990, 2100))
        nullable = not (fld.required or fld.type == "kode" and fld.name in table.key)
        columns[fld.name] = pa.Column(
            nullable=nullable,
            checks=checks,
            unique=table.key == (fld.name,),
            required=True,
        )
    # Empty text counts as missing for required columns.
    check_frame = frame.copy()
    for fld in table.fields:
        if fld.type not in NUMERIC_TYPES:
            check_frame[fld.name] = check_frame[fld.name].replace("", pd.NA)
            if not fld.required:
                check_frame[fld.name] = check_frame[fld.name].fillna("")
    schema = pa.DataFrameSchema(
        columns,
        unique=list(table.key) if len(table.key) > 1 else None,
        report_duplicates="all",
    )
    try:
        schema.validate(check_frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        # A cell already reported as not a number is not reported again as empty.
        seen = {(e.row, e.column, "not_nullable") for e in errors}
        for case in exc.failure_cases.itertuples():
            check = str(case.check)
            column = case.column if isinstance(case.column, str) else None
            if check == "multiple_fields_uniqueness":
                column = "+".join(table.key)
            row = None if pd.isna(case.index) else _row(case.index)
            if (row, column, check) in seen:
                continue
            seen.add((row, column, check))
            fld = next((f for f in table.fields if f.name == column), None)
            problem = _describe_check(
                "field_uniqueness" if check == "multiple_fields_uniqueness" else check,
                fld.minimum if fld else None,
                fld.choices if fld else (),
            )
            if check not in ("not_nullable",):
                shown = case.failure_case
                if row is not None and column in original.columns:
                    shown = original.at[case.index, column]
                problem += f", ditemukan {shown!r}"
            errors.append(DataError(where, problem, row=row, column=column, sheet=source.sheet))
    return errors


def _check_links(
    tables: dict[str, pd.DataFrame],
    sources: dict[str, Source],
    contract: tuple[Table, ...] = TABLES,
) -> list[DataError]:
    errors = []
    for table in contract:
        if table.name not in tables:
            continue
        frame = tables[table.name]
        for link in table.links:
            known = set(tables[link.table][link.target])
            values = frame[link.column]
            bad = values[(values != "") & ~values.isin(known)]
            for idx, value in bad.items():
                errors.append(
                    DataError(
                        sources[table.name].describe(),
                        f"{value!r} tidak ada di {link.table}.{link.target} "
                        f"({sources[link.table].describe()})",
                        row=_row(idx),
                        column=link.column,
                        sheet=sources[table.name].sheet,
                    )
                )
    return errors


def _check_year(raw: RawData) -> list[DataError]:
    errors = []
    kinerja = raw["kinerja_indikator"]
    reported = set(kinerja.loc[kinerja["tahun"] == raw.year, "kode_indikator"])
    for code in raw["indikator"]["kode_indikator"]:
        if code not in reported:
            errors.append(
                DataError(
                    raw.sources["kinerja_indikator"].describe(),
                    f"indikator {code} tidak punya baris untuk tahun {raw.year} "
                    "(target dan realisasi tahun laporan wajib ada)",
                    column="tahun",
                    sheet=raw.sources["kinerja_indikator"].sheet,
                )
            )
    later = kinerja[kinerja["tahun"] > raw.year]
    for idx in later.index:
        errors.append(
            DataError(
                raw.sources["kinerja_indikator"].describe(),
                f"tahun {kinerja.at[idx, 'tahun']} sesudah tahun laporan {raw.year}",
                row=_row(idx),
                column="tahun",
                sheet=raw.sources["kinerja_indikator"].sheet,
            )
        )
    return errors


def read_raw(year: int, raw_root: Path | str = Path("data/raw"), validate: bool = True) -> RawData:
    """Read and validate every raw table of ``year``.

    Args:
        year: the report year.
        raw_root: the folder holding one folder per year.
        validate: check the data contract. Only False for files that a run has just
            validated, unchanged since (same bytes: the preview reusing the last report's
            stages); the tables are typed the same way either way.

    Returns:
        The typed, validated tables.

    Raises:
        DataErrors: every problem found, each naming file, sheet, row and column.
    """
    year_dir = Path(raw_root) / str(year)
    tables, sources = read_folder(year_dir, TABLES, validate)
    raw = RawData(year=year, tables=tables, sources=sources)
    errors = _check_year(raw) if validate else []
    if errors:
        raise DataErrors(errors)
    for name in tables:
        tables[name] = tables[name].reset_index(drop=True)
    return raw


def read_folder(
    folder: Path | str, contract: tuple[Table, ...], validate: bool = True
) -> tuple[dict[str, pd.DataFrame], dict[str, Source]]:
    """Read and validate the tables of ``contract`` in one folder (CSV files or a workbook).

    ``read_raw`` uses it for a year of an agency; ``lkj.data.workspace`` for the pemda's own tables.

    Args:
        folder: the folder.
        contract: the tables it must (``required``) or may hold, with their links.
        validate: check the contract (see ``read_raw``); without, only read and type.

    Returns:
        The typed tables and where each was read from. A table's index is its row in the
        file minus 2 (header = row 1; blank rows dropped), for messages about rows.

    Raises:
        DataErrors: every problem found, each naming file, sheet, row and column.
    """
    by_name = {t.name: t for t in contract}
    sources = locate_sources(Path(folder), contract)
    tables: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    for name, source in sources.items():
        table = by_name[name]
        frame = _read_text_table(source)
        table_errors = _validate_table(frame, table, source) if validate else []
        errors.extend(table_errors)
        if not table_errors:
            parsed, _ = _parse_numbers(frame, table, source)
            tables[name] = parsed[table.columns]
    if errors:
        raise DataErrors(errors)
    if not validate:
        return tables, sources
    errors.extend(_check_links(tables, sources, contract))
    if errors:
        raise DataErrors(errors)
    return tables, sources


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
        The raw tables of the contract, by name.
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
    return out


def write_workbook(raw: RawData | Mapping[str, pd.DataFrame], path: Path | str) -> Path:
    """Write the raw tables of a year as one .xlsx workbook, a sheet per table.

    Args:
        raw: the validated tables (``read_raw``, or ``contract_tables`` of the processed
            folder ingest wrote them to).
        path: the .xlsx file to write.

    Returns:
        The path written.
    """
    path = Path(path)
    tables = raw.tables if isinstance(raw, RawData) else raw
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for table in TABLES:
            if table.name in tables:
                tables[table.name].to_excel(writer, sheet_name=table.name, index=False)
    return path


def describe_sources(raw: RawData) -> pd.DataFrame:
    """One row per table read: its file, sheet, row count and the file's SHA-256.

    Args:
        raw: the validated tables.

    Returns:
        A table for the reviewer (the provenance of every input).
    """
    import hashlib

    rows = []
    for name, source in raw.sources.items():
        rows.append(
            {
                "tabel": name,
                "file": source.path.name,
                "sheet": source.sheet or "",
                "baris": len(raw[name]),
                "sha256": hashlib.sha256(source.path.read_bytes()).hexdigest(),
            }
        )
    return pd.DataFrame(rows)
