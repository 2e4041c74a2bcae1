"""Shared fixtures: a private copy of the 2022 raw data that a test may break; one report
built for the session; the hypothesis profile and the count of fuzz cases tried.

Hypothesis profiles (``HYPOTHESIS_PROFILE=<name>``, default ``ci``):

* ``ci``: what ``make test`` and CI run. Derandomized (the same cases on every run, so a CI
  failure reproduces locally), no example database, no deadline (a 2-core CI machine is slow).
* ``deep``: ten times the cases, random, for fuzzing by hand before a release.

The number of cases each property test tried is printed at the end of the run and written to
outputs/test-artifacts/fuzz_cases.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
RAW_2022 = ROOT / "data" / "raw" / "2022"
ARTIFACTS = ROOT / "outputs" / "test-artifacts"
# The build date of every report the tests build, in this process and in the runs it starts
# (lkj.core.clock): 31 December 2022, so that two builds of the same inputs give the same bytes
# on any day (tests/test_reproducible.py), and a document built here equals a run's.
SOURCE_DATE_EPOCH = "1672444800"
os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("deep", max_examples=2000, derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    """A copy of data/raw with only 2022, in a temporary folder; returns the raw root."""
    root = tmp_path / "raw"
    shutil.copytree(RAW_2022, root / "2022")
    return root


def run_lkj(*args: str, env: dict | None = None, timeout: float = 300):
    """``python -m lkj ARGS`` as a user runs it; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "lkj", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )


def report_args(base: Path, year: int = 2022) -> list[str]:
    """Arguments of ``lkj report`` reading base/raw and writing base/out, base/processed."""
    return [
        "report",
        "--year",
        str(year),
        "--raw",
        str(base / "raw"),
        "--output",
        str(base / "out" / str(year)),
        "--processed",
        str(base / "processed" / str(year)),
    ]


@pytest.fixture(scope="session")
def built_2022(tmp_path_factory) -> Path:
    """The 2022 report built once for the session from a private copy of the data.

    Returns the base folder: raw/2022, out/2022 (the report), processed/2022.
    """
    base = tmp_path_factory.mktemp("built_2022")
    shutil.copytree(RAW_2022, base / "raw" / "2022")
    result = run_lkj(*report_args(base))
    assert result.returncode == 0, result.stderr
    return base


def report_data_2022(base: Path):
    """The report data of the session's 2022 build (``built_2022``): its processed tables,
    figures and raw folder, as the report notebook reads them."""
    from lkj.document import laporan

    year = base / "processed" / "2022", base / "out" / "2022"
    return laporan.load_report_data(2022, *year, None, base / "raw" / "2022")


def browser_marks() -> list:
    """The marks of a module that drives Chromium: skipped where it is not installed, unless
    ``LKJ_REQUIRE_BROWSER=1`` (CI) makes its absence a failure."""
    from browser_check import find_chromium

    if find_chromium() is None and os.environ.get("LKJ_REQUIRE_BROWSER") != "1":
        reason = "chromium not installed (apt-get install chromium)"
        return [pytest.mark.browser, pytest.mark.skip(reason=reason)]
    return [pytest.mark.browser, pytest.mark.e2e]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """Print and record how many hypothesis cases each property test tried."""
    helpers = sys.modules.get("fuzz_helpers")
    counts = dict(sorted(getattr(helpers, "CASES", {}).items()))
    if not counts:
        return
    total = sum(counts.values())
    profile = settings._current_profile  # noqa: SLF001 - the name is only here
    terminalreporter.write_sep("-", f"hypothesis: {total} cases in {len(counts)} property tests")
    for name, n in counts.items():
        terminalreporter.write_line(f"  {n:6d}  {name}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "fuzz_cases.json").write_text(
        json.dumps({"profile": profile, "total": total, "tests": counts}, indent=2) + "\n",
        encoding="utf-8",
    )


def html_tables(html: str) -> dict[str, dict]:
    """Every captioned table of an HTML report, by its number ("Tabel 3.4").

    Returns, per table: ``caption`` (its text), ``header`` (one name per column: the texts of
    the header cells above it, merged cells expanded, joined with " / " when they differ),
    ``rows`` (body and foot rows as lists of cell texts, a merged cell repeated in each row and
    column it spans)
    and ``records`` (the rows as {header: text} where a row has as many cells as the header).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    out: dict[str, dict] = {}
    for caption in soup.find_all("caption"):
        table = caption.find_parent("table")
        text = " ".join(caption.get_text(" ").split())
        number = " ".join(text.split()[:2])
        head_rows = table.find("thead").find_all("tr") if table.find("thead") else []
        header = _header_names(head_rows)
        rows = []
        for part in table.find_all(["tbody", "tfoot"]):
            rows += _body_rows(part.find_all("tr"))
        records = [dict(zip(header, r, strict=True)) for r in rows if len(r) == len(header)]
        out.setdefault(
            number, {"caption": text, "header": header, "rows": rows, "records": records}
        )
    return out


def _grid(trs: list) -> dict[tuple[int, int], str]:
    """(row, column) -> cell text, a cell spanning rows or columns repeated in each."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(trs):
        c = 0
        for cell in tr.find_all(["td", "th"]):
            while (r, c) in grid:
                c += 1
            # a soft hyphen (a header word's break point, lkj.document.suku_kata) is not shown
            text = " ".join(cell.get_text(" ").replace("\u00ad", "").split())
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    grid[(r + dr, c + dc)] = text
            c += int(cell.get("colspan", 1))
    return grid


def _body_rows(trs: list) -> list[list[str]]:
    """Cell texts row by row; a cell spanning rows or columns is repeated in each."""
    grid = _grid(trs)
    return [[grid[(r, c)] for c in sorted(c for rr, c in grid if rr == r)] for r in range(len(trs))]


def _header_names(head_rows: list) -> list[str]:
    grid = _grid(head_rows)
    width = 1 + max((c for _, c in grid), default=-1)
    names = []
    for c in range(width):
        parts = [grid[(r, c)] for r in range(len(head_rows)) if (r, c) in grid]
        names.append(" / ".join(dict.fromkeys(p for p in parts if p)))
    return names


def find_table(html: str, caption_part: str) -> dict:
    """The one captioned table whose caption contains ``caption_part`` (fails if not one)."""
    hits = [t for t in html_tables(html).values() if caption_part in t["caption"]]
    assert len(hits) == 1, f"{len(hits)} tables with {caption_part!r} in the caption"
    return hits[0]
