"""How a run's kernels are started and stopped (``lkj.run.kernels``): nothing another process
can take from them, and nothing they print when stopped early.

* A kernel talks over Unix sockets in a folder of its own (no TCP port: jupyter_client picks
  free ports by binding and releasing them, and a kernel started at the same moment by
  another process, a pemda's Dask workers or a test beside a build, could take the same
  one). The folder goes when the kernel is stopped.
* A kernel is stopped with SIGKILL alone: ``shutdown_kernel(now=True)`` sends SIGINT first,
  and a kernel still starting then wrote a KeyboardInterrupt traceback that the run passed
  on (a run stopping at data checking printed a traceback under load).

Cost in ``make test``: three kernel starts without warm-up imports (about 3 s).
"""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import psutil
import pytest
from jupyter_client.blocking import BlockingKernelClient

from lkj.run.kernel_pool import pid_of
from lkj.run.kernels import start_kernel, stop_kernel
from lkj.run.paths import ROOT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets: POSIX only")

PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


def test_kernels_talk_over_unix_sockets_in_folders_of_their_own():
    kernels = [start_kernel("tanpa-pemanasan", ROOT) for _ in range(2)]
    try:
        infos = [k.manager.get_connection_info() for k in kernels]
        assert [i["transport"] for i in infos] == ["ipc", "ipc"]
        folders = [k.folder for k in kernels]
        assert folders[0] != folders[1]
        for kernel, info in zip(kernels, infos, strict=True):
            assert Path(info["ip"]).parent == kernel.folder
            assert oct(kernel.folder.stat().st_mode & 0o777) == oct(0o700)  # mkdtemp's
            client = BlockingKernelClient(**kernel.manager.get_connection_info(session=True))
            client.start_channels()
            try:
                reply = client.kernel_info(reply=True, timeout=60)
            finally:
                client.stop_channels()
            assert reply["content"]["status"] == "ok"
            # the five channels are sockets in the kernel's folder, bound by the kernel
            sockets = sorted(f"{info['ip']}-{info[port]}" for port in PORTS)
            assert len(set(sockets)) == 5
            assert all(stat.S_ISSOCK(os.stat(s).st_mode) for s in sockets)
            # (ipykernel's debugger socket stays on TCP: the kernel binds port 0 itself)
            process = psutil.Process(pid_of(kernel))
            unix = {c.laddr for c in process.net_connections(kind="unix") if c.laddr}
            assert set(sockets) <= unix
    finally:
        for kernel in kernels:
            stop_kernel(kernel)
    assert [f.exists() for f in folders] == [False, False]


def test_a_kernel_is_stopped_by_sigkill_alone(capfd):
    kernel = start_kernel("tanpa-pemanasan", ROOT)
    pid = pid_of(kernel)
    sent: list[int] = []
    provisioner = kernel.manager.provisioner
    send_signal = provisioner.send_signal

    async def recording(signum: int) -> None:
        sent.append(signum)
        await send_signal(signum)

    provisioner.send_signal = recording
    capfd.readouterr()
    stop_kernel(kernel)  # at once: the kernel is still starting
    assert sent == [signal.SIGKILL]
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert capfd.readouterr().err == ""  # nothing the kernel wrote is passed on
