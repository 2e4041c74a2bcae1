"""The kernels the notebooks run on: this very interpreter, started ahead of need, in lanes.

:func:`kernel_spec` is the kernel spec of every notebook (ipykernel of ``sys.executable``,
never a kernelspec looked up by name); :func:`_kernel_manager_class` is jupyter_client's
kernel manager on it. The notebooks of a run share a kernel per lane (:data:`LANES`), each
warmed up at start (:func:`warm_kernel`: the imports its notebooks will make); :class:`_Kernels`
starts, shares and stops them. The papermill engine that runs a notebook on them is
``lkj.run.engine``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from lkj.core.tempdirs import make_dir, set_owner

# The kernel name papermill is given: only a label (the notebooks' own kernelspec name). The
# kernel itself is always this interpreter (see kernel_spec); no kernelspec is looked up.
KERNEL_NAME = "lkj"


def kernel_spec(warm: str = "") -> object:
    """The Jupyter kernel spec the notebooks run on: ipykernel of this very interpreter.

    Built in memory at every run instead of looked up by name among the registered kernel
    specs, so that a kernel named ``lkj`` registered by another environment or checkout (or
    one whose interpreter was deleted) can never be used instead. Costs nothing. The kernel
    keeps no IPython history (no SQLite file shared by the kernels of a pemda's parallel runs).

    Args:
        warm: Python the kernel runs at start-up, before it says it is ready (the imports its
            notebooks will make, done while the run does other work); not shown in any
            notebook and not counted in its execution numbers.

    Returns:
        A ``jupyter_client.kernelspec.KernelSpec`` whose ``argv[0]`` is ``sys.executable``.
    """
    from jupyter_client.kernelspec import KernelSpec

    argv = [sys.executable]
    if sys.version_info >= (3, 11) and platform.python_implementation() == "CPython":
        argv.append("-Xfrozen_modules=off")  # as ipykernel registers it: no debugger warning
    argv += ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    argv.append("--HistoryManager.enabled=False")
    if warm:
        argv.append(f"--IPKernelApp.exec_lines={warm}")
    return KernelSpec(
        argv=argv,
        name=KERNEL_NAME,
        display_name="Python (lkj)",
        language="python",
        metadata={"debugger": True},
    )


@functools.lru_cache(maxsize=1)
def _kernel_manager_class() -> type:
    """jupyter_client's kernel manager, on :func:`kernel_spec` (with the lane's warm-up), whose
    clients are ready without waiting for IOPub to fall silent."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReadyClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            # As jupyter_client's (8.10), without its wait for 0.2 s of silence on IOPub
            # after the kernel_info reply, paid at the start of every notebook: the kernel is
            # ready once the reply and an IOPub message of that same request have arrived
            # (IOPub connected). Older IOPub messages are left: nbclient reads only those of
            # its own requests.
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                request = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    with contextlib.suppress(Empty):
                        while True:
                            msg = await self.iopub_channel.get_msg(timeout=0.2)
                            if msg["parent_header"].get("msg_id") == request:
                                self._handle_kernel_info_reply(reply)
                                return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    class ThisInterpreterKernelManager(AsyncKernelManager):
        lkj_warm = ""

        @default("client_factory")
        def _lkj_client_factory(self) -> type:
            return ReadyClient

        @property
        def kernel_spec(self) -> object:
            if self._kernel_spec is None:
                self._kernel_spec = kernel_spec(self.lkj_warm)
            return self._kernel_spec

    return ThisInterpreterKernelManager


# The notebooks of a run share two kernels (lanes) instead of starting one each: a kernel
# costs about 1 s of start-up and its notebooks 1-3 s of imports (pandas, matplotlib). The
# data stages and the report run on one; the figures on the other, which starts (and imports
# matplotlib) while the data stages run on the first. The report notebook runs beside the
# grafik notebook (lkj.run.report.BESIDE): it links the figures instead of carrying them
# (STAGE_PARAMETERS), and its HTML page carries them. Between two notebooks of a lane the
# kernel's namespace and counter are reset (lkj.run.engine._RESET), so each executed notebook
# is what a fresh kernel gives. A notebook of another stage gets a lane of its own.
LANES = {"ingest": "data", "capaian": "data", "laporan": "data", "grafik": "grafik"}
_WARM_MODULES = {
    "data": ("lkj.data.ingest", "lkj.data.processed", "lkj.analysis.audit"),
    "grafik": ("lkj.document.laporan", "lkj.document.grafik"),
}


