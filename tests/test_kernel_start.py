"""How a run's kernels are started and stopped (``lkj.run.kernels``): nothing another process
can take from them, and nothing they print when stopped early.

* A kernel talks over Unix sockets in a folder of its own (no TCP port: jupyter_client picks
  free ports by binding and releasing them, and a kernel started at the same moment by
  another process, a pemda's Dask workers or a test beside a build, could take the same
  one). The folder goes when the kernel is stopped.
* A kernel is stopped with SIGKILL alone: ``shutdown_kernel(now=True)`` sends SIGINT first,
  and a kernel still starting then wrote a KeyboardInterrupt traceback that the run passed
  on (a run stopping at data checking printed a traceback under load).
* A kernel's folder names the kernel (``lkj.core.tempdirs``): the folder of a kernel killed
  with its process (nobody left to remove it) is swept when the next kernel starts.

Cost in ``make test``: five kernel starts without warm-up imports (about 5 s).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from pathlib import Path

import psutil
import pytest
from jupyter_client.blocking import BlockingKernelClient

from lkj.core.tempdirs import MARKER
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


def test_the_folder_of_a_killed_kernel_is_swept_by_the_next_start(monkeypatch):
    # a short private temporary folder (a socket's path has at most ~100 bytes)
    short = Path(tempfile.mkdtemp(prefix="lkjs-", dir="/tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(short))
    kernels = [start_kernel("tanpa-pemanasan", ROOT)]
    try:
        killed = kernels[0]
        pid = pid_of(killed)
        # the folder names the kernel (pid and start time) once it runs
        owner, started = (killed.folder / MARKER).read_text("ascii").split()
        assert (int(owner), float(started)) == (pid, psutil.Process(pid).create_time())
        os.kill(pid, signal.SIGKILL)  # as when its process is killed: nobody stops it
        psutil.Process(pid).wait(timeout=60)
        assert killed.folder.exists()
        kernels.append(start_kernel("tanpa-pemanasan", ROOT))
        assert not killed.folder.exists()
        assert sorted(short.iterdir()) == [kernels[1].folder]
        owner = (kernels[1].folder / MARKER).read_text("ascii").split()[0]
        assert int(owner) == pid_of(kernels[1])
    finally:
        for kernel in kernels:  # the dead one: only its client's side
            stop_kernel(kernel)
        left = sorted(short.iterdir())
        shutil.rmtree(short, ignore_errors=True)
    assert left == []
