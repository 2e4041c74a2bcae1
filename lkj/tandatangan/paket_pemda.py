"""The pemda's submission package: ``python -m lkj paket --pemda KODE --year YEAR``
(``make paket PEMDA=kode YEAR=2022``).

Gathers into ``arsip/pemda/<kode>/YEAR/paket/``:

* the newest signed LKjIP of ``arsip/pemda/<kode>/YEAR/`` (``LKjIP_YEAR_ditandatangani_*.pdf``),
  its signature intact;
* its data: ``LKjIP_YEAR_data.zip``, every file the LKjIP was built from (the pemda's tables,
  lambang and narasi of the year, each OPD's folder of the year), as they were signed;
* the Word document of the LKjIP (outputs/pemda/<kode>/YEAR/LKjIP_YEAR.docx);
* the self-assessment of the LKjIP (``lkj.run.penilaian.write_penilaian_lkjip``) with the
  archive's facts as they are now;
* ``manifest.json`` and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` in the folder).

The record beside the signed LKjIP (``record_lkjip``: ``<signed>.json``, ``masukan``) names the
data and settings it was built from. Refused like an OPD's package (``lkj.tandatangan.paket``):
no signed LKjIP, no record, a broken signature, data or settings changed since signing (a
newer lkj alone is not a reason). The folder is replaced whole.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lkj.core.lke import batas_settings, load_lke
from lkj.core.resources import ROOT
from lkj.data.files import sha256_file
from lkj.document.penilaian.fakta import LKJIP_PREFIX, pemda_archive
from lkj.tandatangan.paket import (
    PaketError,
    signature_facts,
    signed_with_record,
    stage_package,
)
from lkj.tandatangan.rekam import changed_since, record_path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the data archive's entries carry no build time: same bytes


def lkjip_inputs(ws: Any, year: int, config_path: Path | None = None) -> dict[str, str]:
    """The data and settings the LKjIP of ``year`` is built from, by path relative to the
    workspace: every file of pemda/ (tables, lambang, narasi/YEAR; other years' narasi left
    out), every file of opd/<kode>/YEAR/, config/lkj.toml and the deadline settings."""
    root = Path(ws.root)
    files = [p for p in Path(ws.pemda_dir).rglob("*") if p.is_file()]
    narasi = Path(ws.pemda_dir) / "narasi"
    files = [
        p for p in files if narasi not in p.parents or p.parent.name == str(year)
    ]  # only this year's narasi
    for folder in sorted(Path(ws.opd_dir).glob(f"*/{year}")):
        files += [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("~$")]
    out = {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(files)}
    config_path = config_path or ROOT / "config" / "lkj.toml"
    out["config/lkj.toml"] = sha256_file(config_path)
    out["settings:batas_waktu"] = batas_settings(load_lke())
    return out


def record_lkjip(
    signed: Path, ws: Any, year: int, signer: str, when: datetime, config: Path | None = None
) -> Path:
    """Write the record beside a signed LKjIP: the data and settings it was built from now
    (``lkjip_inputs``), who signed it and when. ``lkj tandatangan --pemda`` calls it."""
    record = {
        "tahun": year,
        "pemda": ws.kode,
        "berkas": signed.name,
        "ditandatangani_oleh": signer,
        "waktu": when.astimezone().isoformat(timespec="seconds"),
        "masukan": lkjip_inputs(ws, year, config),
    }
    target = record_path(signed)
    target.write_text(
        json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return target


def _outcomes(ws: Any, year: int, pemda: Any) -> list[SimpleNamespace]:
    """Each OPD's status from the batch's status.json (``lkj.pemda.status``)."""
    try:
        status = json.loads((Path(ws.output(year)) / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        status = {}
    recorded = status.get("opd", {}) if isinstance(status, dict) else {}
    out = []
    for kode in pemda["opd"]["kode_opd"]:
        rec = recorded.get(kode, {})
        state = {"ok": "dibangun", "gagal": "gagal"}.get(rec.get("status"), "tidak ada")
        out.append(SimpleNamespace(kode_opd=kode, status=state, error=rec.get("error", "")))
    return out


def _data_zip(ws: Any, inputs: dict[str, str], target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        for name in sorted(k for k in inputs if not k.startswith(("settings:", "config/"))):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, (Path(ws.root) / name).read_bytes())


def _penilaian(ws: Any, year: int, stage: Path, archive: Path, config: Path) -> list[dict]:
    from lkj.analysis.konsolidasi import consolidate
    from lkj.core.config import load_config
    from lkj.data.workspace import read_pemda
    from lkj.document.lkjip import lkjip_document
    from lkj.run.penilaian import quarters_pemda, write_penilaian_lkjip

    pemda = read_pemda(ws, year)
    settings = load_config(config)
    data = consolidate(ws, pemda, _outcomes(ws, year, pemda), settings)
    figures = Path(ws.output(year)) / "figures"
    doc = lkjip_document(
        data,
        settings,
        {"iku": figures / "grafik_iku_pemda.png", "serapan": figures / "grafik_opd.png"},
    )
    write_penilaian_lkjip(data, doc, stage, archive, settings.dokumen, quarters_pemda(ws, year))
    name = f"LKjIP_{year}_penilaian_mandiri"
    return [
        {"jenis": "Penilaian Mandiri Pelaporan Kinerja LKjIP (PDF)", "berkas": f"{name}.pdf"},
        {"jenis": "Penilaian Mandiri Pelaporan Kinerja LKjIP (HTML)", "berkas": f"{name}.html"},
    ]


def paket_pemda(
    ws: Any,
    year: int,
    archive_root: Path | str | None = None,
    config: Path | str | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Make ``arsip/pemda/<kode>/YEAR/paket/`` from the newest signed LKjIP of the year.

    Returns:
        The package folder.

    Raises:
        PaketError: a refusal (see the module docstring).
    """
    archive = pemda_archive(Path(archive_root) if archive_root else ROOT / "arsip", ws.kode)
    config = Path(config) if config else ROOT / "config" / "lkj.toml"
    folder = archive / str(year)
    signed, record = signed_with_record(
        folder, year, "LKjIP", f"make tandatangan PEMDA={ws.kode} YEAR={year} P12=...", LKJIP_PREFIX
    )
    inputs = lkjip_inputs(ws, year, config)
    changed = changed_since(record, inputs)
    if changed:
        shown = ", ".join(changed[:5]) + (f" dan {len(changed) - 5} lainnya" if changed[5:] else "")
        raise PaketError(
            f"{signed.name}: data atau pengaturan berubah sejak LKjIP ditandatangani ({shown}); "
            f"bangun ulang (make pemda PEMDA={ws.kode} YEAR={year}), periksa, tanda tangani ulang"
        )
    facts = signature_facts(signed.read_bytes())
    if facts.get("utuh") != "ya":
        raise PaketError(f"{signed.name}: tanda tangan tidak ada atau tidak utuh")
    docx = Path(ws.output(year)) / f"LKjIP_{year}.docx"
    if not docx.is_file():
        raise PaketError(f"{signed.name}: {docx} tidak ada; bangun ulang (make pemda)")

    def fill(stage: Path) -> list[dict]:
        shutil.copyfile(signed, stage / signed.name)
        shutil.copyfile(docx, stage / docx.name)
        data_name = f"LKjIP_{year}_data.zip"
        _data_zip(ws, inputs, stage / data_name)
        return [
            {
                "jenis": "LKjIP (ditandatangani, PAdES)",
                "berkas": signed.name,
                "ditandatangani_oleh": facts["oleh"],
                "waktu_tanda_tangan": facts["waktu"],
            },
            {"jenis": "LKjIP (Word, untuk penyuntingan)", "berkas": docx.name},
            {"jenis": "Data pemda dan OPD yang ditandatangani", "berkas": data_name},
            *_penilaian(ws, year, stage, archive, config),
        ]

    target, docs = stage_package(folder, year, record, fill)
    log(f"Paket LKjIP {ws.kode} {year}: {target} ({len(docs)} dokumen, SHA256SUMS, manifest.json)")
    return target
