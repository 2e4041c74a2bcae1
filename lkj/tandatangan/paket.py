"""The submission package: ``python -m lkj paket --year YEAR`` (``make paket YEAR=2023``).

Gathers into ``arsip/YEAR/paket/`` what is submitted and what an auditor checks it with:

* the newest signed report of ``arsip/YEAR/`` (``lkj tandatangan``), its signature intact;
* the data workbook the signed PDF carries (extracted from it: the data that was signed);
* the Word document of the report (outputs/YEAR/LKj_YEAR.docx);
* the self-assessment (``lkj.run.penilaian``), with the archive's facts as they are now;
* the Perjanjian Kinerja and the IKU tables of the report as documents of their own (PDF);
* ``manifest.json`` (document type, file, SHA-256, signed by whom and when, built from which
  data) and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` in the folder checks every file).

Refused, with a message and a non-zero exit: no signed report; a signed report without its
record (``lkj.tandatangan.rekam``) or whose signature is broken; a report whose data or
settings changed since it was signed (a newer lkj alone is not a reason). The folder is
replaced whole: a package half written never takes its place.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError

FOLDER = "paket"
SUMS = "SHA256SUMS"


class PaketError(LkjError):
    """The package cannot be made (the message says why and what to do)."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signature_facts(data: bytes) -> dict[str, str]:
    """Who signed the PDF and when (the signer's certificate and the time it states), and
    whether the signed bytes are intact (pyHanko; no trust decision here)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(io.BytesIO(data)).embedded_signatures
    if not sigs:
        return {}
    sig = sigs[-1]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[], allow_fetching=False))
    cert = sig.signer_cert
    when = sig.self_reported_timestamp
    return {
        "oleh": cert.subject.native.get("common_name", cert.subject.human_friendly),
        "waktu": when.isoformat(timespec="seconds") if when else "",
        "utuh": "ya" if status.intact and status.valid else "tidak",
    }


def carried_workbook(data: bytes) -> tuple[str, bytes] | None:
    """The data workbook (.xlsx) a report PDF carries, as (name, bytes)."""
    from pypdf import PdfReader

    for name, contents in PdfReader(io.BytesIO(data)).attachments.items():
        if name.endswith(".xlsx") and contents:
            return name, contents[0]
    return None


def _refuse_stale(paths: Any, record: dict, signed: Path) -> None:
    from lkj.run.paths import ROOT, fingerprint
    from lkj.tandatangan.rekam import changed_since

    changed = changed_since(record, fingerprint(paths, ROOT, record.get("dokumen")))
    if changed:
        shown = ", ".join(changed[:5]) + (f" dan {len(changed) - 5} lainnya" if changed[5:] else "")
        raise PaketError(
            f"{signed.name}: data atau pengaturan berubah sejak laporan ditandatangani ({shown}); "
            f"bangun ulang (make report YEAR={paths.year}), periksa, tanda tangani ulang"
        )


def _table_document(doc: Any, key: str, title: str, d: Any) -> Any:
    from lkj.document.model import Document, Heading, Paragraph, Part, number_blocks

    org = f"{d.info('nama_instansi')} {d.info('kabupaten')}".strip()
    table = doc.table(key)
    blocks = [
        Heading(1, f"{title.upper()} TAHUN {d.year}", chapter="1"),
        Paragraph(f"{org}. Tabel dari Laporan Kinerja Tahun {d.year} ({table.caption})."),
        table,
    ]
    out = Document(title=f"{title} Tahun {d.year} {org}", parts=[Part(key, blocks)], author=org)
    number_blocks(out.blocks)
    return out


def _documents(paths: Any, stage: Path, archive: Path, log: Callable[[str], None]) -> list[dict]:
    """The self-assessment and the PK and IKU documents, written into ``stage``."""
    from lkj.document import laporan
    from lkj.document.sampul import is_synthetic
    from lkj.render.to_pdf import render_pdf
    from lkj.run.penilaian import write_penilaian

    d = laporan.load_report_data(paths.year, paths.processed, paths.output, paths.config, paths.raw)
    d.figure_links = True
    html, pdf, p = write_penilaian(d, stage, archive)
    log(f"  penilaian mandiri: skor {p.skor} dari {p.lke.bobot_komponen}")
    out = [
        {"jenis": "Penilaian Mandiri Pelaporan Kinerja (PDF)", "berkas": pdf.name},
        {"jenis": "Penilaian Mandiri Pelaporan Kinerja (HTML)", "berkas": html.name},
    ]
    doc = laporan.report_document(d)
    tables = (("perjanjian_kinerja", "Perjanjian Kinerja"), ("iku", "Indikator Kinerja Utama"))
    for key, title in tables:
        name = f"LKj_{paths.year}_{key}.pdf"
        table_doc = _table_document(doc, key, title, d)
        data = render_pdf(
            table_doc, d.config.dokumen, synthetic=is_synthetic(d.info), signature_field=False
        )
        (stage / name).write_bytes(data)
        out.append({"jenis": f"{title} (tabel laporan)", "berkas": name})
    return out


def paket(
    year: int,
    raw_root: Path | str | None = None,
    processed: Path | str | None = None,
    output: Path | str | None = None,
    config: Path | str | None = None,
    archive_root: Path | str | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Make ``arsip/YEAR/paket/`` from the newest signed report of the year.

    Returns:
        The package folder.

    Raises:
        PaketError: a refusal (see the module docstring).
    """
    from lkj.run.paths import ROOT, Paths

    paths = Paths.resolve(year, raw_root, processed, output, config)
    archive = Path(archive_root) if archive_root else ROOT / "arsip"
    folder = archive / str(year)
    signed, record = signed_with_record(
        folder, year, "laporan", f"make tandatangan YEAR={year} P12=..."
    )
    _refuse_stale(paths, record, signed)
    data = signed.read_bytes()
    facts = signature_facts(data)
    if facts.get("utuh") != "ya":
        raise PaketError(f"{signed.name}: tanda tangan tidak ada atau tidak utuh")
    book = carried_workbook(data)
    docx = paths.output / f"LKj_{year}.docx"
    if book is None or not docx.is_file():
        missing = "buku kerja data dalam PDF" if book is None else str(docx)
        raise PaketError(f"{signed.name}: {missing} tidak ada; bangun ulang laporan")

    def fill(stage: Path) -> list[dict]:
        shutil.copyfile(signed, stage / signed.name)
        (stage / book[0]).write_bytes(book[1])
        shutil.copyfile(docx, stage / docx.name)
        return [
            {
                "jenis": "Laporan Kinerja (ditandatangani, PAdES)",
                "berkas": signed.name,
                "ditandatangani_oleh": facts["oleh"],
                "waktu_tanda_tangan": facts["waktu"],
            },
            {"jenis": "Laporan Kinerja (Word, untuk penyuntingan)", "berkas": docx.name},
            {"jenis": "Data mentah yang ditandatangani (dari PDF)", "berkas": book[0]},
            *_documents(paths, stage, archive, log),
        ]

    target, docs = stage_package(folder, year, record, fill)
    log(f"Paket {year}: {target} ({len(docs)} dokumen, {SUMS}, manifest.json)")
    return target


