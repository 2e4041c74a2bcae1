"""Putting an OPD's results in place: its report folder and processed tables, both or neither.

``install`` writes what a worker returned into staging folders and swaps them in with the
pipeline's journalled replacement; ``keep_failed`` keeps the notebooks of a failed OPD in
.gagal/; ``recover`` undoes what an interrupted run left; ``report_complete`` tells whether an
OPD's report folder holds every product its manifest lists.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.data.workspace import Workspace
from lkj.pemda.opd_task import FAILED_DIR


def report_complete(folder: Path) -> bool:
    """True when the OPD's report folder holds every product its manifest.json lists."""
    manifest = folder / "manifest.json"
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    products = recorded.get("outputs") or []
    return bool(products) and all((folder / name).is_file() for name in products)


def _write_tree(files: dict[str, bytes], folder: Path) -> None:
    for name, data in files.items():
        path = folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise LkjError(f"nama file tidak sah dari worker: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _journal(ws: Workspace, year: int, kode: str) -> Path:
    return ws.output(year) / "opd" / f".journal-{kode}.json"


def install(ws: Workspace, year: int, result: dict) -> None:
    """Put one OPD's report and processed tables in place, both or neither (the pipeline's
    journalled replacement, ``lkj.run.journal.replace_together``)."""
    from lkj.run.journal import replace_together

    kode = result["kode_opd"]
    token = uuid.uuid4().hex[:8]
    pairs = []
    for files, target, name in (
        (result["processed"], ws.opd_processed(year, kode), "processed"),
        (result["outputs"], ws.opd_output(year, kode), "output"),
    ):
        stage = target.parent / f".staging-{kode}-{token}"
        _write_tree(files, stage)
        pairs.append((stage, target, name))
    replace_together(pairs, _journal(ws, year, kode), token)


def keep_failed(ws: Workspace, year: int, result: dict) -> None:
    """Keep the notebooks of a failed OPD in .gagal/<kode_opd> (replacing older ones)."""
    folder = ws.output(year) / FAILED_DIR / result["kode_opd"]
    shutil.rmtree(folder, ignore_errors=True)
    if result.get("failed_notebooks"):
        _write_tree(result["failed_notebooks"], folder)


def recover(ws: Workspace, year: int) -> None:
    """Undo what an interrupted earlier run left (staging folders, a swap half done)."""
    from lkj.run.journal import _recover_dir, _recover_journal

    journals = ws.output(year) / "opd"
    if journals.is_dir():
        for journal in sorted(journals.glob(".journal-*.json")):
            _recover_journal(journal)
    for parent in (ws.output(year) / "opd", ws.processed / str(year)):
        if not parent.is_dir():
            continue
        for stale in parent.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        names = {p.name[len(".old-") :].rsplit("-", 1)[0] for p in parent.glob(".old-*-*")}
        for name in names:
            _recover_dir(parent / name)
