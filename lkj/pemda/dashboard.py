"""The pemda's dashboard: index.html of outputs/pemda/<kode>/<YEAR>/ and its table as xlsx.

Per OPD: its status (dibangun, gagal with its error, kedaluwarsa when its data or the code
changed since its report, belum dibangun, tidak ada data) and whether its forms came back (the
last ``collect``), predikat per sasaran, capaian fisik and serapan, realisasi in rupiah, the
number of stated figures (angka_tertulis) that disagree with the data, whether its report is
signed (a signed copy in arsip/pemda/<kode>/<kode_opd>/<YEAR>/), its deadline (signed on time
or late, days left), and links to its products (the LKjIP's self-assessment among the pemda's);
where the pemda's quarter was built (``make pemda YEAR=... TW=q``, ``lkj.pemda.triwulan``), the
early warnings of the latest quarter with a link to the OPD's evaluation (within a status, the
OPDs with more warnings first) and a link to each quarter's page; the totals; a
capaian-against-serapan quadrant chart. The page itself: ``lkj.pemda.index_page``.

``refresh`` rewrites both files from status.json, the processed tables, forms.json and the
archive; every pemda command (pemda, collect, check, tandatangan) calls it, so "signed" and
"forms missing" are never stale. A file whose content did not change is not rewritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lkj.core import numbers
from lkj.core.resources import ROOT
from lkj.data.workspace import Workspace
from lkj.pemda.index_page import index_html, quarter_of, relpath
from lkj.pemda.status import STATUS_FILE, load_status, write_json

FORMS_FILE = "forms.json"
XLSX_NAME = "ringkasan_opd_{year}.xlsx"
STATUS_ORDER = {
    "gagal": 0,
    "kedaluwarsa": 1,
    "belum dibangun": 2,
    "tidak ada data": 3,
    "dibangun": 4,
}


@dataclass
class OpdRow:
    """One OPD's line of the dashboard."""

    kode_opd: str
    nama_opd: str
    status: str
    error: str = ""
    formulir: str = "-"
    predikat_sasaran: str = ""
    capaian_pct: Decimal | None = None
    serapan_pct: Decimal | None = None
    anggaran_rp: int | None = None
    realisasi_rp: int | None = None
    angka_berbeda: int | None = None
    ditandatangani: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)
    batas_waktu: str = ""
    """The deadline of the OPD's LKj and where it stands (``deadline_cell``)."""
    sisa_hari: int | None = None
    """Days left before the deadline (negative: late); None once signed on time."""
    peringatan_triwulan: int | None = None  # early warnings of the latest quarter built
    triwulan: int | None = None  # that quarter (the column "Peringatan dini TW n")


def record_forms(ws: Workspace, year: int, missing: dict[str, int]) -> None:
    """Keep what the last collect found missing per OPD (forms.json beside status.json)."""
    write_json(ws.output(year) / FORMS_FILE, {"missing": missing})


def _figures(ws: Workspace, year: int, row: OpdRow, config: object) -> None:
    """Capaian, serapan, realisasi and predikat per sasaran from the OPD's processed tables."""
    import pandas as pd

    from lkj.analysis.capaian import categorize
    from lkj.analysis.konsolidasi import opd_figures
    from lkj.data.processed import read_processed

    folder = ws.opd_processed(year, row.kode_opd)
    if not (folder / "capaian_sub_kegiatan.csv").is_file():
        return
    names = ("capaian_sub_kegiatan", "lra", "capaian_indikator")
    tables = {name: read_processed(name, folder) for name in names}
    figures = opd_figures(tables, year, config)
    row.anggaran_rp = figures["anggaran_rp"]
    row.realisasi_rp = figures["realisasi_anggaran_rp"]
    row.serapan_pct = numbers.ratio_pct(row.realisasi_rp, row.anggaran_rp)
    capaian = figures["capaian_fisik_pct"]
    row.capaian_pct = None if pd.isna(capaian) else numbers.round_half_up(capaian, 2)
    ind = tables["capaian_indikator"]
    ind = ind[ind["tahun"] == year]
    means = ind.groupby("kode_sasaran", sort=True)["capaian_pct"].mean()
    codes = categorize(means, config.predikat, "code")
    row.predikat_sasaran = ", ".join(f"{k} {c or '-'}" for k, c in codes.items())


