"""Compare what the pipeline produces before and after a change that must not change behaviour.

Builds, in a temporary folder, (1) the 2022 report from a copy of data/raw and (2) a scratch
year like a hidden one: 2023 made from 2022's structure with 90 sub kegiatan under new codes
and varied budgets (scripts/bench.py's ``synthetic_year``, labelled DATA SINTETIS), with 2022
beside it as its earlier year. It records, per build:

* every file of ``data/processed/YEAR`` byte for byte (its SHA-256; in the document handed to
  the print job, ``laporan_dokumen.json``, the build line is masked first), and
* the report's text: the HTML page's text, the PDF's text layer page by page and the DOCX's
  paragraphs and table cells, with the "Dibangun pada ... dari commit ..." line masked.

    python scripts/compare_outputs.py record /tmp/before    # on the commit before the change
    python scripts/compare_outputs.py compare /tmp/before   # after: lists every difference

``compare`` exits 1 and names each file or text that differs; 0 when everything is the same.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import synthetic_year  # noqa: E402

BUILT_LINE = re.compile(
    r"Dibangun pada \S+ dari commit \w+(?: \(dengan perubahan\s+belum\s+di-commit\))?\."
)
SCRATCH_YEAR = 2023
SCRATCH_SIZE = 90
FIXED_MTIME = 1675123200  # 2023-01-31
# the run stamp (which run wrote the folder, when) differs from run to run by design
RUN_STAMP = ".lkj-run"


def _mask(text: str) -> str:
    return BUILT_LINE.sub("Dibangun pada <tanggal> dari commit <commit>.", text)


def _digest(path: Path) -> str:
    """SHA-256 of the file; of its text with the build line masked for the handed document
    (laporan_dokumen.json carries the report's text, "Dibangun pada ... dari commit ...")."""
    data = path.read_bytes()
    if path.suffix == ".json":
        data = _mask(data.decode("utf-8")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _workspace(tmp: Path) -> Path:
    raw = tmp / "raw"
    raw.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw" / "2022", raw / "2022")
    synthetic_year(raw / "2022", raw / str(SCRATCH_YEAR), SCRATCH_SIZE)
    # one year later: every "tahun" in the kinerja rows moves on by one
    kinerja = raw / str(SCRATCH_YEAR) / "kinerja_indikator.csv"
    lines = kinerja.read_text(encoding="utf-8").splitlines()
    moved = [lines[0]]
    for line in lines[1:]:
        code, year, rest = line.split(",", 2)
        moved.append(f"{code},{int(year) + 1},{rest}")
    kinerja.write_text("\n".join(moved) + "\n", encoding="utf-8")
    # the data's date (printed with the attached workbook) is its files' newest mtime: fixed,
    # so that a checkout that touched a raw file does not show as a difference
    for path in raw.rglob("*"):
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return raw


def _build(tmp: Path, raw: Path, year: int) -> Path:
    out = tmp / "out" / str(year)
    cmd = [sys.executable, "-m", "lkj", "report", "--year", str(year), "--force"]
    cmd += ["--raw", str(raw), "--processed", str(tmp / "processed" / str(year))]
    cmd += ["--output", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"report {year} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return out


def _html_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return _mask("\n".join(line for line in soup.get_text("\n").splitlines() if line.strip()))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    return _mask("\n".join(f"--- page {i + 1}\n{p.extract_text()}" for i, p in enumerate(pages)))


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for t, table in enumerate(doc.tables):
        for r, row in enumerate(table.rows):
            lines.append(f"T{t}R{r}: " + " | ".join(c.text for c in row.cells))
    return _mask("\n".join(lines))


def record(tmp: Path) -> dict:
    raw = _workspace(tmp)
    result: dict = {}
    for year in (2022, SCRATCH_YEAR):
        out = _build(tmp, raw, year)
        processed = tmp / "processed" / str(year)
        files = {
            str(p.relative_to(processed)): _digest(p)
            for p in sorted(processed.rglob("*"))
            if p.is_file() and p.name != RUN_STAMP
        }
        result[str(year)] = {
            "processed": files,
            "html": _html_text(out / f"LKj_{year}.html"),
            "pdf": _pdf_text(out / f"LKj_{year}.pdf"),
            "docx": _docx_text(out / f"LKj_{year}.docx"),
        }
    return result


def compare(before: dict, after: dict) -> list[str]:
    problems: list[str] = []
    for year, old in before.items():
        new = after.get(year, {})
        old_files, new_files = old["processed"], new.get("processed", {})
        for name in sorted(set(old_files) | set(new_files)):
            if old_files.get(name) != new_files.get(name):
                problems.append(f"{year}: data/processed/{year}/{name} differs")
        for kind in ("html", "pdf", "docx"):
            if old[kind] != new.get(kind):
                diff = difflib.unified_diff(
                    old[kind].splitlines(), new.get(kind, "").splitlines(), lineterm="", n=1
                )
                problems.append(f"{year}: {kind} text differs\n" + "\n".join(list(diff)[:40]))
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("folder", type=Path, help="where the record is written / read")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lkj-compare-") as tmp:
        now = record(Path(tmp))
    if args.mode == "record":
        args.folder.mkdir(parents=True, exist_ok=True)
        (args.folder / "record.json").write_text(json.dumps(now, indent=1), encoding="utf-8")
        counts = {y: len(v["processed"]) for y, v in now.items()}
        print(f"recorded {counts} processed files and the report texts in {args.folder}")
        return
    before = json.loads((args.folder / "record.json").read_text(encoding="utf-8"))
    problems = compare(before, now)
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print("no difference: data/processed byte for byte, HTML, PDF and DOCX text")


if __name__ == "__main__":
    main()
