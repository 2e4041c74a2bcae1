"""The Typst renderer of the document model: the report's PDF without a browser engine.

Walks ``Document.blocks`` (``lkj.document.model``, ``lkj.document.tables``) like the HTML and Word
renderers and hands them, as JSON (``lkj.render.typst_json``), to the Typst template
``templates/typst/laporan.typ``, compiled in-process by the ``typst`` package (one wheel per
platform, Windows included; no Pango, no browser). The template shows every text as a string,
never as Typst markup, so nothing in the data is interpreted. Only what the model holds is
shown: numbers come formatted in the cells, categories with their colours; the renderer adds
page layout only.

What the PDF has: the cover (no page number; the lambang's slot keeps its size without an
image), the daftar isi with page numbers (Typst's outline of the headings marked for it),
headings as PDF bookmarks, tables with merged header cells repeated on every page and totals
once at the end, wide tables on landscape pages, figures scaled to fit one page, "Halaman N"
footers, the paper, margins, font and type size of the document settings (``[dokumen]``:
A4 or F4), the vendored Liberation fonts only (system fonts are ignored), metadata (title,
author and keywords as the HTML cover states them, language id-ID), "DATA SINTETIS" once at
the top of every page of synthetic data, PDF/A-3u with the given attachments (PDF/A-2 does not
allow non-PDF/A attachments), a fixed date, so the same document gives the same bytes, and an
empty signature field (:data:`lkj.document.sampul.SIGNATURE_FIELD`) over the space of the signature
block that is signed electronically, which ``python -m lkj tandatangan`` fills.

    pdf = render_pdf(report_document(d), dokumen, attachments=[workbook])

Typst writes no form fields: the template marks the signature space (``metadata`` labelled
``<lkj-ttd>`` with its page and position), the compiler is asked for it after the compilation
(a query of the same compiled document, which costs nothing), and pyHanko adds the field as an
incremental update that leaves the document, its PDF/A metadata included, as Typst wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lkj.core.config import Dokumen
from lkj.core.resources import FONTS_DIR, TEMPLATES_DIR
from lkj.document.model import Document
from lkj.document.sampul import SIGNATURE_BOX_MM, SIGNATURE_FIELD
from lkj.render.typst_json import (
    Attachment,
    Metadata,
    TypstRenderError,
    _Files,
    document_json,
    metadata,
)

__all__ = [
    "DEFAULT_DATE",
    "FONTS_DIR",
    "PDF_STANDARD",
    "SIGNATURE_LABEL",
    "TEMPLATE",
    "Attachment",
    "Metadata",
    "PdfJob",
    "PdfWorker",
    "TypstRenderError",
    "metadata",
    "render_pdf",
]

TEMPLATE = TEMPLATES_DIR / "typst" / "laporan.typ"
"""The Typst template that lays out the blocks."""

FONTS_DIR = FONTS_DIR
"""The vendored fonts (Liberation Sans and Serif): the only fonts Typst may use."""

PDF_STANDARD = "a-3u"
"""PDF/A level: 3u allows the data attachment; 2b/2u refuse any non-PDF/A attachment."""

DEFAULT_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
"""The document's date when neither the caller nor an attachment gives one."""

SIGNATURE_LABEL = "<lkj-ttd>"
"""The template's label on the space of the signature block that is signed electronically."""


