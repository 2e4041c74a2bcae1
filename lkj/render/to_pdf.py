"""The Typst renderer of the document model: the report's PDF without a browser engine.

Walks ``Document.blocks`` (``lkj.document.model``, ``lkj.document.tables``) like the HTML and Word
renderers
and hands them, as JSON, to the Typst template ``templates/typst/laporan.typ``, compiled
in-process by the ``typst`` package (one wheel per platform, Windows included; no Pango, no
browser). The template shows every text as a string, never as Typst markup, so nothing in the
data is interpreted. Only what the model holds is shown: numbers come formatted in the cells,
categories with their colours; the renderer adds page layout only.

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
import mimetypes
import os
import shutil
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.core.config import Dokumen, text_color
from lkj.core.resources import FONTS_DIR, TEMPLATES_DIR
from lkj.document.model import (
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
from lkj.document.sampul import SIGNATURE_BOX_MM, SIGNATURE_FIELD, SYNTHETIC_KEYWORD
from lkj.document.tables import Cell, HeaderCell, Table, column_widths

TEMPLATE = TEMPLATES_DIR / "typst" / "laporan.typ"
"""The Typst template that lays out the blocks."""

FONTS_DIR = FONTS_DIR
"""The vendored fonts (Liberation Sans and Serif): the only fonts Typst may use."""

FIGURE_ROOM_MM = 28.0
"""Height of the page's content box a figure leaves for its caption (it never splits)."""

PDF_STANDARD = "a-3u"
"""PDF/A level: 3u allows the data attachment; 2b/2u refuse any non-PDF/A attachment."""

DEFAULT_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
"""The document's date when neither the caller nor an attachment gives one."""

SIGNATURE_LABEL = "<lkj-ttd>"
"""The template's label on the space of the signature block that is signed electronically."""


class TypstRenderError(RuntimeError):
    """Typst could not lay out the document (the message is Typst's diagnostic)."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 associated file, relationship "Data").

    Attributes:
        path: the file (its name is the attachment's name).
        description: what it is, shown by PDF readers.
        mime: its media type (guessed from the name when empty).
        when: when the file's content last changed; the latest of the attachments' dates is
            the PDF's date (and the attachments' /ModDate) unless the caller gives one.
    """

    path: Path
    description: str = ""
    mime: str = ""
    when: dt.datetime | None = None


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
    """The images and attachments the document uses, each with its name in the compile root.

    Typst reads files only under its compile root. The root is a temporary folder that holds
    a link to (or a copy of) each file and the template, whatever folders, or drives, the files
    come from (the figures in the report folder, the lambang in data/raw, the workbook in a
    staging folder)."""

    def __init__(self) -> None:
        self.names: dict[Path, str] = {}
        self.figures: list[tuple[dict[str, Any], Path, tuple[float, float]]] = []
        """Figure entries of the document's JSON whose width needs their image's size:
        filled by :meth:`size_figures` (the images may not be drawn yet when the JSON is
        built)."""

    def name(self, path: Path) -> str:
        """The file's path in the compile root ("/001-grafik_1.png")."""
        source = Path(path).resolve()
        if source not in self.names:
            self.names[source] = f"/{len(self.names):03d}-{source.name}"
        return self.names[source]

    def size_figures(self) -> None:
        """Set the printed width of every figure from its image's size (fit into the text
        area, and short enough to leave room for the caption)."""
        for entry, path, content in self.figures:
            width_px, height_px = _png_size(path)
            tallest = content[1] - FIGURE_ROOM_MM
            entry["width_mm"] = round(min(content[0], tallest * width_px / height_px), 2)

    def place(self, root: Path) -> None:
        """Link (else copy) every file into ``root``."""
        for source, name in self.names.items():
            target = root / name[1:]
            try:
                os.link(source, target)
            except FileNotFoundError:
                raise TypstRenderError(f"{source}: berkas tidak ditemukan") from None
            except OSError:  # another drive, or a filesystem without hard links
                shutil.copyfile(source, target)


def _signature(block: Signature) -> dict[str, Any]:
    jabatan = list(block.jabatan)
    if jabatan and not jabatan[-1].endswith(","):  # "Kabupaten Belitung Timur," as in HTML
        jabatan[-1] += ","
    return {
        "type": "signature",
        "place_date": block.place_date,
        "jabatan": jabatan,
        "name": block.name,
        "pangkat": block.pangkat,
        "nip": block.nip,
        "anchor": block.anchor,
        "box_mm": list(SIGNATURE_BOX_MM),
    }


