"""The child process the report's PDF is made in (``lkj.render_typst``).

``python -m lkj.typst_worker FOLDER`` does the job ``lkj.render_typst`` wrote in FOLDER
(``lkj-job.json``: the main file, the fonts folder, the PDF standard, the time stamp, the
signature field; ``lkj-doc.json``: the document): Typst compiles it, the signature places the
template marks are queried, pyHanko adds the empty signature field over the first one, and
``lkj.pdf`` and ``lkj-places.json`` are written.

``python -m lkj.typst_worker`` without a folder imports Typst and pyHanko first and then reads
the folder from its standard input: a worker started ahead of its job
(``lkj.render_typst.PdfWorker``), ready when the job comes; an empty input ends it.

It imports only Typst and pyHanko (not pandas nor the rest of lkj): the child starts at once,
holds only Typst's memory, and gives it back when it ends.
"""

from __future__ import annotations

import hashlib
import json
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

POINTS_PER_MM = 72 / 25.4


def _imports() -> None:
    import typst  # noqa: F401
    from pyhanko.pdf_utils import generic, incremental_writer  # noqa: F401
    from pyhanko.sign import fields  # noqa: F401


def _compile(root: Path) -> tuple[Any, dict[str, Any], bytes]:
    """Compile the job in ``root``: its compiler (for queries), the job and the PDF."""
    import typst

    job = json.loads((root / "lkj-job.json").read_text(encoding="utf-8"))
    compiler = typst.Compiler(
        job["main"],
        root=job["root"],
        font_paths=[job["fonts"]],
        ignore_system_fonts=True,
        sys_inputs={"lkj-doc": (root / "lkj-doc.json").read_text(encoding="utf-8")},
    )
    pdf = compiler.compile(
        pdf_standards=[job["standard"]] if job["standard"] else [],
        timestamp=job["timestamp"],
    )
    return compiler, job, pdf


def work(root: Path) -> None:
    """Do the job in ``root``.

    Args:
        root: the compile folder holding the job.

    Raises:
        RuntimeError: Typst reported an error (its message and hints).
    """
    import typst

    try:
        compiler, job, pdf = _compile(root)
        places = json.loads(compiler.query(job["label"], field="value")) if job["query"] else []
    except typst.TypstError as exc:
        detail = "; ".join([exc.message, *getattr(exc, "hints", [])])
        raise RuntimeError(f"Typst: {detail}") from None
    field = job.get("field")
    if places and field:
        first = places[0]
        pdf = add_signature_field(
            pdf, first["page"] - 1, first["x"], first["y"], tuple(field["size_mm"]), field["name"]
        )
    (root / "lkj.pdf").write_bytes(pdf)
    (root / "lkj-places.json").write_text(json.dumps(places), encoding="utf-8")


def add_signature_field(
    pdf: bytes,
    page: int,
    x: float,
    y: float,
    size_mm: tuple[float, float],
    name: str,
) -> bytes:
    """Add an empty signature field to a PDF, as an incremental update (pyHanko).

    The field (merged with its widget annotation) gets the print flag only (``/F 4``, as
    PDF/A wants), an empty appearance stream, and the box whose top-left corner is at ``(x,
    y)`` points from the page's top-left corner (Typst's positions). The document itself, its
    metadata (which PDF/A ties to the XMP packet) included, is left as it is, and the update
    is the same for the same input (no "now", no random file identifier).

    Args:
        pdf: the PDF.
        page: the page (0-based).
        x: left edge of the box, points from the page's left edge.
        y: top edge of the box, points from the page's top edge.
        size_mm: width and height of the box.
        name: the field's name.

    Returns:
        The PDF with the field.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    class _SameWriter(IncrementalPdfFileWriter):
        """pyHanko's incremental writer without its two changes to the document: the
        modification date it sets to "now" (Info and XMP) and the random second half of the
        file identifier (derived here from the file)."""

        @classmethod
        def _handle_id(cls, prev: Any) -> Any:
            first, _ = prev.trailer["/ID"]
            if isinstance(first, generic.TextStringObject):
                first = generic.ByteStringObject(first.original_bytes)
            second = hashlib.sha256(pdf + name.encode("utf-8")).digest()[:16]
            return generic.ArrayObject([first, generic.ByteStringObject(second)])

        def _update_meta(self) -> None:
            pass

    writer = _SameWriter(BytesIO(pdf))
    box = writer.find_page_for_modification(page)[0].get_object()["/MediaBox"]
    top = float(box[3])
    width, height = (v * POINTS_PER_MM for v in size_mm)
    rect = (round(x, 2), round(top - y - height, 2), round(x + width, 2), round(top - y, 2))
    fields.append_signature_field(writer, fields.SigFieldSpec(name, on_page=page, box=rect))
    for field in writer.root["/AcroForm"]["/Fields"]:
        widget = field.get_object()
        if widget.get("/T") == name:
            widget["/F"] = generic.NumberObject(4)  # print; not pyHanko's "locked" too
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    """The child's entry point: the job folder as argument, or read from standard input."""
    if len(argv) > 1:
        root = argv[1]
    else:
        _imports()
        root = sys.stdin.readline().strip()
        if not root:
            return 0
    try:
        work(Path(root))
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
