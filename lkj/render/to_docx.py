"""The Word (DOCX) renderer of the document model, with python-docx.

Walks the same blocks as the HTML renderer (``lkj.document.model``, ``lkj.document.tables``), so
the DOCX
holds the same tables, figures and text as the HTML and PDF. What Word users get:

* real Word tables: merged header cells where the model has them, header rows repeated on
  every page (``w:tblHeader``), rows that do not split across pages, numbers right-aligned,
  category cells shaded in their colour, column widths fitted to the content;
* Word heading styles (Heading 1-4), so the daftar isi is a TOC field that Word updates
  (Word offers to update it when the file is opened; References > Update Table otherwise);
* page numbers in the footer ("Halaman N"), none on the cover;
* the grafik as images with their captions; wide tables on landscape sections;
* paper, margins, font and type size from the document settings ([dokumen] of
  config/lkj.toml: A4 or F4; Arial or Times New Roman, the fonts Word users have that match
  the shipped Liberation Sans and Serif), language Indonesian.

Entry points: :func:`write_docx` (a document to a file; ``lkj.run.cetak`` writes the year's report
with it, from the same document as the PDF) and :func:`write_report_docx` (the year's report,
its data loaded again).

This module holds the entry points and the file (its properties, fixed timestamps, the DATA
SINTETIS page header); the walk over the blocks is ``lkj.render.docx_writer``, the tables'
XML ``lkj.render.docx_tables``, the styles ``lkj.render.docx_styles``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt, RGBColor

from lkj.core.clock import build_time
from lkj.core.config import Dokumen
from lkj.document.model import Document
from lkj.render.docx_styles import LANGUAGE
from lkj.render.docx_writer import _Writer


def _set_properties(doc: object, document: Document, when: datetime) -> None:
    props = doc.core_properties  # type: ignore[attr-defined]
    props.title = document.title
    props.author = document.author or "lkj"
    props.last_modified_by = "lkj"
    props.language = LANGUAGE
    props.subject = "Laporan Kinerja"
    props.keywords = "LKj; laporan kinerja"
    props.comments = "Dibuat oleh lkj dari data mentah; angka dihitung, bukan diketik."
    props.created = when
    props.modified = when
    props.revision = 1


def _build_time() -> datetime:
    """SOURCE_DATE_EPOCH if set, else today at midnight UTC (lkj.core.clock)."""
    return build_time()


def _normalised_zip(data: bytes) -> bytes:
    """The same package with fixed entry timestamps, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


SYNTHETIC_HEADER = "DATA SINTETIS: bukan data kinerja sebenarnya"
"""The page header of every page of a DOCX built from synthetic data."""


def _mark_synthetic(doc: object) -> None:
    """Put :data:`SYNTHETIC_HEADER` in the page header of every section of a python-docx
    document (the cover's first-page header too), so that every page Word prints says it."""
    for section in doc.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph.text = ""
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(SYNTHETIC_HEADER)
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)


def mark_docx_synthetic(path: Path | str) -> None:
    """Put the DATA SINTETIS label in the page header of every section of a DOCX file (the
    cover's first-page header too), so that every page Word prints says it.

    Args:
        path: the .docx file, rewritten in place.
    """
    doc = new_docx(str(path))
    _mark_synthetic(doc)
    doc.save(str(path))


class DocxDraft:
    """A DOCX built but for its figures' pictures (:func:`docx_draft`): the print job builds
    it beside the grafik stage and finishes it (:meth:`finish`) once the figures are drawn."""

    def __init__(self, writer: _Writer, document: Document) -> None:
        self._writer = writer
        self._document = document

    def finish(self) -> bytes:
        """The file's bytes, every figure's picture in place (read now)."""
        writer = self._writer
        writer.add_pictures()
        _set_properties(writer.doc, self._document, _build_time())
        package = writer.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # python-docx's template's (blank) thumbnail
                del package.rels[rid]
        buffer = io.BytesIO()
        writer.doc.save(buffer)
        return _normalised_zip(buffer.getvalue())


def docx_draft(
    document: Document,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> DocxDraft:
    """The DOCX of ``document`` without its figures' pictures, which need not be drawn yet
    (:meth:`DocxDraft.finish` reads them). Arguments as :func:`docx_bytes`."""
    writer = _Writer((dokumen or Dokumen()).with_paper(paper), font)
    writer.write(document.blocks)
    if synthetic:
        _mark_synthetic(writer.doc)
    return DocxDraft(writer, document)


def docx_bytes(
    document: Document,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> bytes:
    """The DOCX of ``document``.

    Args:
        document: the numbered document (``lkj.document.laporan.report_document``).
        dokumen: the document settings (paper, margins, font, type size; [dokumen] of
            config/lkj.toml); None: the defaults.
        paper: "A4" or "F4", overriding the settings' paper.
        font: the font name Word shows, overriding the settings' (Arial or Times New Roman,
            which Word users have, for the shipped Liberation Sans or Serif).
        synthetic: built from synthetic data: "DATA SINTETIS" in every page header.

    Returns:
        The file's bytes.
    """
    return docx_draft(document, dokumen, paper, font, synthetic).finish()


def write_docx(
    document: Document,
    target: Path | str,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> Path:
    """Write ``document`` as a DOCX file.

    Args:
        document: the numbered document.
        target: the .docx file to write.
        dokumen: the document settings (None: the defaults).
        paper: "A4" or "F4", overriding the settings' paper.
        font: the font name Word shows, overriding the settings'.
        synthetic: built from synthetic data: "DATA SINTETIS" in every page header.

    Returns:
        The path written.
    """
    target = Path(target)
    target.write_bytes(docx_bytes(document, dokumen, paper, font, synthetic))
    return target


def write_report_docx(
    year: int,
    processed_dir: Path | str,
    output_dir: Path | str,
    config: Path | str | None,
    raw_dir: Path | str,
    target: Path | str,
    dokumen: Dokumen | None = None,
) -> Path:
    """Build the year's report document (as the report notebook does) and write its DOCX.

    Args:
        year: the report year.
        processed_dir: data/processed/YEAR (or the run's staging copy).
        output_dir: the report folder holding figures/.
        config: the configuration file (None: config/lkj.toml).
        raw_dir: data/raw/YEAR.
        target: the .docx file to write.
        dokumen: the document settings in effect (the run's paper may differ from the file's);
            None: [dokumen] of ``config``.

    Returns:
        The path written.
    """
    from lkj.document.laporan import load_report_data, report_document

    d = load_report_data(year, processed_dir, output_dir, config, raw_dir)
    return write_docx(report_document(d), target, dokumen or d.config.dokumen)
