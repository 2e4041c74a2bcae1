"""Where a year's raw tables are: a ``Source`` per table (a CSV file or a sheet of the one
workbook), the ``RawData`` read from them, and the paths as the user knows them.

``lkj.data.ingest`` reads the tables from the sources found here; ``lkj.data.validate`` names
them in its messages. Rows are numbered as a spreadsheet shows them: the header is row 1
(``HEADER_ROWS``), so the first data row is row 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lkj.core.errors import DataError, DataErrors
from lkj.data.files import sha256_file
from lkj.data.schema import TABLES, Table
from lkj.data.workbook import open_workbook

HEADER_ROWS = 1


@dataclass
class Source:
    """Where one table comes from."""

    path: Path
    sheet: str | None = None

    def describe(self) -> str:
        """The file as the user knows it (relative to the working directory if possible)."""
        return display_path(self.path)


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


def display_path(path: Path | str) -> str:
    """A path as the user knows it: relative to the working directory if possible, with ``/``."""
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
        raise DataError(display_path(year_dir), "folder data mentah tahun ini tidak ditemukan")
    found: dict[str, Source] = {}
    by_name = {t.name: t for t in contract}
    for table in contract:
        csv = year_dir / f"{table.name}.csv"
        if csv.is_file():
            found[table.name] = Source(csv)
    workbooks = sorted(p for p in year_dir.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        raise DataError(display_path(year_dir), f"lebih dari satu workbook ({names}); sisakan satu")
    if workbooks:
        book = workbooks[0]
        opened = open_workbook(book)  # within the limits of [batas]
        sheets = list(opened.sheetnames)
        opened.close()
        for sheet in sheets:
            if sheet in by_name:
                if sheet in found:
                    raise DataError(
                        display_path(book),
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
                    display_path(year_dir / f"{name}.csv"),
                    "file tidak ditemukan (wajib menurut data/raw/README.md; boleh juga sebagai "
                    f"sheet '{name}' dalam workbook .xlsx)",
                )
                for name in missing
            ]
        )
    return found


def describe_sources(raw: RawData) -> pd.DataFrame:
    """One row per table read: its file, sheet, row count and the file's SHA-256.

    Args:
        raw: the validated tables.

    Returns:
        A table for the reviewer (the provenance of every input).
    """
    rows = []
    for name, source in raw.sources.items():
        rows.append(
            {
                "tabel": name,
                "file": source.path.name,
                "sheet": source.sheet or "",
                "baris": len(raw[name]),
                "sha256": sha256_file(source.path),
            }
        )
    return pd.DataFrame(rows)
