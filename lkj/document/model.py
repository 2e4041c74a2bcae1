"""The document model: the report as a list of blocks, placed by chapter templates.

Blocks are plain data: :class:`Heading`, :class:`Paragraph`, :class:`ListBlock`,
``lkj.document.tables.Table``, :class:`Figure`, :class:`PageBreak`, :class:`Signature`,
:class:`Cover` and :class:`Toc`. Every output format is a renderer of these blocks
(``lkj.render.to_html`` for HTML and through it the PDF, ``lkj.render.to_docx`` for DOCX).

Chapters are Jinja templates under ``lkj/templates/`` (the OPD report's in ``laporan/``;
:func:`render_template`). A template
writes the fixed text of a chapter in a small HTML-like vocabulary and places what Python
built (tables, figures, generated sentences, the agency's narrative) with ``{{ ... }}``::

    <h1 class="bab" chapter="1">BAB I PENDAHULUAN</h1>
    <h2>1.1 Latar Belakang</h2>
    {{ text("bab1_latar_belakang") }}
    {% for t in pegawai %}{{ t }}{% endfor %}
    <p class="catatan">{{ catatan }}</p>

The vocabulary: ``h1``-``h4`` (``class="bab"`` starts a chapter on a new page, ``class="no-toc"``
keeps a heading out of the daftar isi, ``chapter="3"`` makes the tables that follow "Tabel
3.n"), ``p`` (optional ``class``), ``ul``/``ol`` with ``li`` (``ol type="a"``, ``li value="3"``)
and ``pagebreak``. Text from data is escaped by the template, so markup in data is shown,
never interpreted.

Numbers follow from order (:func:`number_blocks`): tables and "Gambar" are numbered per chapter
("Tabel 3.4", "Gambar 1.1"), "Grafik" through the whole report; a new table renumbers the rest.
"""

from __future__ import annotations

import contextvars
import dataclasses
import decimal
import json
import numbers
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from lkj.core.resources import TEMPLATES_DIR
from lkj.document.files import PRINT_DOCUMENT  # noqa: F401  (re-exported)
from lkj.document.tables import Cell, Column, HeaderCell, Table

TEMPLATES = TEMPLATES_DIR
"""Root of the templates: the OPD report's chapters are in laporan/."""


