"""Validation against the data contract (``lkj.data.schema``): every problem of a table as a
``DataError`` naming file, sheet, row and column.

A table is checked column by column (names, numbers read by the one reader of
``lkj.core.numbers``, required cells, codes unique, choices, minimums; pandera does the
checks), then across tables (``Link``: a code must exist in the table it points to) and
against the report year. ``lkj.data.ingest`` calls these on the tables it reads.
"""

from __future__ import annotations

import re

import pandas as pd

from lkj.core import numbers
from lkj.core.errors import DataError
from lkj.data.files import lambang_file, shown, text_file
from lkj.data.schema import NUMERIC_TYPES, TABLES, Table
from lkj.data.sources import HEADER_ROWS, RawData, Source

# The number rule (one reader for the whole project) lives in lkj.core.numbers.
MAX_NUMBER = numbers.MAX_NUMBER
MIN_NONZERO = numbers.MIN_NONZERO


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


def _column_errors(frame: pd.DataFrame, table: Table, source: Source) -> list[DataError]:
    """A contract column named twice, or missing: nothing else of the table can be checked."""
    duplicated = _header_errors(frame, table, source)
    if duplicated:
        return duplicated
    missing = [c for c in table.columns if c not in frame.columns]
    return [
        DataError(
            source.describe(),
            f"kolom wajib tidak ada (kolom yang ada: {', '.join(frame.columns) or '-'})",
            row=HEADER_ROWS,
            column=c,
            sheet=source.sheet,
        )
        for c in missing
    ]


def _schema(table: Table) -> object:
    """The pandera schema of a table: the checks of each field, and its key unique."""
    import pandera.pandas as pa

    columns = {}
    for fld in table.fields:
        checks = []
        if fld.minimum is not None:
            checks.append(pa.Check.ge(fld.minimum))
        if fld.choices:  # an optional field may be left empty
            checks.append(pa.Check.isin([*fld.choices, *([] if fld.required else [""])]))
        if fld.type == "tahun":
            checks.append(pa.Check.in_range(1990, 2100))
        nullable = not (fld.required or fld.type == "kode" and fld.name in table.key)
        columns[fld.name] = pa.Column(
            nullable=nullable,
            checks=checks,
            unique=table.key == (fld.name,),
            required=True,
        )
    return pa.DataFrameSchema(
        columns,
        unique=list(table.key) if len(table.key) > 1 else None,
        report_duplicates="all",
    )


def _check_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The frame the schema checks: empty text counts as missing for required columns."""
    check_frame = frame.copy()
    for fld in table.fields:
        if fld.type not in NUMERIC_TYPES:
            check_frame[fld.name] = check_frame[fld.name].replace("", pd.NA)
            if not fld.required:
                check_frame[fld.name] = check_frame[fld.name].fillna("")
    return check_frame


def _failure_errors(
    failure_cases: pd.DataFrame,
    table: Table,
    original: pd.DataFrame,
    number_errors: list[DataError],
    source: Source,
) -> list[DataError]:
    """The schema's failure cases in words, each cell shown as the file has it."""
    where = source.describe()
    errors: list[DataError] = []
    # A cell already reported as not a number is not reported again as empty.
    seen = {(e.row, e.column, "not_nullable") for e in number_errors}
    for case in failure_cases.itertuples():
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


def _validate_table(frame: pd.DataFrame, table: Table, source: Source) -> list[DataError]:
    import pandera.pandas as pa  # imported here: ~0.3 s, only needed when validating

    where = source.describe()
    column_errors = _column_errors(frame, table, source)
    if column_errors:
        return column_errors
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
    schema = _schema(table)
    try:
        schema.validate(_check_frame(frame, table), lazy=True)
    except pa.errors.SchemaErrors as exc:
        errors.extend(_failure_errors(exc.failure_cases, table, original, errors, source))
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


NARASI_DIR = "narasi"


