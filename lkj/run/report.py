"""Run the report of a year: the notebooks in order (papermill), then HTML and PDF (nbconvert).

Takes data/raw/YEAR, notebooks/*.ipynb, lkj/ and config/lkj.toml; gives data/processed/YEAR
and outputs/YEAR (executed notebooks and their HTML, figures, LKj_YEAR.html, LKj_YEAR.pdf,
manifest.json). A run whose inputs did not change since the last good report does nothing
(``lkj.run.paths.is_up_to_date``); a stage whose inputs did not change is reused
(``lkj.run.stages``). The stages are run in ``lkj.run.build``.

Runs cannot hurt each other or the last good report:

* One run at a time per agency and year (``lkj.run.lock``); a second run waits, then usually
  finds the report up to date.
* Everything is built in a staging folder. data/processed/YEAR and outputs/YEAR are then
  replaced together, as one unit: a journal beside the output folder lists the renames before
  the first one is made, so that ``recover`` (run first by every run) can finish them (when
  all were made) or undo them (otherwise) after a kill at any moment (``lkj.run.journal``).
  Both folders carry the id of the run that made them (manifest.json ``run``, ``.lkj-run`` in
  data/processed/YEAR).
* A rename that fails (on Windows: a report or CSV open in a viewer or Excel) undoes the
  renames already made and names the file to close.
* The notebooks run on this interpreter (``sys.executable``), never on a kernel looked up by
  name; the kernel reports its interpreter, which the manifest records (``lkj.run.kernels``,
  ``lkj.run.engine``, ``lkj.run.notebooks``).

Heavy libraries are imported inside the functions that need them, so that the no-op check
stays fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.run.build import _Build
from lkj.run.journal import _recover_journal, _test_pause, recover, replace_together
from lkj.run.paths import MANIFEST, ROOT, RUN_FILE, Paths, is_up_to_date, journal_file, notebooks


def run_report(
    paths: Paths,
    force: bool = False,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
    kertas: str | None = None,
) -> bool:
    """Build the report of ``paths.year`` unless it is already up to date.

    Holds the lock of the agency and year (``lkj.run.lock.year_lock``) while it works: a second run
    waits for the first, then usually finds the report up to date. The no-op check is made
    first without the lock (it only reads, and a run in progress makes it fail), so that a
    no-op stays fast.

    Args:
        paths: where inputs and outputs live.
        force: rebuild even if nothing changed.
        root: the repository (holds notebooks/ and lkj/).
        log: where progress lines go.
        kertas: paper for this run ("A4", "F4"), overriding ``[dokumen] kertas`` of the
            configuration.

    Returns:
        True if a report was built, False if it was already up to date.

    Raises:
        LkjError: bad data, a failing step, a file that cannot be replaced, or another run that
            did not finish in time; outputs/YEAR and data/processed/YEAR are as they were.
    """
    from lkj.core.config import load_config

    year = paths.year
    dokumen = load_config(paths.config).dokumen.with_paper(kertas)
    settings = dokumen.settings()
    if not force and is_up_to_date(paths, root, settings):
        log(f"Laporan {year} sudah mutakhir, tidak ada yang dikerjakan: {paths.output}")
        return False
    from lkj.run.lock import year_lock

    with year_lock(year, paths.raw_root, paths.output, doing="membuat laporan", log=log):
        recover(paths)
        if not force and is_up_to_date(paths, root, settings):
            log(f"Laporan {year} sudah mutakhir, tidak ada yang dikerjakan: {paths.output}")
            return False
        return _build(paths, root, log, dokumen, reuse=not force)


def _build(paths: Paths, root: Path, log: Callable[[str], None], dokumen: Any, reuse: bool) -> bool:
    """Build the report in a staging folder (``lkj.run.build``) and put it in place; a failed
    run leaves the last good report as it was (the lock held)."""
    year = paths.year
    settings = dokumen.settings()
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    books = notebooks(root)
    if not books:
        raise LkjError(f"{root / 'notebooks'}: tidak ada notebook NN_*.ipynb")

    build = _Build(paths, root, log, dokumen, books, settings, reuse)
    started = time.perf_counter()
    journal = journal_file(paths)
    html_name, pdf_name, docx_name = build.names
    try:
        cover, t0 = build.run()
        log(f"  HTML + PDF + DOCX: {time.perf_counter() - t0:.1f} s")
        _install(build, cover, journal)
    except BaseException:
        _keep_failed(journal, build.stage, build.failed)
        raise
    finally:
        if not journal.exists():
            shutil.rmtree(build.stage, ignore_errors=True)
    log(
        f"Laporan {year} selesai dalam {time.perf_counter() - started:.1f} s:\n"
        f"  {paths.output / pdf_name}\n  {paths.output / html_name}\n  {paths.output / docx_name}"
    )
    sys.stdout.flush()
    return True


def _keep_failed(journal: Path, stage: Path, failed: Path) -> None:
    """A run failed: its replacement is undone, and its staging folder kept as ``failed``
    (.gagal-YEAR, the failed notebook in it) unless the journal still names it."""
    with contextlib.suppress(LkjError):  # normally done already by replace_together
        _recover_journal(journal)
    if not journal.exists():  # else the journal still names the staged folders: keep them
        shutil.rmtree(failed, ignore_errors=True)
        if stage.exists():
            try:
                os.replace(stage, failed)
            except OSError:
                shutil.rmtree(stage, ignore_errors=True)


def _install(build: _Build, cover: Any, journal: Path) -> None:
    """Write the manifest and the run id, then put the staged folders in place of
    data/processed/YEAR and outputs/YEAR, together (``lkj.run.journal``)."""
    stage_out, stage_processed, run = build.stage_out, build.stage_processed, build.run_id
    interpreters = build.interpreters
    products = sorted(
        p.relative_to(stage_out).as_posix() for p in stage_out.rglob("*") if p.is_file()
    )
    manifest = {
        "year": build.paths.year,
        "run": run,
        "inputs": build.inputs,
        "outputs": products,
        "stages": build.records,
        "dokumen": build.settings,
        "sintetis": cover.synthetic,
        "interpreter": interpreters.pop() if len(interpreters) == 1 else sorted(interpreters),
        "versions": _versions(),
    }
    (stage_out / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    (stage_processed / RUN_FILE).write_text(run + "\n", encoding="utf-8")
    _test_pause("swap")
    replace_together(
        [
            (stage_processed, build.paths.processed, "processed"),
            (stage_out, build.paths.output, "output"),
        ],
        journal,
        run[:8],
    )


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "typst", "babel"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out
