"""``python -m fairflip``: the same command line as the ``fairflip`` script."""

import sys

from .cli import main

sys.exit(main())
