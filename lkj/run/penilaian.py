"""The self-assessment written beside the report: LKj_YEAR_penilaian_mandiri.html and .pdf,
and as a page among the rendered notebooks (notebooks/penilaian_mandiri.html); the LKjIP's
beside the LKjIP (``write_penilaian_lkjip``).

Written by the report notebook in a run and by ``python -m lkj penilaian --year YEAR`` (again,
after a fact in ``arsip/YEAR/penilaian.toml`` was recorded: the signed report is not
touched). Built from the report's own document (``lkj.document.penilaian``) and rendered by the
report's renderers.

    write_penilaian(d, outputs / "2022")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lkj.core.lke import Lke, batas_waktu, load_lke, sisa_waktu

NAME = "LKj_{year}_penilaian_mandiri"
NOTEBOOK_PAGE = "penilaian_mandiri.html"
"""The self-assessment's page among the rendered notebooks (outputs/YEAR/notebooks/)."""


def quarter_reports(raw_root: Path | str, year: int) -> list[str]:
    """The quarterly evaluations of ``year`` that are built (``lkj.run.triwulan``:
    outputs/YEAR-twQ/Evaluasi_Renja_YEAR_TWQ.pdf), by folder and file name: the evidence of
    periodic reporting (3.a.2). outputs/ of the repository for data/raw, else the ``outputs``
    folder beside ``raw_root`` (as the archive is, ``lkj.document.penilaian.fakta``)."""
    from lkj.run.triwulan import names, output_folder

    raw_root = Path(raw_root)
    if raw_root.name == "raw" and raw_root.parent.name == "data":
        root = raw_root.parent.parent
    else:
        root = raw_root.parent
    found = []
    for tw in (1, 2, 3, 4):
        folder = output_folder(year, tw, root)
        pdf = names(year, tw)[1]
        if (folder / pdf).is_file():
            found.append(f"{folder.name}/{pdf}")
    return found


NAME_LKJIP = "LKjIP_{year}_penilaian_mandiri"


def quarters_pemda(ws: Any, year: int) -> list[str]:
    """The pemda's quarterly evaluations of ``year`` that are built
    (outputs/pemda/<kode>/YEAR-twQ/Evaluasi_RKPD_YEAR_TWQ.pdf), by file name."""
    found = []
    for tw in (1, 2, 3, 4):
        pdf = ws.outputs / f"{year}-tw{tw}" / f"Evaluasi_RKPD_{year}_TW{tw}.pdf"
        if pdf.is_file():
            found.append(f"{year}-tw{tw}/{pdf.name}")
    return found


def write_penilaian_lkjip(
    data: dict[str, Any],
    document: Any,
    folder: Path,
    archive: Path,
    dokumen: Any,
    triwulan: Sequence[str] = (),
    today: dt.date | None = None,
) -> Any:
    """The self-assessment of the LKjIP (``lkj.document.penilaian.nilai_lkjip``) as HTML and
    PDF in ``folder``: LKjIP_YEAR_penilaian_mandiri.html and .pdf.

    Returns:
        The assessment (``lkj.document.penilaian.Penilaian``).
    """
    from lkj.document.penilaian import nilai_lkjip, penilaian_document
    from lkj.render.lkjip_html import render_html
    from lkj.render.to_pdf import render_pdf

    pemda = data["pemda"]
    p = nilai_lkjip(data, document, archive, today=today, triwulan=triwulan)
    doc = penilaian_document(p, org=pemda.info("nama_pemda"))
    stem = NAME_LKJIP.format(year=data["year"])
    (folder / f"{stem}.html").write_text(
        render_html(doc, pemda.synthetic, dokumen), encoding="utf-8"
    )
    pdf = render_pdf(doc, dokumen, synthetic=pemda.synthetic, signature_field=False)
    (folder / f"{stem}.pdf").write_bytes(pdf)
    return p


def write_penilaian(
    d: Any,
    folder: Path | str,
    archive: Path | str | None = None,
    lke: Lke | Path | str | None = None,
    today: dt.date | None = None,
) -> tuple[Path, Path, Any]:
    """Assess the report of ``d`` and write the assessment as HTML and PDF into ``folder``.

    Args:
        d: the report's data (``lkj.document.laporan.ReportData``).
        folder: the report folder (outputs/YEAR).
        archive: the archive (None: beside the data, ``arsip/``).
        lke: the criteria or their file (None: config/lke.toml).
        today: the day of the assessment (default today).

    Returns:
        The HTML file, the PDF file and the assessment (``lkj.document.penilaian.Penilaian``).
    """
    from lkj.document.laporan import report_document
    from lkj.document.penilaian import nilai_laporan, penilaian_document
    from lkj.document.sampul import is_synthetic
    from lkj.render.lkjip_html import render_html
    from lkj.render.to_pdf import render_pdf

    lke = lke if isinstance(lke, Lke) else load_lke(lke)
    triwulan = quarter_reports(Path(d.raw_dir).parent, d.year)
    p = nilai_laporan(d, report_document(d), lke, archive, today, triwulan)
    doc = penilaian_document(p, d)
    synthetic = is_synthetic(d.info)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = NAME.format(year=d.year)
    html, pdf = folder / f"{stem}.html", folder / f"{stem}.pdf"
    pdf_bytes = render_pdf(doc, d.config.dokumen, synthetic=synthetic, signature_field=False)
    page = render_html(doc, synthetic, d.config.dokumen)
    tmp_html, tmp_pdf = html.with_suffix(".html.tmp"), pdf.with_suffix(".pdf.tmp")
    tmp_html.write_text(page, encoding="utf-8")
    tmp_pdf.write_bytes(pdf_bytes)
    tmp_html.replace(html)
    tmp_pdf.replace(pdf)
    notebooks = folder / "notebooks"
    if notebooks.is_dir():  # a page among the rendered notebooks the reviewers read
        tmp = notebooks / f".{NOTEBOOK_PAGE}.tmp"
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(notebooks / NOTEBOOK_PAGE)
    return html, pdf, p


def penilaian(
    paths: Any,
    archive: Path | str | None = None,
    lke: Path | str | None = None,
    today: dt.date | None = None,
    log: Any = print,
) -> tuple[Path, Path, Any]:
    """``python -m lkj penilaian``: the assessment of the report last built for
    ``paths.year`` (from data/processed/YEAR), written beside it in outputs/YEAR.

    Raises:
        LkjError: the report was not built yet.
    """
    from lkj.core.errors import LkjError
    from lkj.document import laporan

    if not paths.processed.is_dir():
        raise LkjError(
            f"{paths.processed}: laporan tahun {paths.year} belum dibangun (make report "
            f"YEAR={paths.year})"
        )
    d = laporan.load_report_data(paths.year, paths.processed, paths.output, paths.config, paths.raw)
    d.figure_links = True  # the assessment reads tables; figures are not read
    html, pdf, p = write_penilaian(d, paths.output, archive, lke, today)
    log(
        f"Penilaian mandiri {p.lke.komponen} {paths.year}: skor {p.skor} dari "
        f"{p.lke.bobot_komponen}" + (f" ({p.belum} butir belum dinilai)" if p.belum else "")
    )
    log(f"  {html}\n  {pdf}")
    return html, pdf, p


def deadline_line(year: int, today: dt.date | None = None, pemda: bool = False) -> str:
    """The line "Batas waktu penyampaian 28 Februari 2023: 12 hari lagi" for ``year``."""
    batas = batas_waktu(year, load_lke(), pemda)
    text = sisa_waktu(batas, today or dt.date.today())
    return text[0].upper() + text[1:]
