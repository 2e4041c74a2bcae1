"""A whole pemda in one command: every OPD's LKj on a Dask cluster, then the LKjIP.

``python -m lkj pemda --year 2022`` (``make pemda YEAR=2022``):

1. reads and validates the pemda's own tables (``lkj.data.workspace``); a broken pemda table stops
here;
2. for each OPD of opd.csv whose folder exists, computes on the client a fingerprint of
   everything its report depends on (its raw files of this and earlier years, the lkj code and
   notebooks, the configuration); an OPD whose fingerprint matches its last build is skipped
   (a failed OPD whose data did not change keeps its recorded error: it would fail again);
3. sends the others to Dask workers as plain data (``build_opd``: the raw files as bytes, the
   year, the configuration); each worker runs the ordinary pipeline
   (``lkj.run.report.run_report``)
   in a temporary folder of its own and returns the report folder and the processed tables as
   bytes, which the client puts in place (outputs/pemda/<kode>/<YEAR>/opd/<kode_opd>/,
   data/processed/pemda/<kode>/<YEAR>/<kode_opd>/), each OPD atomically;
4. builds the LKjIP and the index page (``lkj.pemda.lkjip``) when anything they show changed.

Workers need the same environment as the client (this repository installed, ``make setup``)
but not its filesystem. By default a ``LocalCluster`` of worker processes (one thread each)
sized to the machine is started and stopped by the command; with ``--scheduler`` or Dask's
own ``DASK_SCHEDULER_ADDRESS`` the work goes to that cluster, with Dask's own security
configuration (``distributed.comm.tls.*``, docs/scale.md). One failing OPD does not stop the
others; the summary names each failure and the exit status is non-zero.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lkj.core import resources
from lkj.core.errors import LkjError
from lkj.data.dataset import _display
from lkj.data.workspace import OpdEntry, PemdaData, Workspace, list_opd, read_pemda

ROOT = resources.ROOT
STATUS_FILE = "status.json"
FAILED_DIR = ".gagal"
DEFAULT_CONFIG = ROOT / "config" / "lkj.toml"

OK = "ok"
FAILED = "gagal"
# Kinds of failure: "data" (the OPD's data breaks the contract: deterministic, recorded and
# not retried while the inputs stay the same), "kode" (the worker runs other lkj code than the
# client), "crash" (anything else: a bug, a worker lost; retried on the next run).
DATA, CODE, CRASH = "data", "kode", "crash"

# One report at a time per worker process: the pipeline redirects the process's stderr while
# a notebook runs, which two threads must not do at once. Workers run one thread each anyway.
_WORKER_LOCK = threading.Lock()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_files(root: Path) -> list[Path]:
    files = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    files += sorted(p for p in (root / "lkj").rglob("*") if p.is_file() and p.suffix != ".pyc")
    files += [root / name for name in ("constraints.txt", "pyproject.toml")]
    return [p for p in files if p.is_file() and "__pycache__" not in p.parts]


@lru_cache(maxsize=4)
def code_fingerprint(root: Path = ROOT) -> str:
    """One checksum of the code a report is built with: notebooks, lkj/, the pinned versions.

    The client puts it in every task; a worker whose own checkout differs refuses the task
    (its report would not be the one the fingerprint promises).
    """
    digest = hashlib.sha256()
    for path in _code_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_sha256(path.read_bytes()).encode() + b"\n")
    return digest.hexdigest()


def opd_files(raw_root: Path, year: int) -> dict[str, bytes]:
    """The raw files an OPD's report of ``year`` depends on, as relative path -> bytes.

    Every file of the year folder and of every earlier year folder (the report compares
    years), as ``lkj.run.paths.input_files`` counts them.
    """
    files: dict[str, bytes] = {}
    if not raw_root.is_dir():
        return files
    for folder in sorted(raw_root.iterdir()):
        if not (folder.is_dir() and folder.name.isdigit() and int(folder.name) <= year):
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("~$"):
                files[path.relative_to(raw_root).as_posix()] = path.read_bytes()
    return files


def make_task(
    entry: OpdEntry,
    year: int,
    config: bytes,
    code: str,
    settings: dict | None = None,
    shared: dict[str, bytes] | None = None,
) -> dict:
    """The plain-data task of one OPD (what travels to a worker) with its fingerprint.

    Args:
        entry: the OPD.
        year: the report year.
        config: the bytes of config/lkj.toml.
        code: ``code_fingerprint()`` of the client.
        settings: further settings that decide the report (part of the fingerprint).
        shared: files of the pemda every OPD's build gets beside its year folders (the
            lambang daerah, which the cover finds there when instansi.csv names it), unless
            the OPD has its own file of that name.

    Returns:
        kode_opd, year, files (relative path -> bytes), config, code, settings,
        display_root (the OPD folder as the user knows it, for messages) and fingerprint.
    """
    files = opd_files(entry.raw_root, year)
    for name, data in (shared or {}).items():
        if not (entry.raw_root / name).exists():
            files[name] = data
    settings = dict(settings or {})
    summary = {
        "year": year,
        "files": {name: _sha256(data) for name, data in files.items()},
        "config": _sha256(config),
        "code": code,
        "settings": settings,
    }
    fingerprint = _sha256(json.dumps(summary, sort_keys=True).encode())
    return {
        "kode_opd": entry.kode_opd,
        "year": year,
        "files": files,
        "config": config,
        "code": code,
        "settings": settings,
        "display_root": _display(entry.raw_root),
        "fingerprint": fingerprint,
    }


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
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._cpu0 = self._cpu()

    def _cpu(self) -> float:
        times = self._process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

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
        while not self._stop.wait(0.2):
            self._sample()

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
        failed_notebooks (the notebooks of a failed run), seconds, worker, peak memory (MB) of
        the worker process, of its largest child (the notebook kernel) and of both together,
        and the CPU seconds they used.
    """
    from lkj.run.paths import Paths
    from lkj.run.report import run_report

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
    mine = code_fingerprint(ROOT)
    if task["code"] != mine:
        result["kind"] = CODE
        result["error"] = (
            f"kode lkj di worker {result['worker']} berbeda dengan di klien "
            f"({mine[:12]} ≠ {task['code'][:12]}): pasang versi lkj yang sama di setiap worker"
        )
        return result
    with (
        _WORKER_LOCK,
        _MemorySampler() as sampler,
        tempfile.TemporaryDirectory(prefix="lkj-opd-") as tmp_name,
    ):
        tmp = Path(tmp_name)
        raw_root = tmp / "raw"
        for name, data in task["files"].items():
            path = raw_root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        config = tmp / "lkj.toml"
        config.write_bytes(task["config"])
        paths = Paths(
            year=year,
            raw_root=raw_root,
            processed=tmp / "processed" / str(year),
            output=tmp / "out" / str(year),
            config=config,
        )
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
            result["outputs"] = _read_tree(paths.output)
            result["processed"] = _read_tree(paths.processed)
    result["seconds"] = round(time.perf_counter() - started, 2)
    result.update(sampler.figures())
    return result


