"""``python -m lkj``."""

import sys

from lkj.cli import main

if __name__ == "__main__":  # not when a worker process (Dask, multiprocessing) re-imports it
    sys.exit(main())
