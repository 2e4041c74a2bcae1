"""The Word renderer's walk over the document model: ``_Writer`` builds one DOCX from blocks
(``lkj.document.model``), with python-docx.

Pages (paper, margins, landscape sections for wide tables, "Halaman N" in the footer, none on
the cover), headings, paragraphs, lists, the grafik as images with their captions (put in by
:meth:`_Writer.add_pictures` once they are drawn), the signature block, the cover and the daftar
isi as a TOC field; tables are written as XML (``lkj.render.docx_tables``), their column widths
fitted to the content. The look is ``lkj.render.docx_styles``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from lkj.core.config import Dokumen
from lkj.document.lanskap import landscape_flags
from lkj.document.model import (
    Block,
    Cover,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Toc,
)
from lkj.document.table_layout import (
    TABLE_SCALE,
    TableLayout,
    header_lines,
    rows_kept,
    table_layout,
    table_parts,
)
from lkj.document.tables import Table
from lkj.render.docx_styles import (
    BASE_PT,
    MAX_FIGURE_HEIGHT_MM,
    NO_TOC_STYLE,
    NOTE_COLOR,
    NOTE_STYLE,
    SMALL_TABLE_STYLE,
    TABLE_STYLE,
    add_styles,
    update_fields_on_open,
)
from lkj.render.docx_tables import table_xml


def _field(paragraph: DocxParagraph, instruction: str, cached: str = "") -> None:
    """A complex field (PAGE, TOC, ...) in ``paragraph`` with a cached result."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(cached)
    paragraph.add_run()._r.append(end)


