"""A run killed at any step leaves the last good report as it was; the next run recovers alone.

The session's good run of the 2022 data (copied) is report A. One budget is then changed,
and runs on the changed data are killed with SIGKILL (the whole process group, and the Jupyter
kernel, which runs in a session of its own) at several moments:

* at each stage boundary: when the turn of ingest, capaian, grafik and laporan has come
  (``stage-<name>``), and with staging complete before any rename (``swap``). Each time the
  run must be alive and at that point: the pause wrote its marker file with the run's process
  id (``LKJ_TEST_PAUSE_DIR``), and the run's staging folder holds the executed notebooks of
  the stages before it and none of its own, so a run that crashed or never got there fails;
* after data/processed/YEAR was renamed away (``mid-processed``);
* after outputs/YEAR was renamed away too (``mid-output``): the worst moment, when neither
  folder exists on disk at all;
* after every rename was made, before the old copies and the journal were removed
  (``after-output``).

After each kill before the last rename, report A and its processed data must be byte-for-byte
what they were (after ``recover``, or after the next run, which recovers first thing). After
the kill past the last rename, the next run finds the new report and its processed data in
place (rolled forward) and up to date. Each time, the run id in data/processed/YEAR/.lkj-run
equals the one in outputs/YEAR/manifest.json. tests/test_swap.py kills the replacement at
every pause point on small folders.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, ROOT, report_args, run_lkj

from lkj.run.journal import recover
from lkj.run.paths import MANIFEST, RUN_FILE, Paths, journal_file

pytestmark = pytest.mark.e2e

BOOKS = ["01_ingest", "02_capaian", "03_grafik", "04_laporan"]
# pause point -> the notebooks the run's staging folder holds executed, and one it must not yet
# (grafik runs beside laporan, so at laporan's turn it may or may not be done)
STAGE_KILLS = {
    "stage-ingest": ([], "01_ingest"),
    "stage-capaian": (BOOKS[:1], "02_capaian"),
    "stage-grafik": (BOOKS[:2], "03_grafik"),
    "stage-laporan": (BOOKS[:2], "04_laporan"),
    "swap": (BOOKS, None),
}
PAUSE_KILLS = ["mid-processed", "mid-output", "after-output"]
STATS = {"kill_points": [], "bytes_compared": 0, "files_compared": 0}


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _assert_same(folder: Path, expected: dict[str, str], what: str) -> None:
    assert folder.is_dir(), f"{what}: {folder} is missing"
    got = _snapshot(folder)
    assert got == expected, f"{what}: {folder} changed"
    STATS["files_compared"] += len(got)
    STATS["bytes_compared"] += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _one_run(out: Path, processed: Path) -> str:
    """The run id both folders carry; fails when they come from different runs."""
    report = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["run"]
    data = (processed / RUN_FILE).read_text(encoding="utf-8").strip()
    assert report == data, f"report from run {report}, processed data from run {data}"
    return report


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), e.g. the Jupyter kernel."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _start(args: list[str], pause: str, markers: Path | None = None) -> subprocess.Popen:
    extra = {"LKJ_TEST_PAUSE_DIR": str(markers)} if markers else {}
    return subprocess.Popen(
        [sys.executable, "-m", "lkj", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, killed as a whole
        env={**os.environ, "PYTHONWARNINGS": "ignore", "LKJ_TEST_PAUSE": pause, **extra},
    )


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the run, its process group and everything it started."""
    below = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)
    proc.stderr.close()


def _wait_for_pause(proc: subprocess.Popen, point: str, timeout: float = 240) -> None:
    deadline, seen = time.monotonic() + timeout, b""
    fd = proc.stderr.fileno()
    while f"LKJ_TEST_PAUSE {point}".encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0 and proc.poll() is None, f"run never reached {point}: {seen[-2000:]!r}"
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if ready:
            seen += os.read(fd, 65536)


def _change_budget(raw: Path) -> int:
    """Add Rp 1.000 to the first sub kegiatan's anggaran; returns the new total."""
    path = raw / "2022" / "sub_kegiatan.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("anggaran_rp")
    rows[1][col] = str(int(rows[1][col]) + 1000)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return sum(int(r[col]) for r in rows[1:])


def _leftovers(base: Path) -> list[str]:
    return sorted(
        p.name
        for parent in (base / "out", base / "processed")
        for p in parent.glob(".*")
        if p.name.startswith((".staging-", ".old-", ".lkj-2022.swap"))
    )


