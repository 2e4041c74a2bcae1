"""Electronic signature (TTE) of the report: ``python -m lkj tandatangan --year YEAR --p12 FILE``.

Signs ``outputs/YEAR/LKj_YEAR.pdf`` (or ``--pdf FILE``, e.g. the PDF exported from the Word
document the head of agency edited) with the agency's PKCS#12 certificate, using pyHanko: a
PAdES signature (ETSI.CAdES.detached, SHA-256, level B-B: no time-stamp authority is reached
offline) with a visible appearance in the signature block, drawn with the shipped Liberation
Sans (embedded, so a PDF/A input stays PDF/A). The signed file goes to the archive,
``arsip/YEAR/LKj_YEAR_ditandatangani_<timestamp>.pdf``: one new file per signing, never
overwritten, outside every folder a rebuild or ``make clean`` replaces.

Refused, with a message and a non-zero exit (no traceback): a wrong password or a file that is
not PKCS#12; a certificate that is expired, not yet valid or not meant for signing; a report
built from synthetic data (``data_sintetis = ya`` in instansi.csv, the manifest flag
``sintetis``, or "DATA SINTETIS" in the PDF's keywords or on its first page); a report that is
not up to date with its data; a signature that would lose the PDF/A identification.

The password comes from the environment variable ``LKJ_P12_PASSWORD`` or a prompt, never from
the command line (which other users and the shell history can see).

Where the visible signature goes, in this order: the empty signature field the report carries
(:data:`lkj.render.notebook_export.SIGNATURE_FIELD`, placed at the signature block when the PDF was
made);
else, in another PDF, the signer's name as text: the box is put just above the first line
holding the name (the space a wet signature takes); else the signature is invisible and the
command says so.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.core.resources import FONTS_DIR
from lkj.document.sampul import SYNTHETIC_KEYWORD
from lkj.render.typst_worker import POINTS_PER_MM

ENV_PASSWORD = "LKJ_P12_PASSWORD"
"""Environment variable holding the PKCS#12 password (else it is asked for)."""

FIELD_NAME = "TandaTanganKepala"
"""Name of the signature field (the same as :data:`lkj.render.notebook_export.SIGNATURE_FIELD`)."""

SIGNATURE_FONT = FONTS_DIR / "LiberationSans-Regular.ttf"
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s"
STAMP_FONT_SIZE = 8
ARCHIVE_PATTERN = "LKj_{year}_ditandatangani_{stamp}{suffix}.pdf"


class SigningError(LkjError):
    """Signing refused or impossible; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Credentials:
    """The signer's key and certificates from the PKCS#12 file.

    Attributes:
        key: the private key (cryptography object).
        cert: the signer's certificate (cryptography ``x509.Certificate``).
        chain: the other certificates of the file (issuers).
    """

    key: Any
    cert: Any
    chain: tuple[Any, ...]

    @property
    def name(self) -> str:
        """The certificate's common name (else its whole subject)."""
        from cryptography.x509.oid import NameOID

        names = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.cert.subject.rfc4514_string()


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