def _block(block: Block, files: _Files, content: tuple[float, float]) -> dict[str, Any]:
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
        entry = {
            "type": "figure",
            "path": files.name(block.path),
            "caption": block.caption,
            "width_mm": None,  # _Files.size_figures
        }
        files.figures.append((entry, block.path, content))
        return entry
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    if isinstance(block, Signature):
        return _signature(block)
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


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself.

    Attributes:
        title: the document title.
        author: the agency (with its pemda).
        keywords: the keywords ("DATA SINTETIS" first for synthetic data).
        synthetic: the document is built from synthetic data.
    """

    title: str
    author: str
    keywords: tuple[str, ...]
    synthetic: bool


def metadata(
    doc: Document,
    title: str | None = None,
    author: str | None = None,
    keywords: Sequence[str] | None = None,
    synthetic: bool | None = None,
) -> Metadata:
    """The PDF's metadata: as the HTML report's cover states it, unless given.

    With a :class:`lkj.document.model.Cover`, the title is the cover's, the author its agency and
    pemda, the keywords those of :func:`lkj.document.sampul.keywords` ("DATA SINTETIS" first when
    the
    cover says the data is synthetic); without one, the document's title and author and no
    keywords. ``synthetic=True`` always puts "DATA SINTETIS" in the keywords.

    Args:
        doc: the document.
        title: overrides the title.
        author: overrides the author.
        keywords: override the keywords.
        synthetic: built from synthetic data (None: as the cover says).

    Returns:
        The metadata.
    """
    from lkj.document.sampul import Cover as CoverData
    from lkj.document.sampul import keywords as cover_keywords

    cover = next((b for b in doc.blocks if isinstance(b, Cover)), None)
    if cover is not None:
        agency, *pemda = cover.organisation or ("",)
        data = CoverData(
            title=" ".join(cover.title),
            urusan=cover.subtitle,
            agency=agency,
            pemda=" ".join(pemda),
            lambang=cover.image,
            synthetic=cover.synthetic if synthetic is None else synthetic,
        )
        found = Metadata(data.title, data.author, tuple(cover_keywords(data)), data.synthetic)
    else:
        found = Metadata(doc.title, doc.author, (), bool(synthetic))
    words = tuple(keywords) if keywords is not None else found.keywords
    if found.synthetic and SYNTHETIC_KEYWORD not in words:
        words = (SYNTHETIC_KEYWORD, *words)
    return Metadata(
        title if title is not None else found.title,
        author if author is not None else found.author,
        words,
        found.synthetic,
    )


def document_json(
    doc: Document,
    dokumen: Dokumen | None = None,
    meta: Metadata | None = None,
    attachments: Sequence[Attachment] = (),
    sized: bool = True,
) -> tuple[dict[str, Any], _Files]:
    """The document as the JSON the Typst template reads, and the files it names.

    Args:
        doc: the numbered document (``lkj.document.laporan.report_document``).
        dokumen: paper, margins, font and type size (None: the defaults of ``Dokumen``).
        meta: title, author, keywords, synthetic (None: :func:`metadata` of ``doc``).
        attachments: files to embed.
        sized: read the figures' sizes now (False: the figures may not be drawn yet; their
            widths are set by the files' ``size_figures``).

    Returns:
        The JSON-ready dict and the images and attachments by their names in the compile root.
    """
    dokumen = dokumen or Dokumen()
    meta = meta or metadata(doc)
    width, height = dokumen.paper_mm
    blocks = doc.blocks
    files = _Files()
    data = {
        "title": meta.title,
        "author": meta.author,
        "keywords": list(meta.keywords),
        "settings": {
            "width": width,
            "height": height,
            "margin": [
                10 * dokumen.margin_top_cm,
                10 * dokumen.margin_right_cm,
                10 * dokumen.margin_bottom_cm,
                10 * dokumen.margin_left_cm,
            ],
            "font": dokumen.font,
            "font_size": dokumen.font_size_pt,
            "synthetic": meta.synthetic,
        },
        "attachments": [
            {
                "path": files.name(a.path),
                "name": Path(a.path).name,
                "description": a.description or a.path.name,
                "mime": a.mime
                or mimetypes.guess_type(a.path.name)[0]
                or "application/octet-stream",
            }
            for a in attachments
        ],
        "blocks": [_block(b, files, dokumen.content_mm) for b in blocks],
    }
    if sized:
        files.size_figures()
    return data, files


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
