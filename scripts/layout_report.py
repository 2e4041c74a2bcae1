"""Print what a typesetter would not let through in the 2022 report's PDF, A4 and F4.

    .venv/bin/python scripts/layout_report.py [--year 2022] [--details] [PDF ...]
    .venv/bin/python scripts/layout_report.py --besar 1400     # make layout-besar
    .venv/bin/python scripts/layout_report.py --lkjip 2022     # make layout-pemda

Without PDFs: reads outputs/YEAR/LKj_YEAR.pdf (build it first: ``make report YEAR=2022``) and
prints the same report in F4 from its processed tables (outputs/YEAR/layout/LKj_YEAR_F4.pdf).
Counts per PDF: text crossing or within 1 pt of a cell rule (per text line and rule), category
labels whose text leaves their box, headings or captions ending a page, table parts with fewer
than two body rows, pages under 40 % full, table text under 8 pt, captions without a ruled
table, glyphs outside the margins (tests/layout_geometry.py says how each is found).

``--besar N`` builds the size sweep's synthetic dinas of N sub kegiatan (scripts/bench.py
``synthetic_year``, DATA SINTETIS) with ``lkj report`` into outputs/layout/besar-N and checks
its PDF; ``--lkjip YEAR`` checks the LKjIP of every pemda built (outputs/pemda/*/YEAR, after
``make contoh-pemda && make pemda``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import layout_geometry as geometry  # noqa: E402


def _besar(size: int) -> Path:
    """The report of a synthetic dinas of ``size`` sub kegiatan (DATA SINTETIS), built with
    ``lkj report`` in outputs/layout/besar-SIZE; returns its PDF."""
    import shutil
    import subprocess

    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    base = ROOT / "outputs" / "layout" / f"besar-{size}"
    shutil.rmtree(base, ignore_errors=True)
    bench.synthetic_year(ROOT / "data" / "raw" / "2022", base / "raw" / "2022", size)
    command = [sys.executable, "-m", "lkj", "report", "--year", "2022"]
    command += ["--raw", str(base / "raw"), "--processed", str(base / "processed")]
    command += ["--output", str(base / "out" / "2022")]
    subprocess.run(command, cwd=ROOT, check=True)
    return base / "out" / "2022" / "LKj_2022.pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--details", action="store_true", help="list every finding")
    parser.add_argument("--besar", type=int, help="build and check a synthetic dinas of N")
    parser.add_argument("--lkjip", type=int, help="check the LKjIP of every pemda of YEAR")
    args = parser.parse_args(argv)
    pdfs = list(args.pdfs)
    if args.besar:
        pdfs.append(_besar(args.besar))
    if args.lkjip:
        pdfs += sorted((ROOT / "outputs" / "pemda").glob(f"*/{args.lkjip}/LKjIP_{args.lkjip}.pdf"))
        if not pdfs:
            print("belum ada LKjIP: jalankan dulu make contoh-pemda && make pemda", file=sys.stderr)
            return 1
    if not pdfs:
        out = ROOT / "outputs" / str(args.year)
        a4 = out / f"LKj_{args.year}.pdf"
        if not a4.exists():
            print(f"{a4} belum ada: jalankan dulu make report YEAR={args.year}", file=sys.stderr)
            return 1
        f4 = geometry.render_from_processed(
            args.year,
            ROOT / "data" / "processed" / str(args.year),
            out,
            ROOT / "data" / "raw" / str(args.year),
            "F4",
            out / "layout" / f"LKj_{args.year}_F4.pdf",
        )
        pdfs = [a4, f4]
    for pdf in pdfs:
        found = geometry.check_pdf(pdf)
        print(f"{pdf.name}: {geometry.summary(found)}")
        pages = geometry.by_page(found.crossing)
        print(f"  crossing on {len(pages)} pages")
        if args.details:
            for name, items in vars(found).items():
                if isinstance(items, list):
                    for item in items:
                        print(f"  {name}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
