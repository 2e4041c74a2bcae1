"""One run at a time per agency and year (lkj.run.lock), and runs of other years or agencies side by
side.

Another process holds a lock (a small Python subprocess, as a second ``make report`` would);
then a run of the same agency and year waits, saying for whom, and proceeds when the other
finishes, or stops with a clear message when it does not finish in time. Runs of another year
or another agency do not wait. End to end: two ``lkj report`` started at once on the same data
both end with a clear message and leave one whole, valid report.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAW_2022, ROOT, report_args, run_lkj
from pypdf import PdfReader

from lkj.core.errors import LkjError
from lkj.run.lock import lock_files, year_lock
from lkj.run.paths import MANIFEST, RUN_FILE, journal_file

HOLDER = """
import sys
from lkj.run.lock import year_lock
year, raw, output = int(sys.argv[1]), sys.argv[2], sys.argv[3] or None
with year_lock(year, raw, output, doing=sys.argv[4]):
    print("HELD", flush=True)
    sys.stdin.read()  # until the test closes stdin
"""


class Holder:
    """A process holding the lock of ``year`` until ``release``."""

    def __init__(self, year: int, raw: Path, output: Path | None = None, doing: str = "x"):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(year), str(raw), str(output or ""), doing],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline().strip() == "HELD"
        self.pid = self.proc.pid

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture
def holder():
    held = []

    def start(*args, **kwargs) -> Holder:
        held.append(Holder(*args, **kwargs))
        return held[-1]

    yield start
    for h in held:
        h.release()


def test_lock_files_follow_the_runs_own_folders(tmp_path):
    assert lock_files(2022, ROOT / "data" / "raw", ROOT / "outputs" / "2022") == [
        ROOT / "data" / "raw" / ".lkj-2022.lock",
        ROOT / "outputs" / ".lkj-2022.lock",
    ]
    # two OPDs of a pemda workspace: nothing shared
    for opd in ("dinkes", "dishub"):
        (tmp_path / opd / "raw").mkdir(parents=True)
    a = lock_files(2022, tmp_path / "dinkes" / "raw", tmp_path / "dinkes" / "out" / "2022")
    b = lock_files(2022, tmp_path / "dishub" / "raw", tmp_path / "dishub" / "out" / "2022")
    assert a == [
        tmp_path / "dinkes" / "raw" / ".lkj-2022.lock",
        tmp_path / "dinkes" / "out" / ".lkj-2022.lock",
    ]
    assert not set(a) & set(b)
    # collect and new-year lock the raw root only; a missing raw root is not created
    assert lock_files(2023, tmp_path / "dinkes" / "raw") == [
        tmp_path / "dinkes" / "raw" / ".lkj-2023.lock"
    ]
    assert lock_files(2022, tmp_path / "nowhere") == []
    assert not (tmp_path / "nowhere").exists()


def test_a_second_run_waits_then_stops_with_a_clear_message(tmp_path, holder):
    raw = tmp_path / "raw"
    raw.mkdir()
    other = holder(2022, raw, tmp_path / "out" / "2022", doing="membuat laporan")
    said = []
    with pytest.raises(LkjError) as err:
        with year_lock(2022, raw, tmp_path / "out" / "2022", log=said.append, timeout=0.5):
            pytest.fail("the lock was taken while another process held it")
    assert len(said) == 1
    assert said[0].startswith(
        f"menunggu proses lain yang sedang membuat laporan 2022 (PID {other.pid}, mulai "
    )
    message = str(err.value)
    assert message.startswith(f"proses lain masih membuat laporan 2022 (PID {other.pid}, mulai "), (
        message
    )
    assert "setelah ditunggu 0.5 detik; tidak ada yang diubah" in message


def test_other_years_and_other_agencies_do_not_wait(tmp_path, holder):
    raw, other_raw = tmp_path / "raw", tmp_path / "opd2" / "raw"
    raw.mkdir()
    other_raw.mkdir(parents=True)
    holder(2022, raw, tmp_path / "out" / "2022", doing="membuat laporan")
    said = []
    with year_lock(2023, raw, tmp_path / "out" / "2023", log=said.append, timeout=0):
        pass
    with year_lock(2022, other_raw, tmp_path / "opd2" / "out" / "2022", log=said.append, timeout=0):
        pass
    assert said == []


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    said = []
    with year_lock(2022, raw, log=said.append, timeout=0):
        with year_lock(2022, raw, tmp_path / "out" / "2022", log=said.append, timeout=0):
            pass
    assert said == []


def _read_until(proc: subprocess.Popen, text: str, timeout: float = 120) -> str:
    seen, deadline = b"", time.monotonic() + timeout
    while text.encode() not in seen:
        assert proc.poll() is None and time.monotonic() < deadline, seen.decode()
        if select.select([proc.stdout], [], [], 1.0)[0]:
            seen += os.read(proc.stdout.fileno(), 65536)
    return seen.decode()


def test_new_year_waits_for_the_run_holding_the_year_then_proceeds(tmp_path, holder):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_2022, raw / "2022")
    other = holder(2023, raw, doing="membaca formulir (collect)")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lkj", "new-year", "--year", "2023", "--raw", str(raw)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    said = _read_until(proc, "menunggu proses lain")
    assert f"menunggu proses lain yang sedang membaca formulir (collect) 2023 (PID {other.pid}" in (
        said
    )
    assert not (raw / "2023").exists()  # it waits: nothing written yet
    other.release()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "proses lain selesai" in out.decode()
    assert (raw / "2023" / "sub_kegiatan.csv").is_file()
    assert "Traceback" not in err.decode()


@pytest.mark.e2e
def test_report_waiting_too_long_stops_cleanly_and_changes_nothing(built_2022, tmp_path, holder):
    base = tmp_path
    for part in ("raw", "out", "processed"):
        shutil.copytree(built_2022 / part, base / part)
    before = (base / "out" / "2022" / "LKj_2022.pdf").read_bytes()
    other = holder(2022, base / "raw", base / "out" / "2022", doing="membuat laporan")
    result = run_lkj(*report_args(base), "--force", env={"LKJ_LOCK_TIMEOUT": "1"})
    assert result.returncode == 1
    assert f"menunggu proses lain yang sedang membuat laporan 2022 (PID {other.pid}" in (
        result.stdout
    )
    assert result.stderr.startswith(
        f"lkj: kesalahan: proses lain masih membuat laporan 2022 (PID {other.pid}, mulai "
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert (base / "out" / "2022" / "LKj_2022.pdf").read_bytes() == before


@pytest.mark.e2e
def test_a_no_op_does_not_wait(built_2022, holder):
    """An up-to-date report is reported as such at once, even while a run holds the lock.
    (The session's report in place: a copy elsewhere is not up to date, its inputs moved.)"""
    base = built_2022
    other = holder(2022, base / "raw", base / "out" / "2022", doing="membuat laporan")
    result = run_lkj(*report_args(base), env={"LKJ_LOCK_TIMEOUT": "1"})
    other.release()
    assert result.returncode == 0, result.stderr
    assert "sudah mutakhir" in result.stdout
    assert "menunggu" not in result.stdout


def _start_report(base: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lkj", *report_args(base)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.mark.e2e
def test_two_reports_started_at_once_end_clearly_with_one_valid_report(tmp_path):
    base = tmp_path
    shutil.copytree(RAW_2022, base / "raw" / "2022")
    runs = [_start_report(base), _start_report(base)]
    results = [(proc, *proc.communicate(timeout=900)) for proc in runs]
    for proc, out, err in results:
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "Traceback" not in out
    outs = [out for _, out, _ in results]
    built = [out for out in outs if "Laporan 2022 selesai dalam" in out]
    waited = [out for out in outs if "sudah mutakhir" in out]
    assert len(built) == 1 and len(waited) == 1, outs
    assert "menunggu proses lain yang sedang membuat laporan 2022 (PID " in waited[0]
    assert "proses lain selesai" in waited[0]

    out, processed = base / "out" / "2022", base / "processed" / "2022"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert (processed / RUN_FILE).read_text(encoding="utf-8").strip() == manifest["run"]
    listed = sorted(manifest["outputs"])
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted([*listed, MANIFEST])
    pages = PdfReader(out / "LKj_2022.pdf").pages
    assert len(pages) > 20
    assert "4.920.098.606" in "".join(page.extract_text() or "" for page in pages)
    assert "4.920.098.606" in (out / "LKj_2022.html").read_text(encoding="utf-8")
    leftovers = [
        p.name for p in (base / "out").iterdir() if p.name.startswith((".staging-", ".old-"))
    ]
    assert leftovers == [] and not journal_file_for(base).exists()


def journal_file_for(base: Path) -> Path:
    from lkj.run.paths import Paths

    return journal_file(
        Paths.resolve(2022, base / "raw", base / "processed" / "2022", base / "out" / "2022")
    )