# --------------------------------------------------------------------------- client side


@dataclass
class OpdOutcome:
    """What happened to one OPD in this run."""

    kode_opd: str
    nama_opd: str
    status: str  # "dibangun", "mutakhir", "gagal", "tidak ada"
    error: str = ""
    kind: str = ""
    fingerprint: str = ""
    seconds: float | None = None
    rebuilt: bool = False
    worker: str = ""
    peak_worker_mb: float | None = None
    peak_kernel_mb: float | None = None
    peak_total_mb: float | None = None
    cpu_seconds: float | None = None

    @property
    def ok(self) -> bool:
        """True when the OPD has a report built from its current data."""
        return self.status in ("dibangun", "mutakhir")


@dataclass
class PemdaResult:
    """The outcome of ``run_pemda``."""

    year: int
    outcomes: list[OpdOutcome]
    output: Path
    lkjip_built: bool = False
    lkjip_files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[OpdOutcome]:
        """The OPDs whose report could not be built."""
        return [o for o in self.outcomes if o.status == "gagal"]

    @property
    def ok(self) -> bool:
        """True when no OPD failed."""
        return not self.failed

    @property
    def rebuilt(self) -> list[OpdOutcome]:
        """The OPDs built in this run."""
        return [o for o in self.outcomes if o.rebuilt]


