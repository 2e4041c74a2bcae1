"""Benchmark: prints the time of a full report, of a no-op rerun, and of the floor.

The floor is the same report's work (ingest, capaian, grafik, HTML, PDF) done by a plain
Python process without notebooks: no kernels, no papermill, no executed-notebook HTML. The
ratio full / floor is the overhead of the notebook machinery. Figures only, no assertions:
machines are noisy. Outputs go to a temporary folder; outputs/ is not touched.

    python scripts/bench.py --year 2022 [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floor(year: int, raw_root: Path, out: Path) -> None:
    """Build the report of ``year`` into ``out`` without notebooks (same lkj functions)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from lkj import sections
    from lkj.capaian import compute_results
    from lkj.config import load_config
    from lkj.dataset import read_raw, write_tables
    from lkj.export import LkjHtmlExporter, LkjPdfExporter

    processed = out / "processed"
    raw = read_raw(year, raw_root)
    write_tables(raw.tables, processed)
    results = compute_results(raw.tables, year, load_config())
    write_tables(results.tables(), processed)
    d = sections.load_report_data(year, processed, out, None, raw_root / str(year))
    sections.draw_figures(d)
    nb = new_notebook()
    nb.metadata["lkj"] = {"title": f"Laporan Kinerja {year}"}
    for part in sections.report_parts(d):
        cell = new_code_cell("")
        cell.outputs = [new_output("display_data", data={"text/html": str(part)})]
        nb.cells.append(cell)
    nbformat.validate(nb)
    html, _ = LkjHtmlExporter(hide_code=True).from_notebook_node(nb)
    (out / f"LKj_{year}.html").write_text(html, encoding="utf-8")
    pdf, _ = LkjPdfExporter().from_notebook_node(nb)
    (out / f"LKj_{year}.pdf").write_bytes(pdf)


def _time(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--floor-only", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_only:
        floor(args.year, ROOT / "data" / "raw", Path(args.floor_only))
        return

    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="lkj-bench-") as tmp:
        tmp = Path(tmp)
        out = tmp / "out" / str(args.year)
        report = [py, "-m", "lkj", "report", "--year", str(args.year), "--output", str(out)]
        report += ["--processed", str(tmp / "processed")]
        full = [_time([*report, "--force"]) for _ in range(args.repeat)]
        noop = [_time(report) for _ in range(max(5, args.repeat))]
        floors = [
            _time([py, __file__, "--year", str(args.year), "--floor-only", str(tmp / f"f{i}")])
            for i in range(args.repeat)
        ]
    full_s, floor_s, noop_s = (statistics.median(x) for x in (full, floors, noop))
    print(f"lkj benchmark, year {args.year}, median of {args.repeat} runs (seconds)")
    print(f"  full report (notebooks, papermill, nbconvert): {full_s:6.2f}   runs: {_fmt(full)}")
    print(f"  floor (same work, plain Python, no notebooks): {floor_s:6.2f}   runs: {_fmt(floors)}")
    print(f"  overhead ratio full / floor:                   {full_s / floor_s:6.2f}x (aim <= 3)")
    print(f"  no-op rerun (nothing changed):                 {noop_s:6.3f}   runs: {_fmt(noop)}")
    print("  (aim for the no-op rerun: under 0.5 s)")


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
