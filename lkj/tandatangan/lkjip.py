"""Electronic signature of a pemda's LKjIP: ``python -m lkj tandatangan --pemda KODE --year
YEAR --p12 FILE`` (no ``--opd``), what ``make tandatangan PEMDA=kode YEAR=2022 P12=...`` runs.

The LKjIP PDF (``outputs/pemda/<kode>/YEAR/LKjIP_YEAR.pdf``, or ``--pdf FILE``) is signed the
way an OPD's report is (``lkj.tandatangan.arsip``): PAdES with the pemda's PKCS#12 certificate
(pyHanko), the visible signature above the head of region's name in the signature block of
Bab IV (the LKjIP carries no signature field), PDF/A kept. The same refusals: a wrong password,
a certificate that may not sign now, a pemda of synthetic data (``data_sintetis = ya`` in
pemda.csv, or "DATA SINTETIS" in the PDF's keywords or on its first page). Whether the LKjIP
is up to date with every OPD and the pemda's tables is the caller's check
(``lkj.pemda.lkjip_state``, which this layer does not import).

The signed copy goes to ``arsip/pemda/<kode>/YEAR/LKjIP_YEAR_ditandatangani_<stamp>.pdf``
(one new read-only file per signing, outside every folder a rebuild or ``make clean``
replaces), with its record beside it (``lkj.tandatangan.paket_pemda.record_lkjip``: the data
and settings it was built from, who signed, when; ``make paket PEMDA=`` reads it). The
dashboard links the latest one (``lkj.pemda.dashboard``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from lkj.core.resources import ROOT
from lkj.document.sampul import SIGNATURE_BOX_MM
from lkj.tandatangan.arsip import _log_signed, _refuse_synthetic, archive_signed
from lkj.tandatangan.pades import pdfa_identification, sign_pdf
from lkj.tandatangan.paket_pemda import record_lkjip
from lkj.tandatangan.placement import find_place
from lkj.tandatangan.sertifikat import SigningError, load_credentials, read_password

if TYPE_CHECKING:
    from lkj.data.workspace import Workspace

PREFIX = "LKjIP"


def lkjip_archive(archive_root: Path, kode_pemda: str) -> Path:
    """The pemda's own folder of the archive: its signed LKjIPs go to <this>/YEAR/."""
    return Path(archive_root) / "pemda" / kode_pemda


def tandatangan_lkjip(
    ws: Workspace,
    year: int,
    p12: Path | str,
    pdf: Path | str | None,
    archive_root: Path | None,
    config: Path | None = None,
    password: bytes | None = None,
    now: datetime | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Sign the LKjIP of ``year`` (or ``pdf``) and archive the signed copy.

    Args:
        ws: the pemda's workspace (its pemda.csv: the head of region, whose name the signature
            is drawn above, ``ibu_kota`` where it is signed, ``data_sintetis``).
        year: the report year.
        p12: the pemda's PKCS#12 certificate.
        pdf: another PDF to sign (default the LKjIP in place, checked up to date by the
            caller: ``lkj.pemda.lkjip_state.current_lkjip``).
        archive_root: the archive (default ``arsip/`` of the repository).
        config: the configuration (default config/lkj.toml), for the record.
        password: the PKCS#12 password (default :func:`read_password`).
        now: the signing moment (default now).
        log: where the progress lines go.

    Returns:
        The archived signed PDF.

    Raises:
        SigningError: a refusal (missing PDF, synthetic data, certificate, PDF/A lost).
    """
    from lkj.data.workspace import read_pemda

    pemda = read_pemda(ws, year)
    signer_name = pemda.info("kepala_daerah_nama")
    pdf = Path(pdf) if pdf else ws.output(year) / f"{PREFIX}_{year}.pdf"
    now = now or datetime.now(timezone.utc)
    if not pdf.is_file():
        raise SigningError(f"{pdf}: LKjIP belum dibuat; jalankan dulu: make pemda YEAR={year}")
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF"):
        raise SigningError(f"{pdf}: bukan berkas PDF")
    _refuse_synthetic(pdf, data, pemda.synthetic, None)
    credentials = load_credentials(p12, password if password is not None else read_password(), now)

    place = find_place(data, signer_name, SIGNATURE_BOX_MM)
    pdfa_before = pdfa_identification(data)
    reason = f"LKjIP {pemda.info('nama_pemda')} {year}"
    signed = sign_pdf(data, credentials, place, location=pemda.info("ibu_kota"), reason=reason)
    pdfa_after = pdfa_identification(signed)
    if pdfa_before and pdfa_after != pdfa_before:
        raise SigningError(
            f"{pdf}: identitas PDF/A-{pdfa_before} hilang saat ditandatangani; berkas tidak "
            "diarsipkan"
        )
    archive = lkjip_archive(archive_root or ROOT / "arsip", ws.kode)
    target = archive_signed(signed, year, archive, now, PREFIX)
    # which data and settings were signed: lkj paket --pemda refuses the LKjIP once they change
    record_lkjip(target, ws, year, credentials.name, now, config)
    _log_signed(log, credentials, place, signer_name, signed, pdfa_after, target)
    return target
