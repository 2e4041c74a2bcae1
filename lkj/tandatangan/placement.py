"""Where the visible signature goes, in this order: the empty signature field the report carries
(:data:`lkj.render.notebook_export.SIGNATURE_FIELD`, placed at the signature block when the PDF
was made); else, in another PDF, the signer's name as text: the box is put just above the first
line holding the name (the space a wet signature takes); else the signature is invisible and
the command says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from lkj.render.typst_worker import POINTS_PER_MM


@dataclass(frozen=True)
class Place:
    """Where the visible signature goes.

    Attributes:
        field: an existing empty signature field to fill ("" if none).
        page: page index (0-based) for a new field.
        box: (x1, y1, x2, y2) in PDF points for a new field; None: invisible signature.
    """

    field: str = ""
    page: int = 0
    box: tuple[float, float, float, float] | None = None

    @property
    def visible(self) -> bool:
        """Whether the signature has an appearance on a page."""
        return bool(self.field) or self.box is not None


def _text_lines(page: Any) -> list[tuple[str, float, float, float]]:
    """Text lines of a pypdf page: (text, x of the first run, baseline y, font size)."""
    runs: list[tuple[float, float, str, float]] = []

    def visit(text: str, cm: list, tm: list, _font: Any, size: float) -> None:
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        runs.append((round(y, 0), x, text, size * scale))

    page.extract_text(visitor_text=visit)
    lines: dict[float, list[tuple[float, str, float]]] = {}
    for y, x, text, size in runs:
        lines.setdefault(y, []).append((x, text, size))
    out = []
    for y, parts in sorted(lines.items(), key=lambda item: -item[0]):
        parts.sort()
        text = " ".join(" ".join(p[1].split()) for p in parts)
        out.append((text, parts[0][0], y, max(p[2] for p in parts)))
    return out


def find_place(pdf: bytes, signer_name: str, box_mm: tuple[float, float]) -> Place:
    """Where the visible signature goes (see the module docstring).

    Args:
        pdf: the PDF to sign.
        signer_name: the name in the signature block (instansi.csv ``kepala_nama``).
        box_mm: width and height of the signature box for a new field.

    Returns:
        The place; ``Place()`` (invisible) when neither a field nor the name is found.
    """
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    fields = reader.get_fields() or {}
    for name, spec in fields.items():
        if spec.get("/FT") == "/Sig" and spec.get("/V") is None:
            return Place(field=str(name))
    wanted = " ".join(signer_name.split())
    if not wanted:
        return Place()
    width, height = (v * POINTS_PER_MM for v in box_mm)
    for index, page in enumerate(reader.pages):
        for text, x, y, size in _text_lines(page):
            if wanted not in text:
                continue
            start = x + text.index(wanted) * size * 0.5
            centre = start + len(wanted) * size * 0.28
            bottom = y + size * 1.3
            return Place(
                page=index, box=(centre - width / 2, bottom, centre + width / 2, bottom + height)
            )
    return Place()
