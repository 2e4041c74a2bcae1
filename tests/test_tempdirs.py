"""Temporary folders that name their owner and the sweep of those whose owner is gone
(``lkj.core.tempdirs``): used by the kernels' socket folders and the pemda's OPD and quarter
tasks, whose folders stayed in /tmp when their process was killed.

Each case builds its folders by hand in a private parent folder, records as owner a child
process the test starts (and kills, or not), and checks which folders a sweep removes.

Cost in ``make test``: a few short-lived Python processes (about 1 s).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from lkj.core.tempdirs import MARKER, make_dir, set_owner, sweep, temp_dir

PREFIX = "lkj-uji-"
SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


@pytest.fixture
def child():
    """A child process that runs until the test ends (or kills it)."""
    process = subprocess.Popen(SLEEPER)
    yield process
    process.kill()
    process.wait()


def _folder(parent: Path, name: str, owner: int | None) -> Path:
    """A folder ``PREFIX+name`` holding a file and a subfolder, ``owner`` recorded (if any)."""
    folder = parent / f"{PREFIX}{name}"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "kernel.json").write_text("{}", encoding="utf-8")
    (folder / "ipc-1").write_bytes(b"x")
    if owner is not None:
        assert set_owner(folder, owner)
    return folder


def _names(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir())


def test_a_folder_whose_owner_was_killed_is_swept_the_others_kept(tmp_path, child):
    dead = subprocess.Popen(SLEEPER)
    killed = _folder(tmp_path, "mati", dead.pid)
    _folder(tmp_path, "x", dead.pid).rename(tmp_path / "lain-mati")  # another prefix
    dead.kill()
    dead.wait()
    _folder(tmp_path, "hidup", child.pid)  # a living child owns it
    _folder(tmp_path, "saya", os.getpid())  # this process owns it
    _folder(tmp_path, "tanpa-penanda", None)  # no marker: not ours to judge
    (tmp_path / f"{PREFIX}berkas").write_text("bukan folder", encoding="utf-8")

    assert sweep(PREFIX, tmp_path) == [killed]
    assert _names(tmp_path) == [
        "lain-mati",
        f"{PREFIX}berkas",
        f"{PREFIX}hidup",
        f"{PREFIX}saya",
        f"{PREFIX}tanpa-penanda",
    ]
    assert sweep(PREFIX, tmp_path) == []  # nothing left to sweep


def test_a_killed_owner_not_yet_waited_for_counts_as_gone(tmp_path):
    zombie = subprocess.Popen(SLEEPER)
    folder = _folder(tmp_path, "zombie", zombie.pid)
    os.kill(zombie.pid, signal.SIGKILL) if os.name == "posix" else zombie.kill()
    try:
        if os.name == "posix":  # not waited for: the process stays, a zombie
            _until(lambda: psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE)
        assert sweep(PREFIX, tmp_path) == [folder]
        assert _names(tmp_path) == []
    finally:
        zombie.wait()


def test_a_reused_pid_is_not_taken_for_the_owner(tmp_path):
    folder = _folder(tmp_path, "dipakai-ulang", os.getpid())
    pid, started = (folder / MARKER).read_text("ascii").split()
    assert float(started) == psutil.Process().create_time()
    # the same pid, but a process that started 100 s earlier: not this one, so gone
    (folder / MARKER).write_text(f"{pid} {float(started) - 100!r}\n", encoding="ascii")
    assert sweep(PREFIX, tmp_path) == [folder]


def test_a_marker_that_cannot_be_read_keeps_the_folder(tmp_path):
    for name, text in [("kosong", ""), ("rusak", "abc def\n"), ("nol", "0 1.5\n")]:
        folder = _folder(tmp_path, name, None)
        (folder / MARKER).write_text(text, encoding="ascii")
    assert sweep(PREFIX, tmp_path) == []
    assert _names(tmp_path) == [f"{PREFIX}kosong", f"{PREFIX}nol", f"{PREFIX}rusak"]


def test_a_folder_made_names_this_process_and_sweeps_first(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(SLEEPER)
    old = _folder(tmp_path, "lama", dead.pid)
    dead.kill()
    dead.wait()
    with temp_dir(PREFIX) as folder:
        assert not old.exists()
        assert folder.parent == tmp_path
        if os.name == "posix":
            assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
        pid, started = (folder / MARKER).read_text("ascii").split()
        assert (int(pid), float(started)) == (os.getpid(), psutil.Process().create_time())
        kept = make_dir(PREFIX)  # a second one: this process lives, the first is kept
        assert folder.exists()
    assert _names(tmp_path) == [kept.name]


def test_a_folder_is_owned_only_by_a_running_process(tmp_path):
    gone = subprocess.Popen(SLEEPER)
    gone.kill()
    gone.wait()
    folder = tmp_path / "f"
    folder.mkdir()
    assert set_owner(folder, gone.pid) is False
    assert _names(folder) == []


SWEEPER = """
import sys, time
from pathlib import Path
from lkj.core.tempdirs import sweep
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
print(len(sweep(sys.argv[1], Path(sys.argv[3]))))
"""


def test_sweeps_at_once_share_the_work_and_none_fails(tmp_path, child):
    parent = tmp_path / "tmp"
    parent.mkdir()
    dead = subprocess.Popen(SLEEPER)
    orphans = [_folder(parent, f"mati-{i:02d}", dead.pid) for i in range(60)]
    dead.kill()
    dead.wait()
    _folder(parent, "hidup", child.pid)
    _folder(parent, "tanpa-penanda", None)
    go = tmp_path / "mulai"
    sweepers = [
        subprocess.Popen(
            [sys.executable, "-c", SWEEPER, PREFIX, str(go), str(parent)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    go.touch()
    results = [s.communicate(timeout=120) for s in sweepers]
    assert [(s.returncode, err) for s, (_, err) in zip(sweepers, results, strict=True)] == [
        (0, "")
    ] * 4
    # every orphan removed by exactly one of them
    assert sum(int(out) for out, _ in results) == len(orphans)
    assert _names(parent) == [f"{PREFIX}hidup", f"{PREFIX}tanpa-penanda"]


def test_a_sweep_stopped_half_way_is_finished_by_the_next(tmp_path):
    dead = subprocess.Popen(SLEEPER)
    dead.kill()
    dead.wait()
    # as a sweep (process `dead`) leaves a folder it claimed when it is killed half-way
    folder = _folder(tmp_path, "x", None)
    marker = f"{dead.pid} {psutil.Process().create_time()!r}\n"  # whoever: dead.pid is gone
    (folder / MARKER).write_text(marker, encoding="ascii")
    claimed = folder.rename(tmp_path / f"{PREFIX}x.sapu-{dead.pid}-0")
    (claimed / "ipc-1").unlink()
    assert sweep(PREFIX, tmp_path) == [claimed]
    assert _names(tmp_path) == []


def _until(condition, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "keadaan yang ditunggu tidak tercapai"
        time.sleep(0.01)


def test_a_folder_a_running_sweep_claimed_is_left_to_it(tmp_path, child):
    dead = subprocess.Popen(SLEEPER)
    folder = _folder(tmp_path, "x", dead.pid)
    dead.kill()
    dead.wait()
    claimed = folder.rename(tmp_path / f"{PREFIX}x.sapu-{child.pid}-3")  # child sweeps it
    assert sweep(PREFIX, tmp_path) == []
    assert _names(tmp_path) == [claimed.name]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners of files: POSIX")
def test_a_folder_of_another_user_is_kept(tmp_path, monkeypatch):
    dead = subprocess.Popen(SLEEPER)
    folder = _folder(tmp_path, "x", dead.pid)
    dead.kill()
    dead.wait()
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)  # the folder is now another's
    assert sweep(PREFIX, tmp_path) == []
    monkeypatch.setattr(os, "getuid", lambda: uid)
    assert sweep(PREFIX, tmp_path) == [folder]