def read_password(
    environ: Mapping[str, str] | None = None, prompt: Callable[[str], str] = getpass.getpass
) -> bytes:
    """The PKCS#12 password: ``LKJ_P12_PASSWORD`` if set, else asked without echo.

    Args:
        environ: the environment (default ``os.environ``).
        prompt: asks for the password (default ``getpass.getpass``).

    Returns:
        The password, UTF-8 encoded.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_PASSWORD)
    if value is None:
        try:
            value = prompt("Kata sandi sertifikat (.p12): ")
        except EOFError:
            raise SigningError(
                f"kata sandi sertifikat tidak diberikan: setel variabel {ENV_PASSWORD} atau "
                "jalankan perintah di terminal agar kata sandi dapat ditanyakan"
            ) from None
    return value.encode("utf-8")


def _when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%d-%m-%Y %H:%M UTC")


def load_credentials(p12: Path | str, password: bytes, now: datetime | None = None) -> Credentials:
    """Open the PKCS#12 file and check that its certificate may sign now.

    Args:
        p12: the .p12/.pfx file.
        password: its password.
        now: the moment of signing (default: now, UTC).

    Returns:
        The key and certificates.

    Raises:
        SigningError: file missing, wrong password or not PKCS#12, no key or certificate,
            certificate not yet valid or expired, or not for signing (key usage).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = Path(p12)
    now = now or datetime.now(timezone.utc)
    try:
        data = p12.read_bytes()
    except OSError as exc:
        raise SigningError(
            f"{p12}: berkas sertifikat tidak dapat dibaca ({exc.strerror})"
        ) from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise SigningError(
            f"{p12}: kata sandi salah, atau berkas bukan sertifikat PKCS#12 (.p12/.pfx); "
            f"periksa kata sandi (variabel {ENV_PASSWORD} atau isian saat diminta)"
        ) from None
    if key is None or cert is None:
        raise SigningError(f"{p12}: berkas tidak memuat kunci privat dan sertifikat penanda tangan")
    if now < cert.not_valid_before_utc:
        raise SigningError(
            f"{p12}: sertifikat belum berlaku (berlaku mulai {_when(cert.not_valid_before_utc)}); "
            "tanda tangan ditolak"
        )
    if now > cert.not_valid_after_utc:
        raise SigningError(
            f"{p12}: sertifikat sudah kedaluwarsa (berlaku sampai "
            f"{_when(cert.not_valid_after_utc)}); perpanjang sertifikat di BSrE, tanda tangan "
            "ditolak"
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            f"{p12}: sertifikat ini tidak untuk tanda tangan (key usage tanpa "
            "digitalSignature/nonRepudiation)"
        )
    return Credentials(key=key, cert=cert, chain=tuple(chain or ()))


# --------------------------------------------------------------------------- the PDF


def pdf_keywords(reader: Any) -> str:
    """The keywords of a PDF (Info /Keywords and the XMP packet), joined; "" when none.

    Args:
        reader: a ``pypdf.PdfReader``.
    """
    found = []
    try:
        info = reader.metadata
        if info is not None and info.get("/Keywords"):
            found.append(str(info["/Keywords"]))
        meta = reader.trailer["/Root"].get("/Metadata")
        if meta is not None:
            found.append(meta.get_object().get_data().decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - damaged metadata carries no keyword
        pass
    return " ".join(found)


def pdfa_identification(pdf: bytes) -> str:
    """The PDF/A part and conformance of the XMP metadata, e.g. "3U"; "" when absent."""
    import re

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    meta = reader.trailer["/Root"].get("/Metadata")
    if meta is None:
        return ""
    xml = meta.get_object().get_data().decode("utf-8", "replace")
    part = re.search(r"pdfaid:part(?:=\"|>)\s*(\d)", xml)
    level = re.search(r"pdfaid:conformance(?:=\"|>)\s*([A-Za-z])", xml)
    return (part.group(1) if part else "") + (level.group(1).upper() if level else "")


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


def _declares_pdf2(pdf: bytes) -> bool:
    from pypdf import PdfReader

    return PdfReader(BytesIO(pdf)).trailer["/Root"].get("/Version") == "/2.0"


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


class _ShippedFont:
    """pyHanko font engine factory for the shipped Liberation Sans.

    pyHanko writes glyph widths in font units, which is right only for fonts of 1000 units per
    em; Liberation has 2048. So the font is subset to Latin and rescaled to 1000 units in
    memory (fontTools) before pyHanko embeds it. The font file itself is not changed.
    """

    def __init__(self, path: Path, size: float) -> None:
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        font = TTFont(path)
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=range(0x20, 0x250))
        subsetter.subset(font)
        scale_upem(font, 1000)
        buffer = BytesIO()
        font.save(buffer)
        self.data = buffer.getvalue()
        self.size = size

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
        """A glyph accumulator over the rescaled font (pyHanko's FontEngineFactory API)."""
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(self.data),
            font_size=self.size,
            bcp47_lang_code="id-ID",
            obj_stream=obj_stream,
        )


