"""The data an LKjIP PDF/A carries, and reading it back (``make verifikasi PDF=<signed LKjIP>``).

The LKjIP is consolidated (``lkj.analysis.konsolidasi.consolidate``) from the pemda's own tables
and each OPD's processed tables, not from the OPDs' raw folders. ``write_carried`` packs exactly
that into one zip (``LKjIP_YEAR_data_konsolidasi.zip``), embedded in the PDF/A-3 as an associated
file:

* ``pemda/...``: every file of the pemda's folder (tables, lambang, this year's narasi);
* ``diolah/<kode_opd>/<tabel>.csv``: the processed tables of every OPD the LKjIP consolidates
  (status ``dibangun`` or ``mutakhir``);
* ``status.json``: the year, the pemda's code, every OPD's status (and error) and the folders
  under opd/ (an unlisted folder is a data quality finding).

Entries carry no time, so the same data gives the same bytes. ``unpack_carried`` reads it back
into a scratch workspace within limits, each refusal naming the zip, the entry and what was
expected: at most ``MAX_MEMBERS`` entries, ``workbook_mb`` unpacked in all and ``csv_mb`` per
entry (config/lkj.toml ``[batas]``, checked from the zip's directory before anything is
unpacked), only the names above (no absolute path, no ``..``), a ``status.json`` of the
expected shape. The pemda's tables are then read and validated as any input
(``lkj.data.workspace.read_pemda``).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.core.config import Batas, load_batas
from lkj.core.errors import DataError, DataErrors
from lkj.data.files import shown
from lkj.data.schema import TABLES_BY_NAME
from lkj.data.workspace import PemdaData, Workspace, read_pemda

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_MEMBERS = 10_000  # a pemda of 60 OPDs: about 60 x 20 processed tables and 30 pemda files
STATUS = "status.json"
STATUSES = ("dibangun", "mutakhir", "gagal", "tidak ada")
_NAME = re.compile(
    r"pemda/(?:[A-Za-z0-9_.\- ]+/)*[A-Za-z0-9_.\- ]+"
    r"|diolah/[A-Za-z0-9_.\-]+/[A-Za-z0-9_]+\.csv"
    r"|status\.json"
)
BUILT = ("dibangun", "mutakhir")


def carried_name(year: int) -> str:
    """The name of the zip an LKjIP PDF of ``year`` carries."""
    return f"LKjIP_{year}_data_konsolidasi.zip"


@dataclass
class Outcome:
    """An OPD's status as the LKjIP consolidated it (what ``lkj.pemda.status`` recorded)."""

    kode_opd: str
    status: str
    error: str = ""


def _files(ws: Workspace, year: int) -> list[tuple[str, Path]]:
    narasi = Path(ws.pemda_dir) / "narasi"
    out = []
    for p in sorted(Path(ws.pemda_dir).rglob("*")):
        if p.is_file() and (narasi not in p.parents or p.parent.name == str(year)):
            out.append((f"pemda/{p.relative_to(ws.pemda_dir).as_posix()}", p))
    return out