def _load_status(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, path)


def _report_complete(folder: Path) -> bool:
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


def _install(ws: Workspace, year: int, result: dict) -> None:
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


def _keep_failed(ws: Workspace, year: int, result: dict) -> None:
    folder = ws.output(year) / FAILED_DIR / result["kode_opd"]
    shutil.rmtree(folder, ignore_errors=True)
    if result.get("failed_notebooks"):
        _write_tree(result["failed_notebooks"], folder)


def _recover(ws: Workspace, year: int) -> None:
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


@contextlib.contextmanager
def dask_client(
    scheduler: str | None, workers: int | None, n_tasks: int, log: Callable[[str], None]
) -> Iterator[object]:
    """A Dask client: of the cluster at ``scheduler`` (or ``DASK_SCHEDULER_ADDRESS``), else of
    a LocalCluster of worker processes (one thread each) started here and stopped on exit.

    Args:
        scheduler: address of a running scheduler, e.g. ``tls://10.0.0.5:8786``.
        workers: worker processes of the local cluster (default: CPU cores, at most n_tasks).
        n_tasks: how many reports are to be built.
        log: where the line saying which cluster is used goes.

    Yields:
        The ``distributed.Client``.
    """
    import dask
    from distributed import Client, LocalCluster

    address = scheduler or dask.config.get("scheduler-address", None)
    if address:
        # Security (TLS certificates) comes from Dask's configuration: distributed.comm.tls.*
        try:
            client = Client(address, timeout="30s")
        except (OSError, TypeError, ValueError) as exc:  # TypeError: tls:// without TLS config
            hint = (
                " (alamat tls:// memerlukan konfigurasi TLS Dask distributed.comm.tls.*: "
                "lihat docs/scale.md)"
                if address.startswith("tls://")
                else ""
            )
            raise LkjError(
                f"scheduler Dask {address} tidak dapat dihubungi: {type(exc).__name__}: {exc}{hint}"
            ) from None
        n = len(client.scheduler_info().get("workers", {}))
        log(f"Cluster Dask {address}: {n} worker")
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or min(os.cpu_count() or 1, max(n_tasks, 1))
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    log(f"Cluster Dask lokal: {n} proses worker")
    try:
        yield client
    finally:
        client.close()
        cluster.close()


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
    from lkj.pemda import lkjip

    started = time.perf_counter()
    pemda = read_pemda(ws, year)
    _recover(ws, year)
    config_path = Path(config) if config else DEFAULT_CONFIG
    config_bytes = config_path.read_bytes()
    code = code_fingerprint(ROOT)
    status_path = ws.output(year) / STATUS_FILE
    status = _load_status(status_path)
    recorded = status.get("opd", {}) if isinstance(status.get("opd"), dict) else {}
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()} if pemda.lambang else {}
    outcomes: dict[str, OpdOutcome] = {}
    tasks = []
    for entry in list_opd(ws, pemda):
        if not entry.present:
            outcomes[entry.kode_opd] = OpdOutcome(entry.kode_opd, entry.nama_opd, "tidak ada")
            continue
        task = make_task(entry, year, config_bytes, code, shared=shared)
        task["failed_display"] = _display(ws.output(year) / FAILED_DIR / entry.kode_opd)
        before = recorded.get(entry.kode_opd, {})
        same = not force and before.get("fingerprint") == task["fingerprint"]
        if (
            same
            and before.get("status") == OK
            and _report_complete(ws.opd_output(year, entry.kode_opd))
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
    names = {e.kode_opd: e.nama_opd for e in list_opd(ws, pemda)}

    t0 = time.perf_counter()
    if tasks:
        log(f"Pemda {pemda.info('nama_pemda')} {year}: {len(tasks)} laporan OPD dibangun")
        with dask_client(scheduler, workers, len(tasks), log) as client:
            from distributed import as_completed

            futures = {
                client.submit(
                    build_opd, task, key=f"lkj-opd-{entry.kode_opd}-{task['fingerprint'][:12]}"
                ): (entry, task)
                for entry, task in tasks
            }
            enabled = sys.stderr.isatty() if progress is None else progress
            for future in _progress(as_completed(futures), len(futures), enabled):
                entry, task = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker died, the task could not be sent, ...
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
                )
                try:
                    if result["status"] == OK:
                        _install(ws, year, result)
                        shutil.rmtree(ws.output(year) / FAILED_DIR / entry.kode_opd, True)
                    else:
                        _keep_failed(ws, year, result)
                except (OSError, LkjError) as exc:  # e.g. a report open in another program
                    outcome.status, outcome.kind = "gagal", CRASH
                    outcome.error = f"hasil tidak dapat disimpan: {exc}"
                outcomes[entry.kode_opd] = outcome
                recorded[entry.kode_opd] = {
                    "fingerprint": outcome.fingerprint,
                    "status": OK if outcome.status == "dibangun" else FAILED,
                    "kind": outcome.kind,
                    "error": outcome.error,
                }
                status["opd"] = recorded
                _write_json(status_path, status)  # progress survives an interruption
                del futures[future]
                del result
    t_opd = time.perf_counter() - t0

    ordered = [outcomes[k] for k in names if k in outcomes]
    result = PemdaResult(year, ordered, ws.output(year))
    t0 = time.perf_counter()
    lkjip_fp = _lkjip_fingerprint(pemda, ordered, code, config_bytes, year)
    previous = status.get("lkjip", {}) if isinstance(status.get("lkjip"), dict) else {}
    products = [Path(ws.output(year)) / p for p in previous.get("files", [])]
    if force or previous.get("fingerprint") != lkjip_fp or not all(p.is_file() for p in products):
        files = lkjip.build(ws, pemda, ordered, config_path, log=log)
        result.lkjip_built = True
        result.lkjip_files = files
        status["lkjip"] = {
            "fingerprint": lkjip_fp,
            "files": [p.relative_to(ws.output(year)).as_posix() for p in files],
        }
        status["opd"] = recorded
        _write_json(status_path, status)
    else:
        result.lkjip_files = products
    result.seconds = {
        "opd": round(t_opd, 2),
        "lkjip": round(time.perf_counter() - t0, 2),
        "total": round(time.perf_counter() - started, 2),
    }
    log(summary(pemda, result))
    return result


