"""The child process the report's PDF is made in (``lkj.render.to_pdf``).

``python -m lkj.render.typst_worker FOLDER`` does the job ``lkj.render.to_pdf`` wrote in FOLDER
(``lkj-job.json``: the main file, the fonts folder, the PDF standard, the time stamp, the
signature field; ``lkj-doc.json``: the document): Typst compiles it, the signature places the
template marks are queried, pyHanko adds the empty signature field over the first one, and
``lkj.pdf`` and ``lkj-places.json`` are written.

``python -m lkj.render.typst_worker`` without a folder imports Typst and pyHanko first and then
reads
the folder from its standard input: a worker started ahead of its job
(``lkj.render.to_pdf.PdfWorker``), ready when the job comes; an empty input ends it.

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


def _relieve(root: Path, compiler: Any, pdf: bytes) -> tuple[Any, bytes]:
    """Compile again while a landscape run leaves the portrait page before it mostly empty
    and ``lkj.render.typst_float`` can float it down; the last compilation."""
    from lkj.render.typst_float import ROUNDS, relieve

    path = root / "lkj-doc.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    tried: set[tuple[str, int]] = set()
    for _ in range(ROUNDS):
        at, ends = (
            json.loads(compiler.query(f"<{k}>", field="value")) for k in ("lkj-at", "lkj-end")
        )
        new = relieve(doc, at, ends, tried)
        if new is None:
            break
        doc = new
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        compiler, _, pdf = _compile(root)
    return compiler, pdf


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
        if job.get("relieve"):
            compiler, pdf = _relieve(root, compiler, pdf)
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
    """Add an empty signature field to a PDF, as an incremental update (pyHanko's writer).

    The field (merged with its widget annotation) gets the print flag only (``/F 4``, as
    PDF/A wants), an empty appearance stream, and the box whose top-left corner is at ``(x,
    y)`` points from the page's top-left corner (Typst's positions). The document itself, its
    metadata (which PDF/A ties to the XMP packet) included, is left as it is, and the update
    is the same for the same input (no "now", no random file identifier).

    The objects are those ``pyhanko.sign.fields.append_signature_field`` writes, byte for byte
    (tests/test_render_typst.py compares them), made from ``pyhanko.pdf_utils`` alone: importing
    ``pyhanko.sign`` costs 0.35 s of CPU (its signers, timestamp clients and aiohttp), paid
    beside the notebooks in every run; signing (``lkj.tandatangan.pades``) uses it.

    Args:
        pdf: the PDF (Typst's: no form yet).
        page: the page (0-based).
        x: left edge of the box, points from the page's left edge.
        y: top edge of the box, points from the page's top edge.
        size_mm: width and height of the box.
        name: the field's name.

    Returns:
        The PDF with the field.

    Raises:
        ValueError: the PDF has a form already.
    """
    from pyhanko.pdf_utils import generic

    writer = _same_writer(pdf, name)
    root = writer.root
    if "/AcroForm" in root:
        raise ValueError("PDF sudah memuat formulir (/AcroForm): kolom tanda tangan tidak ditambah")
    page_ref = writer.find_page_for_modification(page)[0]
    top = float(page_ref.get_object()["/MediaBox"][3])
    width, height = (v * POINTS_PER_MM for v in size_mm)
    rect = (round(x, 2), round(top - y - height, 2), round(x + width, 2), round(top - y, 2))
    name_of = generic.NameObject

    fields = generic.ArrayObject()
    form = generic.DictionaryObject({name_of("/Fields"): fields})
    root[name_of("/AcroForm")] = writer.add_object(form)
    writer.update_root()
    field = _add_field(writer, fields, page_ref, rect, name)
    form[name_of("/SigFlags")] = generic.NumberObject(1)  # signatures exist
    field[name_of("/AP")] = generic.DictionaryObject(
        {name_of("/N"): writer.add_object(_empty_appearance(rect))}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _same_writer(pdf: bytes, name: str) -> Any:
    """pyHanko's incremental writer on ``pdf``, made to change nothing but what is added."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

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

    return _SameWriter(BytesIO(pdf))


def _add_field(
    writer: Any, fields: Any, page_ref: Any, rect: tuple[float, float, float, float], name: str
) -> Any:
    """The signature field merged with its widget annotation, added to the form's fields and
    to the page's annotations."""
    from pyhanko.pdf_utils import generic

    name_of = generic.NameObject
    field = generic.DictionaryObject(
        {
            name_of("/FT"): name_of("/Sig"),
            name_of("/T"): generic.TextStringObject(name),
            name_of("/Type"): name_of("/Annot"),
            name_of("/Subtype"): name_of("/Widget"),
            name_of("/F"): generic.NumberObject(4),  # print; not pyHanko's "locked" too
            name_of("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 4)) for v in rect),
            name_of("/P"): page_ref,
        }
    )
    field_ref = writer.add_object(field)
    fields.append(field_ref)
    writer.register_annotation(page_ref, field_ref)
    return field


def _empty_appearance(rect: tuple[float, float, float, float]) -> Any:
    """The field's empty appearance stream, its box in whole points (as pyHanko's
    BoxConstraints has them)."""
    from pyhanko.pdf_utils import generic

    name_of = generic.NameObject
    box_width, box_height = int(abs(rect[2] - rect[0])), int(abs(rect[3] - rect[1]))
    return generic.StreamObject(
        {
            name_of("/BBox"): generic.ArrayObject(
                generic.FloatObject(v) for v in (0.0, box_height, box_width, 0.0)
            ),
            name_of("/Resources"): generic.DictionaryObject(),
            name_of("/Type"): name_of("/XObject"),
            name_of("/Subtype"): name_of("/Form"),
        },
        stream_data=b"",
    )


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
