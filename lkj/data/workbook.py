"""Reading an .xlsx workbook within limits (``[batas]`` of config/lkj.toml, data/raw/README.md
3.4): its unpacked size (the zip's member sizes, checked before anything is unpacked), its
number of sheets, and each sheet's used range. A sheet is read streaming (openpyxl's read-only
mode) and never beyond ``workbook_kolom`` columns and ``workbook_baris`` rows: one cell at
column XFD or row 1 048 576 costs nothing, and a value beyond the limits is refused naming it.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

from lkj.core.config import Batas, load_batas
from lkj.core.errors import DataError
from lkj.data.files import shown

MAX_MEMBERS = 10_000  # parts of one workbook (a year's workbook: about 30)


def check_zip(path: Path, batas: Batas | None = None, limit_mb: int | None = None) -> None:
    """Refuse a workbook whose parts unpack to more than ``workbook_mb`` (a zip bomb), read
    from the zip's directory before any part is unpacked.

    Args:
        path: the .xlsx file.
        batas: the limits (default: config/lkj.toml).
        limit_mb: the limit ``formulir_mb`` for a data form (default ``workbook_mb``).

    Raises:
        DataError: not a zip file, too many parts, or too large unpacked.
    """
    batas = batas or load_batas()
    name = "workbook_mb" if limit_mb is None else "formulir_mb"
    limit_mb = batas.workbook_mb if limit_mb is None else limit_mb
    where = shown(path)
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(where, f"bukan workbook .xlsx yang dapat dibaca ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise DataError(where, f"workbook berisi {len(members)} bagian: bukan workbook biasa")
    size = sum(m.file_size for m in members)
    if size > limit_mb * 2**20:
        raise DataError(
            where,
            f"workbook terurai menjadi {size / 2**20:.0f} MB, melebihi batas {name} = "
            f"{limit_mb} MB (config/lkj.toml [batas])",
        )


def open_workbook(path: Path, batas: Batas | None = None) -> Any:
    """The workbook, read-only and streaming, after ``check_zip``; at most ``workbook_sheet``
    sheets. Close it after use (``.close()``).

    Args:
        path: the .xlsx file.
        batas: the limits.

    Returns:
        The openpyxl workbook (values, not formulas).

    Raises:
        DataError: unreadable, or past a limit.
    """
    import openpyxl

    batas = batas or load_batas()
    check_zip(path, batas)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl: data validation extension etc.
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataError(shown(path), f"bukan workbook .xlsx yang dapat dibaca ({exc})") from None
    if len(book.sheetnames) > batas.workbook_sheet:
        book.close()
        raise DataError(
            shown(path),
            f"workbook berisi {len(book.sheetnames)} sheet, melebihi batas workbook_sheet = "
            f"{batas.workbook_sheet} (config/lkj.toml [batas])",
        )
    return book


def _present_cells(ws: Any) -> Any:
    """(row, [(column, value), ...]) of each row the sheet's file holds, only the cells it
    holds: openpyxl's own parser, without the padding of ``iter_rows`` (a row reaching column
    XFD would be 16 384 cells wide)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for idx, row in parser.parse():
            yield idx, [(c["column"], c["value"]) for c in row]


def sheet_rows(book: Any, sheet: str, path: Path, batas: Batas | None = None) -> list[list]:
    """The used range of one sheet as rows of values, row 1 first, every row as wide as the
    widest (``None`` for an empty cell); nothing beyond the limits is kept.

    Args:
        book: from ``open_workbook``.
        sheet: the sheet's name.
        path: the file, for messages.
        batas: the limits.

    Returns:
        The rows (trailing empty rows and columns left out).

    Raises:
        DataError: a value beyond ``workbook_kolom`` columns or ``workbook_baris`` rows.
    """
    batas = batas or load_batas()
    width, height = batas.workbook_kolom, batas.workbook_baris
    found: dict[int, dict[int, Any]] = {}
    used_cols = 0
    try:
        for r, cells in _present_cells(book[sheet]):
            values = {j: v for j, v in cells if v is not None and v != ""}
            if not values:
                continue  # an empty (perhaps formatted) row costs nothing
            last = max(values)
            if last > width:
                raise DataError(
                    shown(path),
                    f"ada isi di kolom ke-{last}, melebihi batas workbook_kolom = {width} "
                    "(config/lkj.toml [batas]); hapus isi di kolom itu",
                    row=r,
                    sheet=sheet,
                )
            if r > height:
                raise DataError(
                    shown(path),
                    f"ada isi di baris {r}, melebihi batas workbook_baris = {height} "
                    "(config/lkj.toml [batas])",
                    row=r,
                    sheet=sheet,
                )
            found[r] = values
            used_cols = max(used_cols, last)
    except DataError:
        raise
    except Exception as exc:  # a damaged sheet
        raise DataError(
            shown(path), f"sheet tidak dapat dibaca ({type(exc).__name__}: {exc})", sheet=sheet
        ) from None
    used_rows = max(found, default=0)
    return [
        [found.get(r, {}).get(j) for j in range(1, used_cols + 1)] for r in range(1, used_rows + 1)
    ]
