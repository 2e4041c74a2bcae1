"""How a table is set on the page: column widths in points, type size and orientation,
decided once from the shipped fonts' metrics (``lkj.document.measure``) and followed by every
renderer (the Typst PDF, the DOCX, the HTML print).

A column is never narrower than what may not break in it: a number, a code, a category
label's longest word (labels wrap inside their box, between words), a header's longest word,
the longest word of its text (up to :data:`LONG_TOKEN` of the line: a longer token, a file
path, a checksum, is broken inside its cell, :func:`break_long_words`). What the line has left
goes to the columns in proportion to how much longer their longest line is. Where the columns'
minimums do not fit the text width, in this order: the smaller table type (never under 8 pt),
then a landscape page, then the table's columns split into parts, each a table of its own with
the key columns repeated (:func:`table_parts`). A header word may be narrower than its column
needs: it is broken at a syllable (``lkj.document.suku_kata``) where the column is narrower
than the word, and only there (:func:`header_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lkj.core.config import Dokumen
from lkj.document import suku_kata
from lkj.document.measure import mono_width, text_width
from lkj.document.tables import NUMERIC_KINDS, Cell, HeaderCell, Table, place

PT_PER_MM = 72 / 25.4
INSET_X = 3.0
"""Cell padding left and right (pt), as the renderers draw it."""
LABEL_INSET = 3.0
"""Padding of a category label's box, left and right (pt)."""
RULE = 0.5
"""Width of a cell rule (pt)."""
SAFETY = 1.5
"""Room kept beside the widest unbreakable text of a column (pt): the layout test asks for
1 pt between a glyph and a rule."""
TABLE_SCALE = 0.81
SMALL_SCALE = 0.714
MIN_TABLE_PT = 8.0
LONG_TOKEN = 0.3
"""A word wider than this share of the line is broken inside its cell."""
MONO_SCALE = 0.9


@dataclass(frozen=True)
class TableLayout:
    """How one table is set.

    Attributes:
        widths: each column's width in pt (they sum to the text width).
        size: the table's type size (pt).
        landscape: set on a landscape page.
        fits: every column has at least the width of what may not break in it.
        split: when the table does not fit even in landscape at the smallest size, the
            columns of each of its parts (the key columns first in each); else empty.
    """

    widths: tuple[float, ...]
    size: float
    landscape: bool
    fits: bool
    split: tuple[tuple[int, ...], ...] = ()

    @property
    def fractions(self) -> list[float]:
        """The widths as fractions of their sum."""
        total = sum(self.widths) or 1.0
        return [w / total for w in self.widths]

    @property
    def mono_size(self) -> float:
        """Type size of fixed-width text (checksums) in this table."""
        return max(MONO_SCALE * self.size, MIN_TABLE_PT)


def text_widths_pt(dokumen: Dokumen) -> tuple[float, float]:
    """The text width of a portrait and of a landscape page (pt)."""
    width, height = dokumen.paper_mm
    sides = 10 * (dokumen.margin_left_cm + dokumen.margin_right_cm)
    return (width - sides) * PT_PER_MM, (height - sides) * PT_PER_MM


def _words(text: str) -> list[str]:
    return text.split() or [""]


def _header_word(text: str, size: float, font: str, hyphenate: bool) -> float:
    """The width the header ``text`` needs on a line: its widest word; with ``hyphenate``,
    each word broken once at its best syllable where it has one (``lkj.document.suku_kata``)."""

    def measure(s: str) -> float:
        return text_width(s, size, font, True)

    if not hyphenate:
        return max(measure(w) for w in _words(text))
    return max(suku_kata.narrowest(w, measure) for w in _words(text))


def _cell_needs(c: Cell, size: float, font: str, bold: bool, long: float) -> tuple[float, float]:
    """(minimum, natural) width of a cell's content at ``size``, padding excluded."""
    bold = bold or c.bold
    lines = list(c.items) or c.text.split("\n")
    if c.mono:
        mono = max(MONO_SCALE * size, MIN_TABLE_PT)
        natural = max(mono_width(line, mono) for line in lines)
        return min(natural, mono_width("0" * 16, mono)), natural
    lead = 0.0
    if c.indent:
        lead = c.indent * 0.9 * size + text_width("– ", size, font, bold)
    if c.items:
        lead += 1.8 * size
    if c.is_category:
        bold = True
        lead += 2 * LABEL_INSET
    natural = lead + max(text_width(line, size, font, bold) for line in lines)
    if c.kind in NUMERIC_KINDS:  # a number never wraps
        return natural, natural
    widest = max(text_width(w, size, font, bold) for line in lines for w in _words(line))
    return lead + min(widest, long), natural


