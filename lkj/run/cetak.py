"""The printed report: its PDF and its Word document, from one document model.

:func:`write_print_outputs` loads the year's report data once (``lkj.document.laporan``), builds the
document once (``report_document``: the same blocks the report notebook shows as HTML) and
writes both files from it:

* the PDF by Typst (``lkj.render.to_pdf``): PDF/A-3u on the paper and with the margins, font
  and type size of the document settings, the raw-data workbook attached
  (``lkj.render.lampiran.data_attachment``), "DATA SINTETIS" on every page of synthetic data, and an
  empty signature field over the signature block, which ``python -m lkj tandatangan`` fills;
* the DOCX by ``lkj.render.to_docx`` on the same settings ("DATA SINTETIS" in every page header of
  synthetic data).

Typst lays out outside Python's global lock, so the PDF is made in a second thread while this
one writes the DOCX. Threads, not processes: a Dask worker (daemonic) may run this.

    write_print_outputs(2022, processed, output, config, raw, dokumen, pdf, docx, lampiran)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.core.config import Dokumen

"""The report's document and the HTML of its parts as the report notebook built them
(``lkj.render.laporan_html.write_print_document``), in the processed folder: read by
:func:`prepare_print` in a run instead of being built a second time."""


@dataclass
class Prepared:
    """The report's document, built or read (:func:`prepare_print`) before the figures exist."""

    figures: Path
    """The report's figures folder (the grafik stage draws them there)."""
    document: Any
    dokumen: Dokumen
    synthetic: bool
    attachment: Any
    parts: list[str] | None = None
    """The HTML of the report's parts as the report notebook shows them (figures linked)."""
    docx: Any = None
    """The DOCX but for its figures' pictures (``lkj.render.to_docx.docx_draft``; :meth:`draft`)."""
    page: str | None = None
    """The report page, its figures linked (``../figures/NAME.png``) until they are drawn
    (:meth:`draft`)."""
    job: Any = None
    """The PDF's compile job (:meth:`pdf_job`)."""
    worker: Any = None
    """The PDF child process (``lkj.render.to_pdf.PdfWorker``), started by :func:`prepare_print`
    so that it imports Typst and pyHanko meanwhile; ended by :func:`write_prepared`, or by
    :meth:`close` when the PDF is not made."""

    def pdf_job(self) -> Any:
        """The PDF's compile job (``lkj.render.to_pdf.PdfJob``), written once: the PDF/A-3u
        with the raw-data workbook attached and the empty signature field."""
        from lkj.render import to_pdf

        if self.job is None:
            meta = to_pdf.metadata(self.document, synthetic=self.synthetic)
            dokumen = self.dokumen.with_paper(None)
            self.job = to_pdf.PdfJob(self.document, dokumen, meta, [self.attachment])
        return self.job

    def draft(self) -> None:
        """Write the PDF's compile job, build the DOCX but for its pictures and the report page
        with linked figures (once): work that needs the document, not the figures. Done while
        the figures are being drawn if they are; else by :func:`write_prepared` (the PDF's
        job first)."""
        from lkj.render.page import report_page
        from lkj.render.to_docx import docx_draft

        self.pdf_job()
        if self.docx is None:
            self.docx = docx_draft(self.document, self.dokumen, synthetic=self.synthetic)
        if self.page is None and self.parts is not None:
            self.page = report_page(self.parts, self.dokumen, synthetic=self.synthetic)[0]

    def close(self) -> None:
        """End the PDF child process if it did not make the PDF; remove a job not run."""
        if self.worker is not None:
            self.worker.close()
        if self.job is not None:
            self.job.close()
            self.job = None  # written again if the PDF is asked for again


