"""Property-based tests of the ingest (lkj.data.ingest.read_raw) on damaged copies of the 2022
data.

Every case ends either in tables that keep every promise of the contract (finite numbers,
>= the minimum, whole where the contract says bulat, exactly the intended value for a plain
spelling) or in the pipeline's own DataError/DataErrors naming the file (and the row and column
when the problem is one cell). Anything else (a pandas or openpyxl exception, a NaN, an inf, a
misread "2.125") fails the test.

Policy checked here (data/raw/README.md, "Angka"): numbers are plain (``1367655230``, ``90.91``);
the point is always the decimal point (``2.125`` is two and an eighth, ``1.500`` is 1,5);
thousands separators (``1.367.655.230``, ``1,367,655,230``), decimal commas, ``Rp``, ``%``, NaN,
inf, non-ASCII digits, values beyond 10^15 and fractions of more than 15 significant digits are
refused with a message; a lone dash means 0. A workbook cell typed as a number is a number, read
as the spreadsheet shows it (15 significant digits).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from decimal import Decimal

import fuzz_helpers as fz
import openpyxl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lkj.data.processed import write_workbook
from lkj.data.schema import NUMERIC_TYPES, TABLES, TABLES_BY_NAME

# Each case of these tests reads all 16 files (~0.1 s): fewer cases than the profile's default.
HALF = max(10, settings.default.max_examples // 2)
QUARTER = max(10, settings.default.max_examples // 4)

# (table, column index, field) of every number column that has rows in the 2022 data
NUMBER_CELLS = [
    (t.name, fz.BASE[t.name][0].index(f.name), f)
    for t in TABLES
    if t.name in fz.BASE and len(fz.BASE[t.name]) > 1
    for f in t.fields
    if f.type in NUMERIC_TYPES
]
TEXT_CELLS = [  # free-text columns outside any key: their text must come through as written
    (t.name, fz.BASE[t.name][0].index(f.name), f)
    for t in TABLES
    if t.name in fz.BASE and len(fz.BASE[t.name]) > 1
    for f in t.fields
    if f.type == "teks" and f.name not in t.key and not f.choices
]
THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}")
PAD = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u3000"])


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def plain(draw) -> tuple[str, Decimal]:
    """A plain spelling and the value it means."""
    kind = draw(st.sampled_from(["int", "neg", "dec", "exp", "zero", "dash", "huge"]))
    if kind == "int":
        n = draw(st.one_of(st.integers(0, 2100), st.integers(0, 10**15)))
        text = str(n)
    elif kind == "neg":
        text = str(draw(st.integers(-(10**12), -1)))
    elif kind == "dec":
        mantissa = draw(st.integers(0, 10**12))
        places = draw(st.integers(1, 6))
        digits = str(mantissa).rjust(places + 1, "0")
        text = f"{digits[:-places]}.{digits[-places:]}"
    elif kind == "exp":
        text = f"{draw(st.integers(0, 999))}{draw(st.sampled_from('eE'))}{draw(st.integers(-3, 9))}"
    elif kind == "zero":
        text = draw(st.sampled_from(["0", "-0", "+0", "0.0", "-0.0", "00", "0.000"]))
    elif kind == "dash":
        return draw(st.sampled_from(["-", "–", "—"])), Decimal(0)
    else:
        text = str(draw(st.integers(10**15 + 1, 10**40)))
    return text, Decimal(text)


REFUSED = st.one_of(
    st.integers(10**6, 10**13).map(_dotted),  # 1.367.655.230: two or more dot groups
    st.builds(lambda a, b: f"{a},{b}", st.integers(0, 999), st.integers(0, 99)),  # 90,91
    st.integers(1000, 10**12).map(lambda n: f"{n:,}"),  # 1,367,655,230
    st.integers(0, 10**9).map(lambda n: f"Rp {n}"),
    st.integers(0, 10**9).map(lambda n: f"Rp{_dotted(n)}"),
    st.integers(0, 200).map(lambda n: f"{n}%"),
    st.sampled_from(
        ["NaN", "nan", "NAN", "inf", "-inf", "+inf", "Infinity", "infinity", "1e309", "-1e309"]
        + ["1e999", "9" * 400, "١٢", "१२", "１２", "๑๒", "²", "½", "12x", "x", "0x10", "1_000"]
        + ["1 000", "1e", "e5", ".", "+", "--1", "1-", "1e-7", "0.0000001", "None", "null"]
        + ["true", "−5", "5-", "1.2.3", "∞"]
    ),
)


def _bounds_ok(value: Decimal, fld) -> bool:
    """Whether the contract accepts ``value`` in ``fld`` (the oracle, from the contract text)."""
    if abs(value) > 10**15 or (value != 0 and abs(value) < Decimal("0.000001")):
        return False
    if fld.minimum is not None and value < Decimal(str(fld.minimum)):
        return False
    if fld.type in ("bulat", "tahun") and value != value.to_integral_value():
        return False
    if fld.type == "tahun" and not 1990 <= value <= 2100:
        return False
    return True


def _names_cell(outcome: fz.Outcome, table: str, row: int, column: str) -> bool:
    return any(
        e.file.endswith(f"{table}.csv") and e.row == row and e.column == column
        for e in fz.errors_of(outcome)
    )


@given(
    cell=st.sampled_from(NUMBER_CELLS),
    row_seed=st.integers(0, 10**6),
    spelling=st.one_of(
        plain().map(lambda p: ("plain", *p)),
        REFUSED.map(lambda t: ("refused", t, None)),
        st.sampled_from(["", " ", "\t"]).map(lambda t: ("empty", t, None)),
        st.text(max_size=12).map(lambda t: ("any", t, None)),
    ),
    pad=st.tuples(PAD, PAD),
)
@settings(max_examples=HALF)
def test_a_number_cell_is_read_exactly_or_refused_with_its_place(cell, row_seed, spelling, pad):
    fz.count_case("ingest: one number cell, any spelling")
    name, col, fld = cell
    kind, text, intended = spelling
    tables = fz.rows_copy()
    i = 1 + row_seed % (len(tables[name]) - 1)  # spreadsheet row i + 1
    tables[name][i][col] = pad[0] + text + pad[1]
    stripped = tables[name][i][col].strip()
    if kind == "any" and THOUSANDS.fullmatch(stripped):
        kind = "refused"
    outcome = fz.read_rows(tables)
    row, relaxed = i + 1, fld.type == "tahun" or fld.name in TABLES_BY_NAME[name].key

    if outcome.raw is not None:
        fz.assert_tables_sound(outcome.raw)
    else:
        fz.assert_clear_error(outcome)

    if kind == "refused":
        assert outcome.error is not None, f"{text!r} accepted in {name}.{fld.name}"
        assert _names_cell(outcome, name, row, fld.name), outcome.message
    elif kind == "empty":
        if fld.required:
            assert _names_cell(outcome, name, row, fld.name), outcome.message
        elif not relaxed:
            assert outcome.raw is not None, outcome.message
            assert fz.frame_of(outcome, name)[fld.name].isna().iloc[i - 1]
    elif kind == "plain":
        if not _bounds_ok(intended, fld):
            assert outcome.error is not None, f"{text!r} accepted in {name}.{fld.name}"
            assert _names_cell(outcome, name, row, fld.name), outcome.message
        elif outcome.raw is not None or not relaxed:
            got = fz.frame_of(outcome, name)[fld.name].iloc[i - 1]
            if fld.type in ("bulat", "tahun"):
                assert int(got) == int(intended), (text, got)
            else:
                assert float(got) == float(intended), (text, got)
                assert str(float(got)) != "-0.0"


@given(
    cell=st.sampled_from(TEXT_CELLS),
    row_seed=st.integers(0, 10**6),
    text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
)
@settings(max_examples=QUARTER)
def test_free_text_comes_through_as_written(cell, row_seed, text):
    fz.count_case("ingest: free text (unicode, quotes, commas, markup)")
    name, col, fld = cell
    tables = fz.rows_copy()
    i = 1 + row_seed % (len(tables[name]) - 1)
    tables[name][i][col] = text
    outcome = fz.read_rows(tables)
    expected = text.strip()
    # a control character (Unicode category Cc) other than tab, newline and carriage return is
    # refused at the door, with its cell named (data/raw/README.md 3.3)
    control = [c for c in expected if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
    if control and "\x00" not in text:
        assert outcome.raw is None, f"{text!r} accepted"
        assert _names_cell(outcome, name, i + 1, fld.name), outcome.message
        assert "karakter kendali" in outcome.message
    if outcome.raw is None:
        fz.assert_clear_error(outcome)
        # the only acceptable refusals: a required cell left empty, a NUL byte, a control
        assert (fld.required and expected == "") or "\x00" in text or control, outcome.message
        return
    fz.assert_tables_sound(outcome.raw)
    frame = outcome.raw[name]
    if expected == "" and all(c.strip() == "" for j, c in enumerate(tables[name][i]) if j != col):
        return  # the whole row became empty: it is skipped, as the contract says
    assert frame[fld.name].iloc[i - 1] == expected


MUTATIONS = [
    "duplicate_key",
    "broken_link",
    "drop_column",
    "duplicate_column",
    "extra_column",
    "bom",
    "crlf",
    "latin1",
    "random_bytes",
    "header_only",
    "empty_file",
    "unbalanced_quote",
    "extra_cell",
    "short_row",
    "missing_file",
    "bad_xlsx",
    "shuffle_rows",
    "blank_rows",
]


@given(
    mutation=st.sampled_from(MUTATIONS),
    table=st.sampled_from(sorted(fz.BASE)),
    seed=st.integers(0, 10**6),
    junk=st.binary(min_size=1, max_size=64),
)
@settings(max_examples=HALF)
def test_damaged_files_give_a_clear_error_or_sound_tables(mutation, table, seed, junk):
    fz.count_case("ingest: damaged files and tables")
    tables = fz.rows_copy()
    rows = tables[table]
    spec = TABLES_BY_NAME[table]
    overrides: dict[str, bytes] = {}
    n = len(rows) - 1
    i = 1 + seed % max(n, 1)
    expect = None  # None: any clear outcome; "ok": must pass; a text: must fail saying it

    if mutation == "duplicate_key":
        assume(spec.key and n >= 2)
        j = 1 + (i % n)
        for col in spec.key:
            k = rows[0].index(col)
            rows[j][k] = rows[i][k]
        expect = "kode ganda"
    elif mutation == "broken_link":
        assume(spec.links and n >= 1)
        link = spec.links[seed % len(spec.links)]
        rows[i][rows[0].index(link.column)] = f"ZZ{seed}"
        expect = "tidak ada di"
    elif mutation == "drop_column":
        k = seed % len(rows[0])
        dropped = rows[0][k]
        tables[table] = [r[:k] + r[k + 1 :] for r in rows]
        expect = "kolom wajib tidak ada" if dropped in spec.columns else "ok"
    elif mutation == "duplicate_column":
        k = seed % len(rows[0])
        tables[table] = [r + [r[k]] for r in rows]
        expect = "kolom ganda"
    elif mutation == "extra_column":
        tables[table] = [r + (["catatan"] if j == 0 else [str(junk)]) for j, r in enumerate(rows)]
        expect = "ok"
    elif mutation == "bom":
        overrides[f"{table}.csv"] = codecs.BOM_UTF8 + fz.to_csv_bytes(rows)
        expect = "ok"
    elif mutation == "crlf":
        overrides[f"{table}.csv"] = fz.to_csv_bytes(rows).replace(b"\n", b"\r\n")
        expect = "ok"
    elif mutation == "latin1":
        rows[i][seed % len(rows[0])] += " Rücker é"
        overrides[f"{table}.csv"] = (
            fz.to_csv_bytes(rows).decode("utf-8").encode("latin-1", "replace")
        )
        expect = "UTF-8"
    elif mutation == "random_bytes":
        data = fz.to_csv_bytes(rows)
        at = seed % (len(data) + 1)
        overrides[f"{table}.csv"] = data[:at] + junk + data[at:]
    elif mutation == "header_only":
        tables[table] = rows[:1]
        expect = "tidak punya baris data" if spec.required else "ok"
    elif mutation == "empty_file":
        overrides[f"{table}.csv"] = b""
        expect = "file kosong"
    elif mutation == "unbalanced_quote":
        data = fz.to_csv_bytes(rows).decode("utf-8").splitlines(keepends=True)
        data[i] = '"' + data[i].replace('"', "")
        overrides[f"{table}.csv"] = "".join(data).encode("utf-8")
    elif mutation == "extra_cell":
        assume(n >= 1)
        rows[i].append("kelebihan")
        expect = "CSV tidak dapat dibaca"
    elif mutation == "short_row":
        assume(n >= 1)
        rows[i] = rows[i][: seed % len(rows[i])]
    elif mutation == "missing_file":
        del tables[table]
        expect = "tidak ditemukan" if spec.required else "ok"
    elif mutation == "bad_xlsx":
        overrides["lkj_2022.xlsx"] = junk
        expect = "lkj_2022.xlsx"
    elif mutation == "shuffle_rows":
        body = rows[1:]
        k = seed % max(len(body), 1)
        tables[table] = rows[:1] + body[k:] + body[:k]
        expect = "ok"
    elif mutation == "blank_rows":
        rows.insert(i, [""] * len(rows[0]))
        rows.append([" "] * len(rows[0]))
        expect = "ok"

    outcome = fz.read_rows(tables, overrides)
    if outcome.raw is not None:
        fz.assert_tables_sound(outcome.raw)
        assert expect in (None, "ok"), f"{mutation} of {table} accepted; expected {expect!r}"
        if mutation in ("shuffle_rows", "blank_rows", "bom", "crlf", "extra_column"):
            base = fz.read_rows(fz.rows_copy()).raw[table]
            got = outcome.raw[table]
            key = list(spec.key) or list(got.columns)
            assert (
                got.sort_values(key, ignore_index=True)
                .astype(str)
                .equals(base.sort_values(key, ignore_index=True).astype(str))
            )
    else:
        fz.assert_clear_error(outcome)
        assert expect != "ok", f"{mutation} of {table} refused: {outcome.message}"
        if expect:
            assert expect in outcome.message, outcome.message
            named = "lkj_2022.xlsx" if mutation == "bad_xlsx" else f"{table}.csv"
            assert named in outcome.message, outcome.message


# ----- the same properties for a workbook, whose cells have types (number, text, date, ...)

XLSX_VALUES = st.one_of(
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1.500", "1.367.655.230", "90,91", "NaN", "inf", "١٢", "-", " 12 ", ""]),
    st.booleans(),
    st.datetimes(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8),
)


@given(cell=st.sampled_from(NUMBER_CELLS), row_seed=st.integers(0, 10**6), value=XLSX_VALUES)
@settings(max_examples=max(5, settings.default.max_examples // 20))
def test_a_workbook_number_cell_is_read_exactly_or_refused(tmp_path_factory, cell, row_seed, value):
    fz.count_case("ingest: one number cell of an .xlsx workbook")
    name, _, fld = cell
    book = _workbook(tmp_path_factory)
    wb = openpyxl.load_workbook(book)
    sheet = wb[name]
    header = [c.value for c in sheet[1]]
    i = 2 + row_seed % (sheet.max_row - 1)
    sheet.cell(row=i, column=header.index(fld.name) + 1, value=value)

    def save(year_dir):
        wb.save(year_dir / "lkj_2022.xlsx")

    outcome = fz.read_files({}, prepare=save)
    if outcome.raw is None:
        fz.assert_clear_error(outcome)
        return
    fz.assert_tables_sound(outcome.raw)
    got = outcome.raw[name][fld.name].iloc[i - 2]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if value in ("-", " 12 "):
            assert float(got) == {"-": 0, " 12 ": 12}[value]
        elif value == "":
            assert got != got or got is None or str(got) == "<NA>"
        return
    # a number cell is read as Excel shows it: 15 significant digits
    assert float(got) == float(f"{value:.15g}") + 0.0


_BOOK = {}


def _workbook(tmp_path_factory):
    if "path" not in _BOOK:
        base = fz.read_rows(fz.rows_copy()).raw
        path = tmp_path_factory.mktemp("book") / "lkj_2022.xlsx"
        write_workbook(base, path)
        _BOOK["path"] = path
    return _BOOK["path"]


# ----- what the project writes reads back: text that looks like a formula stays text

FORMULA_LIKE = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(
        ["=", "+", "-", "@", "\t", "\r", "=1+1", '=HYPERLINK("http://contoh.invalid","klik")']
        + ["#N/A", "#DIV/0!", "=cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12),
)
NAME_CELLS = [  # names a reader sees first: the head of the agency, a sub kegiatan, a unit
    ("instansi", "nilai", "kepala_nama"),
    ("sub_kegiatan", "nama_sub_kegiatan", None),
    ("program", "nama_program", None),
]


def _formulas(book) -> list[str]:
    """Every cell of ``book`` stored as a formula or an error code (not as text)."""
    wb = openpyxl.load_workbook(book)
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type in ("f", "e")
    ]


@given(cell=st.sampled_from(TEXT_CELLS), row_seed=st.integers(0, 10**6), text=FORMULA_LIKE)
@settings(max_examples=max(5, settings.default.max_examples // 20))
def test_formula_like_text_reads_back_from_the_workbook(tmp_path_factory, cell, row_seed, text):
    """write_workbook (make workbook, the workbook inside the PDF) stores every text as a
    string cell: read back, each table equals what was written, and no cell is a formula."""
    fz.count_case("workbook: text beginning with = + - @ tab CR reads back as written")
    name, col, fld = cell
    tables = fz.rows_copy()
    i = 1 + row_seed % (len(tables[name]) - 1)
    tables[name][i][col] = text
    first = fz.read_rows(tables)
    assume(first.raw is not None)  # e.g. a required cell left empty after trimming
    assert first.raw[name][fld.name].iloc[i - 1] == text.strip()
    book = tmp_path_factory.mktemp("formula") / "lkj_2022.xlsx"
    write_workbook(first.raw, book)
    assert _formulas(book) == []
    back = fz.read_files({}, prepare=lambda d: (d / book.name).write_bytes(book.read_bytes()))
    assert back.raw is not None, back.message
    for table, frame in first.raw.tables.items():
        assert back.raw[table].equals(frame), table
    assert back.raw[name][fld.name].iloc[i - 1] == text.strip()


def test_names_that_look_like_formulas_are_kept(tmp_path):
    """The cases of the issue, by hand: kepala_nama =HYPERLINK(...), a sub kegiatan =1+1."""
    tables = fz.rows_copy()
    link = '=HYPERLINK("http://contoh.invalid","klik")'
    written = {}
    for table, column, key in NAME_CELLS:
        rows = tables[table]
        j = rows[0].index(column)
        i = next(k for k, r in enumerate(rows) if k and (key is None or r[0] == key))
        rows[i][j] = link if key else f"=1+{i}"
        written[(table, column)] = rows[i][j]
    raw = fz.read_rows(tables).raw
    book = tmp_path / "lkj_2022.xlsx"
    write_workbook(raw, book)
    assert _formulas(book) == []
    wb = openpyxl.load_workbook(book)
    for (table, column), value in written.items():
        ws = wb[table]
        header = [c.value for c in ws[1]]
        found = [r[header.index(column)] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert found.count(value) == 1, (table, column)


def test_a_control_character_is_refused_with_its_cell():
    """BEL in a sub kegiatan name (CSV row 4), ESC in kepala_nama: each refused naming file,
    row and column, the character as an escape (never raw to the terminal)."""
    tables = fz.rows_copy()
    j = tables["sub_kegiatan"][0].index("nama_sub_kegiatan")
    tables["sub_kegiatan"][3][j] = "Penyusunan\x07 Dokumen"
    outcome = fz.read_rows(tables)
    assert [(e.file.split("/")[-1], e.row, e.column) for e in fz.errors_of(outcome)] == [
        ("sub_kegiatan.csv", 4, "nama_sub_kegiatan")
    ]
    assert "\\x07 (U+0007)" in outcome.message and "\x07" not in outcome.message
    tables = fz.rows_copy()
    row = next(k for k, r in enumerate(tables["instansi"]) if r[0] == "kepala_nama")
    tables["instansi"][row][1] = "YUSMAWANDI\x1b[31m"
    outcome = fz.read_rows(tables)
    assert [(e.file.split("/")[-1], e.row, e.column) for e in fz.errors_of(outcome)] == [
        ("instansi.csv", row + 1, "nilai")
    ]
    assert "\\x1b (U+001B)" in outcome.message and "\x1b" not in outcome.message
