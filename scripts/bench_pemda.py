"""Measure a pemda batch: ``make bench-pemda`` (not part of ``make test``).

On a copy of the demo pemda (data/pemda/contoh, made with ``make contoh-pemda`` if missing;
the first ``--opd`` OPDs keep their data, the others count as missing) it prints:

* the time of one OPD report built directly (``run_report``, no Dask): the floor;
* the batch with a LocalCluster of 1 worker, then of 2 workers (every report forced):
  reports per minute, wall time per report, per-report overhead against the floor (cluster
  start, sending the inputs, returning the outputs, installing them);
* peak memory per worker process and of the notebook kernels it starts;
* the time of the LKjIP step (consolidation, grafik, HTML, PDF, index page);
* the time of a no-op rerun.

    python scripts/bench_pemda.py --year 2022 --opd 4
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lkj.data.workspace import Workspace  # noqa: E402
from lkj.pemda.batch import run_pemda  # noqa: E402
from lkj.pemda.contoh import KODE_PEMDA, write_contoh_pemda  # noqa: E402
from lkj.run.paths import Paths  # noqa: E402
from lkj.run.report import run_report  # noqa: E402


def _copy_subset(source: Path, target: Path, n: int) -> list[str]:
    shutil.copytree(source / "pemda", target / "pemda")
    kept = sorted(p.name for p in (source / "opd").iterdir() if p.is_dir())[:n]
    for kode in kept:
        shutil.copytree(source / "opd" / kode, target / "opd" / kode)
    return kept


def _batch(ws: Workspace, year: int, workers: int, n: int) -> dict:
    t0 = time.perf_counter()
    result = run_pemda(ws, year, workers=workers, force=True, log=lambda _: None, progress=False)
    wall = time.perf_counter() - t0
    built = result.rebuilt
    assert len(built) == n and result.ok, [o.error for o in result.failed]
    return {
        "wall": wall,
        "opd": result.seconds["opd"],
        "lkjip": result.seconds["lkjip"],
        "task": sum(o.seconds or 0 for o in built) / len(built),
        "cpu": sum(o.cpu_seconds or 0 for o in built) / len(built),
        "peak_worker": max(o.peak_worker_mb or 0 for o in built),
        "peak_kernel": max(o.peak_kernel_mb or 0 for o in built),
        "peak_total": max(o.peak_total_mb or 0 for o in built),
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
        run_report(
            Paths.resolve(
                args.year,
                root / "opd" / kept[0],
                tmp / "direct" / "processed",
                tmp / "direct" / "out",
            ),
            force=True,
            log=lambda _: None,
        )
        floor = time.perf_counter() - t0

        one = _batch(ws, args.year, 1, len(kept))
        two = _batch(ws, args.year, 2, len(kept))
        t0 = time.perf_counter()
        noop = run_pemda(ws, args.year, log=lambda _: None, progress=False)
        noop_s = time.perf_counter() - t0
        assert not noop.rebuilt and not noop.lkjip_built

    n = len(kept)
    print(f"bench-pemda: demo pemda, {n} OPD per run (of 40; the others count as missing)")
    print(f"  one report built directly (run_report, no Dask):  {floor:6.1f} s wall")
    for label, m in (("1 worker ", one), ("2 workers", two)):
        print(
            f"  batch, {label}: {60 * n / m['opd']:5.2f} reports/min ({m['opd']:.1f} s for {n}), "
            f"a task takes {m['task']:.1f} s wall and {m['cpu']:.1f} CPU-s on its worker"
        )
        print(
            f"    peak memory of a worker slot: {m['peak_total']:.0f} MB (worker process "
            f"{m['peak_worker']:.0f} MB, notebook kernel {m['peak_kernel']:.0f} MB); "
            f"LKjIP step {m['lkjip']:.1f} s"
        )
    print(
        f"  per-report overhead of the batch (1 worker: wall per report - direct build): "
        f"{one['opd'] / n - floor:+.1f} s"
    )
    print(f"  speed-up 1 -> 2 workers: {one['opd'] / two['opd']:.2f}x")
    print(f"  no-op rerun (nothing changed): {noop_s:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