def _signed(archive: Path, ws: Workspace, kode: str, year: int) -> bool:
    return any((archive / "pemda" / ws.kode / kode / str(year)).glob("*.pdf"))


def lkjip_signed_link(out: Path, ws: Workspace, year: int, archive: Path | None) -> list:
    """(href, label) of the latest signed LKjIP of ``year`` in the archive
    (``lkj.tandatangan.lkjip``: arsip/pemda/<kode>/YEAR/), or nothing when it is unsigned."""
    folder = (archive or ROOT / "arsip") / "pemda" / ws.kode / str(year)
    signed = sorted(folder.glob(f"LKjIP_{year}_ditandatangani_*.pdf"))
    if not signed:
        return []
    return [(relpath(signed[-1], out), f"LKjIP {year} ditandatangani: {signed[-1].name}")]


def _links(ws: Workspace, year: int, kode: str, ok: bool) -> list[tuple[str, str]]:
    folder, out = ws.opd_output(year, kode), ws.output(year)
    links = []
    if folder.is_dir():
        old = "" if ok else " (terakhir berhasil)"
        for name in (f"LKj_{year}.html", f"LKj_{year}.pdf", f"LKj_{year}.docx"):
            if (folder / name).is_file():
                links.append((relpath(folder / name, out), name + old))
        for nb in sorted((folder / "notebooks").glob("*.html")):
            links.append((relpath(nb, out), nb.stem))
    return links


def quarters(ws: Workspace, year: int) -> list[int]:
    """The quarters of ``year`` the pemda's quarter has built (outputs/.../YEAR-twQ with its
    status.json), in order."""
    return [q for q in (1, 2, 3, 4) if (ws.outputs / f"{year}-tw{q}" / STATUS_FILE).is_file()]


def quarter_links(ws: Workspace, year: int) -> list[tuple[str, str]]:
    """(relative href, label) of each quarter's page (``make pemda YEAR=... TW=q``)."""
    return [
        (relpath(ws.outputs / f"{year}-tw{q}" / "index.html", ws.output(year)),
         f"Evaluasi triwulan {q}")
        for q in quarters(ws, year)
        if (ws.outputs / f"{year}-tw{q}" / "index.html").is_file()
    ]  # fmt: skip


def _quarter(ws: Workspace, year: int, row: OpdRow) -> None:
    """The OPD's latest quarter: its early warnings and a link to its evaluation."""
    built = quarters(ws, year)
    if not built:
        return
    q = built[-1]
    row.triwulan = q
    folder = ws.outputs / f"{year}-tw{q}"
    rec = load_status(folder / STATUS_FILE).get("opd", {}).get(row.kode_opd, {})
    if rec.get("status") != "ok" or not isinstance(rec.get("row"), dict):
        return
    row.peringatan_triwulan = int(rec["row"]["peringatan_sub"] + rec["row"]["peringatan_indikator"])
    page = folder / "opd" / row.kode_opd / f"Evaluasi_Renja_{year}_TW{q}.html"
    label = f"TW {q}: {row.peringatan_triwulan or 'tanpa'} peringatan dini"
    row.links.append((relpath(page, ws.output(year)), label))


def _current_fingerprints(ws: Workspace, year: int, config_path: Path) -> dict[str, str]:
    """kode_opd -> fingerprint of its inputs now (what the next run would compare)."""
    from lkj.data.workspace import list_opd, read_pemda
    from lkj.pemda.fingerprint import code_fingerprint, make_task

    try:
        pemda = read_pemda(ws, year)
    except Exception:  # noqa: BLE001 - a broken pemda table: nothing can be up to date
        return {}
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()} if pemda.lambang else {}
    code, config = code_fingerprint(ROOT), config_path.read_bytes()
    return {
        e.kode_opd: make_task(e, year, config, code, shared=shared)["fingerprint"]
        for e in list_opd(ws, pemda)
        if e.present
    }


