"""Run the quarter's evaluation of the Renja: ``python -m lkj triwulan --year 2023 --tw 2``.

Takes data/raw/YEAR (with its quarterly tables), notebooks/05_triwulan.ipynb, lkj/ and
config/lkj.toml; gives outputs/YEAR-twQ: Evaluasi_Renja_YEAR_TWQ.html, .pdf and .docx (the
document of ``lkj.document.triwulan`` rendered by the yearly report's renderers), the figures,
the executed notebook and its HTML page for reviewers, and manifest.json with the inputs'
fingerprint. A quarter never touches outputs/YEAR: the yearly report and each quarter have
their own folder, fingerprint and lock-protected replacement.

The notebook runs on this interpreter (papermill, ``lkj.run.notebooks``) into a staging folder;
the document it writes is read back and rendered here; the staging folder then replaces
outputs/YEAR-twQ as one unit (``lkj.run.journal``). A failed run leaves the last good
evaluation as it was.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.run.journal import _cleanup_stale, _recover_dir, _recover_journal, replace_together
from lkj.run.paths import MANIFEST, ROOT, SETTINGS_KEY, Paths, _sha256, input_files

NOTEBOOK = "05_triwulan.ipynb"
DOCUMENT = "triwulan_dokumen.json"


def output_folder(year: int, tw: int, root: Path = ROOT) -> Path:
    """outputs/YEAR-twQ."""
    return root / "outputs" / f"{year}-tw{tw}"


def names(year: int, tw: int) -> tuple[str, str, str]:
    """The evaluation's HTML, PDF and DOCX file names."""
    stem = f"Evaluasi_Renja_{year}_TW{tw}"
    return f"{stem}.html", f"{stem}.pdf", f"{stem}.docx"


def _fingerprint(paths: Paths, tw: int, root: Path, settings: dict) -> dict[str, str]:
    """Checksums of the evaluation's inputs: the year's raw data (and earlier years'), the
    triwulan notebook, lkj/, the configuration, the environment's files, the settings and the
    quarter."""
    out = {SETTINGS_KEY: json.dumps(settings, sort_keys=True, ensure_ascii=False), "tw": str(tw)}
    files = [*input_files(paths, root), root / "notebooks" / NOTEBOOK]
    for path in sorted(set(files)):
        try:
            key = path.relative_to(root).as_posix()
        except ValueError:
            key = path.as_posix()
        out[key] = _sha256(path)
    return out


def is_up_to_date(output: Path, inputs: dict[str, str]) -> bool:
    """True when ``output`` holds a complete evaluation built from exactly ``inputs`` by this
    interpreter."""
    try:
        recorded = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    products = [output / name for name in recorded.get("outputs", [])]
    return (
        bool(products)
        and all(p.is_file() for p in products)
        and recorded.get("interpreter") == sys.executable
        and recorded.get("inputs") == inputs
    )


def run_triwulan(
    year: int,
    tw: int,
    raw_root: Path | str | None = None,
    output: Path | str | None = None,
    config: Path | str | None = None,
    force: bool = False,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
) -> bool:
    """Build the evaluation of quarter ``tw`` of ``year`` unless it is up to date.

    Args:
        year: the year.
        tw: the quarter, 1 to 4.
        raw_root: folder of the year folders (default data/raw).
        output: the evaluation's folder (default outputs/YEAR-twTW).
        config: the configuration (default config/lkj.toml).
        force: rebuild even if nothing changed.
        root: the repository (notebooks/, lkj/).
        log: where progress lines go.

    Returns:
        True if built, False if already up to date.

    Raises:
        LkjError: no quarterly data, bad data, a failing step; the last good evaluation stays.
    """
    from lkj.core.config import load_config
    from lkj.run.lock import year_lock

    if tw not in (1, 2, 3, 4):
        raise LkjError(f"--tw harus 1, 2, 3 atau 4, bukan {tw}")
    out = Path(output or output_folder(year, tw, root)).resolve()
    paths = Paths.resolve(year, raw_root, out, out, config, root)
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    dokumen = load_config(paths.config).dokumen
    inputs = _fingerprint(paths, tw, root, dokumen.settings())
    if not force and is_up_to_date(out, inputs):
        log(f"Evaluasi triwulan {tw} tahun {year} sudah mutakhir: {out}")
        return False
    with year_lock(year, paths.raw_root, out, doing="membuat evaluasi triwulan", log=log):
        journal = out.parent / f".lkj-{out.name}.swap.json"
        _recover_journal(journal)
        if out.parent.is_dir():
            _recover_dir(out)
            _cleanup_stale(out.parent, out.name)
        started = time.perf_counter()
        _build(paths, tw, root, dokumen, inputs, journal, log)
    html, pdf, docx = names(year, tw)
    log(
        f"Evaluasi triwulan {tw} tahun {year} selesai dalam {time.perf_counter() - started:.1f} s:"
        f"\n  {out / pdf}\n  {out / html}\n  {out / docx}"
    )
    return True