def prepare_print(
    year: int,
    processed: Path | str,
    output: Path | str,
    config: Path | str | None,
    raw_dir: Path | str,
    dokumen: Dokumen | None,
    attachments_dir: Path | str,
    synthetic: bool | None = None,
    handed: Callable[[], Path | None] | None = None,
) -> Prepared:
    """Start the PDF's child process and get the report's document and the raw-data workbook
    (or its description, when the report notebook writes it): all that the printed report
    needs before the grafik stage has drawn the figures (their files are named, checked and
    read by :func:`write_prepared`).

    In a run, the report notebook has built the document and written the workbook already and
    hands them over (``handed``: ``lkj.render.laporan_html.write_print_document``): they are read,
    not
    made again, and the run's process needs neither pandas nor the report's data. Without
    them, the report data is loaded and both are made here.

    Args:
        year: the report year.
        processed: the processed tables of ingest and capaian (data/processed/YEAR or the run's
            staging copy).
        output: the report folder; its figures/ will hold the grafik of notebook 03.
        config: the configuration file (None: config/lkj.toml).
        raw_dir: data/raw/YEAR (narasi, lambang, the raw data attached to the PDF).
        dokumen: the document settings in effect (the run's paper may differ from the file's);
            None: [dokumen] of ``config``.
        attachments_dir: where the raw-data workbook embedded in the PDF is written.
        synthetic: built from synthetic data (None: as instansi.csv says, ``data_sintetis``).
        handed: waits for the report notebook and returns the document file it wrote
            (``lkj.document.model.PRINT_DOCUMENT``, its workbook beside it). None, or no such file,
            or
            one of another year or figure mode: the document and workbook are made here.

    Returns:
        What :func:`write_prepared` writes from.
    """
    from lkj.render.to_pdf import PdfWorker

    worker = PdfWorker()
    try:
        figures = Path(output) / "figures"
        given = _handed_document(handed() if handed else None, year, figures)
        if given is None:
            return _prepare_here(
                year,
                processed,
                output,
                config,
                raw_dir,
                dokumen,
                attachments_dir,
                synthetic,
                worker,
            )
        document, parts, meta, attachment = given
        if dokumen is None:
            from lkj.core.config import load_config

            dokumen = load_config(config).dokumen
        synthetic = bool(meta.get("synthetic")) if synthetic is None else synthetic
    except BaseException:
        worker.close()
        raise
    return Prepared(figures, document, dokumen, synthetic, attachment, parts, worker=worker)


def _prepare_here(
    year: int,
    processed: Path | str,
    output: Path | str,
    config: Path | str | None,
    raw_dir: Path | str,
    dokumen: Dokumen | None,
    attachments_dir: Path | str,
    synthetic: bool | None,
    worker: Any,
) -> Prepared:
    """:func:`prepare_print` without a document handed over: the report data loaded, the
    document and the workbook made here."""
    from lkj.data.processed import contract_tables
    from lkj.document import laporan
    from lkj.document.sampul import is_synthetic
    from lkj.render.lampiran import data_attachment
    from lkj.render.laporan_html import report_parts

    raw_dir = Path(raw_dir)
    d = laporan.load_report_data(year, processed, output, config, raw_dir)
    synthetic = is_synthetic(d.info) if synthetic is None else synthetic
    dokumen = dokumen or d.config.dokumen
    # the raw tables as ingest checked and wrote them: the raw folder is not read again
    attachment = data_attachment(
        year, raw_dir.parent, Path(attachments_dir), contract_tables(d.raw)
    )
    d.figure_links = True  # the figures are named, not read: they are being drawn
    document, parts = laporan.report_document(d), report_parts(d)
    d.figure_links = False
    return Prepared(
        d.figures, document, dokumen, synthetic, attachment, [str(p) for p in parts], worker=worker
    )