def dashboard_rows(
    ws: Workspace, year: int, config_path: Path | None = None, archive: Path | None = None
) -> list[OpdRow]:
    """Every OPD of opd.csv as a dashboard row, failed OPDs first (then out of date, ...)."""
    from lkj.core.config import load_config
    from lkj.data.ingest import read_folder
    from lkj.data.schema_pemda import PEMDA_TABLES

    config_path = config_path or ROOT / "config" / "lkj.toml"
    config = load_config(config_path)
    archive = archive or ROOT / "arsip"
    recorded = load_status(ws.output(year) / STATUS_FILE).get("opd", {})
    missing = load_status(ws.output(year) / FORMS_FILE).get("missing")
    now = _current_fingerprints(ws, year, config_path)
    opd, _ = read_folder(ws.pemda_dir, tuple(t for t in PEMDA_TABLES if t.name == "opd"))
    rows = []
    for kode, nama in zip(opd["opd"]["kode_opd"], opd["opd"]["nama_opd"], strict=True):
        rec = recorded.get(kode, {})
        row = OpdRow(kode, nama, _status(ws, year, kode, rec, now))
        if rec.get("status") == "gagal":
            row.error = rec.get("error", "")
        if isinstance(missing, dict):
            n = int(missing.get(kode, 0))
            row.formulir = {0: "lengkap", -1: "tidak terbaca"}.get(n, f"{n} belum kembali")
        if rec.get("status") == "ok":
            _figures(ws, year, row, config)
            row.angka_berbeda = rec.get("angka_berbeda")
        row.ditandatangani = _signed(archive, ws, kode, year)
        row.batas_waktu, row.sisa_hari = deadline_cell(archive, ws, kode, year)
        row.links = _links(ws, year, kode, row.status != "gagal")
        _quarter(ws, year, row)
        rows.append(row)
    # failed OPDs first, then out of date, ...; within a status, most quarterly warnings first
    return sorted(
        rows, key=lambda r: (STATUS_ORDER.get(r.status, 9), -(r.peringatan_triwulan or 0))
    )


def deadline_cell(
    archive: Path, ws: Workspace, kode: str, year: int, today: dt.date | None = None
) -> tuple[str, int | None]:
    """The OPD's deadline (config/lke.toml, ``bulan_opd``) and where it stands: signed on time,
    signed N days late, N days left or N days late unsigned; with the days left (negative:
    late, None: signed on time) for sorting."""
    from lkj.core.lke import batas_waktu, format_tanggal, load_lke
    from lkj.document.penilaian.fakta import newest_signed

    batas = batas_waktu(year, load_lke())
    when = format_tanggal(batas)
    signed = newest_signed(archive / "pemda" / ws.kode / kode / str(year), year)
    if signed is not None:
        late = (signed[0] - batas).days
        if late > 0:
            return f"{when}: ditandatangani terlambat {late} hari", -late
        return f"{when}: ditandatangani tepat waktu", None
    days = (batas - (today or dt.date.today())).days
    if days >= 0:
        return f"{when}: {days} hari lagi", days
    return f"{when}: terlambat {-days} hari, belum ditandatangani", days


def _status(ws: Workspace, year: int, kode: str, rec: dict, now: dict[str, str]) -> str:
    if not (ws.opd_raw_root(kode) / str(year)).is_dir():
        return "tidak ada data"
    if rec.get("status") == "gagal":
        return "gagal"
    if rec.get("status") != "ok":
        return "belum dibangun"
    return "dibangun" if now.get(kode) == rec.get("fingerprint") else "kedaluwarsa"


def opd_state(ws: Workspace, year: int, kode: str, config_path: Path | None = None) -> str:
    """The dashboard status of one OPD: "dibangun" only when its report in place was built
    from its current data, code and configuration (what signing requires)."""
    config_path = config_path or ROOT / "config" / "lkj.toml"
    recorded = load_status(ws.output(year) / STATUS_FILE).get("opd", {})
    now = _current_fingerprints(ws, year, config_path)
    return _status(ws, year, kode, recorded.get(kode, {}), now)


