"""Helpers of the property-based tests: the 2022 data in memory, writing a damaged copy,
the invariants every table read must satisfy, and the count of cases tried.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lkj.core.errors import DataError, DataErrors
from lkj.data.ingest import read_raw
from lkj.data.schema import NUMERIC_TYPES, TABLES, TABLES_BY_NAME
from lkj.data.sources import RawData

ROOT = Path(__file__).resolve().parent.parent
RAW_2022 = ROOT / "data" / "raw" / "2022"
YEAR = 2022

CASES: Counter[str] = Counter()  # test name -> cases tried (read by conftest.py)


def count_case(name: str) -> None:
    """Count one hypothesis case of test ``name``."""
    CASES[name] += 1


def _load() -> dict[str, list[list[str]]]:
    tables = {}
    for table in TABLES:
        path = RAW_2022 / f"{table.name}.csv"
        if path.is_file():
            with path.open(encoding="utf-8-sig", newline="") as f:
                tables[table.name] = [row for row in csv.reader(f)]
    return tables


# table name -> rows (row 0 is the header), exactly as in data/raw/2022
BASE: dict[str, list[list[str]]] = _load()


def rows_copy() -> dict[str, list[list[str]]]:
    """A deep copy of BASE to damage."""
    return {name: [list(r) for r in rows] for name, rows in BASE.items()}


def to_csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as a CSV file (UTF-8, quoted where needed)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@dataclass
class Outcome:
    """What read_raw did: tables, or the pipeline's own error."""

    raw: RawData | None
    error: DataError | DataErrors | None

    @property
    def message(self) -> str:
        return str(self.error) if self.error else ""


def read_files(files: dict[str, bytes], prepare: Callable[[Path], None] | None = None) -> Outcome:
    """Write ``files`` (name -> bytes) to a fresh raw/2022 folder and read it.

    Any exception other than the pipeline's DataError/DataErrors propagates: that is a bug.
    """
    with tempfile.TemporaryDirectory(prefix="lkj-fuzz-") as tmp:
        year_dir = Path(tmp) / "raw" / str(YEAR)
        year_dir.mkdir(parents=True)
        for name, data in files.items():
            (year_dir / name).write_bytes(data)
        if prepare:
            prepare(year_dir)
        try:
            return Outcome(read_raw(YEAR, Path(tmp) / "raw"), None)
        except (DataError, DataErrors) as exc:
            return Outcome(None, exc)


def read_rows(tables: dict[str, list[list[str]]], overrides: dict[str, bytes] | None = None):
    """Write the tables as CSV (raw bytes in ``overrides`` win) and read them."""
    files = {f"{name}.csv": to_csv_bytes(rows) for name, rows in tables.items()}
    files.update(overrides or {})
    return read_files(files)


def errors_of(outcome: Outcome) -> list[DataError]:
    """The individual errors."""
    if isinstance(outcome.error, DataErrors):
        return outcome.error.errors
    return [outcome.error] if outcome.error else []


def assert_clear_error(outcome: Outcome) -> None:
    """The error is the pipeline's own and every part of it names a file."""
    assert outcome.error is not None
    for err in errors_of(outcome):
        assert f"raw/{YEAR}" in err.file, err  # the year folder or a file in it
        assert err.problem, err
        assert "Traceback" not in str(err)


def assert_tables_sound(raw: RawData) -> None:
    """Every invariant the contract promises of tables that were accepted."""
    for name, frame in raw.tables.items():
        table = TABLES_BY_NAME[name]
        assert list(frame.columns) == table.columns, name
        if table.required:
            assert len(frame) > 0, name
        for fld in table.fields:
            col = frame[fld.name]
            if fld.type in NUMERIC_TYPES:
                values = col.astype("Float64")
                present = values.dropna()
                assert all(math.isfinite(float(v)) for v in present), (name, fld.name)
                if fld.required:
                    assert not col.isna().any(), (name, fld.name)
                if fld.minimum is not None:
                    assert (present >= fld.minimum).all(), (name, fld.name)
                if fld.type in ("bulat", "tahun"):
                    assert str(col.dtype) == "Int64", (name, fld.name, col.dtype)
                if fld.type == "tahun":
                    assert present.between(1990, 2100).all(), (name, fld.name)
            else:
                assert col.map(lambda v: isinstance(v, str)).all(), (name, fld.name)
                if fld.required:
                    assert (col != "").all(), (name, fld.name)
                assert (col == col.str.strip()).all(), (name, fld.name)
        if table.key:
            assert not frame.duplicated(list(table.key)).any(), name
        for link in table.links:
            known = set(raw.tables[link.table][link.target])
            values = frame[link.column]
            assert values[values != ""].isin(known).all(), (name, link)


def frame_of(outcome: Outcome, name: str) -> pd.DataFrame:
    assert outcome.raw is not None, outcome.message
    return outcome.raw[name]
