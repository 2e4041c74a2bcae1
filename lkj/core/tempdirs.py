"""Temporary folders that name their owner, and the sweep of those whose owner is gone.

A process killed outright (SIGKILL of a kernel, a Dask worker lost, a Ctrl-C that kills the
process group) never removes its temporary folder. So every folder made here carries a marker
file, :data:`MARKER`, naming its owner: a process id with the process's start time (a pid the
system gave to another process since is not mistaken for the owner). Making a new folder first
sweeps the older ones of the same prefix whose owner is gone (:func:`sweep`): only the current
user's, only folders that carry the marker, never one whose owner lives.

Race-safe: a folder is claimed by renaming it (one sweeper wins, the others skip it) and its
marker is removed last, so a sweep stopped half-way leaves a folder the next one still takes.
Portable: whether the owner lives is asked of ``psutil`` (``os.kill(pid, 0)`` means another
thing on Windows); a zombie (killed, not yet waited for) counts as gone.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

# The marker file in a folder made here: "<pid> <start time>" of its owner.
MARKER = ".lkj-pemilik"
# Two readings of one process's start time differ by less than this (seconds).
_SAME_START = 1.0
_claims = itertools.count()
# The name of a folder a sweep has claimed ends so (the id of the sweeping process).
_SWEEP = ".sapu-"
_CLAIMED = re.compile(re.escape(_SWEEP) + r"(\d+)-\d+$")


def make_dir(prefix: str) -> Path:
    """A new private (0700) temporary folder named ``prefix…``, owned by this process.

    The folders of the same prefix whose owner is gone are swept first (:func:`sweep`).

    Args:
        prefix: the start of the folder's name, e.g. ``"lkj-kernel-"``.

    Returns:
        The folder, in ``tempfile.gettempdir()``, its marker naming this process.
    """
    sweep(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    set_owner(folder, os.getpid())
    return folder


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """:func:`make_dir` as a context: the folder is removed when the block ends."""
    folder = make_dir(prefix)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def set_owner(folder: Path, pid: int) -> bool:
    """Record process ``pid`` as the owner of ``folder``, in place of the one recorded.

    Written whole or not at all (a sweep never reads half a marker).

    Returns:
        False (and nothing changed) if no process ``pid`` runs.
    """
    started = _start_time(pid)
    if started is None:
        return False
    part = folder / f"{MARKER}.{os.getpid()}.tmp"
    part.write_text(f"{pid} {started!r}\n", encoding="ascii")
    os.replace(part, folder / MARKER)
    return True


def sweep(prefix: str, parent: Path | None = None) -> list[Path]:
    """Remove the folders ``prefix…`` in ``parent`` (the temporary folder) whose owner is gone.

    Kept: a folder of another user, one without a (readable) marker, one whose owner lives.
    Never raises for a folder another process removes or sweeps meanwhile.

    Returns:
        The folders removed (their names before the sweep).
    """
    parent = Path(parent or tempfile.gettempdir())
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    swept = []
    for entry in entries:
        if entry.name.startswith(prefix) and _orphaned(entry) and _remove(Path(entry.path)):
            swept.append(Path(entry.path))
    return swept


def _orphaned(entry: os.DirEntry) -> bool:
    """Whether ``entry`` is a folder of this user whose marker names a process that is gone
    (and that no running sweep has claimed)."""
    claim = _CLAIMED.search(entry.name)
    if claim and _alive(int(claim[1]), None):
        return False  # being removed by a sweep that runs
    try:
        info = entry.stat(follow_symlinks=False)
        if not stat.S_ISDIR(info.st_mode):
            return False
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return False
        pid_text, started_text = (Path(entry.path) / MARKER).read_text("ascii").split()
        pid, started = int(pid_text), float(started_text)
    except (OSError, ValueError):  # gone meanwhile, not readable, no marker or not ours
        return False
    return pid > 0 and not _alive(pid, started)


def _alive(pid: int, started: float | None) -> bool:
    """Whether process ``pid`` that started at ``started`` (None: whenever) is still running
    (one this user may not look at counts as running)."""
    import psutil

    try:
        now = _start_time(pid)
    except psutil.Error:
        return True
    return now is not None and (started is None or abs(now - started) < _SAME_START)


def _start_time(pid: int) -> float | None:
    """The start time of process ``pid``, or None if none runs (a zombie counts as gone)."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process.create_time()
    except psutil.NoSuchProcess:
        return None


def _remove(folder: Path) -> bool:
    """Claim ``folder`` (rename it: one sweeper wins) and remove it, its marker last.

    A claimed folder keeps the prefix and the marker until the end: a sweep stopped half-way
    leaves it to the next one (one still at work keeps it: see :func:`_orphaned`)."""
    claimed = folder.with_name(f"{folder.name}{_SWEEP}{os.getpid()}-{next(_claims)}")
    try:
        os.rename(folder, claimed)
    except OSError:  # another sweeper took it, or its owner's cleanup removed it
        return False
    with contextlib.suppress(OSError):
        for child in list(claimed.iterdir()):
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        (claimed / MARKER).unlink()
        claimed.rmdir()
    return True