def render_pdf(
    doc: Document,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    synthetic: bool | None = None,
    attachments: Sequence[Attachment] = (),
    title: str | None = None,
    author: str | None = None,
    keywords: Sequence[str] | None = None,
    signature_field: bool = True,
    pdf_standard: str | None = PDF_STANDARD,
    date: dt.datetime | None = None,
    fonts_dir: Path = FONTS_DIR,
    worker: PdfWorker | None = None,
) -> bytes:
    """Lay out ``doc`` with Typst and return the PDF.

    Args:
        doc: the numbered document (``lkj.document.laporan.report_document``).
        dokumen: the document settings (paper, margins, font, type size); None: the defaults.
        paper: "A4" or "F4", overriding the settings' paper.
        synthetic: print "DATA SINTETIS" at the top of every page and in the keywords (None:
            as the document's cover says).
        attachments: files to embed (PDF/A-3 associated files).
        title: the PDF's title (default: the cover's, see :func:`metadata`).
        author: the PDF's author (default: the cover's agency and pemda).
        keywords: the PDF's keywords (default: the cover's).
        signature_field: add the empty signature field :data:`lkj.document.sampul.SIGNATURE_FIELD`
        over
            the space of the signature block whose anchor is set (none when no block has one).
        pdf_standard: a Typst PDF standard ("a-3u", "a-2b", ...) or None for plain PDF.
        date: the document's date (metadata, attachments' /ModDate). Default: the latest
            ``when`` of the attachments, else 1 January 1980; a fixed date gives the same
            bytes each time (the build's real date is in the report's provenance).
        fonts_dir: the only folder fonts are read from.
        worker: a PDF child process started ahead (:class:`PdfWorker`), used for this PDF
            if it is still :meth:`~PdfWorker.ready`; else one is started now.

    Returns:
        The PDF file's bytes.

    Raises:
        TypstRenderError: Typst reported an error (e.g. a missing image or font).
    """
    job = PdfJob(
        doc,
        (dokumen or Dokumen()).with_paper(paper),
        metadata(doc, title, author, keywords, synthetic),
        attachments,
        signature_field,
        pdf_standard,
        date,
        fonts_dir,
    )
    return job.run(worker)


class PdfJob:
    """A PDF written as a compile job ahead of its files: the template and the settings
    (``lkj-job.json``) in a temporary compile folder, the document's JSON built; the images
    and attachments it names are placed there, and the figures' sizes read, only by
    :meth:`run`. The run's print job
    writes it while the figures are still being drawn, so that Typst starts the moment they
    are. Arguments as :func:`render_pdf`'s (``dokumen`` with its paper; ``meta`` from
    :func:`metadata`).

        job = PdfJob(doc, dokumen, metadata(doc), attachments)
        ...  # the figures are drawn
        pdf = job.run(worker)
    """

    def __init__(
        self,
        doc: Document,
        dokumen: Dokumen,
        meta: Metadata,
        attachments: Sequence[Attachment] = (),
        signature_field: bool = True,
        pdf_standard: str | None = PDF_STANDARD,
        date: dt.datetime | None = None,
        fonts_dir: Path = FONTS_DIR,
    ) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="lkj-typst-", ignore_cleanup_errors=True)
        try:
            self.root = Path(self._folder.name)
            self._data, self._files = _write_job(
                self.root,
                doc,
                dokumen,
                meta,
                attachments,
                signature_field,
                pdf_standard,
                date,
                fonts_dir,
            )
        except BaseException:
            self.close()
            raise

    def run(self, worker: PdfWorker | None = None) -> bytes:
        """Place the files, compile (in ``worker`` if it is ready, else a new child) and return
        the PDF; the compile folder is removed.

        Raises:
            TypstRenderError: a file is missing, or Typst reported an error.
        """
        try:
            self._files.place(self.root)
            self._files.size_figures()
            (self.root / "lkj-doc.json").write_text(
                json.dumps(self._data, ensure_ascii=False), encoding="utf-8"
            )
            pdf, _places = _compile(self.root, worker)
            return pdf
        finally:
            self.close()

    def close(self) -> None:
        """Remove the compile folder (a job not run)."""
        self._folder.cleanup()