def _lkjip_fingerprint(
    pemda: PemdaData, outcomes: list[OpdOutcome], code: str, config: bytes, year: int
) -> str:
    summary = {
        "year": year,
        "pemda": {p.name: _sha256(p.read_bytes()) for p in pemda.input_files()},
        # "dibangun" and "mutakhir" are the same report: only whether there is one counts.
        "opd": [(o.kode_opd, o.ok, o.status, o.fingerprint, o.error) for o in outcomes if not o.ok]
        + [(o.kode_opd, o.ok, o.fingerprint) for o in outcomes if o.ok],
        "code": code,
        "config": _sha256(config),
    }
    return _sha256(json.dumps(summary, sort_keys=True).encode())


def summary(pemda: PemdaData, result: PemdaResult) -> str:
    """The closing lines of a run: counts, each failure with its error, the products."""
    counts: dict[str, int] = {}
    for o in result.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    order = ("dibangun", "mutakhir", "gagal", "tidak ada")
    parts = [f"{counts.get(s, 0)} {s}" for s in order if counts.get(s)]
    lines = [
        f"Pemda {pemda.info('nama_pemda')} {result.year}: {len(result.outcomes)} OPD "
        f"({', '.join(parts) or '-'}) dalam {result.seconds.get('total', 0):.1f} s"
    ]
    if not result.rebuilt and not result.lkjip_built:
        lines.append("Semua laporan sudah mutakhir, tidak ada yang dikerjakan.")
    for o in result.outcomes:
        if o.status == "tidak ada":
            lines.append(f"  tidak ada data: {o.kode_opd} {o.nama_opd}")
    for o in result.failed:
        note = "" if o.rebuilt else " (data tidak berubah sejak kegagalan terakhir)"
        lines.append(f"  GAGAL {o.kode_opd} {o.nama_opd}{note}:")
        lines.extend(f"    {line}" for line in o.error.splitlines())
    for path in result.lkjip_files:
        if path.suffix in (".pdf", ".html", ".docx"):
            lines.append(f"  {_display(path)}")
    return "\n".join(lines)
