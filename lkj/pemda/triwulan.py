"""The pemda's quarter: ``python -m lkj pemda --year 2022 --tw 2``.

Builds each OPD's evaluation of quarter TW (``lkj.run.triwulan``, its own fingerprint: an
unchanged OPD is not rebuilt) into outputs/pemda/<kode>/YEAR-twTW/opd/<kode_opd>/, then the
pemda's roll-up (``lkj.document.triwulan.rkpd``: per OPD, warnings first, and per sasaran RPJMD)
as Evaluasi_RKPD_YEAR_TWq.html, .pdf, .docx, and index.html listing the OPDs, those with early
warnings first. The OPDs run one after the other here (a Dask batch as for the year is the next
step). An OPD without quarterly data, or whose data is invalid, is listed with the reason; the
others are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core.errors import DataError, DataErrors, LkjError
from lkj.data.workspace import Workspace, list_opd, read_pemda


@dataclass
class PemdaQuarter:
    """What the pemda's quarter built."""

    output: Path
    built: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    opd: pd.DataFrame | None = None  # the roll-up's rows (warnings first)

    @property
    def ok(self) -> bool:
        """No OPD failed (an OPD without quarterly data is not a failure)."""
        return not any(reason.startswith("gagal") for reason in self.skipped.values())


def _opd_quarter(ws: Workspace, entry: Any, year: int, tw: int, out: Path, force: bool) -> Any:
    """Build one OPD's evaluation; returns (evaluation, tables) or a reason string."""
    from lkj.analysis.triwulan import evaluate, has_quarters
    from lkj.data.triwulan import read_earlier_quarters, read_quarter_year
    from lkj.run.triwulan import run_triwulan

    if not entry.present:
        return f"tidak ada data {year}"
    try:
        tables = read_quarter_year(year, entry.raw_root).tables
        if not has_quarters(tables):
            return "tanpa data triwulan"
        earlier = read_earlier_quarters(year, entry.raw_root)
        ev = evaluate(tables, year, tw, str(entry.raw_root / str(year)), earlier and earlier.tables)
        run_triwulan(year, tw, entry.raw_root, out / "opd" / entry.kode_opd, force=force,
                     log=lambda _line: None)  # fmt: skip
    except (DataError, DataErrors, LkjError) as exc:
        return f"gagal: {str(exc).splitlines()[0]}"
    return ev, tables


def run_pemda_triwulan(
    ws: Workspace,
    year: int,
    tw: int,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> PemdaQuarter:
    """Every OPD's evaluation of quarter ``tw`` and the pemda's roll-up.

    Raises:
        DataErrors: the pemda's own tables are invalid.
    """
    from lkj.document.triwulan.rkpd import opd_row, sasaran_frame, sasaran_rows

    pemda = read_pemda(ws, year)
    out = ws.outputs / f"{year}-tw{tw}"
    out.mkdir(parents=True, exist_ok=True)
    result = PemdaQuarter(out)
    rows, groups = [], []
    for entry in list_opd(ws, pemda):
        got = _opd_quarter(ws, entry, year, tw, out, force)
        if isinstance(got, str):
            result.skipped[entry.kode_opd] = got
            log(f"  {entry.kode_opd} {entry.nama_opd}: {got}")
            continue
        ev, tables = got
        result.built.append(entry.kode_opd)
        rows.append(opd_row(entry.kode_opd, entry.nama_opd, ev))
        groups += [(entry.kode_opd, g) for g in sasaran_rows(entry.kode_opd, ev, tables,
                                                             pemda["sasaran_opd"])]  # fmt: skip
        log(f"  {entry.kode_opd} {entry.nama_opd}: {len(ev.peringatan)} peringatan dini")
    opd = pd.DataFrame(rows)
    if len(opd):
        opd["_warned"] = opd["peringatan_sub"] + opd["peringatan_indikator"] > 0
        opd = opd.sort_values(["_warned", "kode_opd"], ascending=[False, True])
    result.opd = opd
    rpjmd = pemda["sasaran_rpjmd"]
    uraian = dict(zip(rpjmd["kode_sasaran_rpjmd"], rpjmd["uraian_sasaran_rpjmd"], strict=True))
    _write(out, year, tw, pemda, opd, sasaran_frame(groups, uraian), result)
    log(f"Evaluasi RKPD triwulan {tw} tahun {year}: {out}")
    return result


def _write(
    out: Path, year: int, tw: int, pemda: Any, opd: pd.DataFrame, sasaran: pd.DataFrame,
    result: PemdaQuarter,
) -> None:  # fmt: skip
    """The roll-up as HTML, PDF, DOCX and the index page."""
    from lkj.core.config import load_config
    from lkj.core.resources import ROOT
    from lkj.document.triwulan.rkpd import rkpd_document
    from lkj.pemda.index_page import relpath
    from lkj.pemda.link_page import link_index_html
    from lkj.render.page import report_page
    from lkj.render.to_docx import write_docx
    from lkj.render.to_html import html
    from lkj.render.to_pdf import render_pdf
    from lkj.run.triwulan import names

    dokumen = load_config(ROOT / "config" / "lkj.toml").dokumen
    nama = pemda.info("nama_pemda")
    doc = rkpd_document(year, tw, nama, pemda.synthetic, opd, sasaran)
    stem = f"Evaluasi_RKPD_{year}_TW{tw}"
    page, _ = report_page([str(html(doc.blocks))], dokumen, pemda.synthetic, doc.title)
    (out / f"{stem}.html").write_text(page, encoding="utf-8")
    pdf = render_pdf(
        doc, dokumen, synthetic=pemda.synthetic, title=doc.title, signature_field=False
    )
    (out / f"{stem}.pdf").write_bytes(pdf)
    write_docx(doc, out / f"{stem}.docx", dokumen, synthetic=pemda.synthetic)
    index_rows = []
    for r in opd.to_dict("records"):
        folder = out / "opd" / r["kode_opd"]
        links = [(relpath(folder / n, out), n.rsplit(".", 1)[1].upper()) for n in names(year, tw)]
        warned = r["peringatan_sub"] + r["peringatan_indikator"]
        status = f"{warned} peringatan dini" if warned else "tanpa peringatan"
        index_rows.append({"kode_opd": r["kode_opd"], "nama_opd": r["nama_opd"],
                           "status": status, "links": links, "error": ""})  # fmt: skip
    for kode, reason in result.skipped.items():
        index_rows.append({"kode_opd": kode, "nama_opd": "", "status": reason, "links": [],
                           "error": reason if reason.startswith("gagal") else ""})  # fmt: skip
    page = link_index_html(
        f"{nama}: Evaluasi RKPD Triwulan {tw} Tahun {year}",
        pemda.synthetic,
        [(f"{stem}.{ext}", f"{stem}.{ext}") for ext in ("html", "pdf", "docx")],
        index_rows,
    )
    (out / "index.html").write_text(page, encoding="utf-8")