@dataclass(frozen=True)
class Heading:
    """A heading.

    Attributes:
        level: 1 (chapter) to 4.
        text: the heading text (with its number, e.g. "1.1 Latar Belakang").
        toc: listed in the daftar isi.
        chapter: for a chapter heading, the prefix of its tables' numbers ("3", "L").
        page_break: starts on a new page (chapters).
    """

    level: int
    text: str
    toc: bool = True
    chapter: str | None = None
    page_break: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` is "" or a variant such as "catatan" (a small note)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list.

    Attributes:
        items: the items' text.
        ordered: numbered list.
        marker: "1" (1, 2, 3) or "a" (a, b, c) for ordered lists.
        values: for ordered lists, the number each item shows (None: the next one).
    """

    items: tuple[str, ...]
    ordered: bool = False
    marker: str = "1"
    values: tuple[int | None, ...] = ()


@dataclass
class Figure:
    """A grafik or gambar: a PNG with its caption.

    Attributes:
        key: the file stem in the figures folder (e.g. "grafik_1_anggaran_program").
        path: the PNG file.
        title: the caption without its number.
        kind: "Grafik" (numbered through the report) or "Gambar" (numbered per chapter).
        label: the number assigned by :func:`number_blocks` ("Grafik 2"), else "".
    """

    key: str
    path: Path
    title: str
    kind: str = "Grafik"
    label: str = ""

    @property
    def caption(self) -> str:
        """The caption as printed: "Grafik 2 Capaian ..."."""
        return f"{self.label} {self.title}".strip()


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class Signature:
    """The signature block: place and date, jabatan, name, pangkat and NIP.

    Attributes:
        place_date: e.g. "Manggar, ........................ 2023" ("" for none).
        jabatan: the lines naming the office (e.g. "Kepala Badan ...", "Kabupaten ...,").
        name: the signer's name.
        pangkat: pangkat/golongan ("" when the signer has none).
        nip: NIP ("" when the signer has none).
        anchor: the id of the space left for the electronic signature (lkj.document.sampul
            SIGNATURE_ANCHOR on the block that is signed; its PDF signature field).
    """

    place_date: str
    jabatan: tuple[str, ...]
    name: str
    pangkat: str = ""
    nip: str = ""
    anchor: str | None = None


@dataclass(frozen=True)
class Cover:
    """The cover page.

    Attributes:
        title: the title lines ("LAPORAN KINERJA (LKj)", "TAHUN 2022").
        subtitle: e.g. the urusan.
        organisation: the lines naming the agency.
        image: the lambang daerah (PNG, JPEG or SVG), if any.
        synthetic: built from synthetic data ("DATA SINTETIS" on the cover).
    """

    title: tuple[str, ...]
    subtitle: str
    organisation: tuple[str, ...]
    image: Path | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class Toc:
    """The daftar isi (filled by each renderer: links in HTML, page numbers in PDF, a field in
    Word)."""

    title: str = "DAFTAR ISI"


BLOCK_TYPES = (Heading, Paragraph, ListBlock, Table, Figure, PageBreak, Signature, Cover, Toc)
Block = Heading | Paragraph | ListBlock | Table | Figure | PageBreak | Signature | Cover | Toc


@dataclass
class Part:
    """A part of the report (a cover, a chapter): its name and blocks."""

    name: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """The whole report: its parts in order.

    Attributes:
        title: the document title (metadata).
        parts: the parts.
        author: the agency (metadata).
    """

    title: str
    parts: list[Part]
    author: str = ""

    def part(self, name: str) -> Part:
        """The part called ``name``."""
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    @property
    def blocks(self) -> list[Block]:
        """Every block in order."""
        return [b for part in self.parts for b in part.blocks]

    def tables(self) -> list[Table]:
        """Every table in order."""
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        """The table with ``key``."""
        hits = [t for t in self.tables() if t.key == key]
        if len(hits) != 1:
            raise KeyError(f"{len(hits)} tables with key {key!r}")
        return hits[0]

    def figures(self) -> list[Figure]:
        """Every figure in order."""
        return [b for b in self.blocks if isinstance(b, Figure)]


# --------------------------------------------------------------------------- numbering


def number_blocks(blocks: Iterable[Block]) -> None:
    """Number the tables and figures from their order (sets their ``label``).

    A heading with ``chapter`` starts a chapter: its tables are "Tabel <chapter>.1", ".2",
    ...; "Gambar" is numbered per chapter the same way; "Grafik" runs through the whole
    document. Tables with ``numbered=False`` and tables before the first chapter get no
    number.

    Args:
        blocks: every block of the document, in order.
    """
    chapter: str | None = None
    tables = gambar = grafik = 0
    for block in blocks:
        if isinstance(block, Heading) and block.chapter is not None:
            chapter, tables, gambar = block.chapter, 0, 0
        elif isinstance(block, Table):
            if block.numbered and chapter is not None:
                tables += 1
                block.label = f"Tabel {chapter}.{tables}"
            else:
                block.label = ""
        elif isinstance(block, Figure):
            if block.kind == "Grafik":
                grafik += 1
                block.label = f"Grafik {grafik}"
            elif chapter is not None:
                gambar += 1
                block.label = f"{block.kind} {chapter}.{gambar}"


# --------------------------------------------------------------------------- JSON

_JSON_TYPES = {t.__name__: t for t in (*BLOCK_TYPES, Column, Cell, HeaderCell, Part, Document)}
_JSON_SCALARS = (str, int, float, bool, type(None))


def document_to_json(doc: Document) -> dict[str, Any]:
    """The document as JSON data, read back equal by :func:`document_from_json`.

    Blocks and their parts are objects naming their class (``"@": "Table"``) with the fields
    that differ from the defaults; tuples are ``{"@tuple": [...]}``, paths ``{"@path": ...}``,
    decimals ``{"@decimal": "1.5"}``, markup ``{"@markup": ...}``; numpy scalars (raw values of
    cells) are written as the Python values they equal.

    Args:
        doc: the document.

    Returns:
        Data for ``json.dumps``.

    Raises:
        TypeError: a value the document model does not hold (e.g. a date in a cell).
    """
    return _encode(doc)


def document_from_json(data: dict[str, Any]) -> Document:
    """The document that :func:`document_to_json` wrote.

    Args:
        data: from ``json.loads``.

    Returns:
        The document (its tables checked again, as when they were built).

    Raises:
        ValueError: ``data`` is not a document of this model.
    """
    doc = _decode(data)
    if not isinstance(doc, Document):
        raise ValueError(f"bukan dokumen laporan: {type(doc).__name__}")
    return doc


DOCUMENT_FILE_FORMAT = "lkj-dokumen/1"


def write_document_file(
    path: Path | str, doc: Document, parts: Sequence[str] = (), **meta: Any
) -> Path:
    """Write a document (and the HTML of its parts) as one JSON file, read back by
    :func:`read_document_file`.

    Args:
        path: the file to write (replaced whole: a reader never sees half of it).
        doc: the document.
        parts: the HTML of its parts, as shown (optional).
        **meta: JSON values that say what the document was built from (year, settings).

    Returns:
        ``path``.
    """
    path = Path(path)
    data = {
        "format": DOCUMENT_FILE_FORMAT,
        "meta": meta,
        "document": document_to_json(doc),
        "parts": [str(p) for p in parts],
    }
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
    return path


def read_document_file(path: Path | str) -> tuple[Document, list[str], dict[str, Any]]:
    """The document, the HTML of its parts and the meta values :func:`write_document_file`
    wrote.

    Args:
        path: the file.

    Returns:
        (document, parts, meta).

    Raises:
        ValueError: not a document file of this format (the file is named).
        OSError: the file cannot be read.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != DOCUMENT_FILE_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, bukan {DOCUMENT_FILE_FORMAT!r}")
        return document_from_json(data["document"]), list(data["parts"]), dict(data["meta"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: bukan berkas dokumen laporan lkj ({exc})") from None


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"@tuple": [_encode(v) for v in value]}
    if isinstance(value, Path):
        return {"@path": str(value)}
    if isinstance(value, Markup):
        return {"@markup": str(value)}
    if isinstance(value, decimal.Decimal):
        return {"@decimal": str(value)}
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return _encode(value.item())  # numpy's scalars (a cell's raw value from a DataFrame)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if _JSON_TYPES.get(kind.__name__) is kind:
        out: dict[str, Any] = {"@": kind.__name__}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.default is dataclasses.MISSING or type(v) is not type(f.default) or v != f.default:
                out[f.name] = _encode(v)
        return out
    raise TypeError(
        f"nilai {value!r} ({kind.__module__}.{kind.__name__}) bukan bagian model dokumen"
    )


def _decode(value: Any) -> Any:
    if type(value) is list:
        return [_decode(v) for v in value]
    if type(value) is not dict:
        return value
    if "@tuple" in value:
        return tuple(_decode(v) for v in value["@tuple"])
    if "@path" in value:
        return Path(value["@path"])
    if "@markup" in value:
        return Markup(value["@markup"])
    if "@decimal" in value:
        return decimal.Decimal(value["@decimal"])
    kind = _JSON_TYPES.get(value.get("@", ""))
    if kind is None:
        raise ValueError(f"bukan blok model dokumen: {str(value)[:80]}")
    return kind(**{k: _decode(v) for k, v in value.items() if k != "@"})


# --------------------------------------------------------------------------- templates

_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
_PLACED: contextvars.ContextVar[list[Any]] = contextvars.ContextVar("lkj_placed")
_PLACEHOLDER = "lkj-blok"


def _is_blocks(value: Any) -> bool:
    if isinstance(value, BLOCK_TYPES):
        return True
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, BLOCK_TYPES) for v in value)
    )


def _finalize(value: Any) -> Any:
    """Put blocks built in Python in the template's output as placeholders."""
    if _is_blocks(value):
        placed = _PLACED.get()
        placed.append(value)
        return Markup('<{} n="{}"/>').format(_PLACEHOLDER, len(placed) - 1)
    if isinstance(value, (list, tuple)) and not value:
        return ""
    return value


_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


class TemplateFormatError(ValueError):
    """A chapter template does not produce the block vocabulary."""


def render_template(name: str, **context: Any) -> list[Block]:
    """Render a chapter template into blocks.

    Args:
        name: the template file, relative to lkj/templates (e.g. "laporan/bab_i.xml.j2").
        **context: what the template places: tables, figures, lists of blocks, sentences.

    Returns:
        The chapter's blocks in order.

    Raises:
        TemplateFormatError: the template's output is not well-formed or uses an unknown
            element.
    """
    return _render(_ENV.get_template(name), context, name)


def render_string(source: str, **context: Any) -> list[Block]:
    """Render template text (the same vocabulary as :func:`render_template`) into blocks.

    Args:
        source: the template text.
        **context: what the template places.

    Returns:
        The blocks.
    """
    return _render(_ENV.from_string(source), context, "<string>")


def _render(template: Template, context: dict[str, Any], source: str) -> list[Block]:
    token = _PLACED.set([])
    try:
        text = template.render(**context)
        placed = _PLACED.get()
    finally:
        _PLACED.reset(token)
    return parse_blocks(text, placed, source=source)


def parse_blocks(text: str, placed: Sequence[Any] = (), source: str = "") -> list[Block]:
    """Read the block vocabulary (see the module docstring) into blocks.

    Also reads the HTML that ``lkj.document.narasi`` makes of the agency's narrative files (``p``,
    ``ul``/``ol``/``li``, ``h4.no-toc``).

    Args:
        text: the markup.
        placed: the blocks the placeholders refer to (from :func:`render_template`).
        source: the template's name, for error messages.

    Returns:
        The blocks.

    Raises:
        TemplateFormatError: malformed markup or an unknown element.
    """
    text = text.translate(_CONTROL_CHARACTERS)  # not allowed in XML (nor shown by any format)
    try:
        root = ET.fromstring(f"<root>{text}</root>")
    except ET.ParseError as exc:
        raise TemplateFormatError(f"{source}: {exc}") from None
    out: list[Block] = []
    if (root.text or "").strip():
        raise TemplateFormatError(f"{source}: text outside an element: {root.text.strip()!r}")
    for element in root:
        out.extend(_element_blocks(element, placed, source))
        if (element.tail or "").strip():
            raise TemplateFormatError(
                f"{source}: text outside an element after <{element.tag}>: {element.tail.strip()!r}"
            )
    return out


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _element_blocks(element: ET.Element, placed: Sequence[Any], source: str) -> Iterator[Block]:
    tag = element.tag
    if tag == _PLACEHOLDER:
        value = placed[int(element.get("n", "0"))]
        yield from value if isinstance(value, (list, tuple)) else [value]
    elif tag in ("h1", "h2", "h3", "h4"):
        classes = _classes(element)
        yield Heading(
            level=int(tag[1]),
            text=_text(element),
            toc="no-toc" not in classes,
            chapter=element.get("chapter"),
            page_break="bab" in classes,
        )
    elif tag == "p":
        text = _text(element)
        if text:
            yield Paragraph(text, element.get("class", ""))
    elif tag in ("ul", "ol"):
        items, values = [], []
        for li in element:
            if li.tag != "li":
                raise TemplateFormatError(f"{source}: <{tag}> holds <{li.tag}>, expected <li>")
            items.append(_text(li))
            values.append(int(li.get("value")) if li.get("value") else None)
        if items:
            ordered = tag == "ol"
            yield ListBlock(
                tuple(items),
                ordered=ordered,
                marker=element.get("type", "1") if ordered else "1",
                values=tuple(values) if ordered and any(v is not None for v in values) else (),
            )
    elif tag == "pagebreak":
        yield PageBreak()
    else:
        raise TemplateFormatError(f"{source}: unknown element <{tag}>")
