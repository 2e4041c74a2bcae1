"""The print job's hand-over: what the report's PDF, DOCX and page wait for during a run.

The print job (``lkj.run.cetak``) starts once the tables are there (:func:`_prepare_print`),
from the document the report notebook hands over in its cell tagged :data:`HAND_OVER_TAG`, and
lays the PDF out (:func:`_write_print`) once the figures are drawn and the cell tagged
:data:`WORKBOOK_TAG` has written the raw-data workbook. :class:`_HandOver` holds those
moments as futures. Also here: what the run reads of the ingested instansi table (the cover's
data, whether the data is synthetic), without pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.run.paths import Paths

HAND_OVER_TAG = "dokumen-cetak"
"""Tag of the report notebook's cell that writes its document for the print job
(``lkj.render.laporan_html.write_print_document``): the print job starts once that cell has run."""
WORKBOOK_TAG = "data-mentah-cetak"
"""Tag of its cell that writes the raw-data workbook the PDF carries
(``lkj.render.laporan_html.write_data_workbook``): the PDF is laid out once that cell has run
(and the figures are drawn), while the notebook shows the report's parts."""


def is_synthetic_data(processed: Path) -> bool:
    """True when the ingested instansi.csv says ``data_sintetis = ya`` (a demo agency)."""
    from lkj.document.sampul import is_synthetic

    return is_synthetic(_instansi(processed))


def _instansi(processed: Path) -> Callable[[str], str]:
    """Lookup of the ingested instansi table (``lkj.document.sampul.info_lookup``'s): key -> value
    or
    "". Read as the text ingest wrote, without pandas: the run's process does not load it."""
    import csv

    path = Path(processed) / "instansi.csv"
    values: dict[str, str] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values[str(row.get("kunci") or "")] = row.get("nilai") or ""
    return lambda key: values.get(key, "")


def _prepare_print(
    paths: Paths,
    processed: Path,
    output: Path,
    attachments: Path,
    dokumen: Any,
    reported: Any,
) -> Any:
    """The print job's start (lkj.run.cetak), once the tables are there, before the figures are
    drawn: the report's document as the report notebook hands it over (``reported``: done
    when its hand-over cell has run; None: build it, and the raw-data workbook, here)."""
    from lkj.run.cetak import prepare_print

    return prepare_print(
        paths.year,
        processed,
        output,
        paths.config,
        paths.raw,
        dokumen,
        attachments,
        synthetic=is_synthetic_data(processed),
        handed=reported.result,
    )


def _print_imports() -> None:
    """Import what the print job uses (the document model, python-docx, the page): not pandas
    nor the report's data, which the report notebook hands over (``lkj.run.cetak``)."""
    import lkj.document.model
    import lkj.render.page
    import lkj.render.to_docx  # noqa: F401


def _close_prepared(prepared: Any) -> None:
    if not prepared.cancelled() and prepared.exception() is None:
        prepared.result().close()


def _hands_over(book: Path) -> bool:
    """The report notebook has both tagged cells (:data:`HAND_OVER_TAG`, :data:`WORKBOOK_TAG`):
    the print job waits for them. A notebook of the user's without them: it does not."""
    import nbformat

    tags = {t for c in nbformat.read(book, as_version=4).cells for t in c.metadata.get("tags", [])}
    return {HAND_OVER_TAG, WORKBOOK_TAG} <= tags


def _write_print(prepared: Any, targets: tuple[Path, Path, Path], waits: tuple) -> None:
    """The PDF (Typst, PDF/A-3u with the raw data attached and the empty signature field),
    the DOCX and the HTML page of the report, from the prepared document, on the run's paper
    and settings, once the figures are drawn and the report notebook has written the raw-data
    workbook (``waits``: futures)."""
    from lkj.run.cetak import write_prepared

    def drawn() -> None:
        for waited in waits:
            waited.result()

    pdf, docx, html = targets
    # the PDF the moment its files are there; the DOCX and the page drafted meanwhile
    write_prepared(prepared.result(), pdf, docx, html, drawn=drawn)


def _pass_on(done: Any, figures: Any) -> None:
    """The grafik stage ended (``done``): its outcome for those waiting for the figures."""
    if figures.done():
        return
    if done.exception() is not None:
        figures.set_exception(done.exception())
    else:
        figures.set_result(None)


def _cover(paths: Paths, processed: Path, dokumen: Any) -> Any:
    """The cover's data (what it lacks, e.g. the lambang image; whether the data is
    synthetic), from the processed instansi table."""
    from lkj.document.sampul import cover_data

    return cover_data(_instansi(processed), paths.year, paths.raw, dokumen)


class _HandOver:
    """The moments of a run the print job waits for (futures): the figures drawn (or reused);
    the report notebook's document file (or None: the print job builds it), once its
    hand-over cell has run; and its raw-data workbook written."""

    def __init__(self, document: Path) -> None:
        self.document = document  # where the report notebook writes its document
        self.figures: Future = Future()  # done when the figures are drawn (or reused)
        # the report notebook's document file (or None), once its hand-over cell has run
        self.reported: Future = Future()
        self.report_done: Future = Future()  # and once its raw-data workbook is written

    def on_cell(self, cell: Any) -> None:
        """A cell of the report notebook has run: the print job goes on from it now."""
        ran = not cell.get("metadata", {}).get("papermill", {}).get("exception")
        tags = cell.get("metadata", {}).get("tags", [])
        if HAND_OVER_TAG in tags and ran and not self.reported.done():
            self.reported.set_result(self.document)
        if WORKBOOK_TAG in tags and ran and not self.report_done.done():
            self.report_done.set_result(None)

    def reused(self) -> None:
        """The report stage's outputs were reused: its document and workbook are there."""
        self.reported.set_result(self.document)
        self.report_done.set_result(None)

    def not_handed(self) -> None:
        """A report notebook without the tagged cells: the print job builds the document now."""
        self.reported.set_result(None)
        self.report_done.set_result(None)

    def report_ran(self) -> None:
        """The report notebook has run: its document, workbook: all written."""
        if not self.reported.done():
            self.reported.set_result(self.document)
        if not self.report_done.done():
            self.report_done.set_result(None)

    def settle(self) -> None:
        """Every stage has run: whatever is still awaited will not come."""
        if not self.figures.done():
            self.figures.set_result(None)
        if not self.reported.done():
            self.reported.set_result(None)
        if not self.report_done.done():
            self.report_done.set_result(None)

    def abort(self) -> None:
        """The run failed: the print job waits no longer."""
        if not self.figures.done():  # the print job waits for them no longer
            self.figures.set_exception(LkjError("grafik tidak digambar: laporan dihentikan"))
        for waited in (self.reported, self.report_done):
            if not waited.done():
                waited.set_exception(LkjError("laporan dihentikan"))
