"""Ingest: read the raw tables of a year (or of a pemda) and type them, validated on the way.

Takes data/raw/YEAR/ (CSV files, or one .xlsx workbook with a sheet per table) and gives a
``RawData`` of typed DataFrames, or raises ``DataErrors`` naming file, sheet, row and column
of every problem. Rows are numbered as a spreadsheet shows them: the header is row 1, so the
first data row is row 2 (for a CSV file that is also its line number).

Where each table is: ``lkj.data.sources``; the checks: ``lkj.data.validate``; the tidy copies
written for the later stages: ``lkj.data.processed``.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core import numbers
from lkj.core.config import load_batas
from lkj.core.errors import DataError, DataErrors
from lkj.data.schema import TABLES, Table
from lkj.data.sources import RawData, Source, locate_sources
from lkj.data.validate import (
    _check_links,
    _check_year,
    _parse_numbers,
    _validate_table,
    quarter_waivers,
    waive,
)
from lkj.data.workbook import open_workbook, sheet_rows


def _decode_csv(source: Source) -> str:
    """The text of a CSV file: UTF-8 (a BOM allowed), no NUL characters."""
    limit = load_batas().csv_mb
    size = source.path.stat().st_size
    if size > limit * 2**20:
        raise DataError(
            source.describe(),
            f"file {size / 2**20:.0f} MB, melebihi batas csv_mb = {limit} MB "
            "(config/lkj.toml [batas])",
        )
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


# Characters no text of the data may hold: C0 controls but tab, newline and carriage return
# (text may hold line breaks), DEL, C1 controls, and unpaired surrogates (not Unicode text).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_characters(frame: pd.DataFrame, source: Source, first_row: int = 1) -> list[DataError]:
    """Cells holding a character ``CONTROL`` forbids (BEL, ESC, ...), each named by file, sheet,
    row and column, the character written as an escape (never echoed raw to a terminal).

    Args:
        frame: the table as text, header row included (its row ``first_row``).
        source: where it was read from.
        first_row: the spreadsheet row of the frame's first row.

    Returns:
        The errors, at most 50.
    """
    errors: list[DataError] = []
    header = [str(h) for h in frame.iloc[0]] if len(frame) else []
    for j, column in enumerate(frame.columns):
        values = frame[column].astype(str)
        hits = values[values.str.contains(CONTROL)]
        for i, text in zip(hits.index, hits, strict=True):
            char = CONTROL.search(text).group()
            name = header[j] if j < len(header) and i != frame.index[0] else f"ke-{j + 1}"
            errors.append(
                DataError(
                    _shown(source.describe()),
                    f"berisi karakter kendali {ascii(char)[1:-1]} (U+{ord(char):04X}): hapus "
                    "karakter itu (salin ulang teksnya sebagai teks biasa)",
                    row=first_row + list(frame.index).index(i),
                    column=_shown(name),
                    sheet=source.sheet,
                )
            )
            if len(errors) >= 50:
                return errors
    return errors


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _read_text_table(source: Source, book: Any = None) -> pd.DataFrame:
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
        else:  # streaming, within the limits of [batas] (lkj.data.workbook)
            own = book is None
            book = open_workbook(source.path) if own else book
            try:
                rows = sheet_rows(book, source.sheet, source.path)
            finally:
                if own:
                    book.close()
            frame = pd.DataFrame(rows, dtype=object).map(_sheet_cell_text)
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
    bad = control_characters(frame, source)
    if bad:
        raise DataErrors(bad)
    header = list(frame.iloc[0])
    frame = frame.iloc[1:]
    frame.index = range(len(frame))  # row i of the data is spreadsheet row i + 2
    frame.columns = header
    # Rows left entirely empty (common at the end of a sheet) are not data.
    return frame[(frame != "").any(axis=1)]


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
    tables, sources = read_folder(year_dir, TABLES, validate, year)
    raw = RawData(year=year, tables=tables, sources=sources)
    errors = _check_year(raw) if validate else []
    if errors:
        raise DataErrors(errors)
    for name in tables:
        tables[name] = tables[name].reset_index(drop=True)
    return raw


def read_folder(
    folder: Path | str, contract: tuple[Table, ...], validate: bool = True, year: int | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, Source]]:
    """Read and validate the tables of ``contract`` in one folder (CSV files or a workbook).

    ``read_raw`` uses it for a year of an agency; ``lkj.data.workspace`` for the pemda's own tables.

    Args:
        folder: the folder.
        contract: the tables it must (``required``) or may hold, with their links.
        validate: check the contract (see ``read_raw``); without, only read and type.
        year: the report year of an agency's year folder: a yearly realisation may then be
            empty where its four quarters are given (``lkj.data.validate.quarter_waivers``).

    Returns:
        The typed tables and where each was read from. A table's index is its row in the
        file minus 2 (header = row 1; blank rows dropped), for messages about rows.

    Raises:
        DataErrors: every problem found, each naming file, sheet, row and column.
    """
    by_name = {t.name: t for t in contract}
    sources = locate_sources(Path(folder), contract)
    tables: dict[str, pd.DataFrame] = {}
    frames: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    books: dict[Path, Any] = {}  # a workbook is opened once for all its sheets
    try:
        for name, source in sources.items():
            if source.sheet is not None and source.path not in books:
                books[source.path] = open_workbook(source.path)
            frames[name] = _read_text_table(source, books.get(source.path))
    finally:
        for book in books.values():
            book.close()
    waived = quarter_waivers(frames, year) if validate and year is not None else set()
    for name, source in sources.items():
        table = by_name[name]
        frame = frames[name]
        table_errors = _validate_table(frame, table, source) if validate else []
        table_errors = waive(table_errors, name, waived) if waived else table_errors
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
