"""The task of one OPD on a Dask worker: ``build_opd`` (plain data in, plain data out).

The worker writes the task's raw files and configuration into a temporary folder, runs the
ordinary pipeline (``lkj.run.report.run_report``) there and returns the report folder and the
processed tables as bytes, or the failure as data (its message naming the user's files). Also
the vocabulary of a result: its status (``OK``, ``FAILED``) and kind of failure.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from lkj.core.errors import LkjError
from lkj.core.tempdirs import temp_dir
from lkj.pemda.fingerprint import ROOT, code_fingerprint

if TYPE_CHECKING:
    from lkj.run.paths import Paths

FAILED_DIR = ".gagal"

OK = "ok"
FAILED = "gagal"
# Kinds of failure: "data" (the OPD's data breaks the contract: deterministic, recorded and
# not retried while the inputs stay the same), "kode" (the worker runs other lkj code than the
# client), "crash" (anything else: a bug, a worker lost; retried on the next run).
DATA, CODE, CRASH = "data", "kode", "crash"

# One report at a time per worker process: the pipeline redirects the process's stderr while
# a notebook runs, which two threads must not do at once. Workers run one thread each anyway.
_WORKER_LOCK = threading.Lock()


def other_code(task: dict, worker: str) -> str | None:
    """Why this worker must not build ``task``: it runs other lkj code than the client that
    sent it (the message), else None."""
    mine = code_fingerprint(ROOT)
    if task["code"] == mine:
        return None
    return (
        f"kode lkj di worker {worker} berbeda dengan di klien "
        f"({mine[:12]} ≠ {task['code'][:12]}): pasang versi lkj yang sama di setiap worker"
    )


def _relabel(text: str, tmp: Path, display_root: str, failed: str) -> str:
    """Messages name the worker's temporary files; give them the names the user knows."""
    stop = r"[^\s,;:'\"()]*"
    text = re.sub(stop + re.escape(tmp.name) + r"[/\\]raw[/\\]", display_root + "/", text)
    text = re.sub(stop + re.escape(tmp.name) + r"[/\\]out[/\\]\.gagal-\d+", failed, text)
    return text.replace(str(tmp), "<worker>")


def _read_tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _MemorySampler:
    """Peak resident memory while a report is built, sampled every 0.2 s: of the worker
    process, of its largest child (the notebook kernel), and of both together (what one
    worker slot needs). Also the CPU seconds of the worker and its children."""

    def __init__(self) -> None:
        import psutil

        self._process = psutil.Process()
        self._stop = threading.Event()
        self.worker = self.child = self.total = 0
        self._thread = threading.Thread(target=self._run, name="lkj-memory", daemon=True)
        self._live0: dict[int, float] | None = None
        self._cpu0 = self._cpu()

    def _cpu(self) -> float:
        """CPU seconds of the worker, of its children that ended, and of those still running
        (kernels kept by the pool, ``lkj.run.kernel_pool``: only what they used meanwhile)."""
        import psutil

        times = self._process.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        live: dict[int, float] = {}
        for child in self._process.children(recursive=True):
            try:
                own = child.cpu_times()
            except psutil.Error:
                continue
            live[child.pid] = own.user + own.system
        if self._live0 is None:  # the first call: what they had used before
            self._live0 = live
        for pid, seconds in live.items():
            total += seconds - self._live0.get(pid, 0.0)
        for pid, seconds in self._live0.items():
            if pid not in live:  # ended meanwhile: all its seconds are in children_* now
                total -= seconds
        return total

    def _sample(self) -> None:
        import psutil

        own = self._process.memory_info().rss
        kids = 0
        for child in self._process.children(recursive=True):
            try:
                rss = child.memory_info().rss
            except psutil.Error:
                continue
            kids += rss
            self.child = max(self.child, rss)
        self.worker = max(self.worker, own)
        self.total = max(self.total, own + kids)

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            try:
                self._sample()
            except (OSError, psutil.Error):  # one sample missed, not the report's business
                continue

    def __enter__(self) -> _MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self.cpu_seconds = self._cpu() - self._cpu0

    def figures(self) -> dict[str, float]:
        """peak_worker_mb, peak_kernel_mb, peak_total_mb, cpu_seconds."""
        mb = 1024 * 1024
        return {
            "peak_worker_mb": round(self.worker / mb, 1),
            "peak_kernel_mb": round(self.child / mb, 1),
            "peak_total_mb": round(self.total / mb, 1),
            "cpu_seconds": round(self.cpu_seconds, 1),
        }


