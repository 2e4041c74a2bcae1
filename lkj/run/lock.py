"""One run at a time per agency and year: ``report``, ``collect`` and ``new-year`` take a lock.

An agency is identified by its folders: the lock of a year lives in the agency's raw root
(``data/raw/.lkj-2022.lock``), and ``report`` also takes one beside its output folder
(``outputs/.lkj-2022.lock``). Runs of different agencies (a pemda workspace passes other raw,
processed and output folders per OPD) or of different years never wait for each other; a second
run of the same agency and year waits for the first, saying so, and stops with a clear message
if the first one does not finish within the timeout (``LKJ_LOCK_TIMEOUT`` seconds, default 20
minutes).

The locks are operating-system file locks (the ``filelock`` library: ``flock`` on Unix,
``msvcrt.locking`` on Windows): a killed run releases them, so a stale lock file never blocks
anyone. The lock file itself may stay on disk. Beside each lock the holder writes a small
``.owner`` file (what it does, its process id, since when) so that a waiting run can say whom it
waits for.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from lkj.core.errors import LkjError

LOCK_TIMEOUT_ENV = "LKJ_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 20 * 60.0


def lock_files(year: int, raw_root: Path | str, output: Path | str | None = None) -> list[Path]:
    """The lock files a run of ``year`` takes, in the order it takes them.

    Args:
        year: the report year.
        raw_root: the agency's folder of year folders (data/raw); its lock is taken only when
            the folder exists (a run on a missing raw folder fails on its own, and a lock must
            not create the folder).
        output: the report folder (outputs/YEAR) for ``report``; None for ``collect`` and
            ``new-year``, which write only raw data.

    Returns:
        ``raw_root/.lkj-YEAR.lock`` and, with ``output``, ``output.parent/.lkj-NAME.lock``
        (NAME is the output folder's name, YEAR in the default layout). Every run takes the raw
        lock first, so two runs never wait for each other crosswise.
    """
    raw_root = Path(raw_root).resolve()
    out: list[Path] = []
    if raw_root.is_dir():
        out.append(raw_root / f".lkj-{int(year)}.lock")
    if output is not None:
        output = Path(output).resolve()
        out.append(output.parent / f".lkj-{output.name}.lock")
    return list(dict.fromkeys(out))  # the same file once, e.g. when the output is in raw_root


def _timeout() -> float:
    text = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def _owner_file(lock: Path) -> Path:
    return lock.with_suffix(".owner")


def _read_owner(lock: Path) -> dict:
    try:
        data = json.loads(_owner_file(lock).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _wait_for_owner(lock: Path, patience: float = 2.0) -> dict:
    """The holder's record; a holder that has just taken the lock writes it a moment later."""
    deadline = time.monotonic() + patience
    while not (owner := _read_owner(lock)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return owner


def _describe(owner: dict, year: int) -> str:
    """'membuat laporan 2022 (PID 4242, mulai 10:31)' from an owner record."""
    doing = owner.get("doing") or "memakai data"
    details = []
    if owner.get("pid"):
        details.append(f"PID {owner['pid']}")
    if owner.get("since"):
        details.append(f"mulai {owner['since']}")
    return f"{doing} {year}" + (f" ({', '.join(details)})" if details else "")


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:g} detik"
    return f"{seconds / 60:g} menit"


@contextlib.contextmanager
def year_lock(
    year: int,
    raw_root: Path | str,
    output: Path | str | None = None,
    doing: str = "membuat laporan",
    log: Callable[[str], None] = print,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold the locks of an agency's ``year`` for the duration of the ``with`` block.

    Reentrant within a process (a workspace that already holds the lock may call
    ``run_report``). When another process holds a lock, says once that it waits and for what,
    then waits.

    Args:
        year: the year.
        raw_root: the agency's raw root (data/raw).
        output: the report folder, for ``report``.
        doing: what this run does, in Indonesian, as a waiting run will name it
            ("membuat laporan", "membaca formulir", "membuat data tahun baru").
        log: where the waiting message goes.
        timeout: seconds to wait at most (default ``LKJ_LOCK_TIMEOUT`` or 20 minutes).

    Raises:
        LkjError: the other run did not finish in time; nothing was changed.
    """
    from filelock import FileLock, Timeout

    limit = _timeout() if timeout is None else timeout
    with contextlib.ExitStack() as stack:
        for path in lock_files(year, raw_root, output):
            lock = FileLock(str(path), is_singleton=True)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                other = _describe(_wait_for_owner(path), year)
                log(f"menunggu proses lain yang sedang {other} ... (paling lama {_minutes(limit)})")
                _flush()
                started = time.monotonic()
                try:
                    lock.acquire(timeout=limit)
                except Timeout:
                    raise LkjError(
                        f"proses lain masih {other} setelah ditunggu {_minutes(limit)}; "
                        f"tidak ada yang diubah. Jalankan lagi setelah proses itu selesai "
                        f"(kunci: {path})"
                    ) from None
                log(
                    f"proses lain selesai setelah {time.monotonic() - started:.0f} detik, "
                    "melanjutkan"
                )
            except OSError as exc:
                raise LkjError(f"{path}: kunci tidak dapat dibuat: {exc.strerror or exc}") from None
            stack.callback(lock.release)
            owner = _owner_file(path)
            if lock.lock_counter == 1:  # the outermost holder in this process says who it is
                record = {"doing": doing, "pid": os.getpid(), "since": time.strftime("%H:%M")}
                with contextlib.suppress(OSError):
                    owner.write_text(json.dumps(record), encoding="utf-8")
                stack.callback(_forget_owner, owner, lock)
        yield


def _flush() -> None:
    with contextlib.suppress(Exception):  # a waiting message must show now, also in a pipe
        sys.stdout.flush()


def _forget_owner(owner: Path, lock: object) -> None:
    if getattr(lock, "lock_counter", 0) == 1:  # released right after this by the stack
        with contextlib.suppress(OSError):
            owner.unlink()
