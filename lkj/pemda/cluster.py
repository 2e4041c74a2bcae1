"""The Dask cluster of a pemda run: a running scheduler's, else a LocalCluster started here.

With ``--scheduler`` or Dask's own ``DASK_SCHEDULER_ADDRESS`` the work goes to that cluster,
with Dask's own security configuration (``distributed.comm.tls.*``, docs/scale.md); else a
``LocalCluster`` of worker processes (one thread each) sized to the machine is started and
stopped by the command. How long a scheduler is tried is Dask's own connect timeout
(``distributed.comm.timeouts.connect``, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=10s``).

The client is always closed before the cluster (so no worker reports a lost heartbeat), and
the local workers log nothing to the terminal: what Dask logs goes to the batch log
(``lkj.pemda.runlog``), an OPD's failure comes back as data (``lkj.pemda.opd_task``). The local
workers ignore Ctrl-C (``lkj.pemda.local_worker``): the command stops them.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator

from lkj.core.errors import LkjError


def connect_timeout() -> float:
    """Seconds a scheduler is tried: Dask's ``distributed.comm.timeouts.connect`` (30 s)."""
    import dask
    from dask.utils import parse_timedelta

    value = dask.config.get("distributed.comm.timeouts.connect", "30s")
    return float(parse_timedelta(value, default="seconds") or 30)


def _unreachable(address: str, exc: BaseException) -> LkjError:
    """One line: which scheduler could not be reached, and why."""
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())
    hint = (
        " (alamat tls:// memerlukan konfigurasi TLS Dask distributed.comm.tls.*: "
        "lihat docs/scale.md)"
        if address.startswith("tls://")
        else ""
    )
    return LkjError(
        f"scheduler Dask {address} tidak dapat dihubungi: {reason}{hint}; "
        "tidak ada laporan yang diubah"
    )


def _keep_kernels(client: object) -> None:
    """Each worker keeps its notebook kernels from one OPD to the next
    (``lkj.run.kernel_pool``) and stops them when it closes (``lkj.pemda.pool_plugin``)."""
    from lkj.pemda.pool_plugin import KernelPoolPlugin

    client.register_plugin(KernelPoolPlugin())  # type: ignore[attr-defined]


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

    Raises:
        LkjError: the scheduler cannot be reached, or has no worker (one line).
    """
    import dask
    from distributed import Client, LocalCluster

    address = scheduler or dask.config.get("scheduler-address", None)
    if address:
        timeout = connect_timeout()
        # Security (TLS certificates) comes from Dask's configuration: distributed.comm.tls.*
        try:
            client = Client(address, timeout=timeout)
        except (OSError, TypeError, ValueError) as exc:  # TypeError: tls:// without TLS config
            raise _unreachable(address, exc) from None
        try:
            n = len(client.scheduler_info().get("workers", {}))
            if not n:
                try:
                    client.wait_for_workers(1, timeout=timeout)
                except (OSError, TimeoutError):
                    raise LkjError(
                        f"scheduler Dask {address} tidak punya worker (ditunggu {timeout:.0f} s): "
                        "jalankan dask worker yang terhubung ke scheduler itu"
                    ) from None
                n = len(client.scheduler_info().get("workers", {}))
            log(f"Cluster Dask {address}: {n} worker")
            _keep_kernels(client)
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
        # its HTTP server (health checks) on a free port: no warning when 8787 is taken
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.CRITICAL,  # the workers' own log: nothing to the terminal
        preload=["lkj.pemda.local_worker"],  # Ctrl-C is the command's: it stops the cluster
    )
    try:
        client = Client(cluster)
        _keep_kernels(client)
        log(f"Cluster Dask lokal: {n} proses worker")
        try:
            yield client
        finally:
            client.close()  # first: workers then leave a scheduler that expects it
    finally:
        cluster.close()
