"""Word tables as XML (``table_xml``), built as text: python-docx's cell API is slow.

Real Word tables: merged header cells where the model has them, header rows repeated on every
page (``w:tblHeader``), rows that do not split across pages, numbers right-aligned, category
cells shaded in their colour, the fixed column widths the writer fitted to the content
(``lkj.render.docx_writer``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

from lkj.core.config import text_color
from lkj.document.suku_kata import SOFT_HYPHEN
from lkj.document.table_layout import INSET_X, soft_header
from lkj.document.tables import Cell, HeaderCell, Table, place
from lkj.render.docx_styles import (
    FOOT_FILL,
    HEADER_FILL,
    HEADING_COLOR,
    MONO_FONT,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAD = round(INSET_X * 20)  # each side, in twentieths of a point, as the PDF's cells
_KEEP_NEXT = re.compile(r'(<w:pStyle w:val="[^"]*"/>)')
_INVALID_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(text: str) -> str:
    return xml_escape(text.translate(_INVALID_XML))


def _run(
    text: str, bold: bool = False, italic: bool = False, color: str = "", mono: bool = False
) -> str:
    props = ""
    if mono:
        props += f'<w:rFonts w:ascii="{MONO_FONT}" w:hAnsi="{MONO_FONT}" w:cs="{MONO_FONT}"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    lines = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_text(line)}</w:t>' for line in lines)
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{body}</w:r>"


def _header_run(h: HeaderCell, lines: Sequence[tuple[str, bool]]) -> str:
    """A header cell's run: a word the layout broke has Word's optional hyphen
    (``w:softHyphen``) at that point, and nowhere else."""
    text = soft_header(h, list(lines)) if lines else h.text
    if SOFT_HYPHEN not in text:
        return _run(text, bold=True, color=str(HEADING_COLOR))
    pieces = text.split(SOFT_HYPHEN)
    props = f'<w:rPr><w:b/><w:bCs/><w:color w:val="{HEADING_COLOR}"/></w:rPr>'
    body = "<w:softHyphen/>".join(
        f'<w:t xml:space="preserve">{_text(piece)}</w:t>' for piece in pieces
    )
    return f"<w:r>{props}{body}</w:r>"


def _paragraph_xml(runs: str, style: str, align: str = "", indent_mm: float = 0) -> str:
    props = f'<w:pStyle w:val="{style}"/>'
    if indent_mm:
        props += f'<w:ind w:left="{round(indent_mm / 25.4 * 1440)}"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def _cell_paragraphs(c: Cell, style: str, foot: bool) -> tuple[str, str]:
    """The paragraphs of a body or foot cell and its fill colour."""
    align = "right" if c.align == "right" else ""
    if c.is_category:
        color = text_color(c.color).lstrip("#").upper()
        return _paragraph_xml(_run(c.text, bold=True, color=color), style, align), c.color.lstrip(
            "#"
        ).upper()
    fill = FOOT_FILL if foot else ""
    if c.items:
        paragraphs = "".join(
            _paragraph_xml(_run(f"{i}. {item}"), style) for i, item in enumerate(c.items, start=1)
        )
        return paragraphs, fill
    text = f"{'– ' * c.indent}{c.text}"
    run = _run(text, bold=c.bold or (foot and bool(c.text)), italic=c.italic, mono=c.mono)
    return _paragraph_xml(run, style, align, 2 * c.indent), fill


def _kept_with_next(keep: Sequence[int]) -> set[int]:
    """Body and foot rows (counted together) that stay on the page of the row after them."""
    out: set[int] = set()
    for start, count in enumerate(keep):
        out.update(range(start, start + count - 1))
    return out


def _continued_cell(width: int, span: int, style: str, part: str) -> str:
    """The empty cell of a row under a cell that spans rows (``w:vMerge`` continued)."""
    merged = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    fill = (
        f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if part == "header" else ""
    )
    empty = f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merged}<w:vMerge/>'
        f"{fill}</w:tcPr>{empty}</w:tc>"
    )


def table_xml(
    t: Table,
    widths: Sequence[int],
    style: str,
    table_style: str,
    keep: Sequence[int] = (),
    heads: Sequence[Sequence[Sequence[tuple[str, bool]]]] = (),
) -> str:
    """The ``w:tbl`` element of a table (built as text: python-docx's cell API is slow).

    Header rows repeat on every page (``w:tblHeader``), no row splits across pages
    (``w:cantSplit``), merged cells become ``w:gridSpan``/``w:vMerge``, the layout is fixed
    to ``widths``.

    Args:
        t: the table.
        widths: the width of every column in twentieths of a point.
        style: the paragraph style id of the cells.
        table_style: the table style id (a grid).
        keep: per body and foot row, how many rows from it stay on one page
            (``lkj.document.table_layout.rows_kept``): their paragraphs keep with the next.
        heads: per header row, per cell, its lines (``lkj.document.table_layout.header_lines``):
            where they break a word, the word gets an optional hyphen there.

    Returns:
        The XML of the table.
    """
    n = len(t.columns)
    kept = _kept_with_next(keep)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{_PAD}" w:type="dxa"/><w:right w:w="{_PAD}" w:type="dxa"/>'
        "</w:tblCellMar>"
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for part, rows in (("header", t.header), ("body", t.rows), ("foot", t.foot)):
        continued: dict[tuple[int, int], int] = {}  # (row, column) -> colspan under a rowspan
        for r, placed in enumerate(place(rows, n, t.key)):
            cells: dict[int, str] = {}
            for j, content in placed:
                span = content.colspan
                props = f'<w:tcW w:w="{sum(widths[j : j + span])}" w:type="dxa"/>'
                if span > 1:
                    props += f'<w:gridSpan w:val="{span}"/>'
                if content.rowspan > 1:
                    props += '<w:vMerge w:val="restart"/>'
                    for k in range(1, content.rowspan):
                        continued[(r + k, j)] = span
                if part == "header":
                    lines = heads[r][len(cells)] if heads else ()
                    paragraphs = _paragraph_xml(_header_run(content, lines), style, "center")
                    fill = HEADER_FILL
                else:
                    paragraphs, fill = _cell_paragraphs(content, style, part == "foot")
                if fill:
                    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
                props += f'<w:vAlign w:val="{"center" if part == "header" else "top"}"/>'
                cells[j] = f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"
            for (row, j), span in continued.items():
                if row == r:
                    cells[j] = _continued_cell(sum(widths[j : j + span]), span, style, part)
            header = "<w:tblHeader/>" if part == "header" else ""
            row = "".join(cells[j] for j in sorted(cells))
            index = r + (len(t.rows) if part == "foot" else 0)
            if part == "header" or (part != "header" and index in kept):
                row = _KEEP_NEXT.sub(r"\1<w:keepNext/>", row)
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{row}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
