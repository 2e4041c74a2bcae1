"""What each worker process of the local cluster (``lkj.pemda.cluster``) does as it starts: it
leaves Ctrl-C to the command.

Ctrl-C in a terminal reaches the whole foreground process group: the command and the local
cluster's worker processes. The command stops the cluster itself (the client first, then the
workers: ``dask_client``). A worker that also took the interrupt and had no report to build
at that moment (more workers than OPDs left, the end of a batch) stopped on its own and
printed a KeyboardInterrupt traceback to the terminal beside the command's one line; a busy
one was killed by its nanny. So a local worker ignores SIGINT. Loaded by Dask as the workers'
preload (``dask_setup``); the workers of a cluster the user runs (``--scheduler``) keep their
own Ctrl-C.
"""

from __future__ import annotations

import signal
import threading


def dask_setup(worker: object) -> None:
    """Dask's preload hook, called in the worker process as its worker starts."""
    ignore_ctrl_c()


def ignore_ctrl_c() -> None:
    """Ignore SIGINT in this process (only its main thread may set a signal's handler)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