def sign_pdf(
    pdf: bytes,
    credentials: Credentials,
    place: Place,
    location: str = "",
    reason: str = "",
) -> bytes:
    """Sign a PDF (PAdES B-B, SHA-256) as an incremental update.

    The appearance (text: signer, time) uses the shipped Liberation Sans, embedded. The
    document's /Producer is set to pyHanko's in both the Info dictionary and the XMP metadata,
    which pyHanko rewrites, so the two stay equal as PDF/A requires.

    Args:
        pdf: the PDF.
        credentials: from :func:`load_credentials`.
        place: from :func:`find_place`.
        location: where it is signed (the place of the signature block).
        reason: why, e.g. "Laporan Kinerja 2022".

    Returns:
        The signed PDF.
    """
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def asn1(cert: Any) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key = asn1_keys.PrivateKeyInfo.load(
        credentials.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1(credentials.cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([asn1(c) for c in credentials.chain]),
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject) and "/Metadata" in writer.root:
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)
    field_name = place.field or FIELD_NAME
    new_field = None
    if not place.field:
        new_field = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=place.page,
            box=place.box,  # None: invisible
        )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        location=location or None,
        reason=reason or None,
        name=credentials.name,
    )
    style = TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=_ShippedFont(SIGNATURE_FONT, STAMP_FONT_SIZE), font_size=STAMP_FONT_SIZE
        ),
        border_width=1,
        timestamp_format="%d-%m-%Y %H:%M:%S %Z",
    )
    pdf_signer = signers.PdfSigner(metadata, signer, stamp_style=style, new_field_spec=new_field)
    out = pdf_signer.sign_pdf(writer, output=BytesIO())
    return out.getvalue()


# --------------------------------------------------------------------------- archive


def archive_signed(
    signed: bytes, year: int, archive_root: Path, now: datetime | None = None
) -> Path:
    """Store a signed PDF as a new file of the archive, never overwriting one.

    Args:
        signed: the signed PDF.
        year: the report year (the folder).
        archive_root: the archive (``arsip/``), outside every rebuilt folder.
        now: the signing time (the file name's timestamp, local time).

    Returns:
        ``arsip/YEAR/LKj_YEAR_ditandatangani_<YYYYmmdd-HHMMSS>.pdf`` (with ``-2``, ``-3`` ...
        when a file of that second exists). The file is made read-only.
    """
    folder = Path(archive_root) / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).astimezone().strftime("%Y%m%d-%H%M%S")
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        target = folder / ARCHIVE_PATTERN.format(year=year, stamp=stamp, suffix=suffix)
        try:
            handle = open(target, "xb")  # noqa: SIM115 - exclusive create, closed below
        except FileExistsError:
            number += 1
            continue
        break
    try:
        with handle:
            handle.write(signed)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o444)
    return target


# --------------------------------------------------------------------------- the command


def _synthetic_reasons(
    reader: Any, synthetic_data: bool, manifest: dict | None, first_page_text: str
) -> list[str]:
    reasons = []
    if synthetic_data:
        reasons.append("instansi.csv menandai data sebagai sintetis (data_sintetis = ya)")
    if manifest and manifest.get("sintetis"):
        reasons.append("manifest.json laporan mencatat sintetis = true")
    if SYNTHETIC_KEYWORD in pdf_keywords(reader):
        reasons.append(f"kata kunci PDF memuat {SYNTHETIC_KEYWORD!r}")
    if SYNTHETIC_KEYWORD in first_page_text:
        reasons.append(f"halaman pertama PDF memuat {SYNTHETIC_KEYWORD!r}")
    return reasons


