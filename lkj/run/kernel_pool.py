"""Kernels kept from one run to the next in the same process: a pemda worker pays its
kernels' start and imports once, not once per OPD.

A run's kernels (``lkj.run.kernels``: lanes "data" and "grafik") are normally started for the
run and stopped at its end. While a pool is in use (:func:`use_pool`, :func:`pooled`; the
pemda task ``lkj.pemda.opd_task.build_opd`` uses one in every Dask worker) a run takes its
kernels from the pool and gives them back when their last notebook has run:

* a kernel given back is brought back to its state after the warm-up, in a thread of its own
  while the run goes on (``lkj.run.kernel_state.restore``: namespace, working folder,
  sys.path, environment, warnings, pandas/numpy/matplotlib settings, random generators, the
  lkj modules the notebooks imported unloaded, the warm ones' globals and caches put back);
* a kernel is handed out again only when that restore answered "ok" and the kernel is alive,
  below :data:`MAX_RSS_MB` and of the same lkj code (the files of the package unchanged since
  it started); otherwise it is stopped and a new one started (``replaced``);
* the kernels of a run that failed are stopped, never given back (``lkj.run.build``).

``make report`` uses no pool: its kernels are stopped at the end of the run, as always.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from lkj.run.kernels import _Kernel, start_kernel, stop_kernel

MAX_RSS_MB = 1024
"""A kernel that holds more memory than this after its restore is replaced."""
RESET_TIMEOUT = 60
"""Seconds a restore may take before the kernel counts as stuck (and is replaced)."""

_RESTORE = "__import__('lkj.run.kernel_state', fromlist=['restore']).restore()"
_PACKAGE = Path(__file__).resolve().parents[1]


def code_stamp(package: Path = _PACKAGE) -> str:
    """A stamp of lkj's Python files (names, sizes, modification times): a kernel started
    under another stamp has other code imported and is not reused."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _rss_mb(kernel: _Kernel) -> float:
    import psutil

    pid = getattr(kernel.manager.provisioner, "pid", None)
    if pid is None:
        return 0.0
    try:
        return psutil.Process(pid).memory_info().rss / (1024 * 1024)
    except psutil.Error:
        return float("inf")


def _alive(kernel: _Kernel) -> bool:
    import psutil
    from jupyter_core.utils import run_sync

    pid = getattr(kernel.manager.provisioner, "pid", None)
    try:  # the process itself: a zombie is dead, whatever its Popen has not yet noticed
        if pid is not None and psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return False
    except psutil.Error:
        return False
    try:
        return bool(run_sync(kernel.manager.is_alive)())
    except Exception:  # noqa: BLE001 - a manager that cannot say: not alive
        return False


def restore_kernel(kernel: _Kernel, timeout: float = RESET_TIMEOUT) -> str:
    """Bring ``kernel`` back to its state after the warm-up; "" when it is fit to be handed
    out again, else why not (it is then to be stopped)."""
    from jupyter_client.blocking import BlockingKernelClient

    if not _alive(kernel):
        return "kernel mati"
    client = BlockingKernelClient(**kernel.manager.get_connection_info(session=True))
    client.start_channels()
    try:
        reply = client.execute(
            _RESTORE, silent=True, store_history=False, reply=True, timeout=timeout
        )
    except TimeoutError:
        return f"kernel tidak menjawab dalam {timeout:.0f} s"
    except Exception as exc:  # noqa: BLE001 - any failure to talk to it: not reused
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.stop_channels()
    content = reply.get("content", {})
    if content.get("status") != "ok":
        return f"restore gagal: {content.get('ename')}: {content.get('evalue')}"
    rss = _rss_mb(kernel)
    if rss > MAX_RSS_MB:
        return f"kernel memakai {rss:.0f} MB (> {MAX_RSS_MB} MB)"
    return ""


class KernelPool:
    """Kernels kept between the runs of one process, per lane and folder (see the module's
    docstring). ``started``, ``reused`` and ``replaced`` count what it did; ``reasons`` says
    why kernels were replaced."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str], tuple[str, _Kernel, Future]] = {}
        self._stamp: dict[int, str] = {}  # id(kernel) -> code stamp it started under
        self._restorer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lkj-restore")
        self.started = self.reused = self.replaced = 0
        self.reasons: list[str] = []

    def take(self, lane: str, root: Path) -> _Kernel:
        """A kernel of ``lane`` in ``root``: the one given back last if it is fit (restored,
        alive, same code), else a new one."""
        stamp = code_stamp()
        with self._lock:
            idle = self._idle.pop((lane, str(root)), None)
        if idle is not None:
            kept_stamp, kernel, restored = idle
            try:
                why = "kode lkj berubah" if kept_stamp != stamp else restored.result()
            except Exception as exc:  # noqa: BLE001 - a restore that broke: not reused
                why = f"restore gagal: {type(exc).__name__}: {exc}"
            if not why and not _alive(kernel):  # died while it waited
                why = "kernel mati"
            if not why:
                with self._lock:
                    self.reused += 1
                return kernel
            self._discard(kernel, why)
        kernel = start_kernel(lane, root, keep=True)
        with self._lock:
            self.started += 1
            self._stamp[id(kernel)] = stamp
        return kernel

    def give(self, lane: str, root: Path, kernel: _Kernel) -> None:
        """Take ``kernel`` back (its run is done with it): restored in the background, it is
        handed out by the next :meth:`take` of its lane and folder."""
        kernel.close_client()
        stamp = self._stamp.get(id(kernel), "")
        if kernel.used:
            restored = self._restorer.submit(restore_kernel, kernel)
        else:  # no notebook ran on it: as it was after the warm-up
            restored = Future()
            restored.set_result("")
        kernel.used = False
        with self._lock:
            old = self._idle.pop((lane, str(root)), None)
            self._idle[(lane, str(root))] = (stamp, kernel, restored)
        if old is not None:  # two kernels of one lane given back: one is enough
            self._discard(old[1], "")

    def _discard(self, kernel: _Kernel, why: str) -> None:
        with self._lock:
            self._stamp.pop(id(kernel), None)
            if why:
                self.replaced += 1
                self.reasons.append(why)
        stop_kernel(kernel)

    def close(self) -> None:
        """Stop every kernel kept (waiting for their restores first)."""
        with self._lock:
            idle, self._idle = list(self._idle.values()), {}
        for _, kernel, restored in idle:
            with contextlib.suppress(Exception):
                restored.result()
            self._discard(kernel, "")
        self._restorer.shutdown(wait=True)


_POOL: list[KernelPool] = []
_POOL_LOCK = threading.Lock()


def active_pool() -> KernelPool | None:
    """The pool of this process, if one is in use."""
    return _POOL[0] if _POOL else None


def use_pool() -> KernelPool:
    """The pool of this process, made now if there is none (closed when the process exits,
    or by :func:`close_pool`)."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(KernelPool())
            atexit.register(close_pool)
        return _POOL[0]


def close_pool() -> None:
    """Stop the kernels of this process's pool and stop using one."""
    with _POOL_LOCK:
        pool = _POOL.pop() if _POOL else None
    if pool is not None:
        pool.close()


@contextlib.contextmanager
def pooled() -> Iterator[KernelPool]:
    """Runs in this block share their kernels (:func:`use_pool`); stopped at its end."""
    pool = use_pool()
    try:
        yield pool
    finally:
        close_pool()


def pid_of(kernel: _Kernel) -> int | None:
    """The process id of ``kernel`` (None when unknown)."""
    pid = getattr(kernel.manager.provisioner, "pid", None)
    return int(pid) if pid is not None else None