def signed_with_record(
    folder: Path, year: int, what: str, command: str, prefix: str = ""
) -> tuple[Path, dict]:
    """The newest signed copy of the year in ``folder`` and its signing record.

    Raises:
        PaketError: none signed yet (``command`` says how), or its record is missing.
    """
    from lkj.document.penilaian.fakta import newest_signed
    from lkj.tandatangan.rekam import read_record

    newest = newest_signed(folder, year, prefix) if prefix else newest_signed(folder, year)
    if newest is None:
        raise PaketError(
            f"{folder}: belum ada {what} yang ditandatangani; jalankan dulu: {command}"
        )
    signed = newest[1]
    record = read_record(signed)
    if record is None:
        raise PaketError(
            f"{signed.name}: catatan penandatanganan ({signed.stem}.json) tidak ada, sehingga "
            "tidak diketahui data mana yang ditandatangani; tanda tangani ulang"
        )
    return signed, record


def stage_package(
    folder: Path, year: int, record: dict, fill: Callable[[Path], list[dict]]
) -> tuple[Path, list[dict]]:
    """Write the package in a staging folder (``fill`` puts the documents there and lists
    them), add the manifest and checksums, then put it in place of ``folder/paket`` at once;
    nothing half-written is left on failure."""
    stage = folder / f".{FOLDER}-tmp"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    try:
        docs = fill(stage)
        _write_manifest(stage, year, docs, record)
        target = folder / FOLDER
        shutil.rmtree(target, ignore_errors=True)
        stage.replace(target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return target, docs


def _write_manifest(stage: Path, year: int, docs: list[dict], record: dict) -> None:
    for doc in docs:
        doc["sha256"] = _sha256(stage / doc["berkas"])
    manifest = {
        "tahun": year,
        "dibuat": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "dokumen": docs,
        "data": {
            "run": record.get("run"),
            "pengaturan_dokumen": record.get("dokumen"),
            "masukan": record.get("masukan"),
        },
    }
    (stage / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    files = sorted(p for p in stage.iterdir() if p.is_file() and p.name != SUMS)
    (stage / SUMS).write_text("".join(f"{_sha256(p)}  {p.name}\n" for p in files), encoding="utf-8")
