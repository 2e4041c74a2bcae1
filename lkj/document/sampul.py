"""The cover (sampul) and the signature block (blok tanda tangan) of the report: data + HTML.

Both are built from instansi.csv (key/value rows) and the document settings, in two steps so
that every renderer (HTML/PDF, DOCX) can use the same data:

* :func:`cover_data` / :func:`cover_html`: the lambang daerah (an image file the agency
  supplies, named by the key ``lambang``), the title as agencies write it (setting
  ``[dokumen] judul``), the urusan, the agency and the pemda. Without an image the cover keeps
  its layout (an empty slot of the same size) and :attr:`Cover.notes` says what is missing.
* :func:`signer_data` / :func:`signature_html`: place and date, jabatan, the name with degrees,
  pangkat/golongan and NIP (each line only when the signer has it).

The first signature block of the report carries the id :data:`SIGNATURE_ANCHOR`; the PDF
(``lkj.render.to_pdf``) has an empty signature field :data:`SIGNATURE_FIELD` there, which
``python -m lkj tandatangan`` fills.

instansi.csv keys read here: ``nama_instansi``, ``kabupaten``, ``urusan``, ``lambang``,
``tempat_penetapan``, ``tanggal_penetapan`` (optional: without it the date is left to be
written in, ``Manggar, ........ 2023``), ``kepala_jabatan`` (optional, default "Kepala
<nama_instansi> <kabupaten>"), ``kepala_nama``, ``kepala_pangkat``, ``kepala_nip``,
``data_sintetis`` (``ya`` marks synthetic data: "DATA SINTETIS" on the cover and in the PDF
keywords, and the report cannot be signed).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from lkj.core.config import Dokumen
from lkj.data.files import lambang_file, shown

if TYPE_CHECKING:  # pandas is only a type here: importing lkj.render.notebook_export stays light
    import pandas as pd

SIGNATURE_ANCHOR = "lkj-ttd"
"""Id of the space for the signature in the first signature block (the PDF field's place)."""

SIGNATURE_BOX_MM = (62.0, 24.0)
"""Width and height of that space in mm (the visible signature's size)."""

SIGNATURE_FIELD = "TandaTanganKepala"
"""Name of the empty signature field the PDF carries over that space."""

SYNTHETIC_KEYWORD = "DATA SINTETIS"
"""PDF keyword (and cover line) of a report built from synthetic data."""

LAMBANG_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
LAMBANG_TYPES[".svg"] = "image/svg+xml"
YES = {"ya", "y", "yes", "true", "1", "benar"}

Info = Callable[[str], str]
"""A lookup of instansi.csv: key -> value ("" when missing)."""


@dataclass(frozen=True)
class Cover:
    """What the cover shows.

    Attributes:
        title: e.g. "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022".
        urusan: the government affair of the agency ("" if not given).
        agency: the agency name, e.g. "Badan Kesatuan Bangsa dan Politik".
        pemda: the local government, e.g. "Kabupaten Belitung Timur".
        lambang: the coat-of-arms image file, None when missing.
        synthetic: the report is built from synthetic data.
        notes: what is missing or wrong, in Indonesian (printed by the run).
    """

    title: str
    urusan: str
    agency: str
    pemda: str
    lambang: Path | None
    synthetic: bool
    notes: tuple[str, ...] = ()

    @property
    def author(self) -> str:
        """The agency with its pemda: the PDF author."""
        return f"{self.agency} {self.pemda}".strip()


@dataclass(frozen=True)
class Signer:
    """The signature block.

    Attributes:
        place_date: "Manggar, ........................ 2023" or "Manggar, 31 Januari 2023"
            ("" without a place).
        jabatan: the position, one line per element (e.g. ["Kepala Badan ...",
            "Kabupaten Belitung Timur"]).
        name: the name with degrees.
        pangkat: pangkat/golongan ("" when the signer has none, e.g. an official without).
        nip: the NIP ("" when the signer has none: the NIP line is left out).
    """

    place_date: str
    jabatan: tuple[str, ...]
    name: str
    pangkat: str
    nip: str


def info_lookup(instansi: pd.DataFrame) -> Info:
    """A lookup of the instansi table (columns ``kunci``, ``nilai``): key -> value or ""."""
    values = {
        str(k): "" if v is None or v != v else str(v)
        for k, v in zip(instansi["kunci"], instansi["nilai"], strict=False)
    }
    return lambda key: values.get(key, "")


def is_synthetic(info: Info) -> bool:
    """True when instansi.csv marks the data as synthetic (``data_sintetis = ya``)."""
    return info("data_sintetis").strip().lower() in YES


def find_lambang(name: str, raw_dir: Path) -> Path | None:
    """The lambang image named in instansi.csv.

    Looked up in data/raw/YEAR first, then in the folder of the year folders (data/raw), where a
    pemda keeps one image for every year. It must stay inside data/raw after following links,
    be a regular file, and be the image its name says, within the limits of ``[batas]``
    (``lkj.data.files.lambang_file``).

    Args:
        name: the file name written in instansi.csv (key ``lambang``).
        raw_dir: data/raw/YEAR.

    Returns:
        The file, or None when it is not there.

    Raises:
        DataError: the file is outside data/raw, not a regular file, too large, or not the
            image its name says (the message names instansi.csv and the key).
    """
    where = f"{shown(raw_dir / 'instansi.csv')}, kunci lambang"
    return lambang_file(name, (raw_dir, raw_dir.parent), raw_dir.parent, where)


def cover_data(info: Info, year: int, raw_dir: Path, dokumen: Dokumen) -> Cover:
    """Gather what the cover shows and what is missing from it.

    Args:
        info: lookup of instansi.csv.
        year: the report year.
        raw_dir: data/raw/YEAR (where the lambang image is looked for, then its parent).
        dokumen: the document settings (the title).

    Returns:
        The cover's data; ``notes`` lists what is missing.
    """
    notes = []
    name = info("lambang").strip()
    lambang = find_lambang(name, raw_dir)
    if not name:
        notes.append(
            f"sampul tanpa lambang daerah: {raw_dir / 'instansi.csv'} tidak memuat kunci "
            f"'lambang' (nama berkas gambar .png/.jpg/.svg di {raw_dir} atau {raw_dir.parent})"
        )
    elif lambang is None:
        notes.append(
            f"sampul tanpa lambang daerah: berkas {name!r} (instansi.csv, kunci 'lambang') "
            f"tidak ditemukan di {raw_dir} maupun {raw_dir.parent}"
        )
    elif lambang.suffix.lower() not in LAMBANG_TYPES:
        notes.append(f"sampul tanpa lambang daerah: {lambang} bukan gambar .png, .jpg atau .svg")
        lambang = None
    for key in ("nama_instansi", "kabupaten"):
        if not info(key).strip():
            notes.append(f"sampul: instansi.csv tidak memuat kunci {key!r}")
    return Cover(
        title=dokumen.report_title(year),
        urusan=info("urusan").strip(),
        agency=info("nama_instansi").strip(),
        pemda=info("kabupaten").strip(),
        lambang=lambang,
        synthetic=is_synthetic(info),
        notes=tuple(notes),
    )


def _data_uri(path: Path) -> str:
    mime = LAMBANG_TYPES[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def keywords(cover: Cover) -> list[str]:
    """The document's keywords (HTML ``<meta name="keywords">``, the PDF's keywords):
    "DATA SINTETIS" first for synthetic data, then "Laporan Kinerja", "LKjIP", the agency and
    the pemda (those given)."""
    words = ["Laporan Kinerja", "LKjIP", cover.agency, cover.pemda]
    if cover.synthetic:
        words.insert(0, SYNTHETIC_KEYWORD)
    return [w for w in words if w]


def cover_html(cover: Cover) -> Markup:
    """The cover page as HTML (``section.sampul``).

    Also carries the document's metadata as ``<meta>`` elements (``dcterms.title``, ``author``,
    ``keywords``), which :mod:`lkj.render.notebook_export` moves into the page head: the HTML's
    title and
    the PDF's title, author and keywords.

    Args:
        cover: from :func:`cover_data`.

    Returns:
        Safe HTML.
    """
    meta = Markup(
        '<meta name="dcterms.title" content="{}"><meta name="author" content="{}">'
        '<meta name="keywords" content="{}">'
    ).format(cover.title, cover.author, ", ".join(keywords(cover)))
    if cover.lambang is not None:
        image = Markup('<img src="{}" alt="Lambang {}">').format(
            _data_uri(cover.lambang), cover.pemda
        )
    else:
        image = Markup("")
    synthetic = (
        Markup('<p class="sintetis">{}</p>').format(SYNTHETIC_KEYWORD)
        if cover.synthetic
        else Markup("")
    )
    return Markup(
        '<section class="sampul">{meta}<div class="lambang">{image}</div>'
        '<h1 class="no-toc">{title}</h1>{synthetic}<p class="urusan">{urusan}</p>'
        '<p class="instansi">{agency}<br>{pemda}</p></section>'
    ).format(
        meta=meta,
        image=image,
        title=cover.title,
        synthetic=synthetic,
        urusan=cover.urusan,
        agency=cover.agency.upper(),
        pemda=cover.pemda.upper(),
    )


def signer_data(info: Info, year: int, with_date: bool = True) -> Signer:
    """Gather the signature block of the head of agency.

    Args:
        info: lookup of instansi.csv.
        year: the report year (the report is signed in the following year).
        with_date: False leaves out the place and date line.

    Returns:
        The signer's data.
    """
    place = info("tempat_penetapan").strip()
    date = info("tanggal_penetapan").strip() or f"........................ {year + 1}"
    jabatan = info("kepala_jabatan").strip()
    if jabatan:
        lines = tuple(line.strip() for line in jabatan.split("|") if line.strip())
    else:
        agency, pemda = info("nama_instansi").strip(), info("kabupaten").strip()
        lines = tuple(x for x in (f"Kepala {agency}".strip(), pemda) if x)
    return Signer(
        place_date=f"{place}, {date}" if with_date and place else "",
        jabatan=lines,
        name=info("kepala_nama").strip(),
        pangkat=info("kepala_pangkat").strip(),
        nip=info("kepala_nip").strip(),
    )


def signature_html(signer: Signer, anchor: str | None = None) -> Markup:
    """The signature block as HTML (``div.ttd``).

    Args:
        signer: from :func:`signer_data`.
        anchor: id of the space left for the signature (:data:`SIGNATURE_ANCHOR` on the block
            that is signed electronically), None for none.

    Returns:
        Safe HTML: place and date, jabatan (the last line ends with a comma), the space, then
        the name (bold, underlined), pangkat/golongan and "NIP. ..." when given.
    """
    top = [signer.place_date] if signer.place_date else []
    jabatan = list(signer.jabatan)
    if jabatan:
        jabatan[-1] = jabatan[-1] + ","
    head = Markup("<br>").join(top + jabatan)
    space_id = Markup(' id="{}"').format(anchor) if anchor else Markup("")
    lines = [Markup('<strong class="ttd-nama">{}</strong>').format(signer.name)]
    if signer.pangkat:
        lines.append(Markup('<span class="ttd-pangkat">{}</span>').format(signer.pangkat))
    if signer.nip:
        lines.append(Markup('<span class="ttd-nip">NIP. {}</span>').format(signer.nip))
    return Markup(
        '<div class="ttd"><p class="ttd-jabatan">{}</p><div class="ttd-ruang"{}></div>'
        '<p class="ttd-identitas">{}</p></div>'
    ).format(head, space_id, Markup("<br>").join(lines))
