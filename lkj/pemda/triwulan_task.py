"""The task of one OPD's quarter on a Dask worker: ``build_opd_quarter`` (plain data in, plain
data out), the quarterly twin of ``lkj.pemda.opd_task.build_opd``.

The task is ``lkj.pemda.fingerprint.make_task``'s (the OPD's raw files as bytes, the
configuration, the code's fingerprint; the quarter in its settings, so part of its
fingerprint) with the OPD's name and its rows of ``sasaran_opd``. The worker writes the files
into a temporary folder of its own (idempotent: a task sent twice builds the same thing
twice), evaluates the quarter (``lkj.analysis.triwulan``), runs the ordinary quarterly build
(``lkj.run.triwulan.run_triwulan``) there and returns the evaluation's folder as bytes with the
OPD's line of the roll-up and its sub kegiatan by sasaran RPJMD, or the failure as data.
"""

from __future__ import annotations

import math
import os
import socket
import time
import traceback
from pathlib import Path
from typing import Any

from lkj.core.errors import DataError, DataErrors, LkjError
from lkj.core.tempdirs import temp_dir
from lkj.pemda.fingerprint import ROOT
from lkj.pemda.opd_task import (
    _WORKER_LOCK,
    CODE,
    CRASH,
    DATA,
    FAILED,
    OK,
    _read_tree,
    _relabel,
    _write_inputs,
    other_code,
)

# An OPD whose data holds no quarter: listed with this reason, not a failure.
EMPTY = "kosong"
NO_QUARTERS = "tanpa data triwulan"
# The columns of a sub kegiatan the roll-up by sasaran RPJMD adds up.
SUB_COLUMNS = ("pagu_rp", "rp_sd", "capaian_fisik_pct")


def plain(value: Any) -> Any:
    """A number or text as JSON keeps it (NaN as None, numpy numbers as Python's)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def quarter_task(task: dict, tw: int, nama_opd: str, cascade: list[dict]) -> dict:
    """``make_task``'s task of an OPD completed for its quarter (the quarter is already in
    its settings): the quarter, the OPD's name, its ``sasaran_opd`` rows as records."""
    return {**task, "tw": tw, "nama_opd": nama_opd, "cascade": cascade}


def build_opd_quarter(task: dict) -> dict:
    """Build one OPD's evaluation of quarter ``task["tw"]`` on a worker.

    Never raises for a failed evaluation: the failure comes back as data (its message naming
    the user's files, ``display_root``).

    Returns:
        kode_opd, fingerprint, status ("ok", "gagal" or "kosong": no quarterly data), error,
        kind, outputs (the evaluation's folder: relative path -> bytes), row (the OPD's line
        of the roll-up, ``lkj.document.triwulan.rkpd.opd_row``), sasaran (its sub kegiatan by
        sasaran RPJMD: kode_sasaran_rpjmd and the rows' :data:`SUB_COLUMNS`), seconds, worker.
    """
    started = time.perf_counter()
    result: dict = {
        "kode_opd": task["kode_opd"],
        "fingerprint": task["fingerprint"],
        "status": FAILED,
        "error": "",
        "kind": CRASH,
        "outputs": {},
        "row": None,
        "sasaran": [],
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    if error := other_code(task, result["worker"]):
        result["kind"], result["error"] = CODE, error
        return result
    # one build at a time per worker process, as build_opd (the notebook redirects stderr)
    with _WORKER_LOCK, temp_dir("lkj-tw-") as tmp:
        paths = _write_inputs(task, tmp, int(task["year"]))
        failed = f"{task['display_root']}/{task['year']}"
        try:
            _evaluate(task, paths, tmp, result)
        except (DataError, DataErrors, LkjError) as exc:
            result["kind"] = DATA
            result["error"] = _relabel(str(exc), tmp, task["display_root"], failed)
        except Exception as exc:  # a bug: the batch goes on, the summary shows it
            text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
            result["error"] = _relabel(text, tmp, task["display_root"], failed)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _evaluate(task: dict, paths: Any, tmp: Path, result: dict) -> None:
    """The evaluation, its build and the roll-up's rows into ``result``."""
    import pandas as pd

    from lkj.analysis.triwulan import evaluate, has_quarters
    from lkj.data.triwulan import read_earlier_quarters, read_quarter_year
    from lkj.document.triwulan.rkpd import opd_row, sasaran_rows
    from lkj.run.triwulan import run_triwulan

    year, tw = paths.year, int(task["tw"])
    tables = read_quarter_year(year, paths.raw_root).tables
    if not has_quarters(tables):
        result.update(status=EMPTY, kind="", error=NO_QUARTERS)
        return
    earlier = read_earlier_quarters(year, paths.raw_root)
    ev = evaluate(tables, year, tw, str(paths.raw), earlier and earlier.tables)
    out = tmp / "out" / f"{year}-tw{tw}"
    run_triwulan(year, tw, paths.raw_root, out, paths.config, force=True, root=ROOT,
                 log=lambda _line: None)  # fmt: skip
    cascade = pd.DataFrame(
        task["cascade"], columns=["kode_opd", "kode_sasaran", "kode_sasaran_rpjmd"]
    )
    row = opd_row(task["kode_opd"], task["nama_opd"], ev)
    result["row"] = {k: plain(v) for k, v in row.items()}
    result["sasaran"] = [
        {
            "kode_sasaran_rpjmd": g["kode_sasaran_rpjmd"],
            "sub": [{c: plain(r[c]) for c in SUB_COLUMNS} for r in g["sub"].to_dict("records")],
        }
        for g in sasaran_rows(task["kode_opd"], ev, tables, cascade)
    ]
    result["outputs"] = _read_tree(out)
    result.update(status=OK, kind="")
