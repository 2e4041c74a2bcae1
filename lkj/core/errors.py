"""The pipeline's own exceptions.

Every error a user can cause (bad data, missing files, bad configuration) is an ``LkjError``:
the command line prints its message alone, without a traceback, and exits non-zero.
"""

from __future__ import annotations


class LkjError(Exception):
    """Base class of every error the user can act on."""


class ConfigError(LkjError):
    """The configuration file (config/lkj.toml) is missing or malformed."""


class DataError(LkjError):
    """Raw data breaks the data contract (data/raw/README.md).

    Args:
        file: the file the problem is in (as the user knows it, e.g. data/raw/2022/program.csv).
        problem: what is wrong and what was expected.
        row: the row as the user sees it (line number of a CSV file, row number of a sheet).
        column: the column name.
        sheet: the sheet name when the file is a workbook.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.file = file
        self.problem = problem
        self.row = row
        self.column = column
        self.sheet = sheet
        where = [file]
        if sheet:
            where.append(f"sheet {sheet}")
        if row is not None:
            where.append(f"baris {row}")
        if column:
            where.append(f"kolom {column}")
        super().__init__(f"{', '.join(where)}: {problem}")


class DataErrors(LkjError):
    """Several data errors found in one pass, reported together.

    Args:
        errors: the individual errors, in file and row order.
    """

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        head = f"{len(errors)} kesalahan data ditemukan:" if len(errors) > 1 else ""
        lines = [str(e) for e in errors[:50]]
        if len(errors) > 50:
            lines.append(f"... dan {len(errors) - 50} kesalahan lainnya")
        super().__init__("\n".join([head, *lines]).strip())
