"""Kernels kept from one run to the next (``lkj.run.kernel_pool``, what every pemda worker
does) give what new kernels give, and a kernel that died or misbehaves is replaced.

* One pooled sequence, shared by the module (``pooled_builds``): OPD 01 of a synthetic pemda
  of two OPDs is built on new kernels of a pool, then OPD 02 twice on the same kernels (two
  kernels started, four handed out again), beside OPD 02 built the ordinary way (kernels of
  its own, stopped at the end: ``make report``). Every file of data/processed and of the
  report is compared byte for byte with the ordinary build's (the PDF and DOCX included:
  SOURCE_DATE_EPOCH, tests/conftest.py), the executed notebooks apart from their timings, the
  manifest apart from its run id and what depends on timing (which files a stage counts as
  its own while the print job writes beside it): the lkj modules each stage reports are
  those of new kernels.
* What a notebook can change in its kernel (working folder, environment, sys.path, pandas and
  decimal settings, warnings, matplotlib, logging, a warm module's globals and caches, lkj
  modules imported later, its namespace) is, after the kernel goes back to the pool, what a
  new kernel shows: the same probe, answered by the reused kernel and by a new one.
* A kernel that died while it waited, or whose restore fails, is stopped and replaced by a new
  one; the pool says why.

Cost in ``make test``: four reports of a small OPD and five kernel starts (about 25 s on two
idle cores).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from lkj.pemda.contoh import write_contoh_pemda
from lkj.run.kernel_pool import KernelPool, pid_of, pooled
from lkj.run.kernels import start_kernel, stop_kernel
from lkj.run.paths import ROOT, RUN_FILE, Paths
from lkj.run.report import run_report

pytestmark = [pytest.mark.e2e]
YEAR = 2022
TIMINGS = ("start_time", "end_time", "duration")


def _build(opd: Path, base: Path) -> Paths:
    """Build the OPD's report in ``base`` (its raw folder copied there, file times kept: the
    rendered notebooks name the folders relative to it, the PDF states the data's date)."""
    shutil.copytree(opd, base / "raw")
    paths = Paths.resolve(YEAR, base / "raw", base / "processed", base / "out")
    run_report(paths, force=True, log=lambda _line: None)
    return paths


@pytest.fixture(scope="module")
def pooled_builds(tmp_path_factory):
    """OPD 02 built the ordinary way; then 01, 02 and 02 again on one pool (kept open for the
    module's other tests)."""
    base = tmp_path_factory.mktemp("kernel_pool")
    pemda = write_contoh_pemda(2, seed=5, base_dir=base / "data")
    a, b = pemda / "opd" / "01", pemda / "opd" / "02"
    fresh = _build(b, base / "fresh")
    with pooled() as pool:
        _build(a, base / "pool-01")
        after_01 = (pool.started, pool.reused, pool.replaced)
        twice = [_build(b, base / f"pool-02-{i}") for i in (1, 2)]
        counts = (pool.started, pool.reused, pool.replaced)
        yield {"pool": pool, "fresh": fresh, "twice": twice, "counts": (after_01, counts)}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != RUN_FILE
    }


def _notebook(data: bytes) -> dict:
    nb = json.loads(data)
    for key in TIMINGS:
        nb["metadata"].get("papermill", {}).pop(key, None)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
        for key in TIMINGS:
            cell["metadata"].get("papermill", {}).pop(key, None)
    return nb


def _manifest(data: bytes) -> dict:
    """The manifest without what depends on timing (which files a stage counts as its own
    while the print job writes beside it: its files, digest and key) and with its inputs
    named apart from the build's folder."""
    manifest = json.loads(data)
    manifest["inputs"] = {Path(k).name: v for k, v in manifest["inputs"].items()}
    for record in manifest["stages"].values():
        for key in ("files", "digest", "key"):
            record.pop(key)
    return manifest