def tandatangan(
    year: int,
    p12: Path | str,
    pdf: Path | str | None = None,
    password: bytes | None = None,
    raw_root: Path | str | None = None,
    processed: Path | str | None = None,
    output: Path | str | None = None,
    config: Path | str | None = None,
    archive_root: Path | str | None = None,
    now: datetime | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Sign the report of ``year`` (or ``pdf``) and archive the signed copy.

    Args:
        year: the report year (its instansi.csv names the signer and the place).
        p12: the agency's PKCS#12 certificate.
        pdf: another PDF to sign (default outputs/YEAR/LKj_YEAR.pdf, which must be up to date).
        password: the PKCS#12 password (default :func:`read_password`).
        raw_root: default data/raw.
        processed: default data/processed/YEAR.
        output: default outputs/YEAR.
        config: default config/lkj.toml.
        archive_root: default arsip/ of the repository.
        now: the signing moment (default now).
        log: where the progress lines go.

    Returns:
        The archived signed PDF.

    Raises:
        SigningError: a refusal (see the module docstring); LkjError: bad data.
    """
    from pypdf import PdfReader

    from lkj.data.dataset import read_raw
    from lkj.document.sampul import SIGNATURE_BOX_MM, info_lookup, is_synthetic, signer_data
    from lkj.run.paths import MANIFEST, ROOT, Paths, is_up_to_date

    paths = Paths.resolve(year, raw_root, processed, output, config)
    now = now or datetime.now(timezone.utc)
    archive = Path(archive_root) if archive_root else ROOT / "arsip"
    manifest = None
    if pdf is None:
        source = paths.output / f"LKj_{year}.pdf"
        if not source.is_file():
            raise SigningError(
                f"{source}: laporan belum dibuat; jalankan dulu: make report YEAR={year}"
            )
        try:
            manifest = json.loads((paths.output / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if not is_up_to_date(paths, ROOT, (manifest or {}).get("dokumen")):
            raise SigningError(
                f"{source}: laporan tidak mutakhir (data, pengaturan atau kode berubah sejak "
                f"laporan dibuat); jalankan dulu: make report YEAR={year}, periksa, lalu tanda "
                "tangani"
            )
    else:
        source = Path(pdf)
        if not source.is_file():
            raise SigningError(f"{source}: berkas PDF tidak ditemukan")
    data = source.read_bytes()
    if not data.startswith(b"%PDF"):
        raise SigningError(f"{source}: bukan berkas PDF")

    raw = read_raw(year, paths.raw_root)
    info = info_lookup(raw["instansi"])
    try:
        reader = PdfReader(BytesIO(data))
        first_page = (reader.pages[0].extract_text() or "") if len(reader.pages) else ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise SigningError(f"{source}: PDF tidak dapat dibaca ({exc})") from None
    reasons = _synthetic_reasons(reader, is_synthetic(info), manifest, first_page)
    if reasons:
        raise SigningError(
            f"{source}: laporan dibuat dari DATA SINTETIS dan tidak boleh ditandatangani ("
            + "; ".join(reasons)
            + ")"
        )

    credentials = load_credentials(p12, password if password is not None else read_password(), now)
    signer = signer_data(info, year)
    place = find_place(data, signer.name, SIGNATURE_BOX_MM)
    pdfa_before = pdfa_identification(data)
    signed = sign_pdf(
        data,
        credentials,
        place,
        location=info("tempat_penetapan"),
        reason=f"Laporan Kinerja {year}",
    )
    pdfa_after = pdfa_identification(signed)
    if pdfa_before and pdfa_after != pdfa_before:
        raise SigningError(
            f"{source}: identitas PDF/A-{pdfa_before} hilang saat ditandatangani; berkas tidak "
            "diarsipkan"
        )
    target = archive_signed(signed, year, archive, now)
    log(
        f"Ditandatangani oleh {credentials.name} (sertifikat berlaku sampai "
        f"{_when(credentials.cert.not_valid_after_utc)})."
    )
    if place.field:
        log(f"  Tanda tangan tampak di blok tanda tangan (kolom {place.field}).")
    elif place.box is not None:
        log(f"  Tanda tangan tampak di atas nama {signer.name!r}, halaman {place.page + 1}.")
    else:
        log(
            f"  Catatan: blok tanda tangan (nama {signer.name!r}) tidak ditemukan di PDF; tanda "
            "tangan sah tetapi tidak tampak di halaman."
        )
    log(f"  PDF/A: {'PDF/A-' + pdfa_after if pdfa_after else 'berkas masukan bukan PDF/A'}")
    if pdfa_after and _declares_pdf2(signed):
        log(
            "  Catatan: sertifikat kurva eliptik; pyHanko menandai berkas sebagai PDF 2.0 "
            "(ISO/TS 32002), sedangkan PDF/A-3 berbasis PDF 1.7. Sertifikat RSA tidak begitu."
        )
    log(f"  Arsip: {target}")
    return target