def totals(rows: list[OpdRow]) -> dict[str, object]:
    """Counts per status and the sums over the OPDs with figures (serapan of the sums)."""
    with_figures = [r for r in rows if r.anggaran_rp is not None]
    anggaran = sum(r.anggaran_rp for r in with_figures)
    realisasi = sum(r.realisasi_rp for r in with_figures)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {
        "jumlah": len(rows),
        "status": counts,
        "anggaran_rp": anggaran,
        "realisasi_rp": realisasi,
        "serapan_pct": numbers.ratio_pct(realisasi, anggaran) if anggaran else None,
        "angka_berbeda": sum(r.angka_berbeda or 0 for r in rows),
        "ditandatangani": sum(r.ditandatangani for r in rows),
        "peringatan_triwulan": sum(r.peringatan_triwulan or 0 for r in rows),
    }


def write_xlsx(rows: list[OpdRow], path: Path) -> None:
    """The dashboard's table as a workbook (numbers as numbers)."""
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "OPD"
    q = quarter_of(rows)
    sheet.append([*XLSX_COLUMNS, *([f"Peringatan dini TW {q}"] if q else [])])
    for r in rows:
        sheet.append(
            [
                r.kode_opd,
                r.nama_opd,
                r.status,
                r.formulir,
                r.predikat_sasaran,
                None if r.capaian_pct is None else float(r.capaian_pct),
                None if r.serapan_pct is None else float(r.serapan_pct),
                r.anggaran_rp,
                r.realisasi_rp,
                r.angka_berbeda,
                "ya" if r.ditandatangani else "tidak",
                r.error,
                r.batas_waktu,
                *([r.peringatan_triwulan] if q else []),
            ]
        )
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)


XLSX_COLUMNS = (
    "kode_opd",
    "nama_opd",
    "status",
    "formulir",
    "predikat_sasaran",
    "capaian_pct",
    "serapan_pct",
    "anggaran_rp",
    "realisasi_rp",
    "angka_berbeda",
    "ditandatangani",
    "galat",
    "batas_waktu",
)


def refresh(
    ws: Workspace, year: int, config_path: Path | None = None, archive: Path | None = None
) -> Path | None:
    """Rewrite index.html and the xlsx of ``year`` when a pemda run has made the year's
    outputs (status.json); returns the page, or None when there is none yet."""
    out = ws.output(year)
    if not (out / STATUS_FILE).is_file():
        return None
    from lkj.data.ingest import read_folder
    from lkj.data.schema_pemda import PEMDA_TABLES

    rows = dashboard_rows(ws, year, config_path, archive)
    tables, _ = read_folder(ws.pemda_dir, tuple(t for t in PEMDA_TABLES if t.name == "pemda"))
    info = dict(zip(tables["pemda"]["kunci"], tables["pemda"]["nilai"], strict=True))
    lkjip = [(f"LKjIP_{year}.{e}", f"LKjIP_{year}.{e}") for e in ("html", "pdf", "docx")]
    lkjip += [
        (f"LKjIP_{year}_penilaian_mandiri.{e}", f"Penilaian Mandiri LKjIP ({e.upper()})")
        for e in ("html", "pdf")
    ]
    xlsx = XLSX_NAME.format(year=year)
    page = index_html(
        f"{info.get('nama_pemda', ws.kode)}: Laporan Kinerja {year}",
        info.get("data_sintetis") == "ya",
        [(h, t) for h, t in lkjip if (out / h).is_file()]
        + lkjip_signed_link(out, ws, year, archive)
        + [(xlsx, xlsx)]
        + quarter_links(ws, year),
        rows,
        totals(rows),
    )
    target = out / "index.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        tmp = target.with_name(".index.html.tmp")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(target)
        write_xlsx(rows, out / xlsx)
    elif not (out / xlsx).is_file():
        write_xlsx(rows, out / xlsx)
    return target
