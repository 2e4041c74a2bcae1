"""``python -m lkj``.

Once the command has returned, its output is flushed, its threads are done and its exit
handlers (``atexit``: logging, temporary files, ...) have run, the process ends with
``os._exit``: the interpreter's own teardown, which frees every loaded module one by one
(pandas, nbconvert, python-docx, ...), took another 0.25-0.3 s of every command. An
exception or ``SystemExit`` (argparse's ``--help``, a bad argument) ends it the usual way.
"""

import atexit
import os
import sys
import threading

from lkj.cli import main


def _exit(code: int) -> None:
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # not when a worker process (Dask, multiprocessing) re-imports it
    _exit(main())