def _handed_document(path: Path | None, year: int, figures: Path) -> tuple | None:
    """What the report notebook handed over in ``path`` for ``year`` (its figures linked):
    (document, parts, meta, the raw-data workbook as an attachment: written beside it by the
    notebook's next tagged cell, before the PDF is laid out), the document's figures (named
    by their file names) in ``figures``;
    None when there is nothing to use (the print job then builds it)."""
    import datetime as dt

    from lkj.document.model import read_document_file
    from lkj.render.to_pdf import Attachment

    if path is None or not path.is_file():
        return None
    try:
        document, parts, meta = read_document_file(path)
        book = meta["attachment"]
        attachment = Attachment(
            path.parent / book["file"],
            description=book["description"],
            mime=book["mime"],
            when=dt.datetime.fromisoformat(book["when"]) if book["when"] else None,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("year") != year or meta.get("figure_links") is not True:
        return None
    for figure in document.figures():  # drawn into this run's figures folder
        figure.path = figures / figure.path.name
    return document, parts, meta, attachment


def write_prepared(
    prepared: Prepared,
    pdf_target: Path | str,
    docx_target: Path | str,
    html_target: Path | str | None = None,
    drawn: Callable[[], Any] | None = None,
) -> None:
    """Write the PDF, the DOCX and (with ``html_target``) the HTML page of the report from
    the prepared document, once the figures are drawn.

    The PDF is laid out by Typst in its child process the moment the figures are there; the
    DOCX and the page are drafted meanwhile (:meth:`Prepared.draft`) and finished then.

    Args:
        prepared: from :func:`prepare_print`.
        pdf_target: the PDF to write.
        docx_target: the DOCX to write.
        html_target: the report page to write (``lkj.render.page.report_page`` of the report's
            parts: the page the nbconvert export of the report notebook gives); None: none.
        drawn: waits until the figures are drawn (None: they are).

    Raises:
        LkjError: a figure of the document was not drawn; TypstRenderError: Typst could not
            lay out.
    """
    from lkj.render.page import embed_linked_images

    try:
        job = prepared.pdf_job()  # written ahead, unless the figures were drawn before it
    except BaseException:
        prepared.close()
        raise

    def pdf() -> None:
        if drawn is not None:
            drawn()
        _check_figures(prepared)
        Path(pdf_target).write_bytes(job.run(prepared.worker))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkj-typst") as pool:
        printing = pool.submit(pdf)  # Typst lays out in the child meanwhile
        try:
            prepared.draft()
            if drawn is not None:
                drawn()
            _check_figures(prepared)
            Path(docx_target).write_bytes(prepared.docx.finish())
            if html_target is not None:
                html = embed_linked_images(prepared.page, prepared.figures)
                Path(html_target).write_text(html, encoding="utf-8")
        finally:
            try:
                printing.result()
            finally:
                prepared.close()


def _check_figures(prepared: Prepared) -> None:
    from lkj.core.errors import LkjError
    from lkj.document.model import Figure

    missing = [
        b.path.name
        for b in prepared.document.blocks
        if isinstance(b, Figure) and not b.path.is_file()
    ]
    if missing:
        raise LkjError(
            f"grafik tidak ada di {prepared.figures}: {', '.join(missing)} (digambar oleh "
            "notebook 03_grafik, lkj.document.laporan.draw_figures)"
        )


def write_print_outputs(
    year: int,
    processed: Path | str,
    output: Path | str,
    config: Path | str | None,
    raw_dir: Path | str,
    dokumen: Dokumen | None,
    pdf_target: Path | str,
    docx_target: Path | str,
    attachments_dir: Path | str,
    synthetic: bool | None = None,
    html_target: Path | str | None = None,
) -> None:
    """Write the year's report as PDF (Typst) and DOCX (python-docx) from one document
    (:func:`prepare_print`, then :func:`write_prepared`).

    Args:
        year: the report year.
        processed: the processed tables of ingest and capaian (data/processed/YEAR or the run's
            staging copy).
        output: the report folder; its figures/ hold the grafik of notebook 03.
        config: the configuration file (None: config/lkj.toml).
        raw_dir: data/raw/YEAR (narasi, lambang, the raw data attached to the PDF).
        dokumen: the document settings in effect (the run's paper may differ from the file's);
            None: [dokumen] of ``config``.
        pdf_target: the PDF to write.
        docx_target: the DOCX to write.
        attachments_dir: where the raw-data workbook embedded in the PDF is written.
        synthetic: built from synthetic data (None: as instansi.csv says, ``data_sintetis``).
        html_target: also write the report's HTML page there.

    Raises:
        LkjError: bad data or a missing figure; TypstRenderError: Typst could not lay out.
    """
    prepared = prepare_print(
        year, processed, output, config, raw_dir, dokumen, attachments_dir, synthetic
    )
    write_prepared(prepared, pdf_target, docx_target, html_target)
