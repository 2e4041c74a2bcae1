"""The Dask cluster of a pemda run: a running scheduler's, else a LocalCluster started here.

With ``--scheduler`` or Dask's own ``DASK_SCHEDULER_ADDRESS`` the work goes to that cluster,
with Dask's own security configuration (``distributed.comm.tls.*``, docs/scale.md); else a
``LocalCluster`` of worker processes (one thread each) sized to the machine is started and
stopped by the command.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator

from lkj.core.errors import LkjError


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