def warm_kernel(lane: str, keep: bool = False) -> None:
    """Import what the notebooks of ``lane`` import (and matplotlib for the figures), in a
    kernel that is starting; binds no name in its namespace. Run by the kernel's
    ``exec_lines`` (see :func:`kernel_spec`). A kernel to be kept for later runs (``keep``,
    ``lkj.run.kernel_pool``) then records its state (``lkj.run.kernel_state.snapshot``).

    The data lane imports at once: its notebook runs first and waits for them. The grafik
    lane's notebook runs only after the data stages, so it imports in a thread and its
    kernel is ready at once. A notebook that imports a module this thread is still
    importing waits for it.

    The thread runs at the kernel's own priority, not lowered: it holds the GIL and the
    import locks the kernel's main thread needs to answer (kernel_info, the first cells). A
    lowered thread on a loaded machine (a pemda's Dask workers) runs rarely, and every
    hand-over of the GIL then waits for it: the kernel answered too late for its client's
    start-up wait ("Kernel didn't respond in 60 seconds") - a priority inversion.
    """
    import gc
    import importlib

    def imports() -> None:
        for name in _WARM_MODULES.get(lane, ()):
            importlib.import_module(name)
        if lane == "grafik":
            from lkj.document.grafik import pyplot

            pyplot()
        # What is imported lives as long as the kernel: the garbage collector need not walk
        # it again (every full collection, IPython's reset between notebooks included, then
        # walks only what the notebooks made).
        gc.freeze()
        if keep:
            from lkj.run.kernel_state import snapshot

            snapshot()

    if lane != "grafik":
        imports()
        return

    threading.Thread(target=imports, name="lkj-warm", daemon=True).start()


def _warm_line(lane: str, keep: bool = False) -> str:
    return f"__import__('lkj.run.kernels').run.kernels.warm_kernel({lane!r}, {keep!r})"


def _lane(stage: str) -> str:
    return LANES.get(stage, stage)


# Lines of a kernel's stderr that are noise here (not passed on).
KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",  # ipykernel, when papermill shuts the kernel down
)


