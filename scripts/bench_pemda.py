"""Measure a pemda batch: ``make bench-pemda`` (not part of ``make test``).

On a copy of the demo pemda (data/pemda/contoh, made with ``make contoh-pemda`` if missing;
the first ``--opd`` OPDs keep their data, the others count as missing) it prints:

* one OPD report built directly (``run_report``, no Dask, its own kernels): wall time and
  CPU-seconds of every process (this one, the notebook kernels, the PDF child);
* the batch with a LocalCluster of 1 worker, then of 2 workers (every report forced): its
  wall time, reports per minute, and CPU-seconds per OPD: of a task on its worker (worker
  process and its children, the kept kernels included: ``lkj.run.kernel_pool``) and of the
  whole batch (every process: cluster start, tasks, installing, LKjIP and dashboard);
* peak memory per worker process and of the notebook kernels it keeps;
* the time of the LKjIP step (consolidation, grafik, HTML, PDF, index page);
* the time of a no-op rerun;
* where the seconds of one OPD go on a worker whose kernels are already warm: the OPDs built
  one after the other in this process with a kernel pool (as a worker does), per stage (wall)
  and per process (CPU).

    python scripts/bench_pemda.py --year 2022 --opd 4
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lkj.data.workspace import Workspace  # noqa: E402
from lkj.pemda.batch import run_pemda  # noqa: E402
from lkj.pemda.contoh import KODE_PEMDA, write_contoh_pemda  # noqa: E402
from lkj.run.kernel_pool import pooled  # noqa: E402
from lkj.run.paths import Paths  # noqa: E402
from lkj.run.report import run_report  # noqa: E402


def _copy_subset(source: Path, target: Path, n: int) -> list[str]:
    shutil.copytree(source / "pemda", target / "pemda")
    kept = sorted(p.name for p in (source / "opd").iterdir() if p.is_dir())[:n]
    for kode in kept:
        shutil.copytree(source / "opd" / kode, target / "opd" / kode)
    return kept


class _Cpu:
    """CPU-seconds of this process and its children (ended and running) over a block;
    ``kernels`` and ``others``: of the notebook kernels and of the other children."""

    def __enter__(self) -> _Cpu:
        self.start = self._now()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._now()
        self.own = end["own"] - self.start["own"]
        ended = end["ended"] - self.start["ended"]
        live0 = self.start["live"]
        kernels = others = 0.0
        for pid, (kind, seconds) in end["live"].items():
            spent = seconds - live0.get(pid, (kind, 0.0))[1]
            kernels, others = (kernels + spent, others) if kind else (kernels, others + spent)
        for pid, (_kind, seconds) in live0.items():
            if pid not in end["live"]:
                ended -= seconds
        self.kernels, self.others = kernels, others + ended
        self.total = self.own + self.kernels + self.others

    @staticmethod
    def _now() -> dict:
        me = psutil.Process()
        t = me.cpu_times()
        live = {}
        for child in me.children(recursive=True):
            try:
                c = child.cpu_times()
                kind = "ipykernel_launcher" in " ".join(child.cmdline())
            except psutil.Error:
                continue
            live[child.pid] = (kind, c.user + c.system)
        return {
            "own": t.user + t.system,
            "ended": t.children_user + t.children_system,
            "live": live,
        }


def _batch(ws: Workspace, year: int, workers: int, n: int) -> dict:
    t0 = time.perf_counter()
    with _Cpu() as cpu:
        result = run_pemda(
            ws, year, workers=workers, force=True, log=lambda _: None, progress=False
        )
    wall = time.perf_counter() - t0
    built = result.rebuilt
    assert len(built) == n and result.ok, [o.error for o in result.failed]
    return {
        "wall": wall,
        "batch_cpu": cpu.total / n,
        "opd": result.seconds["opd"],
        "lkjip": result.seconds["lkjip"],
        "task": sum(o.seconds or 0 for o in built) / len(built),
        "cpu": sum(o.cpu_seconds or 0 for o in built) / len(built),
        "peak_worker": max(o.peak_worker_mb or 0 for o in built),
        "peak_kernel": max(o.peak_kernel_mb or 0 for o in built),
        "peak_total": max(o.peak_total_mb or 0 for o in built),
        "reused": sum(1 for o in built if o.kernels_reused),
    }


def _quiet(_line: str) -> None:
    pass


def _direct_paths(year: int, root: Path, tmp: Path, kode: str, tag: str) -> Paths:
    return Paths.resolve(year, root / "opd" / kode, tmp / tag / "processed", tmp / tag / "out")


_STAGE_LINE = re.compile(r"^\s+(\S+\.ipynb|HTML \+ PDF \+ DOCX): ([\d.]+) s$")


def _stages(year: int, root: Path, tmp: Path, kodes: list[str]) -> dict:
    """OPDs built one after the other on a kernel pool, as on a worker: the first warms it
    up (not counted), the mean of the others per stage (wall) and per process (CPU). The
    grafik notebook runs beside the report notebook; the print job (HTML + PDF + DOCX) is
    what is left of it when the last notebook ends."""
    walls: dict[str, list[float]] = {}
    totals, own, kernels, others = [], [], [], []
    with pooled():
        for i, kode in enumerate(kodes):
            lines: list[str] = []
            t0 = time.perf_counter()
            with _Cpu() as cpu:
                run_report(
                    _direct_paths(year, root, tmp, kode, f"warm{i}"), force=True, log=lines.append
                )
            if i == 0:
                continue
            totals.append(time.perf_counter() - t0)
            own.append(cpu.own)
            kernels.append(cpu.kernels)
            others.append(cpu.others)
            for line in lines:
                match = _STAGE_LINE.match(line)
                if match:
                    walls.setdefault(match.group(1), []).append(float(match.group(2)))

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    return {
        "n": len(totals),
        "wall": mean(totals),
        "cpu": mean(own) + mean(kernels) + mean(others),
        "own": mean(own),
        "kernels": mean(kernels),
        "others": mean(others),
        "stages": {name: mean(values) for name, values in walls.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--opd", type=int, default=4, help="OPDs built per run (default 4)")
    args = parser.parse_args()
    demo = ROOT / "data" / "pemda" / KODE_PEMDA
    if not demo.is_dir():
        print("data/pemda/contoh tidak ada: membuat pemda contoh 40 OPD (seed 1)")
        write_contoh_pemda(40, 1)
    with tempfile.TemporaryDirectory(prefix="lkj-bench-pemda-") as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "data" / KODE_PEMDA
        kept = _copy_subset(demo, root, args.opd)
        ws = Workspace.at(root, tmp / "out", tmp / "processed")

        t0 = time.perf_counter()
        with _Cpu() as direct:
            run_report(
                _direct_paths(args.year, root, tmp, kept[0], "direct"), force=True, log=_quiet
            )
        floor = time.perf_counter() - t0

        one = _batch(ws, args.year, 1, len(kept))
        two = _batch(ws, args.year, 2, len(kept))
        t0 = time.perf_counter()
        noop = run_pemda(ws, args.year, log=_quiet, progress=False)
        noop_s = time.perf_counter() - t0
        assert not noop.rebuilt and not noop.lkjip_built
        stages = _stages(args.year, root, tmp, kept[: max(2, min(4, len(kept)))])

    n = len(kept)
    print(f"bench-pemda: demo pemda, {n} OPD per run (of 40; the others count as missing)")
    print(
        f"  one report built directly (run_report, no Dask, own kernels): {floor:.1f} s wall, "
        f"{direct.total:.1f} CPU-s (this process {direct.own:.1f}, kernels "
        f"{direct.kernels:.1f}, other children {direct.others:.1f})"
    )
    for label, m in (("1 worker ", one), ("2 workers", two)):
        print(
            f"  batch, {label}: {m['wall']:.1f} s wall for the batch ({m['opd']:.1f} s for the "
            f"{n} OPDs: {60 * n / m['opd']:5.2f} reports/min); CPU-s per OPD: "
            f"{m['cpu']:.1f} for its task on its worker, {m['batch_cpu']:.1f} for the whole batch"
        )
        print(
            f"    {m['reused']} of {n} tasks on kernels kept from an earlier task; "
            f"a task takes {m['task']:.1f} s wall; peak memory of a worker slot: "
            f"{m['peak_total']:.0f} MB (worker process {m['peak_worker']:.0f} MB, notebook "
            f"kernel {m['peak_kernel']:.0f} MB); LKjIP step {m['lkjip']:.1f} s"
        )
    print(
        f"  per-report overhead of the batch (1 worker: wall per report - direct build): "
        f"{one['opd'] / n - floor:+.1f} s"
    )
    print(f"  speed-up 1 -> 2 workers: {one['opd'] / two['opd']:.2f}x")
    print(f"  no-op rerun (nothing changed): {noop_s:.1f} s")
    print(
        f"  one OPD on warm kernels (kernel pool, in this process, mean of {stages['n']}): "
        f"{stages['wall']:.1f} s wall, {stages['cpu']:.1f} CPU-s (run process "
        f"{stages['own']:.1f}, kernels {stages['kernels']:.1f}, PDF child and others "
        f"{stages['others']:.1f})"
    )
    for name, seconds in stages["stages"].items():
        print(f"    {name:<24} {seconds:5.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