def _check_files(raw: RawData) -> list[DataError]:
    """The files the year names: the lambang image (instansi, key ``lambang``) and the narasi
    texts, each inside data/raw after following links, a regular file, of its type, within
    ``[batas]`` (``lkj.data.files``)."""
    errors = []
    source = raw.sources.get("instansi")
    if source is None:
        return errors
    year_dir = source.path.parent
    instansi = raw["instansi"]
    names = instansi.loc[instansi["kunci"] == "lambang", "nilai"]
    where = f"{shown(source.path)}, kunci lambang"
    for name in names:
        try:
            lambang_file(str(name).strip(), (year_dir, year_dir.parent), year_dir.parent, where)
        except DataError as exc:
            errors.append(exc)
    for path in sorted((year_dir / NARASI_DIR).glob("*.md")):
        try:
            text_file(path, year_dir.parent, shown(path))
        except DataError as exc:
            errors.append(exc)
    return errors


def _check_year(raw: RawData) -> list[DataError]:
    errors = _check_files(raw)
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


# The yearly realisations that four quarters may stand for (``lkj.analysis.triwulan_tahun``):
# (yearly table, its code column, yearly column, quarterly table, quarterly column).
FROM_QUARTERS = (
    ("sub_kegiatan", "kode_sub_kegiatan", "realisasi_fisik",
     "triwulan_sub_kegiatan", "realisasi_fisik"),
    ("sub_kegiatan", "kode_sub_kegiatan", "realisasi_anggaran_rp",
     "triwulan_sub_kegiatan", "realisasi_anggaran_rp"),
    ("kinerja_indikator", "kode_indikator", "realisasi", "triwulan_indikator", "realisasi"),
)  # fmt: skip
EMPTY_CELL = _CHECK_TEXT["not_nullable"]


def _four_quarters(frame: pd.DataFrame | None, key: str, column: str) -> set[str]:
    """The codes of a quarterly table (text as read) with a value in ``column`` in each of
    the quarters 1 to 4."""
    if frame is None or not {key, "triwulan", column} <= set(frame.columns):
        return set()
    seen: dict[str, set[str]] = {}
    for code, q, cell in zip(frame[key], frame["triwulan"], frame[column], strict=True):
        value, problem = parse_number(cell)
        if value is not None and problem is None:
            seen.setdefault(str(code).strip(), set()).add(str(q).strip())
    return {code for code, qs in seen.items() if qs >= {"1", "2", "3", "4"}}


def quarter_codes(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], set[str]]:
    """(yearly table, yearly column) -> the codes whose four quarters give that figure, from
    the quarterly tables as read (text)."""
    return {
        (name, column): _four_quarters(frames.get(q_name), key, q_column)
        for name, key, column, q_name, q_column in FROM_QUARTERS
    }


def quarter_waivers(frames: dict[str, pd.DataFrame], year: int | None) -> set[tuple[str, int, str]]:
    """(table, row, column) of the yearly realisation cells that may be left empty because
    the four quarters give the figure (the report year's rows only for kinerja_indikator).
    ``frames``: the tables as read (text), before typing."""
    waived: set[tuple[str, int, str]] = set()
    by_measure = quarter_codes(frames)
    for name, key, column, _, _ in FROM_QUARTERS:
        frame = frames.get(name)
        codes = by_measure[(name, column)]
        if frame is None or not codes or key not in frame.columns:
            continue
        for idx, code in frame[key].items():
            if str(code).strip() not in codes:
                continue
            if name == "kinerja_indikator" and str(frame.at[idx, "tahun"]).strip() != str(year):
                continue
            waived.add((name, _row(idx), column))
    return waived


def waive(errors: list[DataError], name: str, waived: set[tuple[str, int, str]]) -> list[DataError]:
    """``errors`` less the empty yearly realisation cells that four quarters stand for."""
    return [
        e for e in errors if not (e.problem == EMPTY_CELL and (name, e.row, e.column) in waived)
    ]
