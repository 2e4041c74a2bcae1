"""Where the time of a full report goes: the pipeline run in-process under cProfile.

Runs ``lkj.run.report.run_report(force=True)`` on a temporary copy of data/raw/YEAR under
cProfile (wall-clock timer, so time spent waiting for a kernel counts) and prints, per step,
the wall time attributed to it; then, from the executed notebooks, what each cell took inside
its kernel (papermill records it), and a few probes run apart: kernel start, the imports of
each notebook in a fresh interpreter, and a reused nbconvert exporter against a new one.

    python scripts/profile_report.py --year 2022 [--save prof.out] [--probes-only]

Figures only, no assertions; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, module file ending, function name): wall time spent in these calls (cumulative).
PROBES = [
    ("papermill.execute_notebook (all 4)", "papermill/execute.py", "execute_notebook"),
    ("  kernel start + ready (nbclient)", "nbclient/client.py", "async_start_new_kernel_client"),
    ("  kernel start (manager)", "nbclient/client.py", "async_start_new_kernel"),
    ("  cells executed (nbclient)", "nbclient/client.py", "async_execute_cell"),
    ("  kernel shutdown", "nbclient/client.py", "_async_cleanup_kernel"),
    ("  papermill: write notebook", "papermill/iorw.py", "write_ipynb"),
    ("clean executed notebooks", "lkj/run/notebooks.py", "_clean_executed"),
    ("HTML renders (5 x nbconvert)", "lkj/run/notebooks.py", "_render_linked"),
    ("  nbconvert exporter construction", "nbconvert/exporters/templateexporter.py", "__init__"),
    ("  nbconvert template load", "nbconvert/exporters/templateexporter.py", "_load_template"),
    ("  HTML postprocess (BeautifulSoup)", "lkj/render/notebook_export.py", "_postprocess_soup"),
    ("PDF + DOCX (lkj.run.cetak, one document)", "lkj/run/cetak.py", "write_print_outputs"),
    ("  load_report_data", "lkj/document/laporan/data.py", "load_report_data"),
    ("  PDF by Typst (render_typst)", "lkj/render/to_pdf.py", "render_pdf"),
    ("  signature field (pyHanko)", "lkj/render/typst_worker.py", "add_signature_field"),
    ("  DOCX (lkj.render.to_docx)", "lkj/render/to_docx.py", "write_docx"),
    ("fingerprint (sha256 of inputs)", "lkj/run/paths.py", "fingerprint"),
    ("swap into place", "lkj/run/journal.py", "replace_together"),
]


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> tuple[float, int]:
    total, calls = 0.0, 0
    for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if func == name and filename.replace(os.sep, "/").endswith(suffix):
            total += ct
            calls += nc
    return total, calls


def profile_run(year: int, tmp: Path, save: str | None) -> tuple[float, Path]:
    from lkj.run.paths import Paths
    from lkj.run.report import run_report

    raw = tmp / "raw"
    for d in sorted((ROOT / "data" / "raw").iterdir()):
        if d.is_dir() and d.name.isdigit() and int(d.name) <= year:
            shutil.copytree(d, raw / d.name)
    paths = Paths.resolve(year, raw, tmp / "processed", tmp / "out" / str(year))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    run_report(paths, force=True, log=lambda _line: None)
    profiler.disable()
    wall = time.perf_counter() - started
    if save:
        profiler.dump_stats(save)
    stats = pstats.Stats(profiler)
    print(f"\nFull report in-process under cProfile: {wall:.1f} s wall (profiling adds ~10%)")
    for label, suffix, name in PROBES:
        seconds, calls = _cumulative(stats, suffix, name)
        if calls:
            print(f"  {label:<42} {seconds:7.2f} s  ({calls} calls)")
    return wall, paths.output


def cells(output: Path) -> None:
    """Per notebook: papermill's own duration, the sum of its cells, the slowest cells."""
    import nbformat

    print("\nInside the kernels (papermill's cell durations), seconds:")
    for book in sorted((output / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(book, as_version=4)
        meta = nb.metadata.get("papermill", {})
        durations = [
            (c.metadata.get("papermill", {}).get("duration") or 0.0, i, c)
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code"
        ]
        total = meta.get("duration") or 0.0
        spent = sum(d for d, _, _ in durations)
        slow = sorted(durations, reverse=True)[:3]
        detail = ", ".join(
            f"cell {i} {d:.2f} ({c.source.splitlines()[0][:40]!r})" for d, i, c in slow
        )
        print(f"  {book.name}: papermill {total:.2f}, cells {spent:.2f}; slowest: {detail}")


def probe_kernel_start(repeat: int) -> None:
    from jupyter_client.manager import start_new_kernel

    from lkj.run.kernels import kernel_spec

    spec = kernel_spec()
    name = getattr(spec, "name", None) or "python3"
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
        times.append(time.perf_counter() - t0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(
        f"\nKernel start to ready ({name}): median {statistics.median(times):.2f} s, "
        f"runs {' '.join(f'{t:.2f}' for t in times)}"
    )


IMPORTS = {
    "01_ingest": "from lkj.run.paths import Paths; "
    "from lkj.data.ingest import read_raw; from lkj.data.processed import write_tables",
    "02_capaian": "from lkj.run.paths import Paths; import pandas; "
    "from lkj.analysis.capaian import compute_results; from lkj.core.config import load_config",
    "03_grafik": "from lkj.run.paths import Paths; from IPython.display import Image, display; "
    "from lkj import sections",
    "04_laporan": "from lkj.run.paths import Paths; from IPython.display import HTML, display; "
    "from lkj import sections",
    "pipeline (main process)": "import lkj.run.report, papermill, nbformat; "
    "from lkj.render.notebook_export import LkjHtmlExporter",
}


def probe_imports(repeat: int) -> None:
    print("\nImports in a fresh interpreter (what each notebook's kernel pays), seconds:")
    for label, code in IMPORTS.items():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
            times.append(time.perf_counter() - t0)
        print(
            f"  {label:<26} median {statistics.median(times):5.2f}   runs "
            f"{' '.join(f'{t:.2f}' for t in times)}  (interpreter start included)"
        )
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"  {'(bare interpreter)':<26} {time.perf_counter() - t0:5.2f}")


def probe_exporter(output: Path, repeat: int) -> None:
    import nbformat

    from lkj.render.notebook_export import LkjHtmlExporter

    books = sorted((output / "notebooks").glob("*.ipynb"))
    nbs = [nbformat.read(b, as_version=4) for b in books]
    fresh, reused = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for nb in nbs:
            LkjHtmlExporter(hide_code=False).from_notebook_node(nb)
        fresh.append(time.perf_counter() - t0)
        exporter = LkjHtmlExporter(hide_code=False)
        t0 = time.perf_counter()
        for nb in nbs:
            exporter.from_notebook_node(nb)
        reused.append(time.perf_counter() - t0)
    print(
        f"\nHTML renders of the {len(nbs)} executed notebooks: new exporter each "
        f"{statistics.median(fresh):.2f} s, one exporter reused {statistics.median(reused):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each probe")
    parser.add_argument("--save", help="write the cProfile stats to this file")
    args = parser.parse_args()
    print(f"load average at start {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="lkj-profile-") as tmp:
        _, output = profile_run(args.year, Path(tmp), args.save)
        cells(output)
        probe_exporter(output, args.repeat)
    probe_kernel_start(args.repeat)
    probe_imports(args.repeat)
    print(f"\nload average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