def _write_job(
    root: Path,
    doc: Document,
    dokumen: Dokumen,
    meta: Metadata,
    attachments: Sequence[Attachment],
    signature_field: bool,
    pdf_standard: str | None,
    date: dt.datetime | None,
    fonts_dir: Path,
) -> tuple[dict[str, Any], _Files]:
    """Write a compile job into ``root``: the template and the job's settings
    (``lkj-job.json``) that ``lkj.render.typst_worker`` reads; returns the document's JSON and the
    files it names, which the caller places in ``root`` (``_Files.place``), sizes
    (``_Files.size_figures``) and writes (``lkj-doc.json``) before compiling."""
    data, files = document_json(doc, dokumen, meta, attachments, sized=False)
    if not Path(fonts_dir).is_dir():
        raise TypstRenderError(f"{fonts_dir}: folder huruf (font) tidak ditemukan")
    dated = [a.when for a in attachments if a.when is not None]
    stamp = date or (max(dated) if dated else DEFAULT_DATE)
    main = root / "laporan.typ"  # in the root: the compiler can then be queried
    main.write_bytes(TEMPLATE.read_bytes())
    job = {
        "root": str(root),
        "main": str(main),
        "fonts": str(fonts_dir),
        "standard": pdf_standard,
        "timestamp": int(stamp.timestamp()),
        "query": signature_field,
        "relieve": True,  # lkj.render.typst_float
        "label": SIGNATURE_LABEL,
        "field": (
            {"name": SIGNATURE_FIELD, "size_mm": list(SIGNATURE_BOX_MM)}
            if signature_field
            else None
        ),
    }
    (root / "lkj-job.json").write_text(json.dumps(job), encoding="utf-8")
    return data, files


# Typst lays out in a process of its own (python -m lkj.render.typst_worker): its memory (some
# 230 KB per table cell while it lays out: 340 MB for 350 sub kegiatan, 800 MB for 1 400) is
# given back when it ends instead of staying in the run's process beside the report's data,
# and it runs on the other core while this process writes the DOCX and the HTML page. The
# child also adds the signature field (pyHanko): its import (about 1 s) is not paid in the
# run's process either. A subprocess, not a process pool: a Dask worker (daemonic) may run this.
_WORKER_ENV = "LKJ_TYPST_IN_PROCESS"
"""Set to 1 to compile in this process (debugging)."""


class PdfWorker:
    """A PDF child process started ahead of its job (``python -m lkj.render.typst_worker``): it
    imports Typst and pyHanko while the report is still being built, then waits for the job
    folder on its standard input. One job (:meth:`ready` until then); :meth:`close` ends it
    unused.

        worker = PdfWorker()
        ...
        pdf = render_pdf(document, dokumen, worker=worker)
    """

    def __init__(self) -> None:
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-m", "lkj.render.typst_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self._done = False

    def ready(self) -> bool:
        """Not given a job yet, nor closed."""
        return not self._done

    def run(self, root: Path) -> tuple[int, str]:
        """Give it the job in ``root`` and wait: its exit code and standard error."""
        self._done = True
        _, err = self.process.communicate(f"{root}\n")
        return self.process.returncode, err

    def close(self) -> None:
        """End it if it never got a job (an empty input ends it; killed if it does not)."""
        if self._done:
            return
        self._done = True
        try:
            self.process.communicate("", timeout=10)
        except Exception:  # noqa: BLE001 - a stuck or broken child: it must not outlive us
            self.process.kill()
            self.process.wait()


def _compile(root: Path, worker: PdfWorker | None = None) -> tuple[bytes, list[dict[str, Any]]]:
    """Do the job in ``root`` (:class:`PdfJob`: the settings written ahead, the document and
    its files placed by :meth:`PdfJob.run`): compile to PDF, query the
    signature places and add the signature field over the first, in a child process
    (``worker``, else a new one; or here, with :data:`_WORKER_ENV`)."""
    import os
    import subprocess
    import sys

    if os.environ.get(_WORKER_ENV) == "1":
        from lkj.render.typst_worker import work

        try:
            work(root)
        except RuntimeError as exc:
            raise TypstRenderError(str(exc)) from None
    else:
        if worker is not None and worker.ready():
            code, err = worker.run(root)
        else:
            done = subprocess.run(
                [sys.executable, "-m", "lkj.render.typst_worker", str(root)],
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            code, err = done.returncode, done.stderr
        if code != 0:
            detail = err.strip().splitlines()
            raise TypstRenderError(detail[-1] if detail else f"Typst: exit {code}")
    places = json.loads((root / "lkj-places.json").read_text(encoding="utf-8"))
    return (root / "lkj.pdf").read_bytes(), places