def test_two_kernels_started_then_reused(pooled_builds):
    after_01, after_02 = pooled_builds["counts"]
    assert after_01 == (2, 0, 0)  # the data lane and the grafik lane, new
    assert after_02 == (2, 4, 0)  # both handed out again for each build of 02


def test_reused_kernels_give_the_bytes_of_new_kernels(pooled_builds):
    fresh = pooled_builds["fresh"]
    want_processed, want_out = _files(fresh.processed), _files(fresh.output)
    assert len(want_processed) >= 15 and "LKj_2022.pdf" in want_out
    books = sorted(n for n in want_out if n.endswith(".ipynb"))
    assert [Path(n).stem for n in books] == ["01_ingest", "02_capaian", "03_grafik", "04_laporan"]
    for paths in pooled_builds["twice"]:
        assert _files(paths.processed) == want_processed
        got = _files(paths.output)
        assert sorted(got) == sorted(want_out)
        for name, data in want_out.items():
            if name.endswith(".ipynb"):
                assert _notebook(got[name]) == _notebook(data), name
            elif name == "manifest.json":
                mine, theirs = _manifest(got[name]), _manifest(data)
                assert mine.pop("run") != theirs.pop("run")
                assert mine == theirs  # the lkj modules each stage reports included
            else:
                assert got[name] == data, name


# What the probe asks a kernel: the state a notebook could have changed (the environment apart
# from the variable pytest changes at every test, which a kernel has from when it started).
_PROBE = """
import json as _j, os as _o, sys as _s, decimal as _d, warnings as _w, logging as _l
import pandas as _pd, matplotlib as _m
import lkj.core.config as _c, lkj.document.grafik as _g
_PROBE_OUT = _j.dumps({
    "cwd": _o.getcwd(), "path": _s.path,
    "env": {k: v for k, v in _o.environ.items() if k != "PYTEST_CURRENT_TEST"},
    "pandas": _pd.get_option("display.max_rows"), "prec": _d.getcontext().prec,
    "filters": [repr(f) for f in _w.filters], "rc": _m.rcParams["axes.titlesize"],
    "log": [type(h).__name__ for h in _l.root.handlers], "level": _l.root.level,
    "config_cache": _c.load_config.cache_info().currsize, "style": sorted(_g._MATPLOTLIB),
    "modules": sorted(n for n in _s.modules if n.startswith("lkj.")
                      and n not in ("lkj.run.kernel_state", "lkj.document.grafik",
                                    "lkj.core.config")),
    "names": sorted(n for n in dir() if not n.startswith("_")
                    and n not in ("In", "Out", "exit", "quit", "get_ipython", "open")),
})
"""

# Wait for the warm-up (in a thread for the grafik lane) to be done.
_WARMED = (
    "import threading as _t\nfor _x in _t.enumerate():\n    _x.name == 'lkj-warm' and _x.join()"
)

# What a notebook might do to its kernel.
_MESS = """
import os, sys, decimal, warnings, logging, pandas as pd, matplotlib
os.chdir("/")
os.environ["LKJ_POOL_TEST"] = "1"
sys.path.insert(0, "/nonexistent")
pd.set_option("display.max_rows", 3)
decimal.getcontext().prec = 5
warnings.simplefilter("error")
matplotlib.rcParams["axes.titlesize"] = 31
logging.basicConfig(level=logging.DEBUG)
import lkj.core.config as config
config.load_config()
import lkj.document.grafik as grafik
grafik._MATPLOTLIB["extra"] = 1
grafik.NEW_GLOBAL = 2
import lkj.analysis.konsolidasi
LEFT_BEHIND = 42
"""


def _ask(kernel, code: str, expression: str = "") -> dict:
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient(**kernel.manager.get_connection_info(session=True))
    client.start_channels()
    try:
        extra = {"r": expression} if expression else {}
        reply = client.execute(code, silent=True, reply=True, timeout=60, user_expressions=extra)
    finally:
        client.stop_channels()
    content = reply["content"]
    assert content["status"] == "ok", content
    return content.get("user_expressions", {}).get("r", {})


