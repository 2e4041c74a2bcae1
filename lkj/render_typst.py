"""The Typst renderer of the document model: the report's PDF without a browser engine.

Walks ``Document.blocks`` (``lkj.document``, ``lkj.tables``) like the HTML and Word renderers
and hands them, as JSON, to the Typst template ``templates/typst/laporan.typ``, compiled
in-process by the ``typst`` package (one wheel per platform, Windows included; no Pango, no
browser). The template shows every text as a string, never as Typst markup, so nothing in the
data is interpreted. Only what the model holds is shown: numbers come formatted in the cells,
categories with their colours; the renderer adds page layout only.

What the PDF has: the cover (no page number), the daftar isi with page numbers (Typst's
outline of the headings marked for it), headings as PDF bookmarks, tables with merged header
cells repeated on every page and totals once at the end, wide tables on landscape pages,
figures scaled to fit one page, "Halaman N" footers, A4 or F4 paper, the vendored Liberation
fonts only (system fonts are ignored), and PDF/A-3u with the given attachments (PDF/A-2 does not
allow non-PDF/A attachments) and a fixed date, so the same document gives the same bytes.

    pdf = render_pdf(report_document(d), paper="A4", attachments=[workbook])
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import os
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.config import text_color
from lkj.document import (
    Block,
    Cover,
    Document,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Toc,
)
from lkj.tables import Cell, HeaderCell, Table, column_widths

TEMPLATE = Path(__file__).resolve().parent / "templates" / "typst" / "laporan.typ"
"""The Typst template that lays out the blocks."""

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
"""The vendored fonts (Liberation Sans and Serif): the only fonts Typst may use."""

PAPERS_MM = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}
"""Paper sizes (width, height) in millimetres."""

MARGINS_MM = (22.0, 20.0, 22.0, 25.0)
"""Page margins top, right, bottom, left (the stylesheet's)."""

FIGURE_MAX_HEIGHT_MM = 225.0
"""Tallest a figure is printed (it never splits across pages)."""

PDF_STANDARD = "a-3u"
"""PDF/A level: 3u allows the data attachment; 2b/2u refuse any non-PDF/A attachment."""


class TypstRenderError(RuntimeError):
    """Typst could not lay out the document (the message is Typst's diagnostic)."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 "associated file").

    Attributes:
        path: the file.
        description: what it is, shown by PDF readers.
        mime: its media type (guessed from the name when empty).
    """

    path: Path
    description: str = ""
    mime: str = ""


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels of a PNG file (from its IHDR chunk)."""
    with open(path, "rb") as handle:
        head = handle.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise TypstRenderError(f"{path}: bukan berkas PNG")
    return struct.unpack(">II", head[16:24])


def _cell(c: Cell) -> dict[str, Any]:
    return {
        "lines": c.text.split("\n") if c.text else [],
        "items": list(c.items),
        "align": c.align if not c.is_category else "left",
        "color": c.color if c.is_category else "",
        "fg": text_color(c.color) if c.is_category else "",
        "bold": bool(c.bold and c.text),
        "italic": c.italic,
        "indent": c.indent,
        "mono": c.mono,
        "colspan": c.colspan,
        "rowspan": c.rowspan,
    }


def _header_cell(h: HeaderCell) -> dict[str, Any]:
    return {"text": h.text, "colspan": h.colspan, "rowspan": h.rowspan}


def _table(t: Table) -> dict[str, Any]:
    return {
        "type": "table",
        "key": t.key,
        "caption": t.caption,
        "widths": [round(w, 4) for w in column_widths(t)],
        "header": [[_header_cell(h) for h in row] for row in t.header],
        "rows": [[_cell(c) for c in row] for row in t.rows],
        "foot": [[_cell(c) for c in row] for row in t.foot],
        "landscape": t.landscape,
        "small": t.small,
    }


class _Files:
    """Images and attachments under one compile root, named by path from that root."""

    def __init__(self, paths: Iterable[Path]) -> None:
        resolved = [Path(p).resolve() for p in paths]
        self.root = Path(os.path.commonpath([p.parent for p in resolved])) if resolved else None

    def name(self, path: Path) -> str:
        assert self.root is not None
        return "/" + Path(path).resolve().relative_to(self.root).as_posix()


def _block(block: Block, files: _Files, content_width: float) -> dict[str, Any]:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Heading):
        return {
            "type": "heading",
            "level": block.level,
            "text": block.text,
            "toc": block.toc,
            "page_break": block.page_break,
        }
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, ListBlock):
        values = list(block.values) or [None] * len(block.items)
        return {
            "type": "list",
            "items": list(block.items),
            "ordered": block.ordered,
            "marker": block.marker,
            "values": values,
        }
    if isinstance(block, Figure):
        width_px, height_px = _png_size(block.path)
        width = min(content_width, FIGURE_MAX_HEIGHT_MM * width_px / height_px)
        return {
            "type": "figure",
            "path": files.name(block.path),
            "caption": block.caption,
            "width_mm": round(width, 2),
        }
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    if isinstance(block, Signature):
        return {
            "type": "signature",
            "place_date": block.place_date,
            "jabatan": list(block.jabatan),
            "name": block.name,
            "pangkat": block.pangkat,
            "nip": block.nip,
        }
    if isinstance(block, Cover):
        return {
            "type": "cover",
            "title": list(block.title),
            "subtitle": block.subtitle,
            "organisation": list(block.organisation),
            "image": files.name(block.image) if block.image is not None else None,
        }
    if isinstance(block, Toc):
        return {"type": "toc", "title": block.title}
    raise TypeError(f"not a block: {type(block).__name__}")


def document_json(
    doc: Document,
    paper: str = "A4",
    font: str = "Liberation Sans",
    font_size_pt: float = 10.5,
    synthetic: bool = False,
    attachments: Sequence[Attachment] = (),
) -> tuple[dict[str, Any], Path | None]:
    """The document as the JSON the Typst template reads, and the compile root.

    Args:
        doc: the numbered document (``lkj.sections.report_document``).
        paper: "A4" or "F4".
        font: the font family (one of the vendored fonts).
        font_size_pt: the body text size.
        synthetic: print "DATA SINTETIS" at the top of every page.
        attachments: files to embed.

    Returns:
        The JSON-ready dict and the folder that holds every image and attachment (None when
        there is none).
    """
    if paper not in PAPERS_MM:
        raise ValueError(f"kertas {paper!r} tidak dikenal; pilih salah satu dari {list(PAPERS_MM)}")
    width, height = PAPERS_MM[paper]
    content_width = width - MARGINS_MM[1] - MARGINS_MM[3]
    blocks = doc.blocks
    paths = [b.path for b in blocks if isinstance(b, Figure)]
    paths += [b.image for b in blocks if isinstance(b, Cover) and b.image is not None]
    paths += [a.path for a in attachments]
    files = _Files(paths)
    data = {
        "title": doc.title,
        "author": doc.author,
        "settings": {
            "width": width,
            "height": height,
            "margin": list(MARGINS_MM),
            "font": font,
            "font_size": font_size_pt,
            "synthetic": synthetic,
        },
        "attachments": [
            {
                "path": files.name(a.path),
                "description": a.description or a.path.name,
                "mime": a.mime
                or mimetypes.guess_type(a.path.name)[0]
                or "application/octet-stream",
            }
            for a in attachments
        ],
        "blocks": [_block(b, files, content_width) for b in blocks],
    }
    return data, files.root


def render_pdf(
    doc: Document,
    paper: str = "A4",
    font: str = "Liberation Sans",
    font_size_pt: float = 10.5,
    synthetic: bool = False,
    attachments: Sequence[Attachment] = (),
    pdf_standard: str | None = PDF_STANDARD,
    date: dt.datetime | None = None,
    fonts_dir: Path = FONTS_DIR,
) -> bytes:
    """Lay out ``doc`` with Typst and return the PDF.

    Args:
        doc: the numbered document (``lkj.sections.report_document``).
        paper: "A4" or "F4".
        font: the font family (one of the vendored fonts).
        font_size_pt: the body text size.
        synthetic: print "DATA SINTETIS" at the top of every page.
        attachments: files to embed (PDF/A-3 associated files).
        pdf_standard: a Typst PDF standard ("a-3u", "a-2b", ...) or None for plain PDF.
        date: the document's date (metadata); a fixed date gives the same bytes each time.
            Default: 1 January 1980 (the report's real dates are in its provenance).
        fonts_dir: the only folder fonts are read from.

    Returns:
        The PDF file's bytes.

    Raises:
        TypstRenderError: Typst reported an error (e.g. a missing image or font).
    """
    import typst

    data, root = document_json(doc, paper, font, font_size_pt, synthetic, attachments)
    if not Path(fonts_dir).is_dir():
        raise TypstRenderError(f"{fonts_dir}: folder huruf (font) tidak ditemukan")
    stamp = date or dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
    try:
        return typst.compile(
            TEMPLATE.read_bytes(),
            root=str(root or TEMPLATE.parent),
            font_paths=[str(fonts_dir)],
            ignore_system_fonts=True,
            sys_inputs={"lkj-doc": json.dumps(data, ensure_ascii=False)},
            pdf_standards=[pdf_standard] if pdf_standard else [],
            timestamp=int(stamp.timestamp()),
        )
    except typst.TypstError as exc:
        detail = "; ".join([exc.message, *getattr(exc, "hints", [])])
        raise TypstRenderError(f"Typst: {detail}") from None