def _needs(
    t: Table, size: float, font: str, long: float, hyphenate: bool = False
) -> tuple[list[float], list[float]]:
    n = len(t.columns)
    minimum, natural = [0.0] * n, [0.0] * n
    for rows, bold in ((t.rows, False), (t.foot, True)):
        for placed in place(rows, n, t.key):
            for j, c in placed:
                if c.colspan != 1 or not isinstance(c, Cell):
                    continue
                low, high = _cell_needs(c, size, font, bold, long)
                minimum[j], natural[j] = max(minimum[j], low), max(natural[j], high)
    for placed in place(t.header, n, t.key):
        for j, h in placed:
            if h.colspan != 1:
                continue
            widest = _header_word(h.text, size, font, hyphenate)
            minimum[j] = max(minimum[j], min(widest, long))
            natural[j] = max(natural[j], text_width(h.text, size, font, True))
    return minimum, natural


def _share(
    minimum: list[float], natural: list[float], hints: list[float], room: float
) -> list[float]:
    """Widths of the content (padding excluded) that fill ``room``."""
    if sum(natural) <= room:  # everything on one line: the rest by the natural widths
        weights = [nat * h for nat, h in zip(natural, hints, strict=True)]
        total = sum(weights) or 1.0
        spare = room - sum(natural)
        return [nat + spare * w / total for nat, w in zip(natural, weights, strict=True)]
    spare = max(room - sum(minimum), 0.0)
    extra = [(nat - low) * h for low, nat, h in zip(minimum, natural, hints, strict=True)]
    total = sum(extra) or 1.0
    return [low + spare * e / total for low, e in zip(minimum, extra, strict=True)]


def table_layout(t: Table, dokumen: Dokumen | None = None) -> TableLayout:
    """Column widths, type size and orientation of ``t`` on the pages of ``dokumen``.

    Tries, in order: the table's size (its ``small`` size if it asks for it) on its page
    (landscape if it asks for it), the smaller size (never under 8 pt), a landscape page at
    each size; at each, header words whole, then header words broken at a syllable. The
    first that gives every column its minimum wins; when none does, the last, with its
    columns split into parts (:attr:`TableLayout.split`).
    """
    dokumen = dokumen or Dokumen()
    portrait, wide = text_widths_pt(dokumen)
    body = dokumen.font_size_pt
    normal = body * (SMALL_SCALE if t.small else TABLE_SCALE)
    small = max(body * SMALL_SCALE, MIN_TABLE_PT)
    sizes = [normal] + ([small] if small < normal else [])
    tries = [(s, t.landscape) for s in sizes]
    if not t.landscape:
        tries += [(s, True) for s in sizes]
    pad = 2 * INSET_X + RULE + SAFETY
    n = len(t.columns)
    hints = [c.width for c in t.columns]
    for (size, landscape), hyphenate in [(try_, h) for try_ in tries for h in (False, True)]:
        line = wide if landscape else portrait
        minimum, natural = _needs(t, size, dokumen.font, LONG_TOKEN * line, hyphenate)
        room = line - n * pad
        fits = sum(minimum) <= room
        if fits or ((size, landscape) == tries[-1] and hyphenate):
            content = _share(minimum, natural, hints, room)
            spanned = [w + pad for w in content]
            widths = _spanned(t, spanned, size, dokumen.font, hyphenate)
            split = () if fits else _split(t, [m + pad for m in minimum], line)
            return TableLayout(tuple(round(w, 2) for w in widths), size, landscape, fits, split)
    raise AssertionError("unreachable")  # pragma: no cover


def key_columns(t: Table) -> int:
    """How many leading columns every part of a split table repeats: ``t.key_columns`` when
    set, else the leading columns up to the first text column of more than an ordinary width
    (the name: "No", "Kode", "Uraian"), else up to the first text column."""
    if t.key_columns:
        return t.key_columns
    texts = [j for j, c in enumerate(t.columns) if c.kind == "teks"]
    wide = [j for j in texts if t.columns[j].width > 1]
    first = (wide or texts or [0])[0]
    return first + 1


def _units(t: Table, start: int) -> list[list[int]]:
    """The columns from ``start`` on in runs a part may not cut: the columns under one merged
    header cell stay together."""
    owner = list(range(len(t.columns)))
    for placed in place(t.header, len(t.columns), t.key):
        for j, h in placed:
            for k in range(j + 1, j + h.colspan):
                owner[k] = owner[j]
    units: list[list[int]] = []
    for j in range(start, len(t.columns)):
        if units and owner[j] == owner[units[-1][0]]:
            units[-1].append(j)
        else:
            units.append([j])
    return units