class _Writer:
    """Builds one DOCX from blocks."""

    def __init__(self, dokumen: Dokumen, font: str | None = None) -> None:
        self.paper = tuple(float(x) for x in dokumen.paper_mm)
        # top, right, bottom, left in mm
        self.margins = tuple(
            10 * x
            for x in (
                dokumen.margin_top_cm,
                dokumen.margin_right_cm,
                dokumen.margin_bottom_cm,
                dokumen.margin_left_cm,
            )
        )
        self.font = font or dokumen.word_font
        self.dokumen = dokumen
        self._layouts: dict[int, TableLayout] = {}
        self.scale = dokumen.font_size_pt / BASE_PT
        self.doc = new_docx()
        self.landscape = False
        self.pictures: list[tuple[Any, Path, float]] = []  # runs waiting for their figure
        add_styles(self.doc, self.font, self._pt)
        self._ids = {style.name: style.style_id for style in self.doc.styles}
        section = self.doc.sections[0]
        self._page(section, landscape=False)
        section.different_first_page_header_footer = True  # the cover has no page number
        self._footer(section)
        update_fields_on_open(self.doc)
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty paragraph
            body.remove(p)

    # ------------------------------------------------------------------ setup

    def _page(self, section: object, landscape: bool) -> None:
        width, height = self.paper
        if landscape:
            width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        top, right, bottom, left = self.margins
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
        section.footer_distance = Mm(10)

    def _footer(self, section: object) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("Halaman ")
        _field(p, "PAGE", "1")
        for r in p.runs:
            r.font.size = self._pt(8.5)
            r.font.color.rgb = NOTE_COLOR

    @property
    def content_width_mm(self) -> float:
        width = self.paper[1] if self.landscape else self.paper[0]
        return width - self.margins[1] - self.margins[3]

    def _pt(self, size: float) -> Pt:
        """A type size of the 10.5 pt design at the configured size of the body text."""
        return Pt(round(size * self.scale * 2) / 2)

    def _orientation(self, landscape: bool) -> bool:
        """Start a new section (on a new page) when the orientation changes; whether it did."""
        if landscape == self.landscape:
            return False
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.landscape = landscape
        self._page(section, landscape)
        section.different_first_page_header_footer = False
        return True

    # ------------------------------------------------------------------ blocks

    def _add(self, text: str = "", style: str | None = None) -> DocxParagraph:
        """A new paragraph (styles set by id: python-docx's lookup by name is slow)."""
        p = self.doc.add_paragraph(text)
        if style:
            p._p.style = self._ids[style]
        return p

    def _restyle(self, p: DocxParagraph, style: str) -> None:
        p._p.style = self._ids[style]

    def write(self, blocks: Sequence[Block]) -> None:
        headings = [b for b in blocks if isinstance(b, Heading)]
        for block, landscape in zip(blocks, self._orientations(blocks), strict=True):
            turned = self._orientation(landscape)
            if isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Heading):  # a new section is a new page already
                self._heading(replace(block, page_break=False) if turned else block)
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, ListBlock):
                self._list(block)
            elif isinstance(block, Figure):
                self._figure(block)
            elif isinstance(block, PageBreak):
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(block, Signature):
                self._signature(block)
            elif isinstance(block, Cover):
                self._cover(block)
            elif isinstance(block, Toc):
                self._toc(block, headings)
            else:  # pragma: no cover - every block type is handled above
                raise TypeError(f"not a block: {type(block).__name__}")

    def _orientations(self, blocks: Sequence[Block]) -> list[bool]:
        """Each block's page orientation (``lkj.document.lanskap``): the landscape tables and
        the text carried onto their pages."""
        return landscape_flags(blocks, lambda t: self._layout(t).landscape)

    def _heading(self, h: Heading) -> None:
        if h.toc or h.level > 2:
            p = self._add(h.text, f"Heading {min(h.level, 4)}")
        else:
            p = self._add(h.text, NO_TOC_STYLE)
        if h.page_break:
            p.paragraph_format.page_break_before = True

    def _paragraph(self, para: Paragraph) -> None:
        style = NOTE_STYLE if para.style in ("catatan", "sumber", "provenance-waktu") else None
        p = self._add(para.text, style)
        if not style:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _list(self, block: ListBlock) -> None:
        if not block.ordered:
            for item in block.items:
                self._add(item, "List Bullet")
            return
        number = 0
        values = block.values or (None,) * len(block.items)
        for item, value in zip(block.items, values, strict=True):
            number = value if value is not None else number + 1
            marker = chr(ord("a") + number - 1) if block.marker == "a" else str(number)
            p = self.doc.add_paragraph(f"{marker}.\t{item}")
            p.paragraph_format.left_indent = Mm(7)
            p.paragraph_format.first_line_indent = Mm(-7)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(7))

    def _figure(self, f: Figure) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        # the picture goes in when the draft is finished (the figure may not be drawn yet)
        self.pictures.append((p.add_run(), f.path, self.content_width_mm))
        caption = self._add(f.caption, "Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def add_pictures(self) -> None:
        """Put each figure's picture in its place, scaled to the text width of its page and
        to :data:`MAX_FIGURE_HEIGHT_MM`."""
        for run, path, content_width_mm in self.pictures:
            image = Image.from_file(str(path))
            width_mm = Emu(image.width).mm
            height_mm = Emu(image.height).mm
            scale = min(
                1.0,
                content_width_mm / width_mm if width_mm else 1.0,
                MAX_FIGURE_HEIGHT_MM / height_mm if height_mm else 1.0,
            )
            run.add_picture(str(path), width=Mm(width_mm * scale))
        self.pictures.clear()

    def _signature(self, s: Signature) -> None:
        jabatan = list(s.jabatan)
        if jabatan and not jabatan[-1].endswith(","):
            jabatan[-1] += ","  # as the HTML block (lkj.document.sampul.signature_html)
        lines = [s.place_date, *jabatan] if s.place_date else jabatan
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(self.content_width_mm * 0.55)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(18)
        p.paragraph_format.space_after = Pt(48)  # room to sign
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(self.content_width_mm * 0.55)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name = p.add_run(s.name)
        name.bold = True
        name.underline = True
        for line in (s.pangkat, f"NIP. {s.nip}" if s.nip else ""):
            if line:
                p.add_run().add_break()
                p.add_run(line)

    def _cover(self, c: Cover) -> None:
        first = True
        if c.image is not None and Path(c.image).suffix.lower() != ".svg":  # Word: PNG/JPEG
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(str(c.image), height=Mm(45))
            first = False
        p = self._add(style=NO_TOC_STYLE)
        p.paragraph_format.space_before = Pt(0 if not first else 120)
        p.paragraph_format.space_after = Pt(36)
        for i, line in enumerate(c.title):
            run = p.add_run(line)
            run.font.size = self._pt(20)
            if i < len(c.title) - 1:
                run.add_break()
        p = self.doc.add_paragraph(c.subtitle)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(120)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if c.synthetic:
            warning = self.doc.add_paragraph()
            warning.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = warning.add_run("DATA SINTETIS")
            run.bold = True
            run.font.size = self._pt(16)
        for i, line in enumerate(c.organisation):
            run = p.add_run(line.upper())
            run.bold = True
            run.font.size = self._pt(14)
            if i < len(c.organisation) - 1:
                run.add_break()
        p.add_run().add_break(WD_BREAK.PAGE)

    def _toc(self, toc: Toc, headings: Sequence[Heading]) -> None:
        title = self._add(toc.title, NO_TOC_STYLE)
        title.paragraph_format.page_break_before = True
        entries = [h for h in headings if h.toc and h.level <= 2]
        instruction = 'TOC \\o "1-2" \\h \\z \\u'
        first = self._add(style="toc 1")
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")  # Word recomputes it (page numbers) on opening
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        for element in (begin, instr, separate):
            first.add_run()._r.append(element)
        last = first
        if not entries:
            first.add_run("Perbarui daftar isi (klik kanan, Perbarui Bidang).")
        for i, h in enumerate(entries):
            p = first if i == 0 else self._add(style=f"toc {h.level}")
            if i == 0 and h.level != 1:
                self._restyle(p, f"toc {h.level}")
            p.add_run(h.text)
            last = p
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        last.add_run()._r.append(end)

    # ------------------------------------------------------------------ tables

    def _layout(self, t: Table) -> TableLayout:
        """The table's widths, size and orientation (``lkj.document.table_layout``, as the PDF)."""
        if id(t) not in self._layouts:
            self._layouts[id(t)] = table_layout(t, self.dokumen)
        return self._layouts[id(t)]

    def _table(self, table: Table) -> None:
        """The table, or each part of it when its layout splits its columns."""
        for t, layout in table_parts(table, self.dokumen, self._layout(table)):
            self._table_part(t, layout)

    def _table_part(self, t: Table, layout: TableLayout) -> None:
        caption = self._add(t.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
        widths = [round(w * 20) for w in layout.widths]  # pt -> twentieths of a point
        small = t.small or layout.size < self.dokumen.font_size_pt * TABLE_SCALE - 0.01
        style = self._ids[SMALL_TABLE_STYLE if small else TABLE_STYLE]
        keep = rows_kept(t, layout, self.dokumen)
        heads = header_lines(t, layout, self.dokumen.font)
        xml = table_xml(t, widths, style, self._ids["Table Grid"], keep, heads)
        self.doc.element.body._insert_tbl(parse_xml(xml))
        spacer = self._add()
        spacer.paragraph_format.space_after = Pt(4)