def build_opd(task: dict) -> dict:
    """Build one OPD's report on a worker (plain data in, plain data out).

    Runs the ordinary pipeline (``lkj.run.report.run_report``) in a temporary folder: raw files
    written there from ``task["files"]``, the configuration from ``task["config"]``. Never
    raises for a failed report: the failure comes back as data, its message naming the
    user's files (``display_root``).

    Args:
        task: from ``make_task``.

    Returns:
        kode_opd, fingerprint, status ("ok" or "gagal"), error and kind (for a failure),
        outputs (the report folder: relative path -> bytes), processed (the processed tables),
        failed_notebooks (the notebooks of a failed run), kernels_reused (how many of its
        kernels a task before it had started), seconds, worker, peak memory (MB) of
        the worker process, of its largest child (the notebook kernel) and of both together,
        and the CPU seconds they used.
    """
    started = time.perf_counter()
    year = int(task["year"])
    result: dict = {
        "kode_opd": task["kode_opd"],
        "fingerprint": task["fingerprint"],
        "status": FAILED,
        "error": "",
        "kind": CRASH,
        "outputs": {},
        "processed": {},
        "failed_notebooks": {},
        "log": [],
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    failed_display = task.get("failed_display") or f"{FAILED_DIR}/{task['kode_opd']}"
    if error := other_code(task, result["worker"]):
        result["kind"], result["error"] = CODE, error
        return result
    with (
        _WORKER_LOCK,
        _MemorySampler() as sampler,
        temp_dir("lkj-opd-") as tmp,
    ):
        paths = _write_inputs(task, tmp, year)
        _run(task, paths, tmp, failed_display, result)
    result["seconds"] = round(time.perf_counter() - started, 2)
    result.update(sampler.figures())
    return result


def _write_inputs(task: dict, tmp: Path, year: int) -> Paths:
    """Write the task's raw files and configuration into ``tmp``; the pipeline's ``Paths``
    of a report built there."""
    from lkj.run.paths import Paths

    raw_root = tmp / "raw"
    for name, data in task["files"].items():
        path = raw_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    config = tmp / "lkj.toml"
    config.write_bytes(task["config"])
    return Paths(
        year=year,
        raw_root=raw_root,
        processed=tmp / "processed" / str(year),
        output=tmp / "out" / str(year),
        config=config,
    )


def _run(task: dict, paths: Paths, tmp: Path, failed_display: str, result: dict) -> None:
    """Run the pipeline on ``paths``; put its products, or its failure, into ``result``."""
    from lkj.run.kernel_pool import use_pool
    from lkj.run.report import run_report

    year = paths.year
    # The worker's kernels outlive the task: the next OPD of this worker takes them, restored
    # (lkj.run.kernel_pool); stopped with the worker (lkj.pemda.pool_plugin).
    pool = use_pool()
    reused = pool.reused
    try:
        run_report(paths, force=True, root=ROOT, log=result["log"].append)
    except LkjError as exc:
        result["kind"] = DATA
        result["error"] = _relabel(str(exc), tmp, task["display_root"], failed_display)
        result["failed_notebooks"] = _read_tree(tmp / "out" / f".gagal-{year}")
    except Exception as exc:  # a bug: the batch goes on, the summary shows it
        result["error"] = _relabel(
            f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}",
            tmp,
            task["display_root"],
            failed_display,
        )
    else:
        result["status"] = OK
        result["kind"] = ""
        result["kernels_reused"] = pool.reused - reused
        result["outputs"] = _read_tree(paths.output)
        result["processed"] = _read_tree(paths.processed)
        result["angka_berbeda"] = stated_disagreements(paths)


def stated_disagreements(paths: Paths) -> int | None:
    """How many stated figures (angka_tertulis) differ from the data; None without any."""
    from lkj.analysis.capaian import compute_results
    from lkj.analysis.kualitas import DIFFERENT, compare_stated
    from lkj.analysis.triwulan_tahun import year_from_quarters
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw

    folder = paths.raw_root / str(paths.year)
    if not any(p.stem == "angka_tertulis" or p.suffix == ".xlsx" for p in folder.iterdir()):
        return None  # nothing stated (a workbook may hold it as a sheet): no second read
    raw = read_raw(paths.year, paths.raw_root)
    stated = raw.tables.get("angka_tertulis")
    if stated is None or stated.empty:
        return None
    tables = year_from_quarters(raw.tables, paths.year)[0]  # the figures the report uses
    res = compute_results(tables, paths.year, load_config(paths.config))
    compared = compare_stated(stated, res, tables, paths.year)
    return int((compared["status"] == DIFFERENT).sum())