def _split(t: Table, minimum: Sequence[float], line: float) -> tuple[tuple[int, ...], ...]:
    """The columns of each part of ``t``: the key columns, then as many of the next runs of
    columns (:func:`_units`) as fit ``line`` at their minimum widths (``minimum``, padding
    included); () when the table cannot be split (one run of columns after the keys)."""
    keys = list(range(min(key_columns(t), len(t.columns) - 1)))
    units = _units(t, len(keys))
    if len(units) < 2:
        return ()
    base = sum(minimum[j] for j in keys)
    needs = [sum(minimum[j] for j in unit) for unit in units]

    def fill(width: float) -> list[list[int]]:
        parts: list[list[int]] = [[]]
        used = base
        for unit, need in zip(units, needs, strict=True):
            if parts[-1] and used + need > width:
                parts.append([])
                used = base
            parts[-1] += unit
            used += need
        return parts

    parts = fill(line)
    if len(parts) < 2:
        return ()
    # as many parts as the line needs, as even as they can be: the narrowest line that
    # still gives that many
    low, high = base + max(needs), line
    for _ in range(24):
        middle = (low + high) / 2
        low, high = (middle, high) if len(fill(middle)) > len(parts) else (low, middle)
    return tuple(tuple(keys + part) for part in fill(high))


def _clip(rows: Sequence[Sequence], n: int, key: str, columns: Sequence[int]) -> list[tuple]:
    """``rows`` (header, body or foot) cut to ``columns``: a merged cell keeps the columns it
    spans among them; a cell without any is left out."""
    at = set(columns)
    out = []
    for placed in place(rows, n, key):
        cells = []
        for j, c in placed:
            span = sum(1 for k in range(j, j + c.colspan) if k in at)
            if span:
                cells.append(c if span == c.colspan else replace(c, colspan=span))
        out.append(tuple(cells))
    return out


def table_parts(
    t: Table, dokumen: Dokumen | None = None, layout: TableLayout | None = None
) -> list[tuple[Table, TableLayout]]:
    """``t`` as it is printed: itself with its layout, or, when its layout splits it, each
    part as a table of its own (the key columns repeated, landscape at the smallest size)
    with its layout. The first part keeps the table's number; the others are captioned
    "Lanjutan Tabel 3.4 ... (bagian 2 dari 2)" and numbered by nobody."""
    layout = layout or table_layout(t, dokumen)
    if not layout.split:
        return [(t, layout)]
    n, count = len(t.columns), len(layout.split)
    out = []
    for i, columns in enumerate(layout.split):
        part = Table(
            f"{t.key}_bagian{i + 1}",
            f"{t.title} (bagian {i + 1} dari {count})",
            tuple(t.columns[j] for j in columns),
            _clip(t.rows, n, t.key, columns),
            _clip(t.foot, n, t.key, columns),
            tuple(_clip(t.header, n, t.key, columns)),
            numbered=t.numbered and i == 0,
            landscape=True,
            small=True,
            label=t.label if i == 0 else (f"Lanjutan {t.label}" if t.label else ""),
            key_columns=t.key_columns,
        )
        out.append((part, table_layout(part, dokumen)))
    return out


def header_lines(
    t: Table, layout: TableLayout, font: str = "Liberation Sans"
) -> list[list[list[tuple[str, bool]]]]:
    """Per header row, per cell, its lines at the column widths of ``layout``
    (``lkj.document.suku_kata.wrap``): a word wider than its column broken at a syllable."""

    def measure(s: str) -> float:
        return text_width(s, layout.size, font, True)

    out = []
    for placed in place(t.header, len(t.columns), t.key):
        row = []
        for j, h in placed:
            room = sum(layout.widths[j : j + h.colspan]) - 2 * INSET_X - RULE - SAFETY
            row.append(suku_kata.wrap(h.text, room, measure))
        out.append(row)
    return out


def soft_header(h: HeaderCell, lines: list[tuple[str, bool]]) -> str:
    """The header text with a soft hyphen where :func:`header_lines` broke a word (the DOCX
    and HTML renderers: printed as a hyphen only where the line breaks there)."""
    return suku_kata.soft_text(h.text, lines)


def _spanned(t: Table, widths: list[float], size: float, font: str, hyphenate: bool) -> list[float]:
    """Widths widened where a merged header's longest word is wider than its columns
    (taken from the other columns in proportion)."""
    total = sum(widths)
    for placed in place(t.header, len(t.columns), t.key):
        for j, h in placed:
            if h.colspan == 1:
                continue
            need = _header_word(h.text, size, font, hyphenate) + 2 * INSET_X + RULE + SAFETY
            have = sum(widths[j : j + h.colspan])
            if have < need:
                for k in range(j, j + h.colspan):
                    widths[k] *= need / have
    scale = total / sum(widths)
    return [w * scale for w in widths]


