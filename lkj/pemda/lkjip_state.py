"""Whether the LKjIP in place is the one a pemda run would build now (what signing it needs).

The LKjIP is up to date when no OPD report would be rebuilt (each OPD's inputs, the code and
the configuration as when its report or its data failure was recorded in status.json) and
the LKjIP's own fingerprint (the pemda's tables, which OPDs have a report and from which
inputs, the code, the configuration: ``lkj.pemda.fingerprint.lkjip_fingerprint``) is the one
status.json records for the LKjIP in place.
"""

from __future__ import annotations

from pathlib import Path

from lkj.core.errors import LkjError
from lkj.core.resources import ROOT
from lkj.data.workspace import Workspace, list_opd, read_pemda
from lkj.pemda.fingerprint import code_fingerprint, lkjip_fingerprint
from lkj.pemda.status import STATUS_FILE, load_status


def lkjip_state(ws: Workspace, year: int, config_path: Path | None = None) -> tuple[str, str]:
    """Why the LKjIP of ``year`` in place is not up to date ("" when it is), and its current
    fingerprint.

    Args:
        ws: the pemda's workspace.
        year: the report year.
        config_path: the configuration (default config/lkj.toml).

    Returns:
        (reason, fingerprint): the reason in Indonesian, e.g. "OPD 02 berubah sejak
        dibangun", or "" for an LKjIP up to date.

    Raises:
        DataErrors: the pemda's own tables break the contract.
    """
    from lkj.pemda.batch import _plan

    config_path = config_path or ROOT / "config" / "lkj.toml"
    pemda = read_pemda(ws, year)
    status = load_status(ws.output(year) / STATUS_FILE)
    recorded = status.get("opd", {}) if isinstance(status.get("opd"), dict) else {}
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()} if pemda.lambang else {}
    code = code_fingerprint(ROOT)
    config = config_path.read_bytes()
    outcomes, tasks = _plan(ws, year, pemda, recorded, False, config, code, shared)
    names = [e.kode_opd for e in list_opd(ws, pemda)]
    fingerprint = lkjip_fingerprint(
        pemda, [outcomes[k] for k in names if k in outcomes], code, config, year
    )
    if tasks:
        kodes = ", ".join(entry.kode_opd for entry, _ in tasks)
        return f"laporan OPD {kodes} belum dibangun dari datanya sekarang", fingerprint
    lkjip = status.get("lkjip", {}) if isinstance(status.get("lkjip"), dict) else {}
    if lkjip.get("fingerprint") != fingerprint:
        return "data pemda, kode atau pengaturan berubah sejak LKjIP dibangun", fingerprint
    return "", fingerprint


def current_lkjip(
    ws: Workspace, year: int, config_path: Path | None = None, check: bool = True
) -> str:
    """The fingerprint of the LKjIP of ``year`` (for the record of its signing), after checking
    (with ``check``) that its PDF is there and up to date.

    Raises:
        LkjError: the LKjIP PDF is missing, or not up to date (the message says what to run).
    """
    pdf = ws.output(year) / f"LKjIP_{year}.pdf"
    run = f"make pemda PEMDA={ws.kode} YEAR={year}"
    if check and not pdf.is_file():
        raise LkjError(f"{pdf}: LKjIP belum dibuat; jalankan dulu: {run}")
    why, fingerprint = lkjip_state(ws, year, config_path)
    if check and why:
        raise LkjError(
            f"{pdf}: LKjIP tidak mutakhir ({why}); jalankan dulu: {run}, periksa, lalu "
            "tanda tangani"
        )
    return fingerprint
