"""``python -m lkj``."""

import sys

from lkj.cli import main

sys.exit(main())
