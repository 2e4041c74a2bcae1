"""key:header (spaces as "+") of the last column of each table tests/test_cells_from_raw.py
derives, from the model document of data/raw/2022 built in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from raw_expected import expected_tables  # noqa: E402

from lkj.analysis.capaian import compute_results  # noqa: E402
from lkj.core.config import load_config  # noqa: E402
from lkj.data.ingest import read_raw  # noqa: E402
from lkj.data.processed import write_tables  # noqa: E402
from lkj.document import laporan  # noqa: E402
from lkj.document.laporan.figures import draw_figures  # noqa: E402


def main() -> None:
    raw = read_raw(2022, ROOT / "data" / "raw")
    with tempfile.TemporaryDirectory() as tmp:
        processed, out = Path(tmp) / "processed", Path(tmp) / "out"
        write_tables(raw.tables, processed)
        write_tables(compute_results(raw.tables, 2022, load_config(None)).tables(), processed)
        (out / "figures").mkdir(parents=True)
        d = laporan.load_report_data(2022, processed, out, None, ROOT / "data" / "raw" / "2022")
        draw_figures(d)
        keys = list(expected_tables())
        for t in laporan.report_document(d).tables():
            if any(k in t.caption for k in keys):
                print(f"{t.key}:{t.columns[-1].header}".replace(" ", "+"))


if __name__ == "__main__":
    main()
