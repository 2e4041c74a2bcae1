"""Benchmark of the PDF step: what PDF/A, the data attachment and the signature field cost.

Builds the report document of a built year (data/processed/YEAR and the figures of
outputs/YEAR, from `make report`) once, then lays out the PDF with Typst (lkj.render.to_pdf)
with each option set and prints wall and CPU time, pages and the file size. Figures only: the
machine may be shared.

    python scripts/bench_pdf.py --year 2022 [--repeat 2]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Print the timings; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from pypdf import PdfReader

    from lkj.document import laporan
    from lkj.render.lampiran import data_attachment
    from lkj.render.to_pdf import render_pdf

    year = args.year
    processed = ROOT / "data" / "processed" / str(year)
    output = ROOT / "outputs" / str(year)
    if not (output / "figures").is_dir() or not processed.is_dir():
        print(f"{output}: no report: run `make report YEAR={year}` first", file=sys.stderr)
        return 1
    raw = ROOT / "data" / "raw" / str(year)
    d = laporan.load_report_data(year, processed, output, None, raw)
    doc = laporan.report_document(d)
    dokumen = d.config.dokumen
    with tempfile.TemporaryDirectory() as tmp:
        book = data_attachment(year, ROOT / "data" / "raw", Path(tmp))
        variants = {
            "plain PDF": {"pdf_standard": None, "signature_field": False},
            "PDF/A-3u": {"signature_field": False},
            "PDF/A-3u, data attached": {"attachments": [book], "signature_field": False},
            "PDF/A-3u, data, signature field": {"attachments": [book]},
        }
        print(f"{len(doc.tables())} tables, {len(doc.figures())} figures; {args.repeat} run(s)")
        for name, options in variants.items():
            walls, cpus = [], []
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                pdf = render_pdf(doc, dokumen, **options)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"  {name:32s} wall {statistics.median(walls):6.2f} s  "
                f"cpu {statistics.median(cpus):6.2f} s  {pages:4d} pages  "
                f"{len(pdf) / 1e3:8.0f} kB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
