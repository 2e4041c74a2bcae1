"""Benchmark of the DOCX renderer: build the year's document once, write its DOCX N times.

    .venv/bin/python scripts/bench_docx.py [--year 2022] [--repeat 3]

Prints the time to load the data and build the document model (what every format shares), the
time of each DOCX write (lkj.render.to_docx) and the file size. Figures are drawn first into a
temporary
folder (not timed), so the DOCX holds the real grafik.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan
    from lkj.render import to_docx

    raw_root = ROOT / "data" / "raw"
    with tempfile.TemporaryDirectory(prefix="lkj-bench-docx-") as tmp:
        out = Path(tmp)
        processed = out / "processed"
        raw = read_raw(args.year, raw_root)
        write_tables(raw.tables, processed)
        write_tables(compute_results(raw.tables, args.year, load_config()).tables(), processed)
        laporan.draw_figures(
            laporan.load_report_data(args.year, processed, out, None, raw_root / str(args.year))
        )
        t0 = time.perf_counter()
        d = laporan.load_report_data(args.year, processed, out, None, raw_root / str(args.year))
        document = laporan.report_document(d)
        print(
            f"load + document model: {time.perf_counter() - t0:.2f} s "
            f"({len(document.tables())} tables, {len(document.figures())} figures)"
        )
        for i in range(args.repeat):
            t0 = time.perf_counter()
            path = to_docx.write_docx(document, out / f"LKj_{args.year}.docx")
            print(
                f"DOCX write {i + 1}: {time.perf_counter() - t0:.2f} s, "
                f"{path.stat().st_size / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