def test_a_killed_run_never_destroys_the_last_good_report(built_2022, tmp_path):
    base = tmp_path
    for part in ("raw", "out", "processed"):  # the session's good run is report A
        shutil.copytree(built_2022 / part, base / part)
    assert not _leftovers(base)
    args = report_args(base)
    out, processed = base / "out" / "2022", base / "processed" / "2022"
    paths = Paths.resolve(2022, base / "raw", processed, out)
    report_a, processed_a = _snapshot(out), _snapshot(processed)
    assert "LKj_2022.pdf" in report_a and "sub_kegiatan.csv" in processed_a
    run_a = _one_run(out, processed)
    new_total = _change_budget(base / "raw")

    markers = base / "markers"
    markers.mkdir()
    for point, (done, not_yet) in STAGE_KILLS.items():
        before = set(out.parent.glob(".staging-2022-*"))
        proc = _start(args, point, markers)
        _wait_for_pause(proc, point)
        assert proc.poll() is None, f"the run ended before {point}"
        assert (markers / point).read_text(encoding="utf-8").strip() == str(proc.pid), point
        (staging,) = set(out.parent.glob(".staging-2022-*")) - before
        executed = {p.stem for p in (staging / "report" / "notebooks").glob("*.ipynb")}
        assert set(done) <= executed and not_yet not in executed, (point, sorted(executed))
        _kill(proc)
        STATS["kill_points"].append(point)
        _assert_same(out, report_a, f"killed at {point}")
        _assert_same(processed, processed_a, f"killed at {point}")

    # data/processed/2022 renamed away, outputs/2022 not yet
    proc = _start(args, "mid-processed")
    _wait_for_pause(proc, "mid-processed")
    _kill(proc)
    STATS["kill_points"].append("mid-processed")
    assert not processed.exists()  # the kill did land in the window
    assert journal_file(paths).exists()
    _assert_same(out, report_a, "killed while replacing data/processed/2022")
    recover(paths)  # rolls back: the journal lists the one rename made
    _assert_same(processed, processed_a, "killed while replacing data/processed/2022, recovered")
    _assert_same(out, report_a, "killed while replacing data/processed/2022, recovered")
    assert _one_run(out, processed) == run_a

    # both renamed away: neither folder exists
    proc = _start(args, "mid-output")
    _wait_for_pause(proc, "mid-output")
    _kill(proc)
    STATS["kill_points"].append("mid-output")
    assert not out.exists() and not processed.exists()  # the kill did land in the window
    olds = list(out.parent.glob(".old-2022-*"))
    assert len(olds) == 1
    _assert_same(olds[0], report_a, "the last good report, renamed away")
    # The next run puts report A and its data back first thing. Shown with a run on bad data,
    # which then stops at ingest and so leaves the recovered report A in place for comparison.
    sub = base / "raw" / "2022" / "sub_kegiatan.csv"
    good = sub.read_bytes()
    sub.write_bytes(good + good.split(b"\n")[1] + b"\n")  # a sub kegiatan twice
    bad = run_lkj(*args)
    sub.write_bytes(good)
    assert bad.returncode == 1 and "kode ganda" in bad.stderr, bad.stderr
    assert "Traceback" not in bad.stderr
    _assert_same(out, report_a, "killed while replacing outputs/2022, then the next run")
    _assert_same(processed, processed_a, "killed while replacing outputs/2022, then the next run")
    assert _one_run(out, processed) == run_a
    recover(paths)  # idempotent
    _assert_same(out, report_a, "recovered twice")

    # every rename made, the old copies and the journal not yet removed
    proc = _start(args, "after-output")
    _wait_for_pause(proc, "after-output")
    _kill(proc)
    STATS["kill_points"].append("after-output")
    assert journal_file(paths).exists()
    run_b = _one_run(out, processed)
    assert run_b != run_a

    # the next run, without any manual cleaning, rolls forward and finds the new report
    final = run_lkj(*args)
    assert final.returncode == 0, final.stderr
    assert "sudah mutakhir" in final.stdout
    assert _one_run(out, processed) == run_b
    html = (out / "LKj_2022.html").read_text(encoding="utf-8")
    assert f"{new_total:,}".replace(",", ".") in html
    assert _snapshot(out) != report_a
    assert not _leftovers(base), _leftovers(base)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "interrupt.json").write_text(json.dumps(STATS, indent=2) + "\n")
    print(
        f"\nkill points: {len(STATS['kill_points'])} ({', '.join(STATS['kill_points'])}); "
        f"{STATS['files_compared']} files, {STATS['bytes_compared']} bytes compared"
    )