def _probe(kernel) -> dict:
    answer = _ask(kernel, _PROBE, "_PROBE_OUT")  # the repr of a JSON string
    return json.loads(ast.literal_eval(answer["data"]["text/plain"]))


@pytest.mark.parametrize("lane", ["data", "grafik"])
def test_a_reused_kernel_shows_what_a_new_kernel_shows(pooled_builds, lane):
    pool: KernelPool = pooled_builds["pool"]
    new = start_kernel(lane, ROOT, keep=True)
    try:
        _ask(new, _WARMED)
        want = _probe(new)
    finally:
        stop_kernel(new)
    kernel = pool.take(lane, ROOT)
    pid = pid_of(kernel)
    _ask(kernel, _MESS)
    kernel.used = True  # as after a notebook
    pool.give(lane, ROOT, kernel)
    again = pool.take(lane, ROOT)
    try:
        assert pid_of(again) == pid  # the same process, handed out again
        got = _probe(again)
    finally:
        again.used = True
        pool.give(lane, ROOT, again)
    assert "lkj.analysis.konsolidasi" not in got["modules"]
    assert got["env"].get("LKJ_POOL_TEST") is None and got["names"] == []
    assert got == want


def test_a_dead_or_broken_kernel_is_replaced(pooled_builds):
    pool: KernelPool = pooled_builds["pool"]
    replaced = pool.replaced
    kernel = pool.take("data", ROOT)
    pid = pid_of(kernel)
    pool.give("data", ROOT, kernel)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}/status"):
        if "zombie" in Path(f"/proc/{pid}/status").read_text().lower():
            break
        time.sleep(0.05)
    other = pool.take("data", ROOT)
    assert other is not kernel and pid_of(other) != pid, pool.reasons
    assert pool.replaced == replaced + 1 and pool.reasons[-1] == "kernel mati"
    # a kernel whose restore fails (its snapshot gone) is not handed out again
    _ask(other, "import lkj.run.kernel_state as _k\n_k._SNAPSHOT.clear()")
    other.used = True
    broken = pid_of(other)
    pool.give("data", ROOT, other)
    third = pool.take("data", ROOT)
    assert pid_of(third) not in (broken, pid)
    assert pool.replaced == replaced + 2
    assert re.fullmatch(r"restore gagal: RuntimeError: kernel tanpa snapshot.*", pool.reasons[-1])
    pool.give("data", ROOT, third)


def test_a_worker_task_runs_on_the_pool_of_its_process(monkeypatch, tmp_path):
    """``build_opd`` (what a Dask worker runs) builds on its process's pool, the same for the
    next task, and says how many of its kernels an earlier task had started."""
    from lkj.data.workspace import OpdEntry
    from lkj.pemda import opd_task
    from lkj.pemda.fingerprint import code_fingerprint, make_task
    from lkj.run import kernel_pool

    pools = []

    def run_report(paths, force, root, log):  # stands for the pipeline: which pool it has
        pools.append(kernel_pool.active_pool())
        pools[-1].reused += 2  # as when both lanes are handed out again

    monkeypatch.setattr("lkj.run.report.run_report", run_report)
    monkeypatch.setattr(kernel_pool, "_POOL", [])  # this process's pool: none yet (the
    # module's other tests keep theirs open meanwhile)
    pemda = write_contoh_pemda(1, seed=2, base_dir=tmp_path)
    entry = OpdEntry("01", "OPD uji", pemda / "opd" / "01", True)
    config = (ROOT / "config" / "lkj.toml").read_bytes()
    task = make_task(entry, YEAR, config, code_fingerprint(ROOT))
    assert kernel_pool.active_pool() is None
    try:
        results = [opd_task.build_opd(task) for _ in range(2)]
    finally:
        kernel_pool.close_pool()
    assert [r["status"] for r in results] == ["ok", "ok"], results[0]["error"]
    assert pools[0] is not None and pools[1] is pools[0]
    assert [r["kernels_reused"] for r in results] == [2, 2]
    assert kernel_pool.active_pool() is None
