"""The preview: the HTML report only, after an edit, beside the report folder, never over it.

:func:`run_preview` calls what the report notebook calls (``lkj.document.laporan``,
``lkj.render.laporan_html``) in this process, on the processed data and figures of the last
good report when its stages are still good (``lkj.run.stages``), otherwise on data computed
here in plain Python; the page is marked
:data:`PREVIEW_MARK`.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.run.handover import is_synthetic_data
from lkj.run.journal import recover
from lkj.run.notebooks import _shown_paths
from lkj.run.paths import ROOT, Paths, fingerprint, notebooks
from lkj.run.stages import _classify, _reusable_stages, _StageContext

PREVIEW_SUFFIX = "-pratinjau"
PREVIEW_MARK = "PRATINJAU — bukan laporan resmi"
PREVIEW_CLASS = "lkj-pratinjau"
_PREVIEW_BANNER = (
    f'<div class="{PREVIEW_CLASS}" role="note" style="position:sticky;top:0;z-index:9;'
    'padding:.4em 1em;background:#b00020;color:#fff;font-weight:bold;text-align:center">'
    f"{PREVIEW_MARK}</div>"
)


def preview_folder(paths: Paths) -> Path:
    """Where the preview goes: beside the report folder, never in it (outputs/2022-pratinjau)."""
    return paths.output.with_name(paths.output.name + PREVIEW_SUFFIX)


def preview_file(paths: Paths) -> Path:
    """The preview page: outputs/YEAR-pratinjau/LKj_YEAR_pratinjau.html."""
    return preview_folder(paths) / f"LKj_{paths.year}_pratinjau.html"


def run_preview(
    paths: Paths,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
    kertas: str | None = None,
) -> Path:
    """Build the HTML report only (no PDF, no DOCX, no notebooks), marked as a preview.

    Calls the functions the report notebook calls (``lkj.document.laporan``) in this process, on the
    processed data and figures of the last good report (only read). When the inputs of ingest,
    capaian or grafik changed since then (or there is no report yet), those three are done
    here in plain Python into the preview's own folder. The page goes to
    :func:`preview_file`, beside outputs/YEAR, never over it; it carries
    :data:`PREVIEW_MARK` at the top and in its title.

    Args:
        paths: where inputs and outputs live.
        root: the repository.
        log: where progress lines go.
        kertas: paper for the page's print style ("A4", "F4").

    Returns:
        The preview page.

    Raises:
        LkjError: bad data, or another run that did not finish in time.
    """
    from lkj.core.config import load_config
    from lkj.document import laporan
    from lkj.run.lock import year_lock

    started = time.perf_counter()
    year = paths.year
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    dokumen = load_config(paths.config).dokumen.with_paper(kertas)
    target = preview_file(paths)
    folder = target.parent
    with year_lock(year, paths.raw_root, paths.output, doing="membuat pratinjau", log=log):
        recover(paths)
        books = notebooks(root)
        settings = dokumen.settings()
        ctx = _StageContext(
            fingerprint(paths, root, settings),
            _classify(paths, root),
            _shown_paths(paths, root),
            year,
            root,
        )
        reusable = _reusable_stages(paths, ctx, books) if books else None
        folder.mkdir(parents=True, exist_ok=True)
        work = folder / f".kerja-{uuid.uuid4().hex[:8]}"
        try:
            if reusable is not None:
                processed = paths.processed
                log(f"  data olahan dan grafik dari laporan terakhir: {paths.output}")
                d = laporan.load_report_data(
                    paths.year, processed, paths.output, paths.config, paths.raw
                )
            else:
                processed = work / "processed"
                log("  data berubah sejak laporan terakhir: ingest, capaian, grafik dihitung ulang")
                d = _plain_stages(paths, processed, work)
            html, remote = _preview_html(d, dokumen, is_synthetic_data(processed))
            if remote:
                log(f"  peringatan: halaman merujuk sumber daring: {', '.join(remote[:5])}")
            tmp = folder / f".{target.name}.{uuid.uuid4().hex[:8]}"
            tmp.write_text(html, encoding="utf-8")
            os.replace(tmp, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    log(
        f"Pratinjau {year} (HTML saja, {PREVIEW_MARK}) selesai dalam "
        f"{time.perf_counter() - started:.1f} s:\n  {target}"
    )
    return target


def _plain_stages(paths: Paths, processed: Path, output: Path) -> Any:
    """What notebooks 01-03 do, in this process: processed tables (the history of the years
    among them) and figures. Returns the report's data (``lkj.document.laporan.ReportData``)."""
    from lkj.analysis.capaian import compute_results
    from lkj.analysis.riwayat import load_history, write_history
    from lkj.analysis.triwulan_tahun import year_from_quarters
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import QUARTER_YEAR_TABLE, read_processed_tables, write_tables
    from lkj.document import laporan

    raw = read_raw(paths.year, paths.raw_root)
    tables, dari_triwulan = year_from_quarters(raw.tables, paths.year, str(paths.raw))
    if not dari_triwulan.empty:
        tables[QUARTER_YEAR_TABLE] = dari_triwulan
    write_tables(tables, processed)
    config = load_config(paths.config)
    results = compute_results(read_processed_tables(processed), paths.year, config)
    write_tables(results.tables(), processed)
    write_history(load_history(paths.raw_root, paths.year, config, current=results), processed)
    d = laporan.load_report_data(paths.year, processed, output, paths.config, paths.raw)
    laporan.draw_figures(d)
    return d


def _preview_html(d: Any, dokumen: Any, synthetic: bool) -> tuple[str, list[str]]:
    """The report page as notebook 04 and the HTML export make it, with the preview mark:
    the same parts (``lkj.render.laporan_html.report_parts``), laid out by
    ``lkj.render.page.report_page`` in
    the exporter's markup without nbconvert. Returns the page and the remote resources it
    refers to (none when self-contained)."""
    from lkj.render.laporan_html import report_parts
    from lkj.render.page import report_page

    parts = [_PREVIEW_BANNER, *report_parts(d)]
    html, remote = report_page(parts, dokumen, synthetic=synthetic)
    return html.replace("<title>", f"<title>{PREVIEW_MARK}: ", 1), remote