def write_carried(ws: Workspace, year: int, outcomes: list[Any], target: Path) -> Path:
    """Write the zip the LKjIP of ``year`` carries (see the module docstring).

    Args:
        ws: the workspace.
        year: the report year.
        outcomes: every OPD's status (kode_opd, status, error), in opd.csv order.
        target: the zip to write.

    Returns:
        ``target``.
    """
    files = _files(ws, year)
    for o in outcomes:
        if o.status in BUILT:
            folder = ws.opd_processed(year, o.kode_opd)
            files += [(f"diolah/{o.kode_opd}/{p.name}", p) for p in sorted(folder.glob("*.csv"))]
    folders = (
        sorted(p.name for p in ws.opd_dir.iterdir() if p.is_dir()) if ws.opd_dir.is_dir() else []
    )
    status = {
        "tahun": year,
        "pemda": ws.kode,
        "opd": [
            {"kode_opd": o.kode_opd, "status": o.status, "error": getattr(o, "error", "") or ""}
            for o in outcomes
        ],
        "folder_opd": folders,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        for name, path in files:
            book.writestr(zipfile.ZipInfo(name, ZIP_TIME), path.read_bytes(), zipfile.ZIP_DEFLATED)
        text = json.dumps(status, indent=1, ensure_ascii=False, sort_keys=True)
        book.writestr(zipfile.ZipInfo(STATUS, ZIP_TIME), text.encode(), zipfile.ZIP_DEFLATED)
    return target


def _check_members(book: zipfile.ZipFile, where: str, batas: Batas) -> None:
    members = book.infolist()
    if len(members) > MAX_MEMBERS:
        raise DataError(where, f"berisi {len(members)} berkas, melebihi {MAX_MEMBERS}")
    total = sum(m.file_size for m in members)
    if total > batas.workbook_bytes:
        raise DataError(
            where,
            f"terurai menjadi {total / 2**20:.0f} MB, melebihi batas workbook_mb = "
            f"{batas.workbook_mb} MB (config/lkj.toml [batas])",
        )
    for m in members:
        parts = m.filename.split("/")
        if not _NAME.fullmatch(m.filename) or ".." in parts or "." in parts:
            raise DataError(
                where,
                f"berkas {m.filename!r} tidak diharapkan: hanya pemda/..., "
                f"diolah/<kode_opd>/<tabel>.csv dan {STATUS}",
            )
        if m.file_size > batas.csv_mb * 2**20:
            raise DataError(
                where,
                f"berkas {m.filename} terurai menjadi {m.file_size / 2**20:.0f} MB, melebihi "
                f"batas csv_mb = {batas.csv_mb} MB (config/lkj.toml [batas])",
            )
    if STATUS not in book.namelist():
        raise DataError(where, f"tidak berisi {STATUS}")


def _status(raw: bytes, where: str) -> dict[str, Any]:
    where = f"{where}, berkas {STATUS}"
    try:
        status = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(where, f"bukan JSON yang dapat dibaca ({exc})") from None
    if not isinstance(status, dict):
        raise DataError(where, "diharapkan objek JSON {tahun, pemda, opd, folder_opd}")
    year, kode = status.get("tahun"), status.get("pemda")
    if not isinstance(year, int) or not 1900 < year < 3000:
        raise DataError(where, f"tahun: diharapkan tahun empat angka, ditemukan {year!r}")
    if not isinstance(kode, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", kode):
        raise DataError(where, f"pemda: diharapkan kode pemda, ditemukan {kode!r}")
    opd, folders = status.get("opd"), status.get("folder_opd")
    if not isinstance(opd, list) or not isinstance(folders, list):
        raise DataError(where, "opd dan folder_opd: diharapkan daftar")
    for i, o in enumerate(opd):
        ok = isinstance(o, dict) and o.get("status") in STATUSES
        ok = ok and all(isinstance(o.get(k), str) for k in ("kode_opd", "error"))
        if not ok or not re.fullmatch(r"[A-Za-z0-9_.\-]+", o["kode_opd"]):
            raise DataError(
                where,
                f"opd butir {i + 1}: diharapkan {{kode_opd, status ({', '.join(STATUSES)}), "
                f"error}}, ditemukan {o!r}"[:300],
            )
    for f in folders:
        if not isinstance(f, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", f) or f in ("..", "."):
            raise DataError(where, f"folder_opd: diharapkan nama folder, ditemukan {f!r}"[:300])
    return status


def _check_columns(raw: bytes, table: str, where: str) -> None:
    """A processed copy of a contract table has the contract's required columns."""
    import csv
    import io

    name = table.removesuffix(".csv")
    if name not in TABLES_BY_NAME:
        return  # a computed table (capaian_*, riwayat_*): checked as it is used
    try:
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(where, f"bukan CSV UTF-8 yang dapat dibaca ({exc})") from None
    missing = [f.name for f in TABLES_BY_NAME[name].fields if f.required and f.name not in header]
    if missing:
        raise DataError(where, f"kolom wajib tidak ada: {', '.join(missing)}")


def _read_pemda(ws: Workspace, year: int, where: str) -> PemdaData:
    """``read_pemda`` of the scratch workspace, its errors naming the attachment's entries
    rather than the scratch folder."""

    def renamed(e: DataError) -> DataError:
        file = e.file.replace(shown(ws.pemda_dir), where, 1)
        return DataError(file, e.problem, e.row, e.column, e.sheet)

    try:
        return read_pemda(ws, year)
    except DataErrors as exc:
        raise DataErrors([renamed(e) for e in exc.errors]) from None
    except DataError as exc:
        raise renamed(exc) from None


def unpack_carried(
    data: bytes, where: str, scratch: Path, batas: Batas | None = None
) -> tuple[Workspace, PemdaData, list[Outcome]]:
    """A scratch workspace from the zip an LKjIP carries, its pemda's tables and every OPD's
    status, ready for ``consolidate``.

    Args:
        data: the zip's bytes.
        where: how to name it in a refusal (the PDF and the attachment).
        scratch: an empty folder to unpack into.
        batas: the limits (default config/lkj.toml).

    Raises:
        DataError: past a limit, an unexpected entry, a bad status.json (naming it).
        DataErrors: the pemda's tables break their contract.
    """
    import io

    batas = batas or load_batas()
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DataError(where, f"bukan arsip zip yang dapat dibaca ({exc})") from None
    with book:
        _check_members(book, where, batas)
        status = _status(book.read(STATUS), where)
        root = scratch / "ws" / status["pemda"]
        ws = Workspace(root=root, outputs=scratch / "keluaran", processed=scratch / "diolah")
        year = status["tahun"]
        for m in book.infolist():
            if m.is_dir() or m.filename == STATUS:
                continue
            head, rest = m.filename.split("/", 1)
            if head == "pemda":
                target = ws.pemda_dir / rest
            else:
                kode, table = rest.split("/")
                target = ws.opd_processed(year, kode) / table
                _check_columns(book.read(m), table, f"{where}, berkas {m.filename}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(book.read(m))
    for folder in status["folder_opd"]:
        (ws.opd_dir / folder).mkdir(parents=True, exist_ok=True)
    pemda = _read_pemda(ws, year, f"{where}, berkas pemda")
    listed = set(pemda["opd"]["kode_opd"])
    outcomes = [Outcome(o["kode_opd"], o["status"], o["error"]) for o in status["opd"]]
    unknown = [o.kode_opd for o in outcomes if o.kode_opd not in listed]
    if unknown or len(outcomes) != len(listed):
        raise DataError(
            f"{where}, berkas {STATUS}",
            f"opd: diharapkan tepat OPD di pemda/opd.csv ({len(listed)}), ditemukan "
            f"{len(outcomes)}"
            + (f"; tidak terdaftar: {', '.join(unknown[:5])}" if unknown else ""),
        )
    for o in outcomes:
        if o.status in BUILT and not ws.opd_processed(year, o.kode_opd).is_dir():
            raise DataError(
                f"{where}, berkas {STATUS}",
                f"OPD {o.kode_opd} berstatus {o.status} tetapi diolah/{o.kode_opd}/ tidak ada",
            )
    return ws, pemda, outcomes