def _build(
    paths: Paths,
    tw: int,
    root: Path,
    dokumen: object,
    inputs: dict[str, str],
    journal: Path,
    log: Callable[[str], None],
) -> None:
    """Execute the notebook into a staging folder, render the document, write the manifest
    and put the folder in place of outputs/YEAR-twQ."""
    from lkj.run.notebooks import (
        _clean_executed,
        _execute,
        _render_linked,
        _shown_paths,
        _write_rendered,
    )

    run = uuid.uuid4().hex
    out = paths.output
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".staging-{out.name}-{run[:8]}"
    failed = out.parent / f".gagal-{out.name}"
    (stage / "notebooks").mkdir(parents=True)
    try:
        book = root / "notebooks" / NOTEBOOK
        executed = stage / "notebooks" / NOTEBOOK
        parameters = {
            "YEAR": paths.year,
            "TW": tw,
            "RAW_DIR": str(paths.raw_root),
            "OUTPUT_DIR": str(stage),
            "CONFIG": str(paths.config),
        }
        t0 = time.perf_counter()
        reported = _execute(book, executed, parameters, root, failed)
        log(f"  notebook {NOTEBOOK}: {time.perf_counter() - t0:.1f} s")
        synthetic = _render(stage, paths.year, tw, dokumen)
        shown = _shown_paths(paths, root)
        shown = {k: v for k, v in shown.items() if k != "PROCESSED_DIR"}
        _clean_executed(executed, book, parameters, shown, root, synthetic)
        _write_rendered(
            _render_linked(executed, dokumen=dokumen), executed, executed.with_suffix(".html")
        )
        _manifest(stage, paths.year, tw, run, inputs, synthetic, reported)
        replace_together([(stage, out, "output")], journal, run[:8])
    except BaseException:
        shutil.rmtree(failed, ignore_errors=True)
        if stage.exists():
            stage.rename(failed)
        raise


def _render(stage: Path, year: int, tw: int, dokumen: object) -> bool:
    """The document the notebook wrote, as HTML, PDF and DOCX; returns whether it is built
    from synthetic data."""
    from lkj.document.model import Cover, read_document_file
    from lkj.render.page import report_page
    from lkj.render.to_docx import write_docx
    from lkj.render.to_html import html
    from lkj.render.to_pdf import render_pdf

    doc, _parts, _meta = read_document_file(stage / DOCUMENT)
    synthetic = any(isinstance(b, Cover) and b.synthetic for b in doc.blocks)
    html_name, pdf_name, docx_name = names(year, tw)
    page, _remote = report_page(
        [str(html(doc.blocks, dokumen=dokumen))], dokumen, synthetic, doc.title
    )
    (stage / html_name).write_text(page, encoding="utf-8")
    pdf = render_pdf(doc, dokumen, synthetic=synthetic, title=doc.title, signature_field=False)
    (stage / pdf_name).write_bytes(pdf)
    write_docx(doc, stage / docx_name, dokumen, synthetic=synthetic)
    return synthetic


def _manifest(
    stage: Path, year: int, tw: int, run: str, inputs: dict, synthetic: bool, reported: dict
) -> None:
    products = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    manifest = {
        "year": year,
        "triwulan": tw,
        "run": run,
        "inputs": inputs,
        "outputs": products,
        "sintetis": synthetic,
        "interpreter": reported.get("executable", sys.executable),
    }
    (stage / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
