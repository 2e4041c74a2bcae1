"""LKjIP Pemerintah Daerah: the document of a pemda's year (HTML, PDF, DOCX), its grafik and
the dashboard (index page, ``lkj.pemda.dashboard``) is written after it.

The tables come from ``lkj.analysis.konsolidasi``; the document from ``lkj.document.lkjip``.
Everything is made in a staging folder and moved into place only when complete. The PDF/A
carries the data its tables are consolidated from (``lkj.analysis.konsolidasi_data``), which
``make verifikasi PDF=`` rebuilds them from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lkj.analysis.konsolidasi import BUILT, consolidate
from lkj.analysis.konsolidasi_data import carried_name, write_carried
from lkj.core.resources import ROOT
from lkj.data.workspace import PemdaData, Workspace
from lkj.document.penilaian.fakta import pemda_archive
from lkj.run.penilaian import quarters_pemda, write_penilaian_lkjip


def draw_figures(data: dict[str, Any], folder: Path) -> dict[str, Path]:
    """The LKjIP's grafik as PNG files in ``folder`` (and SVG beside them).

    Returns:
        name -> PNG: "iku" (capaian of each IKU), "serapan" (serapan and physical capaian
        of each OPD with a report).
    """
    from lkj.document import grafik

    iku = data["iku"]
    iku = iku[iku["is_tahun_laporan"]].reset_index(drop=True)
    fig_iku = grafik.grafik_capaian(
        iku.assign(
            no=range(1, len(iku) + 1), capaian_fisik_pct=iku["capaian_pct"], serapan_pct=np.nan
        ),
        "uraian_iku",
    )
    fig_iku.axes[0].get_legend().remove()
    fig_iku.axes[0].set_xlabel("Capaian IKU")
    opd = data["opd"]
    opd = opd[opd["status"].isin(BUILT)].reset_index(drop=True)
    fig_opd = grafik.grafik_capaian(opd.assign(no=range(1, len(opd) + 1)), "nama_opd", 40)
    return {
        "iku": grafik.save_figure(fig_iku, folder, "grafik_iku_pemda")["png"],
        "serapan": grafik.save_figure(fig_opd, folder, "grafik_opd")["png"],
    }


def build(
    ws: Workspace,
    pemda: PemdaData,
    outcomes: Sequence[Any],
    config_path: Path,
    log: Callable[[str], None] = print,
    archive: Path | None = None,
) -> list[Path]:
    """Write the LKjIP (HTML, PDF, DOCX) of the pemda's year.

    Everything is made in a staging folder and moved into place only when complete.

    Args:
        ws: the workspace.
        pemda: the pemda's tables.
        outcomes: ``lkj.pemda.status.OpdOutcome`` of every OPD.
        config_path: config/lkj.toml.
        log: where progress lines go.
        archive: the archive (default arsip/): the pemda's signed LKjIP and penilaian.toml in
            arsip/pemda/<kode>/YEAR/ answer the self-assessment's facts.

    Returns:
        The files written: LKjIP_<YEAR>.html, .pdf, .docx, figures/*, and the self-assessment
        LKjIP_<YEAR>_penilaian_mandiri.html and .pdf.
    """
    import os
    import shutil
    import time
    import uuid

    from lkj.core.config import load_config
    from lkj.document import lkjip as doc
    from lkj.render.lkjip_html import render_html
    from lkj.render.to_docx import write_docx
    from lkj.render.to_pdf import Attachment, render_pdf

    t0 = time.perf_counter()
    year = pemda.year
    out = ws.output(year)
    out.mkdir(parents=True, exist_ok=True)
    config = load_config(config_path)
    data = consolidate(ws, pemda, outcomes, config)
    stage = out / f".staging-lkjip-{uuid.uuid4().hex[:8]}"
    try:
        figures = draw_figures(data, stage / "figures")
        document = doc.lkjip_document(data, config, figures)
        name = f"LKjIP_{year}"
        carried = write_carried(ws, year, list(outcomes), stage / ".lampiran" / carried_name(year))
        html = render_html(document, pemda.synthetic, config.dokumen)
        (stage / f"{name}.html").write_text(html, encoding="utf-8")
        pdf = render_pdf(  # from the same document as the HTML and the DOCX
            document,
            config.dokumen,
            synthetic=pemda.synthetic,
            title=document.title,
            author=pemda.info("nama_pemda"),
            keywords=(),  # "DATA SINTETIS" is added for synthetic data
            signature_field=False,
            attachments=[Attachment(carried, "Data pemda dan angka OPD yang dikonsolidasikan")],
        )
        shutil.rmtree(stage / ".lampiran")  # carried in the PDF (make verifikasi PDF=)
        (stage / f"{name}.pdf").write_bytes(pdf)
        write_docx(document, stage / f"{name}.docx", config.dokumen, synthetic=pemda.synthetic)
        p = write_penilaian_lkjip(
            data, document, stage, pemda_archive(archive or ROOT / "arsip", ws.kode),
            config.dokumen, quarters_pemda(ws, year),
        )  # fmt: skip
        log(f"Penilaian mandiri LKjIP {year}: skor {p.skor} dari {p.lke.bobot_komponen}")
        written = []
        for path in sorted(stage.rglob("*")):
            if path.is_file():
                target = out / path.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log(f"LKjIP {year}: {time.perf_counter() - t0:.1f} s")
    return written
