"""The log of a pemda run, kept in its outputs: outputs/pemda/<kode>/<YEAR>/batch.log.

Each run appends: when it started, the cluster it used, every OPD built (its status, the worker
that built it, its seconds, the whole error of a failure, a traceback included), how the run
ended and the summary printed to the terminal. What Dask itself logs while the run is live
(a worker lost, a heartbeat that failed during shutdown, ...) goes to this file too and not to
the terminal (``quiet_dask``): the terminal shows lkj's own lines only, and a failed run's
cause is kept where the next person can read it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

LOG_FILE = "batch.log"
# The loggers whose lines go to the batch log instead of the terminal while a run is live.
_QUIET = ("distributed", "tornado", "asyncio")
_SILENT = logging.CRITICAL + 10


class BatchLog:
    """The batch log of one run, appended to ``path`` (created with its folder if missing).

    Args:
        path: outputs/pemda/<kode>/<YEAR>/batch.log.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: TextIO | None = None

    def __enter__(self) -> BatchLog:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def write(self, text: str) -> None:
        """One entry, each line prefixed with the time."""
        if self._handle is None:
            return
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        for line in text.splitlines() or [""]:
            self._handle.write(f"{stamp} {line}\n")
        self._handle.flush()

    @contextlib.contextmanager
    def quiet_dask(self) -> Iterator[None]:
        """While inside: Dask's, tornado's and asyncio's log lines of this process go to the
        batch log (warnings and worse), none to the terminal; after it, none still (the run
        is over: what a closing client logs is noise)."""
        import distributed  # noqa: F401 - sets up Dask's loggers, which are silenced here

        handler = _Handler(self)
        attached: list[logging.Logger] = []
        names = set(_QUIET) | {
            n for n in logging.root.manager.loggerDict if n.startswith(("distributed.", "tornado."))
        }
        for name in sorted(names):
            logger = logging.getLogger(name)
            for old in logger.handlers:
                if isinstance(old, logging.StreamHandler) and not isinstance(
                    old, logging.FileHandler
                ):
                    old.setLevel(_SILENT)
            if name in _QUIET or logger.handlers or not logger.propagate:
                logger.addHandler(handler)
                attached.append(logger)
            if name == "asyncio":  # its errors would reach the root logger's last resort
                logger.propagate = False
                if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                    logger.addHandler(logging.NullHandler())
        try:
            yield
        finally:
            # The terminal stays quiet: a client still closing in the background (after a
            # lost scheduler, say) must not print a traceback when the run is over.
            for logger in attached:
                logger.removeHandler(handler)


class _Handler(logging.Handler):
    """Warnings and worse of Dask's loggers into the batch log, traceback included."""

    def __init__(self, log: BatchLog) -> None:
        super().__init__(logging.WARNING)
        self._log = log
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # a log line must never break the run
            self._log.write(self.format(record))
