"""The Dask worker plugin that stops a worker's kept kernels when the worker closes.

Every OPD task keeps its worker's notebook kernels for the next one (``lkj.run.kernel_pool``);
``lkj.pemda.cluster.dask_client`` registers :class:`KernelPoolPlugin` so that a worker that
closes (the batch's local cluster stopped, a remote worker shut down) stops them first. A
worker process that is killed leaves no kernel behind either: a kernel ends by itself when
its parent process is gone (ipykernel's parent poller).
"""

from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin


class KernelPoolPlugin(WorkerPlugin):
    """Stops the worker's kernel pool at teardown."""

    name = "lkj-kernel-pool"

    def teardown(self, worker: object) -> None:
        """Stop the kernels this worker process kept."""
        from lkj.run.kernel_pool import close_pool

        close_pool()
