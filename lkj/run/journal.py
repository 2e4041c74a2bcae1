"""Replacing data/processed/YEAR and outputs/YEAR as one unit, and recovering after a kill.

A run builds everything in a staging folder; :func:`replace_together` then puts the staged
folders in place of data/processed/YEAR and outputs/YEAR, all of them or none. A journal beside
the output folder (``lkj.run.paths.journal_file``) lists the renames before the first one is
made, so that :func:`recover` (run first by every run) can finish them (when all were made) or
undo them (otherwise) after a kill at any moment. A rename that fails (on Windows: a report or
CSV open in a viewer or Excel) undoes the renames already made and names the file to close.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from lkj.core.errors import LkjError
from lkj.run.paths import Paths, journal_file

# Test-only hook: LKJ_TEST_PAUSE=<point>[,<point>...] makes a run announce "LKJ_TEST_PAUSE
# <point>" on stderr and stop there (sleep) so that tests/test_interrupt.py can kill it at
# that exact moment. Points, in the order a run passes them: "swap" (staging complete, no
# journal, nothing replaced); "journal" (journal written, nothing renamed yet); "mid-processed"
# (data/processed/YEAR renamed away); "mid-output" (outputs/YEAR renamed away too: neither
# folder exists); "after-processed" (the new data/processed/YEAR in place); "after-output"
# (the new outputs/YEAR in place too: every rename made, the old copies and the journal not yet
# removed). Before those, one point per stage, "stage-<name>" (lkj.run.build: the stage's turn
# has come, in the staging folder, before it is run or reused: stage-ingest, stage-capaian,
# stage-grafik, stage-laporan). With LKJ_TEST_PAUSE_DIR=<folder> the paused run also writes
# <folder>/<point> holding its process id, so a test knows the run was alive at that point.
# Never set outside tests.
TEST_PAUSE_ENV = "LKJ_TEST_PAUSE"
TEST_PAUSE_DIR_ENV = "LKJ_TEST_PAUSE_DIR"


def _test_pause(point: str) -> None:
    wanted = os.environ.get(TEST_PAUSE_ENV, "")
    if point in wanted.split(","):
        folder = os.environ.get(TEST_PAUSE_DIR_ENV)
        if folder:
            (Path(folder) / point).write_text(f"{os.getpid()}\n", encoding="utf-8")
        print(f"LKJ_TEST_PAUSE {point}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _user_path(path: Path) -> str:
    """A path as the user who typed the command sees it: relative to the current folder."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _write_journal(journal: Path, record: dict) -> None:
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, journal)


def _open_files(folder: Path, tag: str) -> list[Path]:
    """The files of ``folder`` that cannot be renamed (open in another program on Windows).

    Each file is renamed to a temporary name and back; the journal, still in place while this
    runs, lets ``recover`` finish a probe cut short.
    """
    blocked = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        probe = path.with_name(f"{path.name}.lkj-cek-{tag}")
        try:
            os.replace(path, probe)
        except OSError:
            blocked.append(path)
            continue
        os.replace(probe, path)
    return blocked


def _undo_probes(folder: Path) -> None:
    if not folder.is_dir():
        return
    for probe in folder.rglob("*.lkj-cek-*"):
        original = probe.with_name(probe.name.rsplit(".lkj-cek-", 1)[0])
        if original.exists():
            probe.unlink()
        else:
            os.replace(probe, original)


def _step_done(src: Path, dst: Path, away: bool) -> bool:
    # Moving a folder away: its .old- name is unique to the run, so it exists iff moved. Moving
    # a staged folder in: the staging name is unique too, so it is gone iff moved.
    return dst.exists() if away else not src.exists()


def _undo(done: list[tuple[Path, Path]]) -> None:
    for src, dst in reversed(done):
        os.replace(dst, src)