class _Kernel:
    """A kernel of the run: its manager, whether a notebook ran on it, its stderr file, and
    the client its notebooks share (its channels open: a new client waits for its IOPub
    subscription to take, 0.2-0.4 s per notebook)."""

    def __init__(self, manager: Any, stderr: Any, folder: Path | None = None) -> None:
        self.manager = manager
        self.stderr = stderr
        self.folder = folder  # its sockets and connection file (_ipc_folder), or None
        self.used = False
        self.client: Any = None
        self._shown = 0

    def close_client(self) -> None:
        """Close the shared client's channels."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None

    def pass_stderr(self) -> None:
        """Print what the kernel wrote to stderr since the last call, minus known noise."""
        self.stderr.flush()
        self.stderr.seek(self._shown)
        text = self.stderr.read()
        self._shown += len(text)
        for line in text.decode("utf-8", "replace").splitlines():
            if not any(noise in line for noise in KERNEL_NOISE):
                print(line, file=sys.stderr)


def start_kernel(lane: str, root: Path, keep: bool = False) -> _Kernel:
    """Start (without waiting for it) a kernel of ``lane`` in the folder ``root``, warmed up
    for its notebooks (:func:`warm_kernel`); ``keep``: one of a pool, which records its state
    after the warm-up."""
    from jupyter_core.utils import run_sync

    folder = _ipc_folder()
    if folder is not None:  # see _ipc_folder: no TCP port to be taken by another process
        manager = _kernel_manager_class()(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
            connection_file=str(folder / "kernel.json"),
        )
    else:
        manager = _kernel_manager_class()(kernel_name=KERNEL_NAME)
    manager.lkj_warm = _warm_line(lane, keep)
    stderr = tempfile.TemporaryFile()
    try:
        run_sync(manager.start_kernel)(cwd=str(root), stderr=stderr)
        if folder is not None:  # the kernel's folder from now on: swept once it is gone
            set_owner(folder, manager.provisioner.pid)  # (one gone already: stop_kernel's)
    except BaseException:
        stderr.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return _Kernel(manager, stderr, folder)


# The longest path of a Unix socket (sun_path holds 108 bytes on Linux, 104 on macOS).
_SOCKET_PATH_MAX = 100


def _ipc_folder() -> Path | None:
    """A new private folder for a kernel's sockets and connection file, or None where the
    kernel is to talk over TCP (Windows; a temporary folder whose path is too long).

    Over TCP jupyter_client picks a kernel's five ports by binding free ones and releasing
    them; the kernel binds them a second later. A kernel started meanwhile by another
    process (a pemda's Dask workers, a test beside a build) can pick the same free port,
    and one of the two kernels then fails to start ("Address already in use") or the
    client talks to the other's. Unix sockets in a folder of the kernel's own (made by
    ``mkdtemp``: no other process uses its names) cannot collide.

    The folder names its owner (``lkj.core.tempdirs``: this process, then the kernel once it
    runs); those of kernels that are gone (killed with their process) are swept here."""
    if os.name != "posix":
        return None
    folder = make_dir("lkj-kernel-")
    if len(str(folder / "ipc")) + 3 > _SOCKET_PATH_MAX:  # "-N" added per channel
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return folder


def stop_kernel(kernel: _Kernel) -> None:
    """Stop ``kernel`` at once (its client closed, what it wrote to stderr passed on)."""
    from jupyter_core.utils import run_sync

    kernel.close_client()
    with contextlib.suppress(Exception):
        run_sync(_kill)(kernel.manager)
    kernel.pass_stderr()
    kernel.stderr.close()
    if kernel.folder is not None:
        shutil.rmtree(kernel.folder, ignore_errors=True)


async def _kill(manager: Any) -> None:
    """Kill the kernel of ``manager`` (SIGKILL to its process group), then free what it used.

    Not ``shutdown_kernel(now=True)`` alone: that sends SIGINT first and SIGKILL just after.
    A kernel still starting (its ipykernel not yet ignoring SIGINT, the data lane's warm-up
    imports running) that gets to run between the two writes a KeyboardInterrupt traceback
    to its stderr, which :meth:`_Kernel.pass_stderr` then passes on: a run that stops early
    (bad data, before the grafik kernel is up) printed a traceback when the machine was
    loaded. Killed first, the kernel never sees the SIGINT; ``shutdown_kernel`` then finds
    no process and only cleans up (connection file, sockets)."""
    provisioner = manager.provisioner
    if provisioner is not None and provisioner.has_process:
        await provisioner.kill()
        with contextlib.suppress(asyncio.TimeoutError):  # as jupyter_client: 5 s at most
            await asyncio.wait_for(provisioner.wait(), timeout=5)
    await manager.shutdown_kernel(now=True)


class _Kernels:
    """The kernels of one run, started ahead of need (:meth:`launch`), each stopped once its
    lane's last notebook has run (:meth:`release`), the rest at the end (:meth:`shutdown`).

    With a ``pool`` (``lkj.run.kernel_pool.KernelPool``) the kernels are taken from it and
    given back to it instead (the kernels of a failed run are stopped all the same)."""

    def __init__(self, root: Path, pool: Any = None) -> None:
        self.root = root
        self.pool = pool
        self.lanes: dict[str, _Kernel] = {}
        self.stopping: list[threading.Thread] = []

    def launch(self, stage: str) -> _Kernel:
        """The kernel of ``stage``'s lane, started now if it is not running yet."""
        lane = _lane(stage)
        if lane not in self.lanes:
            if self.pool is not None:
                self.lanes[lane] = self.pool.take(lane, self.root)
            else:
                self.lanes[lane] = start_kernel(lane, self.root)
        return self.lanes[lane]

    def release(self, stage: str) -> None:
        """Stop the kernel of ``stage``'s lane, in a thread of its own (or give it back to
        the pool): no later notebook of the run needs it (:meth:`shutdown` waits for it)."""
        lane = _lane(stage)
        kernel = self.lanes.pop(lane, None)
        if kernel is not None:
            kernel.close_client()
            if self.pool is not None:
                kernel.pass_stderr()
                self.pool.give(lane, self.root, kernel)
                return
            stopping = threading.Thread(target=self._stop, args=(kernel,), name="lkj-kernel-stop")
            stopping.start()
            self.stopping.append(stopping)

    @staticmethod
    def _stop(kernel: _Kernel) -> None:
        stop_kernel(kernel)

    def shutdown(self, failed: bool = False) -> None:
        """Stop every kernel of the run (also after a failure); with a pool, give back those
        of a run that did not fail."""
        for lane, kernel in self.lanes.items():
            if self.pool is not None and not failed:
                kernel.close_client()
                kernel.pass_stderr()
                self.pool.give(lane, self.root, kernel)
            else:
                self._stop(kernel)
        self.lanes.clear()
        for stopping in self.stopping:
            stopping.join()
        self.stopping.clear()
