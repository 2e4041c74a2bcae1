"""A whole pemda in one command: every OPD's LKj on a Dask cluster, then the LKjIP.

``python -m lkj pemda --year 2022`` (``make pemda YEAR=2022``):

1. reads and validates the pemda's own tables (``lkj.data.workspace``); a broken pemda table stops
   here;
2. for each OPD of opd.csv whose folder exists, computes on the client a fingerprint of
   everything its report depends on (its raw files of this and earlier years, the lkj code and
   notebooks, the configuration: ``lkj.pemda.fingerprint``); an OPD whose fingerprint matches
   its last build (``lkj.pemda.status``) is skipped (a failed OPD whose data did not change
   keeps its recorded error: it would fail again);
3. sends the others to Dask workers (``lkj.pemda.cluster``) as plain data
   (``lkj.pemda.opd_task.build_opd``: the raw files as bytes, the year, the configuration); each
   worker runs the ordinary pipeline (``lkj.run.report.run_report``) in a temporary folder of
   its own and returns the report folder and the processed tables as bytes, which the client
   puts in place (``lkj.pemda.install``: outputs/pemda/<kode>/<YEAR>/opd/<kode_opd>/,
   data/processed/pemda/<kode>/<YEAR>/<kode_opd>/), each OPD atomically;
4. builds the LKjIP and the index page (``lkj.pemda.lkjip``) when anything they show changed.

Workers need the same environment as the client (this repository installed, ``make setup``)
but not its filesystem. By default a ``LocalCluster`` of worker processes (one thread each)
sized to the machine is started and stopped by the command; with ``--scheduler`` or Dask's
own ``DASK_SCHEDULER_ADDRESS`` the work goes to that cluster, with Dask's own security
configuration (``distributed.comm.tls.*``, docs/scale.md). One failing OPD does not stop the
others; the summary names each failure and the exit status is non-zero.

Faults: a worker lost in the middle of a report costs only that task (Dask sends it to another
worker; ``build_opd`` is idempotent: it works in a temporary folder of its own). A lost
scheduler stops the run with one line (``SchedulerLost``); every OPD finished before is in place
and recorded in status.json, so the next run continues from there. Ctrl-C stops the cluster the
same way. Each run appends to outputs/pemda/<kode>/<YEAR>/batch.log (``lkj.pemda.runlog``):
every OPD's outcome, every error whole, what Dask logged, the summary.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.data.sources import display_path
from lkj.data.workspace import OpdEntry, PemdaData, Workspace, list_opd, read_pemda
from lkj.pemda.cluster import dask_client
from lkj.pemda.dashboard import refresh
from lkj.pemda.fingerprint import ROOT, code_fingerprint, lkjip_fingerprint, make_task
from lkj.pemda.install import install, keep_failed, recover, report_complete
from lkj.pemda.opd_task import CRASH, DATA, FAILED, FAILED_DIR, OK, build_opd
from lkj.pemda.runlog import LOG_FILE, BatchLog
from lkj.pemda.status import (
    STATUS_FILE,
    OpdOutcome,
    PemdaResult,
    load_status,
    summary,
    write_json,
)

DEFAULT_CONFIG = ROOT / "config" / "lkj.toml"


class SchedulerLost(LkjError):
    """The connection to the Dask scheduler was lost in the middle of the run."""


def _progress(iterable: object, total: int, enabled: bool) -> object:
    from tqdm import tqdm

    return tqdm(
        iterable, total=total, desc="Laporan OPD", unit="OPD", file=sys.stderr, disable=not enabled
    )


def run_pemda(
    ws: Workspace,
    year: int,
    scheduler: str | None = None,
    workers: int | None = None,
    force: bool = False,
    config: Path | str | None = None,
    log: Callable[[str], None] = print,
    progress: bool | None = None,
) -> PemdaResult:
    """Build every OPD's LKj of ``year`` (skipping those up to date) and the LKjIP.

    Args:
        ws: the workspace.
        year: the report year.
        scheduler: a Dask scheduler address (default: DASK_SCHEDULER_ADDRESS, else local).
        workers: worker processes of the local cluster.
        force: rebuild every OPD and the LKjIP.
        config: the configuration file (default config/lkj.toml).
        log: where progress lines go.
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        What happened to each OPD and to the LKjIP.

    Raises:
        DataErrors: the pemda's own tables break the contract (nothing is built).
    """
    started = time.perf_counter()
    pemda = read_pemda(ws, year)
    recover(ws, year)
    config_path = Path(config) if config else DEFAULT_CONFIG
    config_bytes = config_path.read_bytes()
    code = code_fingerprint(ROOT)
    status_path = ws.output(year) / STATUS_FILE
    status = load_status(status_path)
    recorded = status.get("opd", {}) if isinstance(status.get("opd"), dict) else {}
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()} if pemda.lambang else {}
    outcomes, tasks = _plan(ws, year, pemda, recorded, force, config_bytes, code, shared)
    names = {e.kode_opd: e.nama_opd for e in list_opd(ws, pemda)}

    with BatchLog(ws.output(year) / LOG_FILE) as batch_log:

        def say(line: str) -> None:
            log(line)
            batch_log.write(line)

        batch_log.write(f"=== lkj pemda {ws.kode} {year}: {len(tasks)} laporan OPD untuk dibangun")
        t0 = time.perf_counter()
        if tasks:
            say(f"Pemda {pemda.info('nama_pemda')} {year}: {len(tasks)} laporan OPD dibangun")
            run = _Run(ws, year, status, recorded, status_path, outcomes, batch_log)
            enabled = sys.stderr.isatty() if progress is None else progress
            run.build(tasks, scheduler, workers, say, enabled)
        t_opd = time.perf_counter() - t0

        ordered = [outcomes[k] for k in names if k in outcomes]
        result = PemdaResult(year, ordered, ws.output(year))
        t0 = time.perf_counter()
        lkjip_fp = lkjip_fingerprint(pemda, ordered, code, config_bytes, year)
        _lkjip(ws, pemda, result, status, recorded, status_path, lkjip_fp, config_path, force, say)
        if result.rebuilt or result.lkjip_built or not (ws.output(year) / "index.html").is_file():
            refresh(ws, year, config_path)  # the dashboard (collect, check, tandatangan too)
        result.seconds = {
            "opd": round(t_opd, 2),
            "lkjip": round(time.perf_counter() - t0, 2),
            "total": round(time.perf_counter() - started, 2),
        }
        say(summary(pemda, result))
    return result


class _Run:
    """The OPDs of one run on the cluster: each outcome recorded as it comes back (status.json,
    batch log), a lost scheduler or Ctrl-C turned into one line with what was kept."""

    def __init__(
        self,
        ws: Workspace,
        year: int,
        status: dict,
        recorded: dict,
        status_path: Path,
        outcomes: dict[str, OpdOutcome],
        batch_log: BatchLog,
    ) -> None:
        self.ws, self.year, self.status, self.recorded = ws, year, status, recorded
        self.status_path, self.outcomes, self.batch_log = status_path, outcomes, batch_log
        self.done = 0

    def record(self, outcome: OpdOutcome) -> None:
        """Keep one OPD's outcome: in the result, in status.json (progress survives an
        interruption) and in the batch log."""
        self.outcomes[outcome.kode_opd] = outcome
        self.recorded[outcome.kode_opd] = {
            "fingerprint": outcome.fingerprint,
            "status": OK if outcome.status == "dibangun" else FAILED,
            "kind": outcome.kind,
            "error": outcome.error,
            "worker": outcome.worker,
            "angka_berbeda": outcome.angka_berbeda,
        }
        self.status["opd"] = self.recorded
        write_json(self.status_path, self.status)
        self.done += 1
        line = f"OPD {outcome.kode_opd} {outcome.status}"
        if outcome.worker:
            line += f" di worker {outcome.worker}"
        if outcome.seconds is not None:
            line += f" ({outcome.seconds:.1f} s)"
        self.batch_log.write(line + (f":\n{outcome.error}" if outcome.error else ""))

    def build(
        self,
        tasks: list[tuple[OpdEntry, dict]],
        scheduler: str | None,
        workers: int | None,
        say: Callable[[str], None],
        progress: bool,
    ) -> None:
        """Build ``tasks`` on the cluster, recording each outcome.

        Raises:
            SchedulerLost: the scheduler was lost; what finished before is kept.
            KeyboardInterrupt: Ctrl-C; the cluster is stopped, what finished is kept.
        """
        kept = "laporan OPD sudah selesai dan tersimpan (status.json)"
        with self.batch_log.quiet_dask():
            try:
                with dask_client(scheduler, workers, len(tasks), say) as client:
                    for outcome in _build_all(client, self.ws, self.year, tasks, progress):
                        self.record(outcome)
            except SchedulerLost as exc:
                self.batch_log.write(f"Dask: {exc}")
                where = f" {scheduler}" if scheduler else ""
                message = (
                    f"hubungan ke scheduler Dask{where} terputus; {self.done} dari {len(tasks)} "
                    f"{kept}; jalankan perintah yang sama lagi untuk melanjutkan"
                )
                self.batch_log.write(message)
                raise SchedulerLost(message) from None
            except LkjError as exc:  # the scheduler cannot be reached, has no worker
                self.batch_log.write(str(exc))
                raise
            except KeyboardInterrupt:
                self.batch_log.write(
                    f"dihentikan (Ctrl-C) setelah {self.done} dari {len(tasks)}; {kept}"
                )
                raise


def _plan(
    ws: Workspace,
    year: int,
    pemda: PemdaData,
    recorded: dict,
    force: bool,
    config_bytes: bytes,
    code: str,
    shared: dict[str, bytes],
) -> tuple[dict[str, OpdOutcome], list[tuple[OpdEntry, dict]]]:
    """Each OPD of opd.csv: an outcome already known (no data, up to date, failed on the
    same data), or a task to build.

    Returns:
        kode_opd -> outcome of the OPDs not to build; (entry, task) of those to build.
    """
    outcomes: dict[str, OpdOutcome] = {}
    tasks = []
    for entry in list_opd(ws, pemda):
        if not entry.present:
            outcomes[entry.kode_opd] = OpdOutcome(entry.kode_opd, entry.nama_opd, "tidak ada")
            continue
        task = make_task(entry, year, config_bytes, code, shared=shared)
        task["failed_display"] = display_path(ws.output(year) / FAILED_DIR / entry.kode_opd)
        before = recorded.get(entry.kode_opd, {})
        same = not force and before.get("fingerprint") == task["fingerprint"]
        if (
            same
            and before.get("status") == OK
            and report_complete(ws.opd_output(year, entry.kode_opd))
        ):
            outcomes[entry.kode_opd] = OpdOutcome(
                entry.kode_opd, entry.nama_opd, "mutakhir", fingerprint=task["fingerprint"]
            )
        elif same and before.get("status") == FAILED and before.get("kind") == DATA:
            outcomes[entry.kode_opd] = OpdOutcome(
                entry.kode_opd,
                entry.nama_opd,
                "gagal",
                error=before.get("error", ""),
                kind=DATA,
                fingerprint=task["fingerprint"],
            )
        else:
            tasks.append((entry, task))
    return outcomes, tasks


def _build_all(
    client: object,
    ws: Workspace,
    year: int,
    tasks: list[tuple[OpdEntry, dict]],
    enabled: bool,
) -> Iterator[OpdOutcome]:
    """Send the tasks to the cluster; yield each OPD's outcome, its results put in place, as
    its report comes back (in the order they finish)."""
    from distributed import as_completed

    futures = {
        client.submit(
            build_opd, task, key=f"lkj-opd-{entry.kode_opd}-{task['fingerprint'][:12]}"
        ): (entry, task)
        for entry, task in tasks
    }
    for future in _progress(as_completed(futures), len(futures), enabled):
        entry, task = futures[future]
        outcome = _collect(ws, year, entry, task, future)
        del futures[future]
        yield outcome


def _collect(ws: Workspace, year: int, entry: OpdEntry, task: dict, future: object) -> OpdOutcome:
    """The outcome of one OPD's build; its report put in place (or its failure kept)."""
    try:
        result = future.result()
    except (CancelledError, OSError) as exc:
        # The client cancels every task when it loses the scheduler; a result being fetched
        # then fails with CommClosedError (an OSError). Neither is the OPD's failure.
        raise SchedulerLost(f"{type(exc).__name__}: {' '.join(str(exc).split())}") from None
    except Exception as exc:  # the worker died too often (KilledWorker), a bug, ...
        result = {
            "kode_opd": entry.kode_opd,
            "fingerprint": task["fingerprint"],
            "status": FAILED,
            "kind": CRASH,
            "error": f"{type(exc).__name__}: {exc}",
        }
    outcome = OpdOutcome(
        entry.kode_opd,
        entry.nama_opd,
        "dibangun" if result["status"] == OK else "gagal",
        error=result.get("error", ""),
        kind=result.get("kind", ""),
        fingerprint=task["fingerprint"],
        seconds=result.get("seconds"),
        rebuilt=True,
        worker=result.get("worker", ""),
        peak_worker_mb=result.get("peak_worker_mb"),
        peak_kernel_mb=result.get("peak_kernel_mb"),
        peak_total_mb=result.get("peak_total_mb"),
        cpu_seconds=result.get("cpu_seconds"),
        kernels_reused=result.get("kernels_reused"),
        angka_berbeda=result.get("angka_berbeda"),
    )
    try:
        if result["status"] == OK:
            install(ws, year, result)
            shutil.rmtree(ws.output(year) / FAILED_DIR / entry.kode_opd, True)
        else:
            keep_failed(ws, year, result)
    except (OSError, LkjError) as exc:  # e.g. a report open in another program
        outcome.status, outcome.kind = "gagal", CRASH
        outcome.error = f"hasil tidak dapat disimpan: {exc}"
    return outcome


def _lkjip(
    ws: Workspace,
    pemda: PemdaData,
    result: PemdaResult,
    status: dict,
    recorded: dict,
    status_path: Path,
    lkjip_fp: str,
    config_path: Path,
    force: bool,
    log: Callable[[str], None],
) -> None:
    """Build the LKjIP and the index page when anything they show changed (or a product is
    missing); record their fingerprint and files in the status file."""
    from lkj.pemda import lkjip

    year = result.year
    previous = status.get("lkjip", {}) if isinstance(status.get("lkjip"), dict) else {}
    products = [Path(ws.output(year)) / p for p in previous.get("files", [])]
    if force or previous.get("fingerprint") != lkjip_fp or not all(p.is_file() for p in products):
        files = lkjip.build(ws, pemda, result.outcomes, config_path, log=log)
        result.lkjip_built = True
        result.lkjip_files = files
        status["lkjip"] = {
            "fingerprint": lkjip_fp,
            "files": [p.relative_to(ws.output(year)).as_posix() for p in files],
        }
        status["opd"] = recorded
        write_json(status_path, status)
    else:
        result.lkjip_files = products
