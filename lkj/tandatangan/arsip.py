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

Here: the command (``tandatangan``: the report found, up to date and not synthetic, signed,
checked and archived) and the archive (``archive_signed``). The certificate and its password:
``lkj.tandatangan.sertifikat``; where the visible signature goes: ``lkj.tandatangan.placement``;
the signature itself: ``lkj.tandatangan.pades``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lkj.document.sampul import SYNTHETIC_KEYWORD
from lkj.tandatangan.pades import _declares_pdf2, pdf_keywords, pdfa_identification, sign_pdf
from lkj.tandatangan.placement import Place, find_place
from lkj.tandatangan.rekam import write_record
from lkj.tandatangan.sertifikat import (
    Credentials,
    SigningError,
    _when,
    load_credentials,
    read_password,
)

if TYPE_CHECKING:
    from lkj.run.paths import Paths

ARCHIVE_PATTERN = "LKj_{year}_ditandatangani_{stamp}{suffix}.pdf"


def archive_signed(
    signed: bytes,
    year: int,
    archive_root: Path,
    now: datetime | None = None,
    prefix: str = "LKj",
) -> Path:
    """Store a signed PDF as a new file of the archive, never overwriting one.

    Args:
        signed: the signed PDF.
        year: the report year (the folder).
        archive_root: the archive (``arsip/``), outside every rebuilt folder.
        now: the signing time (the file name's timestamp, local time).
        prefix: the document's name ("LKj"; "LKjIP" for a pemda's LKjIP).

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
        name = ARCHIVE_PATTERN.format(year=year, stamp=stamp, suffix=suffix)
        target = folder / (prefix + name[len("LKj") :])
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
    from lkj.data.ingest import read_raw
    from lkj.document.sampul import SIGNATURE_BOX_MM, info_lookup, is_synthetic, signer_data
    from lkj.run.paths import ROOT, Paths

    paths = Paths.resolve(year, raw_root, processed, output, config)
    now = now or datetime.now(timezone.utc)
    archive = Path(archive_root) if archive_root else ROOT / "arsip"
    source, manifest = _source(paths, year, pdf)
    data = source.read_bytes()
    if not data.startswith(b"%PDF"):
        raise SigningError(f"{source}: bukan berkas PDF")

    raw = read_raw(year, paths.raw_root)
    info = info_lookup(raw["instansi"])
    _refuse_synthetic(source, data, is_synthetic(info), manifest)

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
    # which data and settings were signed: lkj paket refuses the report once they change
    write_record(target, paths, manifest, credentials.name, now, source)
    _log_signed(log, credentials, place, signer.name, signed, pdfa_after, target)
    return target


def _source(paths: Paths, year: int, pdf: Path | str | None) -> tuple[Path, dict | None]:
    """The PDF to sign and the report's manifest: the report of ``year``, which must exist and
    be up to date (its manifest read), else ``pdf``, which must exist (no manifest).

    Raises:
        SigningError: the report is missing or not up to date, or ``pdf`` is missing.
    """
    from lkj.run.paths import MANIFEST, ROOT, is_up_to_date

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
    return source, manifest


def _refuse_synthetic(
    source: Path, data: bytes, synthetic_data: bool, manifest: dict | None
) -> None:
    """Raise SigningError when the report was built from synthetic data (or the PDF cannot be
    read)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(data))
        first_page = (reader.pages[0].extract_text() or "") if len(reader.pages) else ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise SigningError(f"{source}: PDF tidak dapat dibaca ({exc})") from None
    reasons = _synthetic_reasons(reader, synthetic_data, manifest, first_page)
    if reasons:
        raise SigningError(
            f"{source}: laporan dibuat dari DATA SINTETIS dan tidak boleh ditandatangani ("
            + "; ".join(reasons)
            + ")"
        )


def _log_signed(
    log: Callable[[str], None],
    credentials: Credentials,
    place: Place,
    signer_name: str,
    signed: bytes,
    pdfa_after: str,
    target: Path,
) -> None:
    """The lines saying who signed, where the signature shows, PDF/A and the archived file."""
    log(
        f"Ditandatangani oleh {credentials.name} (sertifikat berlaku sampai "
        f"{_when(credentials.cert.not_valid_after_utc)})."
    )
    if place.field:
        log(f"  Tanda tangan tampak di blok tanda tangan (kolom {place.field}).")
    elif place.box is not None:
        log(f"  Tanda tangan tampak di atas nama {signer_name!r}, halaman {place.page + 1}.")
    else:
        log(
            f"  Catatan: blok tanda tangan (nama {signer_name!r}) tidak ditemukan di PDF; tanda "
            "tangan sah tetapi tidak tampak di halaman."
        )
    log(f"  PDF/A: {'PDF/A-' + pdfa_after if pdfa_after else 'berkas masukan bukan PDF/A'}")
    if pdfa_after and _declares_pdf2(signed):
        log(
            "  Catatan: sertifikat kurva eliptik; pyHanko menandai berkas sebagai PDF 2.0 "
            "(ISO/TS 32002), sedangkan PDF/A-3 berbasis PDF 1.7. Sertifikat RSA tidak begitu."
        )
    log(f"  Arsip: {target}")
