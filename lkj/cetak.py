"""The printed report: its PDF and its Word document, from one document model.

:func:`write_print_outputs` loads the year's report data once (``lkj.sections``), builds the
document once (``report_document``: the same blocks the report notebook shows as HTML) and
writes both files from it:

* the PDF by Typst (``lkj.render_typst``): PDF/A-3u on the paper and with the margins, font
  and type size of the document settings, the raw-data workbook attached
  (``lkj.lampiran.data_attachment``), "DATA SINTETIS" on every page of synthetic data, and an
  empty signature field over the signature block, which ``python -m lkj tandatangan`` fills;
* the DOCX by ``lkj.word`` on the same settings ("DATA SINTETIS" in every page header of
  synthetic data).

Typst lays out outside Python's global lock, so the PDF is made in a second thread while this
one writes the DOCX. Threads, not processes: a Dask worker (daemonic) may run this.

    write_print_outputs(2022, processed, output, config, raw, dokumen, pdf, docx, lampiran)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lkj.config import Dokumen


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
) -> None:
    """Write the year's report as PDF (Typst) and DOCX (python-docx) from one document.

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

    Raises:
        LkjError: bad data or a missing figure; TypstRenderError: Typst could not lay out.
    """
    from lkj import render_typst, sections
    from lkj.lampiran import data_attachment
    from lkj.sampul import is_synthetic
    from lkj.word import write_docx

    raw_dir = Path(raw_dir)
    d = sections.load_report_data(year, processed, output, config, raw_dir)
    dokumen = dokumen or d.config.dokumen
    synthetic = is_synthetic(d.info) if synthetic is None else synthetic
    document = sections.report_document(d)

    def pdf() -> None:
        attachment = data_attachment(year, raw_dir.parent, Path(attachments_dir))
        data = render_typst.render_pdf(
            document, dokumen, synthetic=synthetic, attachments=[attachment]
        )
        Path(pdf_target).write_bytes(data)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkj-typst") as pool:
        printing = pool.submit(pdf)
        try:
            write_docx(document, docx_target, dokumen, synthetic=synthetic)
        finally:
            printing.result()
