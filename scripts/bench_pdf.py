"""Benchmark of the PDF step: what PDF/A, the shipped fonts and the data attachment cost.

Renders the report HTML of an executed report notebook (outputs/YEAR/notebooks/04_laporan.ipynb,
from `make report`) once, then writes the PDF with each option set and prints wall and CPU time
and the file size. Figures only: the machine may be shared.

    python scripts/bench_pdf.py --year 2022 [--repeat 2]
"""

from __future__ import annotations

import argparse
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

    import nbformat

    from lkj.config import load_config
    from lkj.export import LkjHtmlExporter, PdfOptions, html_to_pdf
    from lkj.lampiran import data_attachment

    notebook = ROOT / "outputs" / str(args.year) / "notebooks" / "04_laporan.ipynb"
    if not notebook.is_file():
        print(f"{notebook} not found: run `make report YEAR={args.year}` first", file=sys.stderr)
        return 1
    dokumen = load_config().dokumen
    nb = nbformat.read(notebook, as_version=4)
    html, _ = LkjHtmlExporter(hide_code=True, dokumen=dokumen).from_notebook_node(nb)
    base = notebook.parent.resolve().as_uri() + "/"
    with tempfile.TemporaryDirectory() as tmp:
        book = data_attachment(args.year, ROOT / "data" / "raw", Path(tmp))
        variants = {
            "plain PDF, system fonts": PdfOptions(variant=None, fonts=False, signature_field=False),
            "plain PDF, shipped fonts": PdfOptions(variant=None),
            "PDF/A-3u, shipped fonts": PdfOptions(),
            "PDF/A-3u, fonts, data attached": PdfOptions(attachments=(book,)),
        }
        print(f"report HTML: {len(html.encode()) / 1e6:.2f} MB; {args.repeat} run(s) each")
        for name, options in variants.items():
            walls, cpus = [], []
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                pdf = html_to_pdf(html, base, options)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            print(
                f"  {name:32s} wall {statistics.median(walls):6.1f} s  "
                f"cpu {statistics.median(cpus):6.1f} s  {len(pdf) / 1e3:8.0f} kB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