def replace_together(pairs: list[tuple[Path, Path, str]], journal: Path, tag: str) -> None:
    """Put each staged folder in the place of its target, all of them or none.

    First every existing target is renamed away (``.old-NAME-TAG`` beside it): these are the
    renames a file held open by another program makes fail, and they come before anything new
    is put in place. Then the staged folders are renamed into place; then the old copies are
    removed. The journal lists the renames before the first one is made and is removed last;
    after a kill, :func:`recover` reads it.

    Args:
        pairs: (staged folder, target, name) for each folder; name is the test-pause point
            suffix ("processed", "output").
        journal: the journal file.
        tag: unique to this run (the old copies are named with it).

    Raises:
        LkjError: a rename failed; every rename already made was undone, so every target is
            as it was. When files are open in another program, the message names them.
    """
    steps: list[tuple[Path, Path, bool, str]] = []
    for _, target, name in pairs:
        if target.exists():
            steps.append((target, target.with_name(f".old-{target.name}-{tag}"), True, name))
    for staged, target, name in pairs:
        steps.append((staged, target, False, name))
    record = {
        "run": tag,
        "steps": [[str(src), str(dst), away] for src, dst, away, _ in steps],
        "folders": [str(target) for _, target, _ in pairs],
    }
    try:
        _write_journal(journal, record)
    except OSError as exc:
        raise LkjError(
            f"{_user_path(journal)}: jurnal penggantian laporan tidak dapat ditulis "
            f"({exc.strerror or exc}); laporan sebelumnya tidak diubah"
        ) from None
    _test_pause("journal")
    done: list[tuple[Path, Path]] = []
    try:
        for src, dst, away, name in steps:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            done.append((src, dst))
            _test_pause(f"{'mid' if away else 'after'}-{name}")
    except OSError as exc:
        failed = src
        blocked: list[Path] = []
        try:
            _undo(done)
            if isinstance(exc, PermissionError) and failed.is_dir():
                blocked = _open_files(failed, tag)
        except OSError as undo_exc:
            raise LkjError(
                f"gagal memindahkan {_user_path(failed)} ({exc.strerror or exc}), lalu gagal "
                f"mengembalikan yang sudah dipindahkan ({undo_exc.strerror or undo_exc}). "
                f"Tutup program yang membuka laporan, lalu jalankan lagi: lkj memulihkannya."
            ) from None
        journal.unlink()
        if blocked:
            names = ", ".join(_user_path(p) for p in blocked)
            raise LkjError(
                f"laporan baru tidak dapat dipasang karena file dibuka program lain: tutup file "
                f"{names} lalu jalankan lagi. Laporan dan data olahan sebelumnya tidak diubah."
            ) from None
        raise LkjError(
            f"laporan baru tidak dapat dipasang: {_user_path(failed)} tidak dapat dipindahkan "
            f"({exc.strerror or exc}). Tutup file atau jendela yang membuka folder itu lalu "
            f"jalankan lagi. Laporan dan data olahan sebelumnya tidak diubah."
        ) from None
    except BaseException:  # e.g. Ctrl-C between two renames: back to the previous state
        _undo(done)
        journal.unlink()
        raise
    _finish(steps, journal)


def _finish(steps: list, journal: Path) -> None:
    """Every rename is made: remove the old copies, then the journal."""
    for _, dst, away, *_ in steps:
        if away:
            shutil.rmtree(dst, ignore_errors=True)
    journal.unlink()


def _recover_journal(journal: Path) -> None:
    """Finish or undo the replacement a killed run left, as its journal lists it.

    When every rename was made, the new folders are all in place: the old copies are removed
    (rolled forward). Otherwise the renames made are undone in reverse order (rolled back), so
    that the previous folders are all in place again. Either way all folders come from one run.
    """
    tmp = journal.with_name(journal.name + ".tmp")
    if tmp.exists():
        tmp.unlink()  # killed while writing it: nothing was renamed yet
    if not journal.exists():
        return
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        steps = [(Path(src), Path(dst), bool(away)) for src, dst, away in record["steps"]]
        folders = [Path(folder) for folder in record["folders"]]
        tag = str(record["run"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LkjError(
            f"{journal}: jurnal penggantian laporan tidak dapat dibaca ({exc}); periksa folder "
            f"laporan dan data olahan, lalu hapus file itu"
        ) from None
    try:
        for folder in folders:
            _undo_probes(folder)
            for old in folder.parent.glob(f".old-{folder.name}-{tag}"):
                _undo_probes(old)
        done = [(src, dst) for src, dst, away in steps if _step_done(src, dst, away)]
        if len(done) == len(steps):
            _finish(steps, journal)  # every rename was made: roll forward
            return
        _undo(done)  # roll back
        journal.unlink()
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else folders[-1]
        raise LkjError(
            f"laporan dari proses yang terhenti belum dapat dipulihkan: {_user_path(where)} "
            f"tidak dapat dipindahkan ({exc.strerror or exc}). Tutup file atau jendela yang "
            f"membukanya lalu jalankan lagi."
        ) from None


def _own(folders: Iterable[Path], prefix: str) -> list[Path]:
    """The folders named ``prefix`` + a run tag (no "-" in it): .old-2023-<tag> is 2023's,
    .old-2023-tw2-<tag> is not (it is outputs/2023-tw2's)."""
    return sorted(p for p in folders if "-" not in p.name[len(prefix) :])


def _old_copies(target: Path) -> list[Path]:
    prefix = f".old-{target.name}-"
    return _own(target.parent.glob(f"{prefix}*"), prefix)


def _recover_dir(target: Path) -> None:
    """Remove old copies of ``target`` that no journal claims (an earlier version's runs).

    If ``target`` is missing but an old copy exists, the old copy is the last good one and is
    put back. Old copies are deleted only when ``target`` exists.
    """
    olds = _old_copies(target)
    if not olds:
        return
    if not target.exists():
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.replace(newest, target)
        olds = [p for p in olds if p != newest]
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def recover(paths: Paths) -> None:
    """Bring outputs/YEAR and data/processed/YEAR back to a consistent state after a run was
    killed (power cut, SIGKILL, closed terminal): finish or undo the replacement of the two
    folders as the journal lists it, then remove staging and old copies. Safe to call at any
    time when no other run of the same agency and year is active (``run_report`` calls it
    first, holding the lock).
    """
    _recover_journal(journal_file(paths))
    for target in (paths.output, paths.processed):
        if target.parent.is_dir():
            _recover_dir(target)
    _cleanup_stale(paths.output.parent, paths.output.name)


def _cleanup_stale(parent: Path, name: str) -> None:
    """Remove the staging folders an interrupted earlier run of the folder ``name`` left."""
    if not parent.is_dir():
        return
    prefix = f".staging-{name}-"
    for stale in _own(parent.glob(f"{prefix}*"), prefix):
        shutil.rmtree(stale, ignore_errors=True)
