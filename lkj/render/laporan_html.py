"""The report notebook's view of the report (notebook 04_laporan): each part of the document as
HTML, and what the notebook hands to the print job.

``sampul(d)`` ... ``lampiran(d)`` are the parts the notebook displays, in the order of
``lkj.document.laporan.PARTS`` (``report_parts`` gives them all); ``write_print_document``
writes the document and those parts for the run's print job (``lkj.run.cetak``), and
``write_data_workbook`` the raw-data workbook the PDF carries.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from lkj.document.laporan import PARTS, ReportData, report_document
from lkj.document.model import PRINT_DOCUMENT, Document, Figure, Part, write_document_file
from lkj.render.to_html import html


def _figure_link(path: Path) -> str:
    return f"../{path.parent.name}/{path.name}"


def _part_html(d: ReportData, name: str) -> Markup:
    key = ("part", name, d.figure_links)
    if key not in d._cache:
        blocks = report_document(d).part(name).blocks
        d._cache[key] = html(blocks, _figure_link if d.figure_links else None, d.config.dokumen)
    return d._cache[key]


def report_parts(d: ReportData) -> list[Markup]:
    """Every part of the report as HTML, in order (what the report notebook displays)."""
    return [_part_html(d, name) for name in PARTS]


def write_print_document(d: ReportData, folder: Path | str) -> Path | None:
    """Write what the print job needs from the report notebook to ``folder``: the report's
    document and the HTML of its parts (what the notebook shows), as
    ``lkj.document.model.PRINT_DOCUMENT`` (``lkj.document.model.write_document_file``), with the
    description
    of the raw-data workbook the PDF carries (written by :func:`write_data_workbook`). The
    run's print job (PDF, DOCX, the report page) reads them instead of building them again,
    and needs neither pandas nor the report's data.

    Args:
        d: the report's data.
        folder: the processed folder of the year.

    Returns:
        The document file written; None (and a warning) when the document holds a value its
        JSON form cannot carry: the print job then builds the document itself.
    """
    import dataclasses
    import warnings

    from lkj.document.sampul import is_synthetic
    from lkj.render.lampiran import workbook_attachment

    folder = Path(folder)
    target = folder / PRINT_DOCUMENT
    target.unlink(missing_ok=True)  # never an earlier run's document
    book = workbook_attachment(d.year, d.raw_dir.parent, folder)
    # the figures by their names (the print job finds them in its figures folder): the file
    # names no folder of the machine, and is the same from run to run
    document = report_document(d)
    portable = Document(
        document.title,
        [
            Part(
                part.name,
                [
                    dataclasses.replace(b, path=Path(b.path.name)) if isinstance(b, Figure) else b
                    for b in part.blocks
                ],
            )
            for part in document.parts
        ],
        document.author,
    )
    try:
        return write_document_file(
            target,
            portable,
            report_parts(d),
            year=d.year,
            figure_links=d.figure_links,
            synthetic=is_synthetic(d.info),
            attachment={
                "file": book.path.name,
                "description": book.description,
                "mime": book.mime,
                "when": book.when.isoformat() if book.when else None,
            },
        )
    except TypeError as exc:  # nothing written: the print job builds the document itself
        warnings.warn(f"dokumen tidak diserahkan ke tahap cetak: {exc}", stacklevel=2)
        return None


def write_data_workbook(d: ReportData, folder: Path | str) -> Path:
    """Write the raw tables as ingest wrote them to ``folder`` as one workbook, the one the
    PDF carries (``lkj.render.lampiran.data_attachment``).

    Args:
        d: the report's data.
        folder: the processed folder of the year.

    Returns:
        The workbook written.
    """
    from lkj.data.processed import contract_tables
    from lkj.render.lampiran import data_attachment

    return data_attachment(d.year, d.raw_dir.parent, Path(folder), contract_tables(d.raw)).path


def sampul(d: ReportData) -> Markup:
    """The cover page (HTML)."""
    return _part_html(d, "sampul")


def kata_pengantar(d: ReportData) -> Markup:
    """Kata Pengantar (HTML)."""
    return _part_html(d, "kata_pengantar")


def daftar_isi(d: ReportData) -> Markup:
    """The table of contents (HTML placeholder, filled by the exporter)."""
    return _part_html(d, "daftar_isi")


def ringkasan_eksekutif(d: ReportData) -> Markup:
    """Ringkasan Eksekutif (HTML)."""
    return _part_html(d, "ringkasan_eksekutif")


def bab_i(d: ReportData) -> Markup:
    """Bab I Pendahuluan (HTML)."""
    return _part_html(d, "bab_i")


def bab_ii(d: ReportData) -> Markup:
    """Bab II Perencanaan dan Perjanjian Kinerja (HTML)."""
    return _part_html(d, "bab_ii")


def bab_iii(d: ReportData) -> Markup:
    """Bab III Akuntabilitas Kinerja dan Keuangan (HTML)."""
    return _part_html(d, "bab_iii")


def penutup(d: ReportData) -> Markup:
    """Bab IV Penutup (HTML)."""
    return _part_html(d, "penutup")


def lampiran(d: ReportData) -> Markup:
    """Lampiran (HTML)."""
    return _part_html(d, "lampiran")
