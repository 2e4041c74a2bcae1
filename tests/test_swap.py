"""data/processed/YEAR and outputs/YEAR are replaced as one unit
(lkj.run.journal.replace_together).

Two small folders stand for the last good run A (data/processed/2022 and out/2022) and two
staged ones for the new run B; every file holds the letter of its run, and each folder names
its run the way the pipeline does (``.lkj-run`` in the processed folder, ``run`` in
manifest.json). Then:

* the replacement is killed (SIGKILL, in a subprocess) at every pause point of the test hook
  ``LKJ_TEST_PAUSE``; after ``recover`` both folders belong to one run: A before the last
  rename, B after it, every file included;
* a rename fails as on Windows when a file is open in a viewer (``os.replace`` raising
  PermissionError for that file and for its folder): the message names the file to close and
  both folders are A's, untouched; the same when a later rename (putting the new report in
  place) fails after the new processed folder was already in place.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from lkj.core.errors import LkjError
from lkj.run.journal import recover, replace_together
from lkj.run.paths import RUN_FILE, Paths, journal_file

POINTS = ["journal", "mid-processed", "mid-output", "after-processed", "after-output"]
TAG = "bbbbbbbb"
REPORT_FILES = ["LKj_2022.pdf", "LKj_2022.html", "notebooks/01_ingest.html"]
PROCESSED_FILES = ["sub_kegiatan.csv", "capaian_sasaran.csv"]


def _fill(folder: Path, run: str, files: list[str], report: bool) -> None:
    for name in files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"run {run}: {name}\n", encoding="utf-8")
    if report:
        (folder / "manifest.json").write_text(json.dumps({"run": run}), encoding="utf-8")
    else:
        (folder / RUN_FILE).write_text(run + "\n", encoding="utf-8")


def _setup(base: Path, old: bool = True) -> tuple[Paths, list[tuple[Path, Path, str]]]:
    (base / "raw").mkdir()
    paths = Paths.resolve(2022, base / "raw", base / "processed" / "2022", base / "out" / "2022")
    if old:
        _fill(paths.processed, "A", PROCESSED_FILES, report=False)
        _fill(paths.output, "A", REPORT_FILES, report=True)
    stage = paths.output.parent / f".staging-2022-{TAG}"
    _fill(stage / "processed", "B", PROCESSED_FILES, report=False)
    _fill(stage / "report", "B", REPORT_FILES, report=True)
    pairs = [
        (stage / "processed", paths.processed, "processed"),
        (stage / "report", paths.output, "output"),
    ]
    return paths, pairs


def _run_of(paths: Paths) -> str | None:
    """The run both folders come from; fails when they differ or a file is from another run."""
    if not paths.processed.exists() and not paths.output.exists():
        return None
    processed = (paths.processed / RUN_FILE).read_text(encoding="utf-8").strip()
    report = json.loads((paths.output / "manifest.json").read_text(encoding="utf-8"))["run"]
    assert processed == report, f"processed data from run {processed}, report from run {report}"
    for folder, names in ((paths.processed, PROCESSED_FILES), (paths.output, REPORT_FILES)):
        got = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert got == sorted([*names, RUN_FILE if folder == paths.processed else "manifest.json"])
        for name in names:
            assert (folder / name).read_text(encoding="utf-8") == f"run {report}: {name}\n"
    return report


def _leftovers(paths: Paths) -> list[str]:
    return sorted(
        p.name
        for parent in (paths.output.parent, paths.processed.parent)
        if parent.is_dir()
        for p in parent.iterdir()
        if p.name.startswith((".old-", ".staging-", ".lkj-2022.swap"))
    )


SCRIPT = """
import sys
from pathlib import Path
from lkj.run.journal import replace_together
sp, p, so, o, journal = map(Path, sys.argv[1:6])
replace_together([(sp, p, "processed"), (so, o, "output")], journal, sys.argv[6])
print("done")
"""


def _kill_at(point: str, paths: Paths, pairs: list) -> None:
    args = [str(pairs[0][0]), str(pairs[0][1]), str(pairs[1][0]), str(pairs[1][1])]
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *args, str(journal_file(paths)), TAG],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "LKJ_TEST_PAUSE": point},
    )
    seen, deadline = b"", time.monotonic() + 60
    while f"LKJ_TEST_PAUSE {point}".encode() not in seen:
        assert proc.poll() is None and time.monotonic() < deadline, seen.decode()
        if select.select([proc.stderr], [], [], 1.0)[0]:
            seen += os.read(proc.stderr.fileno(), 65536)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_point_leaves_both_folders_from_one_run(tmp_path, point):
    paths, pairs = _setup(tmp_path)
    assert _run_of(paths) == "A"
    _kill_at(point, paths, pairs)
    assert journal_file(paths).exists()  # the kill landed inside the replacement
    if point == "mid-output":  # the worst moment: neither folder exists
        assert not paths.processed.exists() and not paths.output.exists()
    recover(paths)
    # every rename made (after-output): rolled forward to B; otherwise rolled back to A
    assert _run_of(paths) == ("B" if point == "after-output" else "A")
    assert _leftovers(paths) == []
    recover(paths)  # idempotent
    assert _run_of(paths) == ("B" if point == "after-output" else "A")


@pytest.mark.parametrize("point", ["journal", "after-processed"])
def test_a_kill_during_the_first_run_leaves_nothing_half(tmp_path, point):
    paths, pairs = _setup(tmp_path, old=False)
    _kill_at(point, paths, pairs)
    recover(paths)
    assert not paths.processed.exists() and not paths.output.exists()
    assert _leftovers(paths) == []


def test_an_uninterrupted_replacement_installs_the_new_run(tmp_path):
    paths, pairs = _setup(tmp_path)
    replace_together(pairs, journal_file(paths), TAG)
    assert _run_of(paths) == "B"
    recover(paths)  # removes the emptied staging folder
    assert _leftovers(paths) == []


def _locked(monkeypatch, *locked: Path) -> list[tuple[str, str]]:
    """os.replace raising PermissionError for ``locked`` paths as Windows does for a file open
    in a viewer (and for its folder). Returns the log of the renames tried."""
    real = os.replace
    tried = []

    def fake(src, dst, *args, **kwargs):
        tried.append((str(src), str(dst)))
        if Path(src) in locked:
            raise PermissionError(13, "The process cannot access the file", str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", fake)
    return tried


@pytest.mark.parametrize(
    "folder, name",
    [("out/2022", "LKj_2022.pdf"), ("processed/2022", "sub_kegiatan.csv")],
)
def test_a_file_open_in_a_viewer_is_named_and_nothing_changes(tmp_path, monkeypatch, folder, name):
    paths, pairs = _setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    _locked(monkeypatch, tmp_path / folder, tmp_path / folder / name)
    with pytest.raises(LkjError) as err:
        replace_together(pairs, journal_file(paths), TAG)
    assert f"tutup file {folder}/{name} lalu jalankan lagi" in str(err.value)
    assert "sebelumnya tidak diubah" in str(err.value)
    monkeypatch.undo()
    assert _run_of(paths) == "A"
    assert not journal_file(paths).exists()
    assert sorted(p.name for p in (tmp_path / folder).iterdir() if ".lkj-cek-" in p.name) == []
    # the staged run is still whole (run_report keeps it in .gagal-2022 for inspection)
    assert (pairs[1][0] / "LKj_2022.pdf").read_text() == "run B: LKj_2022.pdf\n"
    assert (pairs[0][0] / RUN_FILE).read_text() == "B\n"


def test_a_later_rename_failing_rolls_the_earlier_ones_back(tmp_path, monkeypatch):
    """Putting the new report in place fails after the new processed data already is: both
    folders are A's again."""
    paths, pairs = _setup(tmp_path)
    staged_report = pairs[1][0]
    tried = _locked(monkeypatch, staged_report)
    with pytest.raises(LkjError) as err:
        replace_together(pairs, journal_file(paths), TAG)
    monkeypatch.undo()
    # the new processed folder had been put in place before the failing rename
    assert (str(pairs[0][0]), str(paths.processed)) in tried
    assert "tidak dapat dipindahkan" in str(err.value)
    assert _run_of(paths) == "A"
    assert not journal_file(paths).exists()
    assert not list(tmp_path.glob("*/.old-*"))


def test_a_recovery_that_cannot_rename_yet_says_so_and_can_be_repeated(tmp_path, monkeypatch):
    """Killed with both folders renamed away; the old report cannot be moved back (a file of
    it is open): a clear message, the journal kept, and the next recovery finishes the job."""
    paths, pairs = _setup(tmp_path)
    _kill_at("mid-output", paths, pairs)
    old_report = paths.output.with_name(f".old-2022-{TAG}")
    assert old_report.is_dir()
    monkeypatch.chdir(tmp_path)
    _locked(monkeypatch, old_report)
    with pytest.raises(LkjError) as err:
        recover(paths)
    assert str(err.value).startswith(
        "laporan dari proses yang terhenti belum dapat dipulihkan: out/.old-2022-bbbbbbbb "
        "tidak dapat dipindahkan"
    ), str(err.value)
    monkeypatch.undo()
    assert journal_file(paths).exists()
    recover(paths)
    assert _run_of(paths) == "A"
    assert _leftovers(paths) == []