def break_long_words(
    text: str, width: float, size: float, font: str, bold: bool, mono: bool = False
) -> str:
    """``text`` with every word wider than ``width`` (pt) cut into lines that fit (a file
    path, a checksum); other words are left for the renderer to wrap."""
    out = []
    for line in text.split("\n"):
        words = []
        for word in line.split(" "):
            measure = (
                (lambda s: mono_width(s, size))
                if mono
                else (lambda s: text_width(s, size, font, bold))
            )
            if measure(word) <= width + 0.02:  # the widths are rounded to 0.01 pt
                words.append(word)
                continue
            pieces, piece = [], ""
            for ch in word:
                if piece and measure(piece + ch) > width:
                    pieces.append(piece)
                    piece = ""
                piece += ch
            words.append("\n".join([*pieces, piece]))
        out.append(" ".join(words))
    return "\n".join(out)


def layouts(tables: Iterable[Table], dokumen: Dokumen | None = None) -> dict[str, TableLayout]:
    """The layout of every table by its key."""
    return {t.key: table_layout(t, dokumen) for t in tables}


def row_heights(t: Table, layout: TableLayout, font: str = "Liberation Sans") -> list[float]:
    """An estimate (from above) of the height in pt of every body and foot row as set: each
    cell's lines wrapped at its width, the row as tall as its tallest cell."""
    n = len(t.columns)
    line = layout.size * 1.45
    out = []
    for rows, bold in ((t.rows, False), (t.foot, True)):
        for placed in place(rows, n, t.key):
            tallest = 1
            for j, c in placed:
                if not isinstance(c, Cell):
                    continue
                room = max(sum(layout.widths[j : j + c.colspan]) - 2 * INSET_X - RULE - SAFETY, 1)
                count = 0
                for text in list(c.items) or c.text.split("\n"):
                    size = layout.mono_size if c.mono else layout.size
                    width = (
                        mono_width(text, size)
                        if c.mono
                        else text_width(text, size, font, bold or c.bold)
                    )
                    count += max(1, -int(-width * 1.15 // room))
                tallest = max(tallest, count)
            out.append(tallest * line + 5.0)
    return out


def keep_groups(n_body: int, heights: list[float], page_pt: float) -> list[int]:
    """Per body and foot row, how many rows from it on stay on one page (0: held by a group
    above): the first two body rows, the last two with the total rows; a table of three body
    rows or fewer is never split when it fits. A group taller than two thirds of the page
    (``page_pt``) is not kept together (its rows split where they must)."""
    total = len(heights)
    n_foot = total - n_body

    def fits(start: int, count: int) -> bool:
        return sum(heights[start : start + count]) <= 2 * page_pt / 3

    keep = [1] * total
    if n_body <= 3 and fits(0, total):
        return [total] + [0] * (total - 1)
    groups = [(n_body - 2, 2 + n_foot)] if n_body >= 2 else []
    if n_body >= 4:
        groups.insert(0, (0, 2))
    for start, count in groups:
        if fits(start, count):
            keep[start : start + count] = [count] + [0] * (count - 1)
    return keep


def _page_pt(layout: TableLayout, dokumen: Dokumen) -> float:
    """The height of the text area of the table's pages (pt)."""
    width, height = dokumen.paper_mm
    across = width if layout.landscape else height
    return (across - 10 * (dokumen.margin_top_cm + dokumen.margin_bottom_cm)) * PT_PER_MM


def rows_kept(
    t: Table,
    layout: TableLayout,
    dokumen: Dokumen | None = None,
    heights: list[float] | None = None,
) -> list[int]:
    """:func:`keep_groups` of ``t`` set by ``layout`` on the pages of ``dokumen`` (``heights``:
    its :func:`row_heights`, if the caller has them)."""
    dokumen = dokumen or Dokumen()
    page = _page_pt(layout, dokumen)
    if heights is None:
        heights = row_heights(t, layout, dokumen.font)
    return keep_groups(len(t.rows), heights, page)


def tall_spans(
    t: Table, layout: TableLayout, dokumen: Dokumen | None = None
) -> set[tuple[int, int]]:
    """(body row, column) of the cells spanning rows that together are taller than two
    thirds of a page (a sasaran beside its hundreds of sub kegiatan): such a cell may run
    over pages, set at the top of its rows; every other cell keeps its rows on one page."""
    dokumen = dokumen or Dokumen()
    heights = row_heights(t, layout, dokumen.font)
    page = _page_pt(layout, dokumen)
    out = set()
    for r, placed in enumerate(place(t.rows, len(t.columns), t.key)):
        for j, c in placed:
            if c.rowspan > 1 and sum(heights[r : r + c.rowspan]) > 2 * page / 3:
                out.add((r, j))
    return out
