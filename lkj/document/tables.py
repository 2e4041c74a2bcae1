"""The table model: every table of the report built once, as data, for every renderer.

A :class:`Table` holds columns (header, kind, alignment, relative width), the header rows with
their merged cells, body rows and foot (total) rows of :class:`Cell` s, a caption title, a
stable key and a landscape flag. A cell keeps the raw value *and* the text every format shows
(formatted once here, through ``lkj.core.fmt``); a category cell carries its label and colour (both
computed upstream, in the ``kategori_*``/``warna_*``/``predikat*`` columns). The caption number
("Tabel 3.4") is not part of the table: ``lkj.document.model.number_blocks`` assigns it from the
table's place in the document.

Tables are usually built from a DataFrame with :func:`frame_table` and a list of :class:`Col`::

    frame_table(
        "evaluasi_indikator",
        "Evaluasi Indikator Kinerja Sasaran Tahun 2022",
        frame,
        [Col("Indikator", "uraian_indikator"), Col("Capaian (%)", "capaian_pct", "pct")],
    )

The HTML renderer is ``lkj.render.to_html``, the Word renderer ``lkj.render.to_docx``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lkj.core.fmt import format_angka, format_nilai, format_pct

if TYPE_CHECKING:  # pandas is imported by whoever hands a DataFrame in (frame_table)
    import pandas as pd

KINDS = ("teks", "angka", "desimal", "rp", "pct", "indeks", "kategori")
NUMERIC_KINDS = frozenset({"angka", "desimal", "rp", "pct", "indeks"})
COMPUTED_PLACES = {"pct": 2, "indeks": 2}
"""Decimals a computed quantity always prints with, whatever its value (100,00; 1,00)."""
MISSING = "-"


def default_align(kind: str) -> str:
    """Alignment of a column of ``kind``: numbers right, everything else left."""
    return "right" if kind in NUMERIC_KINDS else "left"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pandas = sys.modules.get("pandas")  # pandas's missing values exist only once it is loaded
    if pandas is None:
        return False
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):
        return False


def format_value(value: Any, kind: str) -> str:
    """The text of one value of ``kind`` (see :data:`KINDS`), through ``lkj.core.fmt``.

    Args:
        value: the raw value.
        kind: angka and rp: whole number with thousands dots; desimal: the decimals the
            value has, as entered (values a user typed); pct: two decimals, no % sign;
            indeks: a computed ratio or index, two decimals whatever its value (1,00 not 1);
            teks/kategori: as text.

    Returns:
        The formatted text ("-" for a missing number, "" for a missing text).
    """
    if kind in ("angka", "rp"):
        return format_angka(value)
    if kind == "desimal":  # a value as entered: the decimals it has (92,5; 2,125; 40)
        return format_nilai(value)
    if kind == "pct":
        return format_pct(value, COMPUTED_PLACES["pct"], sign=False)
    if kind == "indeks":
        return format_angka(value, COMPUTED_PLACES["indeks"])
    return "" if _is_missing(value) else str(value)


@dataclass(frozen=True)
class Column:
    """A column of a table.

    Attributes:
        header: the heading of the column (lowest header row).
        kind: one of :data:`KINDS`; pct and indeks are computed quantities printed with
            :data:`COMPUTED_PLACES` decimals, desimal a typed value with its own decimals.
        align: "left", "right" or "center"; numbers are right-aligned by default.
        width: relative width hint (1 = an ordinary column; renderers fit widths to the
            content and multiply by this hint).
        group: header of a merged cell above this column; consecutive columns with the same
            group share it (e.g. "Jumlah" above "2021" and "2022").
    """

    header: str
    kind: str = "teks"
    align: str = ""
    width: float = 1.0
    group: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.header!r}: unknown kind {self.kind!r}")
        if not self.align:
            object.__setattr__(self, "align", default_align(self.kind))


@dataclass(frozen=True)
class Cell:
    """One cell: the raw value and the text shown.

    Attributes:
        text: the text every format shows; "\\n" separates lines.
        value: the raw value (a number, a text, None).
        kind: the kind of the value (decides alignment in renderers).
        color: for a category cell, its background colour (#rrggbb); the text is the label.
        bold: strong text (totals, group rows).
        italic: emphasised text.
        indent: hierarchy level shown as an indent with a dash (sub rows).
        mono: fixed-width text (checksums).
        items: a numbered list shown in the cell (instead of ``text``).
        colspan: columns the cell spans.
        rowspan: rows the cell spans.
    """

    text: str
    value: Any = None
    kind: str = "teks"
    color: str = ""
    bold: bool = False
    italic: bool = False
    indent: int = 0
    mono: bool = False
    items: tuple[str, ...] = ()
    colspan: int = 1
    rowspan: int = 1

    @property
    def is_category(self) -> bool:
        """True for a category label with its colour."""
        return bool(self.color) and bool(self.text)

    @property
    def align(self) -> str:
        """Alignment of the cell's text."""
        return default_align(self.kind)

    @property
    def plain(self) -> str:
        """The text as every format shows it, on one line: lines and list items joined by a
        space, an indented cell after its dash ("– Belanja Pegawai")."""
        text = " ".join(self.items) if self.items else " ".join(self.text.split("\n"))
        return f"{'– ' * self.indent}{text}" if self.indent else text


@dataclass(frozen=True)
class HeaderCell:
    """A cell of a header row; merged cells span columns or rows."""

    text: str
    colspan: int = 1
    rowspan: int = 1


Row = tuple[Cell, ...]


@dataclass
class Table:
    """A table of the report, built once and rendered by every format.

    Attributes:
        key: stable identifier (e.g. "evaluasi_indikator"), for tests and references.
        title: the caption without its number.
        columns: the columns.
        rows: the body rows.
        foot: total rows, printed once after the body.
        header: the header rows; derived from the columns' groups when not given.
        numbered: takes a number ("Tabel 3.4") from its place in the document.
        landscape: printed on landscape pages (wide tables).
        small: smaller type (wide or long tables).
        label: the number assigned by ``lkj.document.model.number_blocks`` ("Tabel 3.4"), else "".
        key_columns: the leading columns each part repeats when the table is too wide for a
            landscape page and its columns are split (0: derived from the columns,
            ``lkj.document.table_layout.key_columns``).
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[Row] = field(default_factory=list)
    foot: list[Row] = field(default_factory=list)
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    numbered: bool = True
    landscape: bool = False
    small: bool = False
    label: str = ""
    key_columns: int = 0

    def __post_init__(self) -> None:
        self.columns = tuple(self.columns)
        if not self.header:
            self.header = header_rows(self.columns)
        for part in (self.header, self.rows, self.foot):
            place(part, len(self.columns), self.key)

    @property
    def caption(self) -> str:
        """The caption as printed: "Tabel 3.4 Evaluasi ..." (or the title alone)."""
        return f"{self.label} {self.title}".strip()

    @property
    def headers(self) -> list[str]:
        """The column headers (lowest header row)."""
        return [c.header for c in self.columns]

    def texts(self, foot: bool = False) -> list[list[str]]:
        """The shown text of every body row (or foot row), cell by cell."""
        return [[c.plain for c in row] for row in (self.foot if foot else self.rows)]

    def column_texts(self, header: str) -> list[str]:
        """The shown texts of one column of the body (rows without spans)."""
        j = self.headers.index(header)
        return [row[j].plain for row in self.rows if len(row) == len(self.columns)]


def place(
    rows: Sequence[Sequence[Cell | HeaderCell]], n_columns: int, key: str = ""
) -> list[list[tuple[int, Cell | HeaderCell]]]:
    """The grid column of every cell of ``rows``, accounting for merged cells.

    A cell spanning rows takes its column in the rows below it too, so those rows hold fewer
    cells; renderers that draw a grid (Word) need the column of each cell.

    Args:
        rows: header, body or foot rows.
        n_columns: the table's number of columns.
        key: the table's key, for the error message.

    Returns:
        Per row, (column index, cell) pairs.

    Raises:
        ValueError: a row does not fill exactly ``n_columns`` columns.
    """
    taken: dict[int, set[int]] = {}  # row -> its grid columns covered so far
    out = []
    for r, row in enumerate(rows):
        placed = []
        j = 0
        here = taken.setdefault(r, set())
        for c in row:
            while j in here:
                j += 1
            placed.append((j, c))
            for dr in range(c.rowspan):
                taken.setdefault(r + dr, set()).update(range(j, j + c.colspan))
            j += c.colspan
        filled = len(here)
        if filled != n_columns or max(here, default=-1) >= n_columns:
            raise ValueError(f"table {key}: row {r + 1} fills {filled} of {n_columns} columns")
        del taken[r]
        out.append(placed)
    return out


def header_rows(columns: Sequence[Column]) -> tuple[tuple[HeaderCell, ...], ...]:
    """The header rows of ``columns``: one row, or two when some columns have a group.

    Ungrouped columns span both rows; each run of consecutive columns with the same group gets
    one merged cell above them.
    """
    if not any(c.group for c in columns):
        return (tuple(HeaderCell(c.header) for c in columns),)
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    i = 0
    while i < len(columns):
        group = columns[i].group
        if not group:
            top.append(HeaderCell(columns[i].header, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == group:
            bottom.append(HeaderCell(columns[j].header))
            j += 1
        top.append(HeaderCell(group, colspan=j - i))
        i = j
    return (tuple(top), tuple(bottom))


# ------------------------------------------------------------------------------ builders


@dataclass(frozen=True)
class Col:
    """How a column is filled from a DataFrame (the spec :func:`frame_table` reads).

    Attributes:
        header: the heading shown.
        key: the DataFrame column, or a function of the row giving a value or a :class:`Cell`.
        kind: teks, angka (whole number), desimal (as typed), rp (rupiah), pct (percent),
            indeks (computed ratio, two decimals), kategori.
        color: for kategori, the column holding the band colour.
        group: a merged header above this column (see :class:`Column`).
        width: relative width hint.
    """

    header: str
    key: str | int | Callable[[pd.Series], Any]
    kind: str = "teks"
    color: str = ""
    group: str = ""
    width: float = 1.0

    @property
    def column(self) -> Column:
        """The model column."""
        return Column(self.header, self.kind, width=self.width, group=self.group)


def cell(value: Any, kind: str = "teks", **style: Any) -> Cell:
    """A cell of ``value`` formatted by ``kind`` (see :func:`format_value`).

    Args:
        value: the raw value.
        kind: one of :data:`KINDS` (kategori: use :func:`category_cell`).
        **style: bold, italic, indent, mono, colspan, rowspan.

    Returns:
        The cell.
    """
    return Cell(format_value(value, kind), value, kind, **style)


def category_cell(label: Any, color: Any, **style: Any) -> Cell:
    """A category cell: its label on its colour, or "-" when there is no category."""
    if not isinstance(label, str) or not label or not isinstance(color, str) or not color:
        return Cell(MISSING, None, "kategori", **style)
    return Cell(label, label, "kategori", color=color, **style)


def _frame_cell(row: pd.Series, col: Col) -> Cell:
    value = col.key(row) if callable(col.key) else row[col.key]
    if isinstance(value, Cell):
        return value
    if col.kind == "kategori":
        return category_cell(value, row[col.color] if col.color else "")
    return cell(value, col.kind)


NO_COLUMN = Column("No", "angka", width=0.3)


def frame_table(
    key: str,
    title: str,
    frame: pd.DataFrame,
    cols: Sequence[Col],
    total: dict[str, Any] | None = None,
    number: bool = True,
    **options: Any,
) -> Table:
    """A table of the rows of ``frame``, one :class:`Col` per column.

    Args:
        key: the table's stable key.
        title: the caption without its number.
        frame: the rows.
        cols: the columns to show.
        total: values of a total row by column header (missing headers stay empty; a value may
            be a :class:`Cell`); the first column says "Jumlah" unless given (key "").
        number: prepend a "No" column (1, 2, ...).
        **options: numbered, landscape, small, header (see :class:`Table`).

    Returns:
        The table.
    """
    columns = ([NO_COLUMN] if number else []) + [c.column for c in cols]
    rows = []
    for i, (_, row) in enumerate(frame.iterrows(), start=1):
        cells = [cell(i, "angka")] if number else []
        cells += [_frame_cell(row, c) for c in cols]
        rows.append(tuple(cells))
    foot = []
    if total is not None:
        cells = [Cell("")] if number else []
        for j, c in enumerate(cols):
            if j == 0 and c.header not in total:
                cells.append(Cell(str(total.get("", "Jumlah")), bold=True))
                continue
            value = total.get(c.header, "")
            if isinstance(value, Cell):
                cells.append(value)
            elif isinstance(value, str) and value == "":
                cells.append(Cell(""))
            else:
                cells.append(cell(value, c.kind, bold=True))
        foot.append(tuple(cells))
    return Table(key, title, tuple(columns), rows, foot, **options)


# ------------------------------------------------------------------------------ widths

# Roughly the characters of 8.5 pt text on a line of a portrait A4 page between margins.
LINE_CHARS = 95


def column_widths(
    table: Table, line_chars: float = LINE_CHARS, padding: float = 0, word_factor: float = 1.0
) -> list[float]:
    """Relative column widths that fit the content (they sum to 1).

    Like a browser's automatic table layout: every column gets at least its longest word
    (and at least a short number's width); what is left of the line is shared in proportion
    to how much longer each column's longest line is than that minimum. Each column's
    ``width`` hint multiplies its share.

    Args:
        table: the table.
        line_chars: characters of table text that fit on one line of the page.
        padding: characters' worth of cell padding added to every column.
        word_factor: how much wider than an average character the characters of an
            unbreakable word may be (bold headers, digits, a wider substitute font).

    Returns:
        One fraction per column.
    """
    n = len(table.columns)
    longest = [0.0] * n  # longest line
    word = [0.0] * n  # longest unbreakable word
    for rows in (table.rows, table.foot):
        for row in rows:
            if len(row) != n:
                continue
            for j, c in enumerate(row):
                if c.colspan != 1:
                    continue
                lines = list(c.items) or c.text.split("\n")
                longest[j] = max(longest[j], *(len(line) + 2 * c.indent for line in lines))
                words = [len(w) for line in lines for w in line.split()] or [0]
                word[j] = max(word[j], max(words))
    for j, col in enumerate(table.columns):
        header_words = [len(w) for w in col.header.split()] or [0]
        word[j] = max(word[j], max(header_words), 3)
        longest[j] = max(longest[j], word[j])
    minimum = [min(w, 30.0) * word_factor + padding for w in word]
    natural = [max(longest[j] * table.columns[j].width + padding, minimum[j]) for j in range(n)]
    if sum(natural) <= line_chars:
        widths = natural
    else:
        spare = max(line_chars - sum(minimum), 0.0)
        extra = [natural[j] - minimum[j] for j in range(n)]
        total_extra = sum(extra) or 1.0
        widths = [minimum[j] + spare * extra[j] / total_extra for j in range(n)]
    total = sum(widths) or 1.0
    return [w / total for w in widths]
